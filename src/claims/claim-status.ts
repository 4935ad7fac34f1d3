// The one way a claim's state changes: checked against the transition table, recorded in claim_state_changes and
// the audit log, in the caller's transaction.
import { eq } from 'drizzle-orm';
import { actorUserId, auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { claims, claimStateChanges } from './claims.schema.ts';

export const CLAIM_STATES = ['ready', 'held', 'submitted', 'accepted', 'paid', 'partly_paid', 'denied', 'voided', 'replaced'] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

export const CLAIM_TRANSITIONS: Readonly<Record<ClaimState | 'new', readonly ClaimState[]>> = {
  new: ['ready', 'held'],
  held: ['ready'],
  ready: ['held', 'submitted'],
  submitted: ['accepted', 'paid', 'partly_paid', 'denied'],
  accepted: ['paid', 'partly_paid', 'denied'],
  paid: ['voided', 'replaced', 'paid', 'partly_paid', 'denied'],
  partly_paid: ['voided', 'replaced', 'paid', 'partly_paid', 'denied'],
  denied: ['replaced', 'paid', 'partly_paid'],
  voided: [],
  replaced: [],
};

export async function recordClaimState(tx: Db, claim: { id: string; controlNumber: string; state: ClaimState | 'new' }, to: ClaimState, reason: string, context: UseCaseContext): Promise<void> {
  if (!CLAIM_TRANSITIONS[claim.state].includes(to)) throw new AppError('rule-violation', `Claim ${claim.controlNumber} cannot go from ${claim.state} to ${to}.`, [], 'claim.transition');
  if (claim.state !== 'new') await tx.update(claims).set({ state: to }).where(eq(claims.id, claim.id));
  await tx.insert(claimStateChanges).values({ claimId: claim.id, fromState: claim.state === 'new' ? null : claim.state, toState: to, reason, changedBy: actorUserId(context.actor) });
  await recordAudit(tx, { ...auditContext(context), action: 'claim.state', entityType: 'claim', entityId: claim.controlNumber, changes: [{ field: 'state', before: claim.state === 'new' ? null : claim.state, after: to }], reason });
}
