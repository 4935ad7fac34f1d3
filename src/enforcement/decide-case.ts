// Deciding a complaint (PROGRAM.md §10.4). An outcome that changes standing goes through the certification state
// machine with its effective dates: a suspension records "suspended" from its start and "active" from its end (so it
// lifts by itself, and every as-of answer already knows it will), a revocation "revoked". Probation is an overlay with
// dates, not a status: it ends by itself because it is read by date. About a training provider, the approvals in
// force are ended from the start date — courses stop crediting completions from then — and a suspension resumes them
// from its end. The complainant gets an electronic outcome notice.
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, auditContext, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { queueEmail } from '../accounts/outbox.ts';
import { transitionApplication } from '../certification/application-status.ts';
import { changeCertificationStatus } from '../certification/certification-status.ts';
import { applications } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { IsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { translator } from '../web/i18n.ts';
import { endApprovalWithin } from '../training/provider-approvals.ts';
import { providerApprovals } from '../training/training.schema.ts';
import { auditCase, lockCase, requireOpen, updateCase, type CaseRow } from './case-record.ts';
import { caseOutcomes } from './enforcement.schema.ts';
import { COMPLAINT_OUTCOMES, PEER_OUTCOMES, PROVIDER_OUTCOMES } from './enforcement.vocabulary.ts';

const blank = (v: unknown) => (v === '' ? undefined : v);

export const DecisionInput = z.object({
  outcome: z.enum(COMPLAINT_OUTCOMES, { message: 'Choose the outcome.' }),
  reason: z.string({ message: 'Give the reasons for the decision.' }).trim().min(1, 'Give the reasons for the decision.').max(20_000),
  terms: z.preprocess(blank, z.string().trim().max(5000).optional()),
  startsOn: z.preprocess(blank, IsoDate.optional()),
  endsOn: z.preprocess(blank, IsoDate.optional()),
  publicSummary: z.preprocess(blank, z.string().trim().max(500, 'Keep the public summary under 500 characters.').optional()),
});
export type DecisionInput = z.input<typeof DecisionInput>;

export type OutcomeRow = typeof caseOutcomes.$inferSelect;

function fieldError(path: string, message: string, code = 'enforcement.decision'): AppError {
  return new AppError('bad-request', message, [{ path, message }], code);
}

/** What each outcome needs, checked before anything is written. */
function checkDecision(c: CaseRow, d: z.infer<typeof DecisionInput>): void {
  const about = PEER_OUTCOMES.includes(d.outcome) ? 'peer' : PROVIDER_OUTCOMES.includes(d.outcome) ? 'provider' : 'any';
  if (d.outcome === 'warning' || d.outcome === 'corrective_action') {
    if (!c.subjectCertificationId && !c.subjectProviderId) throw fieldError('outcome', 'Link the case to the certification or provider it is about first.');
  } else if (about === 'peer' && !c.subjectCertificationId) throw fieldError('outcome', 'Link the case to the certification it is about first.');
  else if (about === 'provider' && !c.subjectProviderId) throw fieldError('outcome', 'Link the case to the training provider it is about first.');
  if (d.outcome === 'corrective_action' && !d.terms) throw fieldError('terms', 'Give the corrective action required.');
  const dated = ['probation', 'suspension', 'revocation', 'approval_suspension', 'approval_revocation'].includes(d.outcome);
  if (dated && !d.startsOn) throw fieldError('startsOn', 'Give the date the action takes effect.');
  const period = d.outcome === 'probation' || d.outcome === 'suspension' || d.outcome === 'approval_suspension';
  if (period && !d.endsOn) throw fieldError('endsOn', 'Give the date the action ends (the first day no longer under it).');
  if (period && d.startsOn && d.endsOn && d.endsOn <= d.startsOn) throw fieldError('endsOn', 'The end date comes after the start date.');
  if (d.outcome === 'probation' && !d.terms) throw fieldError('terms', 'Give the terms of probation.');
}

/** The reason a decision's status changes and application events carry: the case and the outcome. */
export function decisionReason(caseNumber: string, outcome: string): string {
  return `${caseNumber}: ${outcome.replace(/_/g, ' ')}`;
}

/** Decide a complaint: the outcome, its effects on status or approvals, the outcome notice — one transaction. */
export async function decideComplaint(db: Db, input: { caseId: string } & Record<string, unknown>, context: UseCaseContext): Promise<OutcomeRow> {
  requireCan(context, 'enforcement.decide', 'decide cases');
  const d = parseInput(DecisionInput, input, 'Check the decision.');
  const today = todayOf(context);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, input.caseId);
    requireOpen(c);
    if (c.type !== 'complaint') throw new AppError('bad-request', 'An appeal is decided as upheld or denied.');
    checkDecision(c, d);
    const reason = decisionReason(c.number, d.outcome);
    const statusChangeIds: string[] = [];
    const approvalIds: Array<{ ended: string; resumed: string | null }> = [];
    if (d.outcome === 'suspension') {
      const certificationId = c.subjectCertificationId!;
      statusChangeIds.push(await changeCertificationStatus(tx, { certificationId, to: 'suspended', effectiveOn: d.startsOn!, reasonCode: 'suspended', reason }, context));
      statusChangeIds.push(await changeCertificationStatus(tx, { certificationId, to: 'active', effectiveOn: d.endsOn!, reasonCode: 'suspension_ended', reason }, context));
    } else if (d.outcome === 'revocation') {
      statusChangeIds.push(await changeCertificationStatus(tx, { certificationId: c.subjectCertificationId!, to: 'revoked', effectiveOn: d.startsOn!, reasonCode: 'revoked', reason }, context));
    } else if (d.outcome === 'renewal_denial') {
      await denyPendingRenewal(tx, c, reason, context);
    } else if (d.outcome === 'approval_suspension' || d.outcome === 'approval_revocation') {
      approvalIds.push(...(await endApprovals(tx, c.subjectProviderId!, d.startsOn!, d.outcome === 'approval_suspension' ? d.endsOn! : null, reason, context)));
      if (approvalIds.length === 0) throw fieldError('startsOn', `The provider holds no approval in force on or after ${d.startsOn}.`);
    }
    const [outcome] = await tx
      .insert(caseOutcomes)
      .values({
        caseId: c.id,
        kind: d.outcome,
        reason: d.reason,
        terms: d.terms ?? null,
        startsOn: d.startsOn ?? (d.outcome === 'renewal_denial' || d.outcome === 'warning' || d.outcome === 'corrective_action' ? today : null),
        endsOn: d.endsOn ?? null,
        publicSummary: d.publicSummary ?? null,
        subjectPeerId: c.subjectPeerId,
        subjectCertificationId: c.subjectCertificationId,
        subjectProviderId: c.subjectProviderId,
        statusChangeIds,
        approvalIds,
        decidedBy: actorUserId(context.actor),
        decidedOn: today,
      })
      .returning();
    await closeWithNotice(tx, c, today, d.outcome);
    await auditCase(tx, context, 'enforcement.case.decide', c, [{ field: 'outcome', before: null, after: d.outcome }], d.reason.slice(0, 200));
    return outcome!;
  });
}

