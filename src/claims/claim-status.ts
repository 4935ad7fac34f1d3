// The one way a claim's state changes: checked against the transition table, recorded in claim_state_changes and
// the audit log, in the caller's transaction.
import { sql } from 'drizzle-orm';
import { actorUserId, auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { arrayParam, queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';

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

export interface ClaimStateChange {
  id: string;
  controlNumber: string;
  from: ClaimState | 'new';
  to: ClaimState;
  reason: string;
}

/**
 * Many claims' changes at once — a batch built, a file written, a remittance posted — each checked against the table
 * and kept in claim_state_changes (who, when, from, to, why), set-based. The operation itself is audited once by the
 * caller, naming the batch or remittance: a million claims are not a million audit-chain links.
 */
export async function recordClaimStates(tx: Db, changes: readonly ClaimStateChange[], context: UseCaseContext): Promise<void> {
  if (changes.length === 0) return;
  for (const c of changes) if (!CLAIM_TRANSITIONS[c.from].includes(c.to)) throw new AppError('rule-violation', `Claim ${c.controlNumber} cannot go from ${c.from} to ${c.to}.`, [], 'claim.transition');
  const moved = changes.filter((c) => c.from !== 'new');
  const ids = (list: readonly ClaimStateChange[]) => arrayParam(list.map((c) => c.id), 'uuid');
  if (moved.length > 0) {
    await tx.execute(sql`update claims set state = m.to_state from unnest(${ids(moved)}, ${arrayParam(moved.map((c) => c.to), 'text')}) as m(id, to_state) where claims.id = m.id`);
  }
  await tx.execute(
    sql`insert into claim_state_changes (claim_id, from_state, to_state, reason, changed_by)
        select id, nullif(from_state, 'new'), to_state, reason, ${actorUserId(context.actor)}::uuid
        from unnest(${ids(changes)}, ${arrayParam(changes.map((c) => c.from), 'text')}, ${arrayParam(changes.map((c) => c.to), 'text')}, ${arrayParam(changes.map((c) => c.reason), 'text')}) as t(id, from_state, to_state, reason)`,
  );
}

/** All of a batch's claims in one state move to another (a file written), in two statements. */
export async function moveClaims(tx: Db, move: { batchId: string; from: ClaimState; to: ClaimState; reason: string }, context: UseCaseContext): Promise<number> {
  if (!CLAIM_TRANSITIONS[move.from].includes(move.to)) throw new AppError('rule-violation', `Claims cannot go from ${move.from} to ${move.to}.`, [], 'claim.transition');
  await tx.execute(
    sql`insert into claim_state_changes (claim_id, from_state, to_state, reason, changed_by)
        select id, state, ${move.to}, ${move.reason}, ${actorUserId(context.actor)}::uuid from claims where batch_id = ${move.batchId} and state = ${move.from}`,
  );
  const [moved] = await queryRows<{ n: number }>(tx, sql`with m as (update claims set state = ${move.to} where batch_id = ${move.batchId} and state = ${move.from} returning 1) select count(*)::int as n from m`);
  return moved?.n ?? 0;
}

/** One claim's change, audited on its own (a person acting on one claim). */
export async function recordClaimState(tx: Db, claim: { id: string; controlNumber: string; state: ClaimState | 'new' }, to: ClaimState, reason: string, context: UseCaseContext): Promise<void> {
  await recordClaimStates(tx, [{ id: claim.id, controlNumber: claim.controlNumber, from: claim.state, to, reason }], context);
  await recordAudit(tx, { ...auditContext(context), action: 'claim.state', entityType: 'claim', entityId: claim.controlNumber, changes: [{ field: 'state', before: claim.state === 'new' ? null : claim.state, after: to }], reason });
}
