// Voids and replacements of a claim the payer has adjudicated (frequency 8 and 7, REF*F8 naming the payer's claim
// control number from the 835's CLP07). Either makes a new claim in a batch of its own — the void with the
// original's lines as sent, the replacement rebuilt from the services as they stand now with every edit run
// again — and marks the original voided or replaced, each transition audited. One transaction.
import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import { todayOf, type UseCaseContext } from '../access/context.ts';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import { arrayParam, queryRows, type Db } from '../db/client.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { buildTools, claimsForServices, writeClaims, type ClaimToWrite } from './build-claims.ts';
import { CLAIM_TRANSITIONS, recordClaimState, type ClaimState } from './claim-status.ts';
import { claimBatches, claimLines } from './claims.schema.ts';
import { reachClaim } from './claim-queries.ts';

export const CorrectionInput = z.object({ reason: z.string().trim().min(1, 'Say why the claim is corrected.').max(500) });

export type Correction = 'void' | 'replace';
const TARGET: Record<Correction, ClaimState> = { void: 'voided', replace: 'replaced' };
const FREQUENCY: Record<Correction, '7' | '8'> = { void: '8', replace: '7' };

/** Whether a claim in this state, with or without the payer's number, can be voided or replaced — for pages too. */
export function correctionRefusal(kind: Correction, claim: { state: string; payerControlNumber: string | null }): string | null {
  if (!CLAIM_TRANSITIONS[claim.state as ClaimState]?.includes(TARGET[kind])) {
    return kind === 'void' ? `A ${claim.state.replace('_', ' ')} claim cannot be voided: only a paid or partly paid one.` : `A ${claim.state.replace('_', ' ')} claim cannot be replaced: only one the payer has paid or denied.`;
  }
  if (!claim.payerControlNumber) return 'The payer’s claim control number (CLP07 of its 835) is not on record, and a void or replacement must name it (REF*F8).';
  return null;
}

export async function correctClaim(db: Db, eligibility: EligibilityChecker, kind: Correction, claimId: string, input: unknown, context: UseCaseContext) {
  const { reason } = parseInput(CorrectionInput, input, 'Say why the claim is corrected.');
  const { claim: original, org } = await reachClaim(db, claimId, 'claims.manage', context);
  const refusal = correctionRefusal(kind, original);
  if (refusal) throw new AppError('rule-violation', refusal, [], `claims.${kind}_refused`);
  return db.transaction(async (tx) => {
    const tools = await buildTools(tx, org, todayOf(context));
    const lines = await tx.select().from(claimLines).where(eq(claimLines.claimId, original.id)).orderBy(claimLines.lineNumber);
    const shape = { memberId: original.beneficiaryId, serviceDate: original.serviceDate, deliverySystem: original.deliverySystem, placeOfService: original.placeOfService };
    let pending: ClaimToWrite;
    if (kind === 'void') {
      // A void repeats what was sent; the services' rules are not asked again, it only takes the claim back.
      pending = {
        ...shape,
        judged: false,
        lines: lines.map((l) => ({ lineNumber: l.lineNumber, encounterId: l.encounterId, procedureCode: l.procedureCode, modifiers: l.modifiers, units: l.units, rateCents: l.rateCents, startTime: null, renderingNpi: l.renderingNpi, taxonomy: null, diagnosisCode: null, serviceFailures: [], openFlags: 0 })),
      };
    } else {
      const services = await tx.select().from(encounters).where(sql`${encounters.id} = any(${arrayParam(lines.map((l) => l.encounterId), 'uuid')})`).orderBy(encounters.startTime, encounters.id);
      const [rebuilt] = await claimsForServices(tx, eligibility, org, services.map((service) => ({ service, memberIds: [original.beneficiaryId] })), tools);
      pending = { ...shape, lines: rebuilt!.lines };
    }
    const [batch] = await tx.insert(claimBatches).values({ organizationId: org.id, periodFrom: original.serviceDate, periodTo: original.serviceDate, builtOn: tools.buildDate, builtBy: context.actor.kind === 'user' ? context.actor.userId : null }).returning();
    const written = await writeClaims(
      tx,
      batch!.id,
      org,
      [{ ...pending, frequency: FREQUENCY[kind], replacesClaimId: original.id, payerControlNumber: original.payerControlNumber }],
      tools.limits,
      (held, n) => `${kind === 'void' ? 'void' : 'replacement'} of ${original.controlNumber}${held ? `, held by ${n} edit(s)` : ''}: ${reason}`,
      context,
    );
    await recordClaimState(tx, { id: original.id, controlNumber: original.controlNumber, state: original.state as ClaimState }, TARGET[kind], reason, context);
    const [made] = await queryRows<{ id: string; control_number: string; state: string }>(tx, sql`select id, control_number, state from claims where id = ${written.claimIds[0]!}::uuid`);
    return { batchId: batch!.id, claimId: made!.id, controlNumber: made!.control_number, state: made!.state };
  });
}