/** Mark the case decided and send the outcome notice, if there is an address to send it to. */
export async function closeWithNotice(tx: Db, c: CaseRow, today: string, outcome: string): Promise<void> {
  const email = c.complainantEmail;
  if (email) {
    const t = translator(c.locale === 'es' ? 'es' : 'en');
    const kind = t(`enforcement.outcome.${outcome}`, { defaultValue: outcome });
    await queueEmail(tx, {
      to: email,
      subject: t('enforcement.noticeEmail.subject', { number: c.number }),
      text: t(c.type === 'appeal' ? 'enforcement.noticeEmail.appealBody' : outcome === 'dismissed' ? 'enforcement.noticeEmail.dismissedBody' : 'enforcement.noticeEmail.body', { number: c.number, outcome: kind }),
    });
  }
  await updateCase(tx, c, { status: 'decided', decidedOn: today, outcomeNoticeSentOn: email ? today : null });
}

/** A renewal denial denies the peer's pending renewal application, if there is one. */
async function denyPendingRenewal(tx: Db, c: CaseRow, reason: string, context: UseCaseContext): Promise<void> {
  const pending = await tx
    .select()
    .from(applications)
    .where(and(eq(applications.peerId, c.subjectPeerId!), inArray(applications.pathway, ['renewal', 'reinstatement']), eq(applications.status, 'submitted')));
  for (const application of pending) await transitionApplication(tx, application, 'denied', context, { reason, patch: { decidedAt: new Date() } });
}

/**
 * End every approval of the provider still in force on or after `from` (an upcoming one from its own start); for a
 * suspension, each resumes as a new approval from `resumeOn` to its original end.
 */
async function endApprovals(tx: Db, providerId: string, from: string, resumeOn: string | null, reason: string, context: UseCaseContext) {
  const inForce = await tx
    .select()
    .from(providerApprovals)
    .where(and(eq(providerApprovals.providerId, providerId), gt(providerApprovals.approvedTo, from), isNull(providerApprovals.endedOn)));
  const ids: Array<{ ended: string; resumed: string | null }> = [];
  for (const approval of inForce) {
    const endedOn = approval.approvedFrom > from ? approval.approvedFrom : from;
    await endApprovalWithin(tx, { approvalId: approval.id, endedOn, reason }, context);
    let resumed: string | null = null;
    if (resumeOn !== null && resumeOn < approval.approvedTo) {
      const [row] = await tx
        .insert(providerApprovals)
        .values({
          providerId,
          trainingType: approval.trainingType,
          language: approval.language,
          approvedFrom: resumeOn > approval.approvedFrom ? resumeOn : approval.approvedFrom,
          approvedTo: approval.approvedTo,
          recordedBy: actorUserId(context.actor),
        })
        .returning({ id: providerApprovals.id });
      resumed = row!.id;
      await recordAudit(tx, {
        ...auditContext(context),
        action: 'training.approval.resume',
        entityType: 'provider_approval',
        entityId: resumed,
        changes: [{ field: 'approvedFrom', before: null, after: resumeOn }, { field: 'resumes', before: null, after: approval.id }],
        reason,
      });
    }
    ids.push({ ended: approval.id, resumed });
  }
  return ids;
}
