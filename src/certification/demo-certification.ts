// Demo mode only: fictional people at every point of the certification lifecycle, built through the real use cases
// with the dates they would have happened on, so the workbench, the portal and the registry all have something
// true to show. The demo peer account (peer@demo.example.org) holds a certification in its renewal window with
// the continuing education done, so a newcomer can try a renewal.
//
// Vacated cannot be shown: it needs four years after an expiry, and the first certifications were issued in late
// 2022, so nobody can be vacated before late 2028. The tests cover it with their own dates.
import { and, eq, sql } from 'drizzle-orm';
import { systemContext, type UseCaseContext } from '../access/context.ts';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import type { Db } from '../db/client.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { courses, trainingCompletions } from '../training/training.schema.ts';
import { applicationEvents, applications, certifications, peers } from './certification.schema.ts';
import { changeCertificationStatus } from './certification-status.ts';
import { transitionApplication } from './application-status.ts';
import { authorizeExam, recordExamResult, requestExam } from './exam.ts';
import { feesOfApplication, settleFee } from './fees.ts';
import { importPeers } from './import-peers.ts';
import { approveApplication, denyApplication, requestRevisions, verifyTraining } from './review-application.ts';
import { saveAnswers } from './save-application.ts';
import { expireCertifications } from './scheduled-work.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { withdrawApplication } from './withdraw-application.ts';
import { documents } from './certification.schema.ts';
import { createHash } from 'node:crypto';
import type { DocumentStorage } from '../storage/document-storage.ts';

const STAFF_EMAIL = 'certification-staff@demo.example.org';
const PEER_EMAIL = 'peer@demo.example.org';

/** How far each demo person gets. */
type Stage =
  | 'draft'
  | 'submitted_unpaid'
  | 'submitted_overdue'
  | 'revision_requested'
  | 'withdrawn'
  | 'denied'
  | 'approved'
  | 'training_verified'
  | 'exam_authorized'
  | 'exam_failed'
  | 'attempts_exhausted'
  | 'application_expired'
  | 'certified';

interface DemoPerson {
  first: string;
  last: string;
  stage: Stage;
  /** Days before today the application was started. */
  startedDaysAgo: number;
  language?: 'es';
  countyFips: string;
  specialization?: string;
  email?: string;
}

const PEOPLE: DemoPerson[] = [
  { first: 'María', last: 'López', stage: 'draft', startedDaysAgo: 3, language: 'es', countyFips: '06037' },
  { first: 'James', last: 'Carter', stage: 'submitted_unpaid', startedDaysAgo: 6, countyFips: '06001' },
  { first: 'Aisha', last: 'Rahman', stage: 'submitted_overdue', startedDaysAgo: 45, countyFips: '06067' },
  { first: 'Kevin', last: 'Nguyen', stage: 'revision_requested', startedDaysAgo: 20, countyFips: '06085' },
  { first: 'Priya', last: 'Patel', stage: 'withdrawn', startedDaysAgo: 25, countyFips: '06113' },
  { first: 'Daniel', last: 'Brooks', stage: 'denied', startedDaysAgo: 60, countyFips: '06019' },
  { first: 'Sofía', last: 'Hernández', stage: 'approved', startedDaysAgo: 50, language: 'es', countyFips: '06065' },
  { first: 'Tyrone', last: 'Jackson', stage: 'training_verified', startedDaysAgo: 150, countyFips: '06073' },
  { first: 'Emily', last: 'Chen', stage: 'exam_authorized', startedDaysAgo: 160, countyFips: '06075' },
  { first: 'Luis', last: 'Ramírez', stage: 'exam_failed', startedDaysAgo: 170, countyFips: '06029' },
  { first: 'Grace', last: 'Kim', stage: 'attempts_exhausted', startedDaysAgo: 300, countyFips: '06059' },
  { first: 'Howard', last: 'Fields', stage: 'application_expired', startedDaysAgo: 430, countyFips: '06099' },
  { first: 'Ana', last: 'Torres', stage: 'certified', startedDaysAgo: 240, countyFips: '06001', specialization: 'crisis_care' },
  { first: 'Demo', last: 'Peer', stage: 'certified', startedDaysAgo: 736, countyFips: '06001', email: PEER_EMAIL },
  { first: 'Marcus', last: 'Bell', stage: 'certified', startedDaysAgo: 500, countyFips: '06013' },
  { first: 'Olivia', last: 'Reyes', stage: 'certified', startedDaysAgo: 420, countyFips: '06111' },
];

