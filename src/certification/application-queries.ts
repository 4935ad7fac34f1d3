// What the portal and the workbench show: one application in full, the review queue with ages, and a person's
// own certification record with their next steps.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { addDays, daysBetween, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { creditedCompletions, summarizeTraining } from '../training/training-credit.ts';
import { EDITABLE_STATUSES, loadApplication } from './application-access.ts';
import { applicationProblems } from './application-facts.ts';
import type { ApplicationRow } from './application-status.ts';
import { applicationEvents, applications, certificationCycles, certifications, ethicsAffirmations, examAttempts, peers } from './certification.schema.ts';
import { statusHistory, certificationStatusOn } from './certification-status.ts';
import { renewalStage, type Problem } from './eligibility.ts';
import { feesOfApplication } from './fees.ts';
import { findPeerByUser } from './peer-record.ts';
import { applicationDocuments } from './save-application.ts';
import { OPEN_STATUSES } from './start-application.ts';
import type { ApplicationStatus, CertificationStatus } from './vocabulary.ts';

/** The next thing that has to happen, from the applicant's side, as a key the pages translate. */
export type NextStep =
  | 'complete_and_submit'
  | 'fix_revisions'
  | 'await_review'
  | 'pay_fees'
  | 'complete_training'
  | 'await_training_review'
  | 'request_exam'
  | 'await_exam_authorization'
  | 'take_exam'
  | 'apply_again'
  | 'none';

export function nextStepOf(application: ApplicationRow, feesOutstanding: boolean, hasCoreTraining: boolean, examFeeCharged: boolean): NextStep {
  switch (application.status as ApplicationStatus) {
    case 'draft':
      return 'complete_and_submit';
    case 'revision_requested':
      return 'fix_revisions';
    case 'submitted':
      return feesOutstanding ? 'pay_fees' : 'await_review';
    case 'approved':
      if (application.pathway === 'initial') return hasCoreTraining ? 'await_training_review' : 'complete_training';
      return examFeeCharged ? (feesOutstanding ? 'pay_fees' : 'await_exam_authorization') : 'request_exam';
    case 'training_verified':
    case 'exam_failed':
      return examFeeCharged ? (feesOutstanding ? 'pay_fees' : 'await_exam_authorization') : 'request_exam';
    case 'exam_authorized':
      return 'take_exam';
    case 'withdrawn':
      return 'apply_again';
    default:
      return 'none';
  }
}

export async function getApplicationDetail(db: Db, applicationId: string, context: UseCaseContext) {
  const { application, peer } = await loadApplication(db, applicationId, context);
  const today = todayOf(context);
  const [documents, fees, events, attempts, affirmations] = [
    await applicationDocuments(db, application.id),
    await feesOfApplication(db, application.id),
    await db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, application.id)).orderBy(asc(applicationEvents.at)),
    await db.select().from(examAttempts).where(eq(examAttempts.applicationId, application.id)).orderBy(asc(examAttempts.attemptNumber)),
    await db.select({ codeVersion: ethicsAffirmations.codeVersion, signedName: ethicsAffirmations.signedName, signedAt: ethicsAffirmations.signedAt }).from(ethicsAffirmations).where(eq(ethicsAffirmations.applicationId, application.id)),
  ];
  const problems: Problem[] = (EDITABLE_STATUSES as readonly string[]).includes(application.status) ? await applicationProblems(db, application, today) : [];
  const training = summarizeTraining(await creditedCompletions(db, application.peerId));
  const examFeesCharged = fees.filter((f) => f.kind === 'exam' || f.kind === 'exam_retake').length > attempts.length;
  const feesOutstanding = fees.some((f) => f.settledAt === null);
  const rules = await rulesAsOf(db, application.approvedOn ?? today);
  return {
    application,
    peer: { id: peer.id, legalFirstName: peer.legalFirstName, legalMiddleName: peer.legalMiddleName, legalLastName: peer.legalLastName, email: peer.email, preferredLanguage: peer.preferredLanguage },
    documents,
    fees,
    events,
    attempts,
    attemptLimit: rules['exam.attempts_per_application'],
    affirmations,
    problems,
    training,
    nextStep: nextStepOf(application, feesOutstanding, training.coreCompletedOn !== null, examFeesCharged),
  };
}

