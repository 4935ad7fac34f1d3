// Appeals (PROGRAM.md §10.3), with the same clocks as complaints. A peer appeals a suspension, revocation or renewal
// denial about them, or the denial of their application; a training provider appeals a suspension or revocation of
// its approval, or a denial or non-renewal decided outside this platform (described). Staff enter appeals received
// by mail. Upheld, the appealed action is reversed from its effective date: the status changes it made are undone
// (the history keeps both rows), ended approvals are restored, a denied application returns to review.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, auditContext, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { can } from '../access/can.ts';
import { users } from '../accounts/accounts.schema.ts';
import { queueEmail } from '../accounts/outbox.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { transitionApplication } from '../certification/application-status.ts';
import { reverseStatusChanges } from '../certification/certification-status.ts';
import { applicationEvents, applications, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { IsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { memberProviderIds } from '../training/provider-access.ts';
import { endApprovalWithin } from '../training/provider-approvals.ts';
import { providerApprovals } from '../training/training.schema.ts';
import { auditCase, clocksOnReceipt, lockCase, nextCaseNumber, providerExists, requireOpen, type CaseRow } from './case-record.ts';
import { closeWithNotice, decisionReason } from './decide-case.ts';
import { caseOutcomes, enforcementCases } from './enforcement.schema.ts';
import { APPEAL_OUTCOMES, PEER_APPEALABLE, PROVIDER_APPEALABLE, PROVIDER_DECISIONS, STAFF_CHANNELS } from './enforcement.vocabulary.ts';
import { acknowledgementEmail } from './file-complaint.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const AppealInput = z.object({
  outcomeId: z.preprocess(blank, z.string().uuid().optional()),
  applicationId: z.preprocess(blank, z.string().uuid().optional()),
  decision: z.preprocess(blank, z.enum(PROVIDER_DECISIONS).optional()),
  providerId: z.preprocess(blank, z.string().uuid().optional()),
  grounds: z.string({ message: 'Give the grounds of the appeal.' }).trim().min(20, 'Give the grounds of the appeal, in at least 20 characters.').max(10_000),
  locale: z.enum(['en', 'es']).default('en'),
  // Staff entry: how it arrived, when, and who appeals.
  channel: z.preprocess(blank, z.enum(STAFF_CHANNELS).optional()),
  receivedOn: z.preprocess(blank, IsoDate.optional()),
  name: z.preprocess(blank, z.string().trim().max(200).optional()),
  email: z.preprocess(blank, z.string().trim().email('Enter an email address.').max(254).optional()),
});

type Appealed = Pick<CaseRow, 'kind' | 'subjectPeerId' | 'subjectCertificationId' | 'subjectProviderId' | 'appealedOutcomeId' | 'appealedApplicationId' | 'appealedDecision'> & { ownerUserIds: string[]; providerId: string | null };

const notAppealable = () => new AppError('not-found', 'There is no such decision you may appeal.');

/** What is appealed, and who may appeal it (the peer's account, or the provider's members, checked by the caller). */
async function appealedTarget(db: Db, data: z.infer<typeof AppealInput>): Promise<Appealed> {
  if (data.outcomeId) {
    const [o] = await db.select().from(caseOutcomes).where(eq(caseOutcomes.id, data.outcomeId));
    if (!o || o.reversedByCaseId) throw notAppealable();
    if (PEER_APPEALABLE.includes(o.kind as never)) {
      const [peer] = await db.select({ userId: peers.userId }).from(peers).where(eq(peers.id, o.subjectPeerId!));
      return base({ kind: 'peer', subjectPeerId: o.subjectPeerId, subjectCertificationId: o.subjectCertificationId, appealedOutcomeId: o.id }, peer?.userId ? [peer.userId] : [], null);
    }
    if (PROVIDER_APPEALABLE.includes(o.kind as never)) return base({ kind: 'training_provider', subjectProviderId: o.subjectProviderId, appealedOutcomeId: o.id }, [], o.subjectProviderId);
    throw notAppealable();
  }
  if (data.applicationId) {
    const [app] = await db.select({ id: applications.id, status: applications.status, peerId: applications.peerId, userId: peers.userId }).from(applications).innerJoin(peers, eq(peers.id, applications.peerId)).where(eq(applications.id, data.applicationId));
    if (!app || app.status !== 'denied') throw notAppealable();
    return base({ kind: 'peer', subjectPeerId: app.peerId, appealedApplicationId: app.id }, app.userId ? [app.userId] : [], null);
  }
  if (data.decision && data.providerId && (await providerExists(db, data.providerId))) {
    return base({ kind: 'training_provider', subjectProviderId: data.providerId, appealedDecision: data.decision }, [], data.providerId);
  }
  throw new AppError('bad-request', 'Say which decision is appealed.', [{ path: 'outcomeId', message: 'Choose the decision you appeal.' }]);
}

