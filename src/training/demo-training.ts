// Demo mode only: three training providers with approvals from 2022-07-01 (one ended early in 2024), their
// courses, and the demo training-provider account as a member of the agency. Idempotent: a provider (matched by
// name), approval, course or membership already there is left as it is.
import { and, eq, sql } from 'drizzle-orm';
import { users } from '../accounts/accounts.schema.ts';
import type { Db } from '../db/client.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { courses, providerApprovals, trainingProviderMembers, trainingProviders } from './training.schema.ts';
import type { ProviderKind, TrainingType } from './training.vocabulary.ts';

export const DEMO_PROVIDER_MEMBER_EMAIL = 'training-provider@demo.example.org';
const APPROVED_FROM = '2022-07-01';
const APPROVED_TO = '2028-07-01';

interface DemoApproval {
  trainingType: TrainingType;
  language: string;
  endedOn?: string;
  endReason?: string;
}

interface DemoCourse {
  trainingType: TrainingType;
  specialization?: string;
  language: string;
  title: string;
  /** Core and specialization hours come from the program rules. */
  hours?: number;
  lawEthicsHours?: number;
}

interface DemoProvider {
  name: string;
  kind: ProviderKind;
  leadAgency?: string;
  contactEmail: string;
  approvals: DemoApproval[];
  courses: DemoCourse[];
}

const PROVIDERS: DemoProvider[] = [
  {
    name: 'Bay Area Peer Support Academy',
    kind: 'agency',
    contactEmail: 'training@bayareapeers.example.org',
    approvals: [
      { trainingType: 'core', language: 'en' },
      { trainingType: 'core', language: 'es' },
      { trainingType: 'specialization', language: 'en' },
    ],
    courses: [
      { trainingType: 'core', language: 'en', title: 'Medi-Cal Peer Support Specialist core training' },
      { trainingType: 'core', language: 'es', title: 'Capacitación básica para especialistas en apoyo de pares de Medi-Cal' },
      { trainingType: 'specialization', specialization: 'parent_caregiver_family', language: 'en', title: 'Parent, caregiver and family member peer specialization' },
      { trainingType: 'specialization', specialization: 'crisis_care', language: 'en', title: 'Peer services in crisis care' },
      { trainingType: 'specialization', specialization: 'unhoused', language: 'en', title: 'Peer services for people who are unhoused' },
      { trainingType: 'specialization', specialization: 'justice_involved', language: 'en', title: 'Peer services for justice-involved people' },
    ],
  },
  {
    name: 'Rosa Medina, peer trainer',
    kind: 'individual',
    contactEmail: 'rosa.medina@example.org',
    approvals: [{ trainingType: 'ce', language: 'en' }],
    courses: [{ trainingType: 'ce', language: 'en', title: 'Law and ethics for peer support', hours: 6, lawEthicsHours: 6 }],
  },
  {
    name: 'Central Valley Peer Training Collaborative',
    kind: 'co_provider',
    leadAgency: 'Fresno Recovery Community Center',
    contactEmail: 'collaborative@cvpeers.example.org',
    approvals: [
      { trainingType: 'core', language: 'en' },
      { trainingType: 'ce', language: 'en', endedOn: '2024-03-15', endReason: 'Curriculum changed without the prior written approval CalMHSA requires.' },
    ],
    courses: [{ trainingType: 'ce', language: 'en', title: 'Whole-person wellness and recovery planning', hours: 14, lawEthicsHours: 2 }],
  },
];

export async function seedDemoTraining(db: Db): Promise<void> {
  const rules = await rulesAsOf(db, todayInCalifornia());
  const programHours = (c: DemoCourse) => (c.trainingType === 'core' ? rules['training.core_hours'] : c.trainingType === 'specialization' ? rules['specialization.hours'] : (c.hours ?? 0));
  await db.transaction(async (tx) => {
    for (const demo of PROVIDERS) {
      let [provider] = await tx.select().from(trainingProviders).where(eq(trainingProviders.name, demo.name));
      provider ??= (await tx.insert(trainingProviders).values({ name: demo.name, kind: demo.kind, leadAgency: demo.leadAgency ?? null, contactEmail: demo.contactEmail }).returning())[0];
      if (!provider) throw new Error('insert returned no row');
      for (const a of demo.approvals) {
        const [existing] = await tx
          .select({ id: providerApprovals.id })
          .from(providerApprovals)
          .where(and(eq(providerApprovals.providerId, provider.id), eq(providerApprovals.trainingType, a.trainingType), eq(providerApprovals.language, a.language), eq(providerApprovals.approvedFrom, APPROVED_FROM)));
        if (existing) continue;
        await tx.insert(providerApprovals).values({
          providerId: provider.id,
          trainingType: a.trainingType,
          language: a.language,
          approvedFrom: APPROVED_FROM,
          approvedTo: APPROVED_TO,
          endedOn: a.endedOn ?? null,
          endReason: a.endReason ?? null,
        });
      }
      for (const c of demo.courses) {
        const [existing] = await tx.select({ id: courses.id }).from(courses).where(and(eq(courses.providerId, provider.id), eq(courses.title, c.title)));
        if (existing) continue;
        await tx.insert(courses).values({
          providerId: provider.id,
          trainingType: c.trainingType,
          specialization: c.specialization ?? null,
          language: c.language,
          title: c.title,
          hours: programHours(c),
          lawEthicsHours: c.lawEthicsHours ?? 0,
        });
      }
    }
    const [agency] = await tx.select({ id: trainingProviders.id }).from(trainingProviders).where(eq(trainingProviders.name, PROVIDERS[0]?.name ?? ''));
    const [member] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${DEMO_PROVIDER_MEMBER_EMAIL}`);
    // The demo accounts are seeded first; without that account there is nobody to make a member.
    if (agency && member) await tx.insert(trainingProviderMembers).values({ providerId: agency.id, userId: member.id }).onConflictDoNothing();
  });
}
