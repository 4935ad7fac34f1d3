// Test fixtures for the certification lifecycle: people acting in it, training credit, documents, and a person
// taken all the way to certified through the real use cases.
import { sql } from 'drizzle-orm';
import type { RoleGrant } from '../access/roles.ts';
import type { UseCaseContext } from '../access/context.ts';
import { createPerson } from '../accounts/testing.ts';
import type { Db } from '../db/client.ts';
import { localDirectoryStorage, type DocumentStorage } from '../storage/document-storage.ts';
import { courses, providerApprovals, trainingCompletions, trainingProviders } from '../training/training.schema.ts';
import { authorizeExam, recordExamResult, requestExam } from './exam.ts';
import { approveApplication, verifyTraining } from './review-application.ts';
import { saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { settleFee, feesOfApplication } from './fees.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { findPeerByUser } from './peer-record.ts';
import os from 'node:os';
import path from 'node:path';

/** The smallest thing checkUpload accepts as a PDF. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export function testStorage(): DocumentStorage {
  return localDirectoryStorage(path.join(os.tmpdir(), `pss-test-documents-${process.pid}`));
}

export async function personContext(db: Db, today: string, roles: RoleGrant[] = []): Promise<UseCaseContext & { userId: string }> {
  const person = await createPerson(db, { roles });
  return { actor: { kind: 'user', userId: person.id, roles }, today, userId: person.id };
}

export async function staffContext(db: Db, today: string): Promise<UseCaseContext> {
  return personContext(db, today, [{ role: 'certification_staff', countyFips: null }]);
}

export const ADULT_ANSWERS = {
  legalFirstName: 'Rosa',
  legalLastName: 'Martínez',
  dateOfBirth: '1990-04-12',
  education: 'high_school',
  livedExperience: 'consumer',
  willingToShare: true,
  dedicatedToRecovery: true,
} as const;

let providerSeq = 0;

/** Credit training from a provider approved since 2020 (direct rows: the training use cases are tested on their own). */
export async function creditTraining(
  db: Db,
  peerId: string,
  input: { trainingType: 'core' | 'ce' | 'specialization'; hours: number; lawEthicsHours?: number; completedOn: string; specialization?: string },
): Promise<void> {
  providerSeq++;
  const [provider] = await db.insert(trainingProviders).values({ name: `Test provider ${providerSeq}`, kind: 'agency', contactEmail: 'provider@example.org' }).returning();
  if (!provider) throw new Error('no provider');
  await db.insert(providerApprovals).values({ providerId: provider.id, trainingType: input.trainingType, language: 'en', approvedFrom: '2020-01-01', approvedTo: '2099-01-01' });
  const [course] = await db
    .insert(courses)
    .values({ providerId: provider.id, trainingType: input.trainingType, specialization: input.specialization ?? null, language: 'en', title: `${input.trainingType} course`, hours: input.hours, lawEthicsHours: input.lawEthicsHours ?? 0 })
    .returning();
  if (!course) throw new Error('no course');
  await db.insert(trainingCompletions).values({
    peerId,
    courseId: course.id,
    providerId: provider.id,
    trainingType: input.trainingType,
    specialization: input.specialization ?? null,
    hours: input.hours,
    lawEthicsHours: input.lawEthicsHours ?? 0,
    completedOn: input.completedOn,
    source: 'roster',
  });
}

/** Settle every open fee of an application as a payment. */
export async function payFees(db: Db, applicationId: string, staff: UseCaseContext): Promise<void> {
  for (const fee of await feesOfApplication(db, applicationId)) {
    if (!fee.settledAt) await settleFee(db, { feeId: fee.id, settlement: 'payment', reference: `RCPT-${fee.id.slice(0, 8)}` }, staff);
  }
}

/** A person taken from application to certified on `today` through the real use cases. */
export async function certifiedPerson(db: Db, storage: DocumentStorage, today: string) {
  const applicant = await personContext(db, today);
  const staff = await staffContext(db, today);
  const application = await startApplication(db, { pathway: 'initial' }, applicant);
  await saveAnswers(db, { applicationId: application.id, answers: ADULT_ANSWERS }, applicant);
  for (const kind of ['photo_id', 'diploma']) await uploadApplicationDocument(db, storage, { applicationId: application.id, kind, filename: `${kind}.pdf`, bytes: TINY_PDF }, applicant);
  await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
  await payFees(db, application.id, staff);
  await approveApplication(db, { applicationId: application.id }, staff);
  const peer = await findPeerByUser(db, applicant.userId);
  if (!peer) throw new Error('no peer');
  await creditTraining(db, peer.id, { trainingType: 'core', hours: 80, completedOn: today });
  await verifyTraining(db, { applicationId: application.id }, staff);
  await requestExam(db, { applicationId: application.id }, applicant);
  await payFees(db, application.id, staff);
  await authorizeExam(db, { applicationId: application.id }, staff);
  const done = await recordExamResult(db, { applicationId: application.id, takenOn: today, result: 'pass', score: 82 }, staff);
  return { applicant, staff, application: done, peer };
}

/**
 * Let time pass for a certification (browser journeys cannot wait two years): every date of it — terms, status
 * history, the certification's own dates — moves `days` earlier, as if it had been issued that long ago.
 */
export async function backdateCertification(db: Db, certificationId: string, days: number): Promise<void> {
  const shift = sql`${days}::int`;
  await db.execute(sql`update certification_cycles set issued_on = issued_on - ${shift}, expires_on = expires_on - ${shift} where certification_id = ${certificationId}`);
  await db.execute(sql`update certification_status_changes set effective_on = effective_on - ${shift} where certification_id = ${certificationId}`);
  await db.execute(sql`update certifications set first_issued_on = first_issued_on - ${shift}, issued_on = issued_on - ${shift}, expires_on = expires_on - ${shift} where id = ${certificationId}`);
}