/** Certified peers from before this platform, loaded as the predecessor system's export would be. */
function historicalPeersCsv(today: string): string {
  const rows = [
    ['PSS-000101', 'Patricia', '', 'Moore', 'patricia.moore@demo.example.org', '1968-02-14', '06067', 'grandparenting', '2022-11-28', '2022-11-28', '2024-11-28', 'expired', '2024-11-28', ''],
    ['PSS-000102', 'Samuel', 'J', 'Ortiz', 'samuel.ortiz@demo.example.org', '1975-09-30', '06001', 'initial', '2022-12-05', addDays(today, -700), addDays(today, 30), 'active', '', 'justice_involved@2023-06-01;unhoused'],
    ['PSS-000103', 'Linda', '', 'Park', 'linda.park@demo.example.org', '1981-05-05', '06037', 'initial', '2023-01-20', '2023-01-20', '2025-01-20', 'expired', '2025-01-20', ''],
    ['PSS-000104', 'Victor', '', 'Alvarez', 'victor.alvarez@demo.example.org', '1979-12-12', '06019', 'reciprocity', '2023-03-15', '2025-03-15', '2027-03-15', 'suspended', addDays(today, -20), ''],
    ['PSS-000105', 'Karen', '', 'White', 'karen.white@demo.example.org', '1970-07-07', '06085', 'initial', '2023-02-01', '2023-02-01', '2025-02-01', 'revoked', '2024-08-15', ''],
  ];
  const header = 'certification_number,legal_first_name,legal_middle_name,legal_last_name,email,date_of_birth,county_fips,pathway,first_issued_on,issued_on,expires_on,status,status_effective_on,specializations';
  return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

async function userFor(tx: Db, email: string, name: string): Promise<string> {
  const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (existing) return existing.id;
  const [user] = await tx.insert(users).values({ email, displayName: name, emailVerifiedAt: new Date() }).returning({ id: users.id });
  if (!user) throw new Error('insert returned no row');
  return user.id;
}

async function credit(db: Db, peerId: string, title: string, completedOn: string): Promise<void> {
  const [course] = await db.select().from(courses).where(eq(courses.title, title));
  if (!course) throw new Error(`demo course "${title}" is missing (seed the demo training first)`);
  await db
    .insert(trainingCompletions)
    .values({ peerId, courseId: course.id, providerId: course.providerId, trainingType: course.trainingType, specialization: course.specialization, hours: course.hours, lawEthicsHours: course.lawEthicsHours, completedOn, source: 'roster' })
    .onConflictDoNothing();
}

/** A demo document: a one-page PDF saying what it stands for (stored like any upload). */
async function attachDemoDocuments(db: Db, storage: DocumentStorage, peerId: string, applicationId: string, kinds: string[]): Promise<void> {
  for (const kind of kinds) {
    const bytes = Buffer.from(`%PDF-1.4\n% Demo ${kind} (fictional)\n%%EOF\n`);
    const storageKey = await storage.put(bytes);
    await db.insert(documents).values({ peerId, applicationId, kind, filename: `${kind}-demo.pdf`, contentType: 'application/pdf', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), storageKey });
  }
}

async function payAll(db: Db, applicationId: string, staff: UseCaseContext): Promise<void> {
  for (const fee of await feesOfApplication(db, applicationId)) {
    if (!fee.settledAt) await settleFee(db, { feeId: fee.id, settlement: fee.kind === 'application' ? 'county_scholarship' : 'payment', reference: `DEMO-${fee.id.slice(0, 8).toUpperCase()}` }, staff);
  }
}

