// The exam: a request charges the attempt's fee (first or retake), staff authorize it once the fee is settled (the
// vendor's candidate id is assigned), and each attempt's result is recorded by hand or from the vendor's file.
// The attempt limit is the rule in force on the approval date: the terms an applicant was approved under.
import { count, eq } from 'drizzle-orm';
import { can } from '../access/can.ts';
import { actorUserId, refuse, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { loadApplication } from './application-access.ts';
import { transitionApplication, type ApplicationRow } from './application-status.ts';
import { examAttempts } from './certification.schema.ts';
import { chargeFee, feesOfApplication, type FeeRow } from './fees.ts';
import { issueCertification } from './issue-certification.ts';
import { notifyApplicant } from './notify-applicant.ts';
import type { PeerRow } from './peer-record.ts';
import { renewFromApplication, requireApprovalValid } from './review-application.ts';
import type { ExamResult } from './vocabulary.ts';

/** Where each pathway may ask for the exam: after training is verified (initial) or right after approval (the others). */
function examReady(application: ApplicationRow): boolean {
  if (application.status === 'exam_failed') return true;
  if (application.pathway === 'initial') return application.status === 'training_verified';
  return application.status === 'approved' && application.pathway !== 'renewal';
}

async function attemptsUsed(db: Db, applicationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(examAttempts).where(eq(examAttempts.applicationId, applicationId));
  return row?.n ?? 0;
}

async function attemptLimit(db: Db, application: ApplicationRow, today: string): Promise<number> {
  return (await rulesAsOf(db, application.approvedOn ?? today))['exam.attempts_per_application'];
}

function examFees(rows: readonly FeeRow[]): FeeRow[] {
  return rows.filter((f) => f.kind === 'exam' || f.kind === 'exam_retake');
}

async function requireAttemptLeft(db: Db, application: ApplicationRow, today: string): Promise<number> {
  const [used, limit] = [await attemptsUsed(db, application.id), await attemptLimit(db, application, today)];
  if (used >= limit) throw new AppError('rule-violation', `All ${limit} exam attempts allowed for application ${application.number} are used.`, [], 'exam.attempts_exhausted');
  return used;
}

/** Ask for the next exam attempt: charges its fee once (the applicant or staff may ask). */
export async function requestExam(db: Db, input: { applicationId: string }, context: UseCaseContext): Promise<FeeRow | null> {
  const { application, peer } = await loadApplication(db, input.applicationId, context);
  const own = context.actor.kind === 'user' && peer.userId === context.actor.userId;
  if (!own && !can(context.actor, 'exams.record')) refuse(context, 'request exams for others');
  if (application.status === 'attempts_exhausted') throw new AppError('rule-violation', `All exam attempts allowed for application ${application.number} are used.`, [], 'exam.attempts_exhausted');
  if (!examReady(application)) throw new AppError('conflict', `Application ${application.number} is ${application.status.replace(/_/g, ' ')}; the exam is not the next step.`, [], 'application.transition');
  const today = todayOf(context);
  requireApprovalValid(application, today);
  const used = await requireAttemptLeft(db, application, today);
  const charged = examFees(await feesOfApplication(db, application.id));
  if (charged.length > used) return charged[charged.length - 1] ?? null; // this attempt's fee is already charged
  return db.transaction((tx) => chargeFee(tx, { peerId: application.peerId, applicationId: application.id, kind: used === 0 ? 'exam' : 'exam_retake', chargedOn: today }, context));
}

/** Staff authorize the attempt once its fee is settled; the candidate id is what the vendor's results file carries. */
export async function authorizeExam(db: Db, input: { applicationId: string }, context: UseCaseContext): Promise<ApplicationRow> {
  requireCan(context, 'exams.record', 'authorize exams');
  const { application, peer } = await loadApplication(db, input.applicationId, context);
  if (!examReady(application)) throw new AppError('conflict', `Application ${application.number} is ${application.status.replace(/_/g, ' ')}; it cannot be authorized to test.`, [], 'application.transition');
  const today = todayOf(context);
  requireApprovalValid(application, today);
  const used = await requireAttemptLeft(db, application, today);
  const rules = await rulesAsOf(db, today);
  const feeDue = (used === 0 ? rules['fee.exam'] : rules['fee.exam_retake']) > 0;
  const settledExamFees = examFees(await feesOfApplication(db, application.id)).filter((f) => f.settledAt !== null);
  // With no fee for the attempt (a rule of 0), nothing is charged and nothing needs settling.
  if (feeDue && settledExamFees.length <= used) throw new AppError('rule-violation', 'The exam fee for this attempt is not settled yet.', [], 'fee.outstanding');
  const candidateId = application.candidateId ?? `CA${application.number.replace(/\D/g, '').padStart(7, '0')}`;
  return db.transaction(async (tx) => {
    const row = await transitionApplication(tx, application, 'exam_authorized', context, { patch: { candidateId, examAuthorizedOn: today } });
    await notifyApplicant(tx, peer, 'exam_authorized', `Your candidate id is ${candidateId}. Schedule your exam before ${application.validThrough}.`);
    return row;
  });
}

export interface ExamResultInput {
  applicationId: string;
  takenOn: string;
  result: ExamResult;
  score?: number | null | undefined;
  source: 'manual' | 'vendor_csv';
  importId?: string | null;
}

/** Record one attempt in the caller's transaction: pass issues (or restores) the certification; the last failure ends the application. */
export async function recordExamResultIn(tx: Db, application: ApplicationRow, peer: PeerRow, input: ExamResultInput, context: UseCaseContext): Promise<ApplicationRow> {
  const today = todayOf(context);
  if (application.status !== 'exam_authorized') throw new AppError('conflict', `Application ${application.number} is not authorized to test.`, [], 'application.transition');
  if (input.takenOn > today) throw new AppError('bad-request', 'The exam date is in the future.', [{ path: 'takenOn', message: 'The exam date is in the future.' }]);
  if (application.examAuthorizedOn && input.takenOn < application.examAuthorizedOn) throw new AppError('bad-request', `The exam date is before the authorization to test (${application.examAuthorizedOn}).`, [{ path: 'takenOn', message: 'Before the authorization to test.' }]);
  requireApprovalValid(application, input.takenOn);
  const used = await requireAttemptLeft(tx, application, today);
  const limit = await attemptLimit(tx, application, today);
  const attemptNumber = used + 1;
  await tx.insert(examAttempts).values({
    applicationId: application.id,
    attemptNumber,
    candidateId: application.candidateId ?? '',
    takenOn: input.takenOn,
    result: input.result,
    score: input.score ?? null,
    source: input.source,
    importId: input.importId ?? null,
    recordedBy: actorUserId(context.actor),
  });
  if (input.result === 'pass') {
    if (application.pathway === 'reinstatement') return renewFromApplication(tx, application, context, peer);
    const cert = await issueCertification(tx, { peerId: application.peerId, issuedOn: today, pathway: application.pathway as never, applicationId: application.id }, context);
    const done = await transitionApplication(tx, application, 'certified', context, { reason: `exam passed ${input.takenOn}`, patch: { certificationId: cert.id } });
    await notifyApplicant(tx, peer, 'certified', `Your certification number is ${cert.number}, valid from ${cert.issuedOn}; it expires on ${cert.expiresOn}.`);
    return done;
  }
  const exhausted = attemptNumber >= limit;
  const row = await transitionApplication(tx, application, exhausted ? 'attempts_exhausted' : 'exam_failed', context, { reason: `attempt ${attemptNumber} of ${limit}: ${input.result}` });
  await notifyApplicant(tx, peer, exhausted ? 'attempts_exhausted' : 'exam_failed', exhausted ? `That was attempt ${attemptNumber} of ${limit}; this application has no attempts left.` : `Attempt ${attemptNumber} of ${limit} was not a pass. You may request a retake.`);
  return row;
}

export async function recordExamResult(db: Db, input: Omit<ExamResultInput, 'source' | 'importId'>, context: UseCaseContext): Promise<ApplicationRow> {
  requireCan(context, 'exams.record', 'record exam results');
  const { application, peer } = await loadApplication(db, input.applicationId, context);
  return db.transaction((tx) => recordExamResultIn(tx, application, peer, { ...input, source: 'manual' }, context));
}
