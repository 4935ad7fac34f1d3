// Certification staff decide submitted applications: approve (the approval is valid for the rule's months), deny
// with a reason (appealable), or ask for revisions that the applicant sees item by item. Renewals and
// reinstatements are decided here too: approving one adds the next term.
import { eq } from 'drizzle-orm';
import { actorUserId, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { addMonths } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { creditedCompletions, summarizeTraining } from '../training/training-credit.ts';
import { loadApplication } from './application-access.ts';
import { gatherFacts } from './application-facts.ts';
import { transitionApplication, type ApplicationRow } from './application-status.ts';
import { certifications } from './certification.schema.ts';
import { feesOfApplication, unsettled } from './fees.ts';
import { addCertificationTerm } from './issue-certification.ts';
import { notifyApplicant } from './notify-applicant.ts';
import type { PeerRow } from './peer-record.ts';

async function loadForReview(db: Db, applicationId: string, context: UseCaseContext) {
  requireCan(context, 'applications.review', 'decide applications');
  return loadApplication(db, applicationId, context);
}

function requireStatus(application: ApplicationRow, ...statuses: string[]): void {
  if (!statuses.includes(application.status)) {
    throw new AppError('conflict', `Application ${application.number} is ${application.status.replace(/_/g, ' ')}.`, [], 'application.transition');
  }
}

/** Approval needs the submission fees settled (paid, waived or covered by a scholarship). */
async function requireFeesSettled(db: Db, application: ApplicationRow): Promise<void> {
  const open = unsettled(await feesOfApplication(db, application.id), ['application', 'renewal', 'reinstatement', 'late_renewal']);
  if (open.length > 0) {
    const total = open.reduce((s, f) => s + f.amountCents, 0);
    throw new AppError('rule-violation', `Fees of $${(total / 100).toFixed(2)} are not settled yet; record the payment, waiver or scholarship first.`, [], 'fee.outstanding');
  }
}

/** Add the next term for an approved renewal or reinstatement; in time: from the old expiry (no gap); late: from today. */
export async function renewFromApplication(tx: Db, application: ApplicationRow, context: UseCaseContext, peer: PeerRow): Promise<ApplicationRow> {
  const today = todayOf(context);
  const [cert] = await tx.select().from(certifications).where(eq(certifications.id, application.certificationId ?? ''));
  if (!cert) throw new AppError('not-found', 'The certification to renew no longer exists.');
  const kind = application.pathway === 'reinstatement' ? 'reinstatement' : today < cert.expiresOn ? 'renewal' : 'late_renewal';
  const term = await addCertificationTerm(tx, { certificationId: cert.id, startsOn: kind === 'renewal' ? cert.expiresOn : today, kind, applicationId: application.id }, context);
  const done = await transitionApplication(tx, application, 'certified', context, { patch: { approvedOn: today, decidedAt: new Date(), decidedBy: actorUserId(context.actor) } });
  await notifyApplicant(tx, peer, 'certified', `Certification ${cert.number} is valid from ${term.issuedOn}; it expires on ${term.expiresOn}.`);
  return done;
}

export async function approveApplication(db: Db, input: { applicationId: string }, context: UseCaseContext): Promise<ApplicationRow> {
  const { application, peer } = await loadForReview(db, input.applicationId, context);
  requireStatus(application, 'submitted');
  await requireFeesSettled(db, application);
  const today = todayOf(context);
  const rules = await rulesAsOf(db, today);
  const facts = await gatherFacts(db, application, today);
  return db.transaction(async (tx) => {
    if (application.pathway === 'renewal' || (application.pathway === 'reinstatement' && facts.renewal?.refresherCompletedOn)) {
      return renewFromApplication(tx, application, context, peer);
    }
    const validThrough = addMonths(today, rules['application.validity_months']);
    const approved = await transitionApplication(tx, application, 'approved', context, {
      patch: { approvedOn: today, validThrough, decidedAt: new Date(), decidedBy: actorUserId(context.actor), decisionReason: null },
    });
    await notifyApplicant(tx, peer, 'approved', `Application ${application.number} is approved and valid through ${validThrough}; every remaining step must be finished by then.`);
    return approved;
  });
}

export async function denyApplication(db: Db, input: { applicationId: string; reason: string }, context: UseCaseContext): Promise<ApplicationRow> {
  const { application, peer } = await loadForReview(db, input.applicationId, context);
  requireStatus(application, 'submitted');
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('bad-request', 'Give the reason for the denial; the applicant sees it and may appeal.', [{ path: 'reason', message: 'Give the reason for the denial.' }]);
  return db.transaction(async (tx) => {
    const denied = await transitionApplication(tx, application, 'denied', context, { reason, patch: { decidedAt: new Date(), decidedBy: actorUserId(context.actor), decisionReason: reason } });
    await notifyApplicant(tx, peer, 'denied', `Application ${application.number} was denied: ${reason}\nYou may appeal this decision.`);
    return denied;
  });
}

export interface RevisionItem {
  field: string;
  message: string;
}

export async function requestRevisions(db: Db, input: { applicationId: string; items: RevisionItem[] }, context: UseCaseContext): Promise<ApplicationRow> {
  const { application, peer } = await loadForReview(db, input.applicationId, context);
  requireStatus(application, 'submitted');
  const items = input.items.map((i) => ({ field: i.field.trim(), message: i.message.trim() })).filter((i) => i.message !== '');
  if (items.length === 0) throw new AppError('bad-request', 'Say what the applicant must fix.', [{ path: 'items', message: 'Say what the applicant must fix.' }]);
  return db.transaction(async (tx) => {
    const row = await transitionApplication(tx, application, 'revision_requested', context, { reason: items.map((i) => i.message).join('; '), patch: { revisionItems: items } });
    await notifyApplicant(tx, peer, 'revision_requested', `Application ${application.number} needs changes:\n${items.map((i) => `- ${i.message}`).join('\n')}`);
    return row;
  });
}

/** The applicant's approval must still be valid for any further step. */
export function requireApprovalValid(application: ApplicationRow, today: string): void {
  if (application.validThrough && today > application.validThrough) {
    throw new AppError('rule-violation', `The approval of application ${application.number} was valid through ${application.validThrough}; apply again.`, [], 'application.approval_expired');
  }
}

/** Staff accept the 80-hour training: it must be credited from an approved provider (roster or recorded completion). */
export async function verifyTraining(db: Db, input: { applicationId: string }, context: UseCaseContext): Promise<ApplicationRow> {
  const { application } = await loadForReview(db, input.applicationId, context);
  requireStatus(application, 'approved');
  requireApprovalValid(application, todayOf(context));
  if (application.pathway !== 'initial') throw new AppError('conflict', `A ${application.pathway} application does not need the 80-hour training.`);
  const training = summarizeTraining(await creditedCompletions(db, application.peerId));
  if (!training.coreCompletedOn) {
    throw new AppError('rule-violation', 'No core (80-hour) training from an approved provider is on record for this applicant.', [], 'training.core_missing');
  }
  return db.transaction((tx) => transitionApplication(tx, application, 'training_verified', context, { reason: `core training completed ${training.coreCompletedOn}` }));
}