async function walk(db: Db, storage: DocumentStorage, person: DemoPerson, staffId: string, today: string): Promise<void> {
  const email = person.email ?? `${person.first}.${person.last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() + '@demo.example.org';
  const userId = await db.transaction((tx) => userFor(tx, email, `${person.first} ${person.last}`));
  let day = addDays(today, -person.startedDaysAgo);
  const me = (): UseCaseContext => ({ actor: { kind: 'user', userId, roles: [] }, today: day });
  const staff = (): UseCaseContext => ({ actor: { kind: 'user', userId: staffId, roles: [{ role: 'certification_staff', countyFips: null }] }, today: day });
  const application = await startApplication(db, { pathway: 'initial' }, me());
  const peerId = application.peerId;
  await db.update(peers).set({ countyFips: person.countyFips, preferredLanguage: person.language ?? 'en' }).where(eq(peers.id, peerId));
  const answers = { legalFirstName: person.first, legalLastName: person.last, dateOfBirth: '1988-04-02', countyFips: person.countyFips };
  await saveAnswers(db, { applicationId: application.id, answers }, me());
  if (person.stage === 'draft') return;
  await saveAnswers(db, { applicationId: application.id, answers: { education: 'high_school', livedExperience: 'consumer', willingToShare: true, dedicatedToRecovery: true } }, me());
  await attachDemoDocuments(db, storage, peerId, application.id, ['photo_id', 'diploma']);
  await submitApplication(db, { applicationId: application.id, signedName: `${person.first} ${person.last}`, ethicsAffirmed: true }, me());
  if (person.stage === 'submitted_unpaid') return;
  await payAll(db, application.id, staff());
  if (person.stage === 'withdrawn') {
    day = addDays(day, 5);
    await withdrawApplication(db, { applicationId: application.id, reason: 'I took a job out of state and will apply there instead.' }, me());
    return;
  }
  if (person.stage === 'submitted_overdue') {
    // Timestamps are real instants; place this one where its story says, so the queue shows it overdue.
    const at = new Date(Date.now() - person.startedDaysAgo * 86_400_000);
    await db.update(applications).set({ submittedAt: at }).where(eq(applications.id, application.id));
    await db.update(applicationEvents).set({ at }).where(and(eq(applicationEvents.applicationId, application.id), eq(applicationEvents.toStatus, 'submitted')));
    return;
  }
  day = addDays(day, 14);
  if (person.stage === 'revision_requested') {
    await requestRevisions(db, { applicationId: application.id, items: [{ field: 'document.photo_id', message: 'The photo ID is expired; upload a current one.' }] }, staff());
    return;
  }
  if (person.stage === 'denied') {
    await denyApplication(db, { applicationId: application.id, reason: 'The diploma uploaded is a certificate of attendance, not a diploma or equivalent.' }, staff());
    return;
  }
  await approveApplication(db, { applicationId: application.id }, staff());
  if (person.stage === 'approved') return;
  if (person.stage === 'application_expired') {
    const [row] = await db.select().from(applications).where(eq(applications.id, application.id));
    if (row) await db.transaction((tx) => transitionApplication(tx, row, 'application_expired', systemContext('applications.expire_approvals', today), { reason: 'approval validity ended' }));
    return;
  }
  day = addDays(day, 30);
  await credit(db, peerId, person.language === 'es' ? 'Capacitación básica para especialistas en apoyo de pares de Medi-Cal' : 'Medi-Cal Peer Support Specialist core training', addDays(day, -3));
  await verifyTraining(db, { applicationId: application.id }, staff());
  if (person.stage === 'training_verified') {
    await requestExam(db, { applicationId: application.id }, me());
    return;
  }
  const attempts = person.stage === 'attempts_exhausted' ? 3 : person.stage === 'exam_failed' ? 1 : person.stage === 'certified' ? 1 : 0;
  for (let i = 0; i < Math.max(attempts, 1); i++) {
    day = addDays(day, 10);
    await requestExam(db, { applicationId: application.id }, me());
    await payAll(db, application.id, staff());
    await authorizeExam(db, { applicationId: application.id }, staff());
    if (person.stage === 'exam_authorized') return;
    day = addDays(day, 12);
    const pass = person.stage === 'certified';
    await recordExamResult(db, { applicationId: application.id, takenOn: day, result: pass ? 'pass' : 'fail', score: pass ? 84 : 61 }, staff());
  }
  if (person.stage !== 'certified') return;
  if (person.specialization) await credit(db, peerId, 'Peer services in crisis care', addDays(day, 30));
  if (person.email === PEER_EMAIL) {
    // Continuing education done in this term: ready to renew.
    await credit(db, peerId, 'Whole-person wellness and recovery planning', addDays(today, -200));
    await credit(db, peerId, 'Law and ethics for peer support', addDays(today, -120));
  }
}

/** Demo certification data, once (skipped when the demo staff member has already decided anything). */
export async function seedDemoCertification(db: Db, deps: { storage: DocumentStorage }): Promise<void> {
  const today = todayInCalifornia();
  const [staffUser] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${STAFF_EMAIL}`);
  if (!staffUser) throw new Error('the demo certification staff account is missing (seed the demo accounts first)');
  const [already] = await db.select({ id: certifications.id }).from(certifications).where(eq(certifications.number, 'PSS-000101'));
  if (already) return;
  const [granted] = await db.select({ id: roleAssignments.id }).from(roleAssignments).where(and(eq(roleAssignments.userId, staffUser.id), eq(roleAssignments.role, 'certification_staff')));
  if (!granted) throw new Error('the demo certification staff account has no certification_staff role');
  const staff: UseCaseContext = { actor: { kind: 'user', userId: staffUser.id, roles: [{ role: 'certification_staff', countyFips: null }] }, today };
  const imported = await importPeers(db, { filename: 'predecessor-export.csv', bytes: Buffer.from(historicalPeersCsv(today)) }, staff);
  if (imported.status !== 'imported') throw new Error(`the demo import of certified peers was ${imported.status}: ${imported.error ?? JSON.stringify(imported.rejections)}`);
  for (const person of PEOPLE) await walk(db, deps.storage, person, staffUser.id, today);
  await expireCertifications(db, today);
  // A suspended peer whose suspension is recorded through the state machine (enforcement will record its case).
  const [marcus] = await db.select({ id: certifications.id }).from(certifications).innerJoin(peers, eq(peers.id, certifications.peerId)).where(eq(peers.legalLastName, 'Bell'));
  if (marcus) await db.transaction((tx) => changeCertificationStatus(tx, { certificationId: marcus.id, to: 'suspended', effectiveOn: addDays(today, -10), reasonCode: 'sanction', reason: 'Demo: suspension pending the enforcement case' }, staff));
}