export interface QueueFilter {
  status?: ApplicationStatus | undefined;
  pathway?: string | undefined;
  /** Only applications waiting at least this many days. */
  minAgeDays?: number | undefined;
}

/** Applications waiting for staff, oldest first, with how long each has waited and whether it is past the review target. */
export async function reviewQueue(db: Db, filter: QueueFilter, context: UseCaseContext) {
  requireCan(context, 'applications.review', 'see the review queue');
  const today = todayOf(context);
  const target = (await rulesAsOf(db, today))['application.review_target_days'];
  const rows = await db
    .select({
      id: applications.id,
      number: applications.number,
      pathway: applications.pathway,
      status: applications.status,
      submittedAt: applications.submittedAt,
      updatedAt: applications.updatedAt,
      validThrough: applications.validThrough,
      name: sql<string>`trim(${peers.legalFirstName} || ' ' || ${peers.legalLastName})`,
    })
    .from(applications)
    .innerJoin(peers, eq(peers.id, applications.peerId))
    .where(and(filter.status ? eq(applications.status, filter.status) : inArray(applications.status, ['submitted', 'approved', 'training_verified', 'exam_failed', 'exam_authorized']), filter.pathway ? eq(applications.pathway, filter.pathway) : undefined))
    .orderBy(asc(sql`coalesce(${applications.submittedAt}, ${applications.updatedAt})`))
    .limit(500);
  const withAges = rows.map((r) => {
    const since = todayInCalifornia(r.submittedAt ?? r.updatedAt);
    const ageDays = daysBetween(since, today);
    return { ...r, ageDays, overdue: r.status === 'submitted' && ageDays > target };
  });
  return { targetDays: target, rows: filter.minAgeDays ? withAges.filter((r) => r.ageDays >= (filter.minAgeDays ?? 0)) : withAges };
}

/** A person's own record: their certification (if any) with its history and renewal situation, and their applications. */
export async function myCertificationRecord(db: Db, context: UseCaseContext) {
  if (context.actor.kind !== 'user') throw new AppError(context.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', 'Sign in to see your certification.');
  const today = todayOf(context);
  const peer = await findPeerByUser(db, context.actor.userId);
  if (!peer) return { peer: null, certification: null, applications: [], openApplication: null, renewal: null, training: null };
  const apps = await db.select().from(applications).where(eq(applications.peerId, peer.id)).orderBy(desc(applications.createdAt));
  const openApplication = apps.find((a) => (OPEN_STATUSES as readonly string[]).includes(a.status)) ?? null;
  const [cert] = await db.select().from(certifications).where(eq(certifications.peerId, peer.id));
  const training = summarizeTraining(await creditedCompletions(db, peer.id));
  if (!cert) return { peer, certification: null, applications: apps, openApplication, renewal: null, training };
  const rules = await rulesAsOf(db, today);
  const status = (await certificationStatusOn(db, cert.id, today)) ?? (cert.status as CertificationStatus);
  const cycleTraining = summarizeTraining(await creditedCompletions(db, peer.id, { from: cert.issuedOn }));
  const stage = renewalStage(status, cert.expiresOn, today, rules);
  return {
    peer,
    certification: {
      ...cert,
      status,
      history: await statusHistory(db, cert.id),
      cycles: await db.select().from(certificationCycles).where(eq(certificationCycles.certificationId, cert.id)).orderBy(asc(certificationCycles.issuedOn)),
    },
    applications: apps,
    openApplication,
    renewal: {
      stage,
      opensOn: addDays(cert.expiresOn, -rules['renewal.window_days']),
      ceHours: cycleTraining.ceHours,
      lawEthicsHours: cycleTraining.lawEthicsHours,
      ceRequired: rules['renewal.ce_hours'],
      lawEthicsRequired: rules['renewal.law_ethics_hours'],
    },
    training,
  };
}