function base(fields: Partial<Appealed> & Pick<Appealed, 'kind'>, ownerUserIds: string[], providerId: string | null): Appealed {
  return { subjectPeerId: null, subjectCertificationId: null, subjectProviderId: null, appealedOutcomeId: null, appealedApplicationId: null, appealedDecision: null, ...fields, ownerUserIds, providerId };
}

export async function fileAppeal(db: Db, input: unknown, context: UseCaseContext): Promise<{ id: string; number: string }> {
  requireCan(context, 'appeals.file', 'file appeals', { userId: context.actor.kind === 'user' ? context.actor.userId : '' });
  const data = parseInput(AppealInput, input, 'Check the appeal.');
  const today = todayOf(context);
  const staff = can(context.actor, 'enforcement.cases.manage');
  const target = await appealedTarget(db, data);
  const actorId = actorUserId(context.actor);
  const own = actorId !== null && (target.ownerUserIds.includes(actorId) || (target.providerId !== null && (await memberProviderIds(db, context.actor)).includes(target.providerId)));
  // Someone else's decision is not theirs to see, let alone appeal.
  if (!own && !staff) throw notAppealable();
  const staffEntry = !own;
  if (staffEntry && !data.channel) throw new AppError('bad-request', 'Say how the appeal arrived.', [{ path: 'channel', message: 'Say how the appeal arrived.' }]);
  const receivedOn = (staffEntry && data.receivedOn) || today;
  if (receivedOn > today) throw new AppError('bad-request', 'The date received cannot be in the future.', [{ path: 'receivedOn', message: 'The date received cannot be in the future.' }]);
  // One open appeal per decision recorded here; a decision described by a provider has no record to share.
  const open = target.appealedDecision
    ? []
    : await db
        .select({ number: enforcementCases.number })
        .from(enforcementCases)
        .where(
          and(
            eq(enforcementCases.type, 'appeal'),
            eq(enforcementCases.status, 'open'),
            target.appealedOutcomeId ? eq(enforcementCases.appealedOutcomeId, target.appealedOutcomeId) : eq(enforcementCases.appealedApplicationId, target.appealedApplicationId!),
          ),
        );
  if (open[0]) throw new AppError('conflict', `Appeal ${open[0].number} of this decision is already open.`, [], 'enforcement.appeal_open');
  const [account] = !staffEntry && actorId ? await db.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, actorId)) : [];
  const email = account?.email ?? data.email ?? null;
  const clocks = await clocksOnReceipt(db, receivedOn);
  const appealed = { kind: target.kind, subjectPeerId: target.subjectPeerId, subjectCertificationId: target.subjectCertificationId, subjectProviderId: target.subjectProviderId, appealedOutcomeId: target.appealedOutcomeId, appealedApplicationId: target.appealedApplicationId, appealedDecision: target.appealedDecision };
  return db.transaction(async (tx) => {
    const number = await nextCaseNumber(tx, 'appeal', receivedOn);
    const [row] = await tx
      .insert(enforcementCases)
      .values({
        ...appealed,
        number,
        type: 'appeal',
        channel: staffEntry ? data.channel! : 'portal',
        receivedOn,
        complainantUserId: staffEntry ? null : actorId,
        complainantName: account?.name ?? data.name ?? null,
        complainantEmail: email,
        locale: data.locale,
        narrative: data.grounds,
        acknowledgeBy: clocks.acknowledgeBy,
        decideBy: clocks.decideBy,
        ...(!staffEntry && email ? { acknowledgedOn: today, acknowledgedHow: 'automatic' } : {}),
        createdBy: actorId,
      })
      .returning();
    if (!staffEntry && email) await queueEmail(tx, acknowledgementEmail(row!, email, data.locale));
    await auditCase(tx, context, 'enforcement.appeal.file', row!, [{ field: 'appeals', before: null, after: target.appealedOutcomeId ?? target.appealedApplicationId ?? target.appealedDecision }]);
    return { id: row!.id, number };
  });
}

