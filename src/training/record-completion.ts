// Certification staff record a completion by hand, from evidence (a certificate of attendance, a transcript):
// training taken before rosters existed, or that a roster could not credit. The evidence is kept as a document
// of the person's. A completion naming a provider must fall within that provider's approval, as a roster's would.
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { actorUserId, auditContext, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { documents, peers } from '../certification/certification.schema.ts';
import { SPECIALIZATIONS } from '../certification/vocabulary.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { checkUpload } from '../storage/upload-check.ts';
import { approvalCovers } from './approval-status.ts';
import { FieldChecks } from './form-checks.ts';
import { courses, providerApprovals, trainingCompletions, trainingProviders } from './training.schema.ts';
import { isTrainingType, isUuid } from './training.vocabulary.ts';

export interface ManualCompletionInput {
  /** The person, by the email on their record. */
  email: string;
  trainingType: string;
  specialization?: string | null | undefined;
  hours: number;
  lawEthicsHours: number;
  completedOn: string;
  providerId?: string | null | undefined;
  courseId?: string | null | undefined;
  note?: string | null | undefined;
  evidence: { filename: string; bytes: Buffer } | undefined;
}

export async function recordManualCompletion(db: Db, storage: DocumentStorage, input: ManualCompletionInput, context: UseCaseContext) {
  requireCan(context, 'training.completions.record', 'record training completions');
  const today = todayOf(context);
  const check = new FieldChecks();

  const email = check.email(input.email, 'email');
  const withEmail = check.errors.length
    ? []
    : await db.select({ id: peers.id, legalFirstName: peers.legalFirstName, legalLastName: peers.legalLastName }).from(peers).where(sql`lower(${peers.email}) = ${email.toLowerCase()}`);
  if (!check.errors.some((e) => e.path === 'email')) {
    if (withEmail.length === 0) check.fail('email', 'No person in the program has this email.');
    if (withEmail.length > 1) check.fail('email', 'More than one person has this email; correct their records first.');
  }
  const type = input.trainingType;
  if (!isTrainingType(type)) check.fail('trainingType', 'Choose core, continuing education or specialization.');
  const specialization = (input.specialization ?? '').trim() || null;
  if (type === 'specialization' && !(SPECIALIZATIONS as readonly string[]).includes(specialization ?? '')) check.fail('specialization', 'Choose the specialization completed.');
  if (type !== 'specialization' && specialization !== null) check.fail('specialization', 'Only specialization training names a specialization.');
  const hours = check.hours(input.hours, 'hours');
  const lawEthicsHours = check.hours(input.lawEthicsHours, 'lawEthicsHours');
  if (hours === 0) check.fail('hours', 'A completion has hours.');
  if (lawEthicsHours > hours) check.fail('lawEthicsHours', 'Law and ethics hours are part of the hours, so they cannot be more.');
  const completedOn = check.date(input.completedOn, 'completedOn');
  if (!check.errors.some((e) => e.path === 'completedOn') && completedOn > today) check.fail('completedOn', 'The completion date cannot be in the future.');

  const courseId = (input.courseId ?? '').trim() || null;
  const [course] = courseId && isUuid(courseId) ? await db.select().from(courses).where(eq(courses.id, courseId)) : [];
  if (courseId && !course) check.fail('courseId', 'There is no such course.');
  if (course && course.trainingType !== type) check.fail('courseId', 'The course is of another training type.');
  if (course && course.specialization !== specialization) check.fail('courseId', 'The course teaches another specialization.');
  let providerId = (input.providerId ?? '').trim() || null;
  if (course && providerId && providerId !== course.providerId) check.fail('providerId', 'The course is another provider’s.');
  providerId ??= course?.providerId ?? null;
  const [provider] = providerId && isUuid(providerId) ? await db.select().from(trainingProviders).where(eq(trainingProviders.id, providerId)) : [];
  if (providerId && !provider) check.fail('providerId', 'There is no such provider.');

  let contentType = '';
  if (!input.evidence) check.fail('evidence', 'Attach the certificate or other evidence (PDF, JPEG or PNG).');
  else {
    try {
      contentType = checkUpload(input.evidence.bytes, 'evidence');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      check.fail('evidence', err.message);
    }
  }
  const note = (input.note ?? '').trim() || null;
  if (note && note.length > 2000) check.fail('note', 'Keep the note under 2000 characters.');
  check.done();
  const peer = withEmail[0];
  const evidence = input.evidence;
  if (!peer || !evidence) throw new Error('checked above');

  if (type === 'core' || type === 'specialization') {
    const rules = await rulesAsOf(db, completedOn);
    const required = type === 'core' ? rules['training.core_hours'] : rules['specialization.hours'];
    if (hours !== required) {
      const message = `${type === 'core' ? 'Core' : 'Specialization'} training is ${required} hours.`;
      throw new AppError('rule-violation', message, [{ path: 'hours', message }], type === 'core' ? 'training.core_hours' : 'specialization.hours');
    }
  }
  if (provider) {
    const approvals = await db.select().from(providerApprovals).where(and(eq(providerApprovals.providerId, provider.id), eq(providerApprovals.trainingType, type)));
    const covering = approvals.filter((a) => (!course || a.language === course.language) && approvalCovers(a, completedOn));
    if (covering.length === 0) {
      const message = `${provider.name} was not approved for this training${course ? ` in ${course.language}` : ''} on ${completedOn}, so the completion would not count.`;
      throw new AppError('rule-violation', message, [{ path: course ? 'courseId' : 'providerId', message }], 'training.provider_not_approved');
    }
  }
  if (course) {
    const [same] = await db
      .select({ id: trainingCompletions.id })
      .from(trainingCompletions)
      .where(and(eq(trainingCompletions.peerId, peer.id), eq(trainingCompletions.courseId, course.id), eq(trainingCompletions.completedOn, completedOn)));
    if (same) throw new AppError('conflict', `This completion of ${course.title} on ${completedOn} is already recorded.`);
  }

  // The bytes are stored before the transaction (storage cannot roll back); a failed insert leaves an
  // unreferenced file, never a document row without its file.
  const recordedBy = actorUserId(context.actor);
  const storageKey = await storage.put(evidence.bytes);
  return db.transaction(async (tx) => {
    const [document] = await tx
      .insert(documents)
      .values({
        peerId: peer.id,
        kind: 'training_certificate',
        filename: (evidence.filename.trim() || 'evidence').slice(0, 200),
        contentType,
        sizeBytes: evidence.bytes.length,
        sha256: createHash('sha256').update(evidence.bytes).digest('hex'),
        storageKey,
        uploadedBy: recordedBy,
      })
      .returning({ id: documents.id });
    if (!document) throw new Error('insert returned no row');
    const [completion] = await tx
      .insert(trainingCompletions)
      .values({
        peerId: peer.id,
        courseId: course?.id ?? null,
        providerId: provider?.id ?? null,
        trainingType: type,
        specialization,
        hours,
        lawEthicsHours,
        completedOn,
        source: 'manual',
        evidenceDocumentId: document.id,
        note,
        recordedBy,
      })
      .onConflictDoNothing()
      .returning();
    // Only a completion of a course can conflict: the same one recorded a moment ago.
    if (!completion) throw new AppError('conflict', `This completion on ${completedOn} is already recorded.`);
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'training.completion.record',
      entityType: 'training_completion',
      entityId: completion.id,
      changes: [
        { field: 'peerId', before: null, after: peer.id },
        { field: 'trainingType', before: null, after: type },
        { field: 'specialization', before: null, after: specialization },
        { field: 'hours', before: null, after: hours },
        { field: 'lawEthicsHours', before: null, after: lawEthicsHours },
        { field: 'completedOn', before: null, after: completedOn },
        { field: 'providerId', before: null, after: completion.providerId },
        { field: 'courseId', before: null, after: completion.courseId },
        { field: 'evidenceDocumentId', before: null, after: document.id },
      ],
      reason: note,
    });
    return { completion, peer: { id: peer.id, name: `${peer.legalFirstName} ${peer.legalLastName}` } };
  });
}
