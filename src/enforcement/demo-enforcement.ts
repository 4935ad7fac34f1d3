// Demo data for enforcement, clearly fictional: a complaint filed on the web this week (acknowledged at once), a
// mailed one whose acknowledgement is overdue, and one decided with a letter of warning — so the dashboard shows
// every clock state. Written through the real use cases; skipped when already there.
import { eq, sql } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { users } from '../accounts/accounts.schema.ts';
import type { Db } from '../db/client.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { decideComplaint } from './decide-case.ts';
import { enforcementCases } from './enforcement.schema.ts';
import { fileComplaint } from './file-complaint.ts';
import { assignCase } from './work-case.ts';

const STAFF_EMAIL = 'enforcement-staff@demo.example.org';

export async function seedDemoEnforcement(db: Db, deps: { storage: DocumentStorage }): Promise<void> {
  const [any] = await db.select({ id: enforcementCases.id }).from(enforcementCases).limit(1);
  if (any) return;
  const [staffUser] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${STAFF_EMAIL}`);
  if (!staffUser) throw new Error('the demo enforcement staff account is missing (seed the demo accounts first)');
  const today = todayInCalifornia();
  const staff = (on: string): UseCaseContext => ({ actor: { kind: 'user', userId: staffUser.id, roles: [{ role: 'enforcement_staff', countyFips: null }] }, today: on });
  const visitor = (on: string): UseCaseContext => ({ actor: { kind: 'anonymous' }, today: on });

  await fileComplaint(
    db,
    deps.storage,
    {
      kind: 'ethics',
      subjectNumber: 'PSS-000102',
      occurredOn: addDays(today, -10),
      location: 'Drop-in center, Oakland (demo)',
      narrative: 'Demo complaint: the peer support specialist asked me for a personal loan during our sessions.',
      name: 'Jordan Demo',
      email: 'jordan.demo@demo.example.org',
    },
    [],
    visitor(addDays(today, -3)),
  );
  await fileComplaint(
    db,
    deps.storage,
    { kind: 'general', narrative: 'Demo letter: my exam results were never sent, and nobody answered my calls.', name: 'Casey Letter', phone: '(916) 555-0199', channel: 'mail', receivedOn: addDays(today, -12) },
    [],
    staff(addDays(today, -9)),
  );
  const decided = await fileComplaint(
    db,
    deps.storage,
    { kind: 'ethics', subjectNumber: 'PSS-000102', occurredOn: addDays(today, -80), narrative: 'Demo complaint: the peer posted a photo of a group session on social media.', name: 'Riley Demo', email: 'riley.demo@demo.example.org' },
    [],
    visitor(addDays(today, -70)),
  );
  await assignCase(db, { caseId: decided.id, investigatorId: staffUser.id }, staff(addDays(today, -69)));
  await decideComplaint(db, { caseId: decided.id, outcome: 'warning', reason: 'Demo: the photo showed no faces and was removed the same day; first incident.' }, staff(addDays(today, -20)));
  const [check] = await db.select({ n: enforcementCases.number }).from(enforcementCases).where(eq(enforcementCases.id, decided.id));
  if (!check) throw new Error('the demo enforcement cases were not written');
}