const AppealDecision = z.object({
  outcome: z.enum(APPEAL_OUTCOMES, { message: 'Choose upheld or denied.' }),
  reason: z.string({ message: 'Give the reasons for the decision.' }).trim().min(1, 'Give the reasons for the decision.').max(20_000),
});

/** Decide an appeal: upheld reverses the appealed action from its effective date; denied leaves it standing. */
export async function decideAppeal(db: Db, input: { caseId: string; outcome: unknown; reason: unknown }, context: UseCaseContext) {
  requireCan(context, 'enforcement.decide', 'decide appeals');
  const { outcome, reason } = parseInput(AppealDecision, input, 'Check the decision.');
  const today = todayOf(context);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, input.caseId);
    requireOpen(c);
    if (c.type !== 'appeal') throw new AppError('bad-request', 'Only an appeal is upheld or denied.');
    const statusChangeIds: string[] = [];
    if (outcome === 'upheld') statusChangeIds.push(...(await reverseAppealed(tx, c, context, today)));
    const [row] = await tx
      .insert(caseOutcomes)
      .values({
        caseId: c.id,
        kind: outcome,
        reason,
        subjectPeerId: c.subjectPeerId,
        subjectCertificationId: c.subjectCertificationId,
        subjectProviderId: c.subjectProviderId,
        statusChangeIds,
        decidedBy: actorUserId(context.actor),
        decidedOn: today,
      })
      .returning();
    await closeWithNotice(tx, c, today, outcome);
    await auditCase(tx, context, 'enforcement.appeal.decide', c, [{ field: 'outcome', before: null, after: outcome }], reason.slice(0, 200));
    return row!;
  });
}

/** Undo what the appealed decision did, from its own dates. Returns the status changes that undid it. */
async function reverseAppealed(tx: Db, c: CaseRow, context: UseCaseContext, today: string): Promise<string[]> {
  const why = `${c.number}: appeal upheld`;
  if (c.appealedApplicationId) {
    const [app] = await tx.select().from(applications).where(eq(applications.id, c.appealedApplicationId)).for('update');
    if (app) await transitionApplication(tx, app, 'submitted', context, { reason: why });
    return [];
  }
  if (!c.appealedOutcomeId) return []; // a decision made outside the platform: nothing recorded here to reverse
  const [appealed] = await tx.select().from(caseOutcomes).where(eq(caseOutcomes.id, c.appealedOutcomeId)).for('update');
  if (!appealed) return [];
  if (appealed.reversedByCaseId) throw new AppError('conflict', 'That decision was already reversed.');
  const undone = await reverseStatusChanges(tx, appealed.statusChangeIds, { reasonCode: 'appeal_upheld', reason: why }, context);
  for (const { ended, resumed } of appealed.approvalIds) {
    await tx.update(providerApprovals).set({ endedOn: null, endReason: null }).where(eq(providerApprovals.id, ended));
    await recordAudit(tx, { ...auditContext(context), action: 'training.approval.restore', entityType: 'provider_approval', entityId: ended, changes: [{ field: 'endedOn', before: 'ended', after: null }], reason: why });
    if (resumed) {
      const [r] = await tx.select().from(providerApprovals).where(eq(providerApprovals.id, resumed));
      if (r && r.endedOn === null) await endApprovalWithin(tx, { approvalId: resumed, endedOn: r.approvedFrom, reason: `${why}: the original approval is restored` }, context);
    }
  }
  if (appealed.kind === 'renewal_denial') {
    // The renewal applications that denial denied go back to review.
    const denied = await tx
      .selectDistinct({ id: applicationEvents.applicationId })
      .from(applicationEvents)
      .where(and(eq(applicationEvents.toStatus, 'denied'), eq(applicationEvents.reason, decisionReason((await caseNumberOf(tx, appealed.caseId)) ?? '', appealed.kind))));
    for (const { id } of denied) {
      const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
      if (app?.status === 'denied') await transitionApplication(tx, app, 'submitted', context, { reason: why });
    }
  }
  await tx.update(caseOutcomes).set({ reversedByCaseId: c.id, reversedOn: today }).where(eq(caseOutcomes.id, appealed.id));
  return undone;
}

async function caseNumberOf(tx: Db, caseId: string): Promise<string | undefined> {
  const [row] = await tx.select({ number: enforcementCases.number }).from(enforcementCases).where(eq(enforcementCases.id, caseId));
  return row?.number;
}
