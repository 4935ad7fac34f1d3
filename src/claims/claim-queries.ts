// Reading claims for billing staff: claims by state with filters, one claim with its lines, edits and history,
// and denials by reason — within the organizations the actor may read claims of.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { UseCaseContext } from '../access/context.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import { queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { organizationsInScope, reachOrganization } from '../organizations/organization-access.ts';
import { CLAIM_STATES } from './claim-status.ts';
import { claimLines, claims, claimStateChanges } from './claims.schema.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const ClaimFilter = z.object({
  organizationId: z.preprocess(blank, z.string().uuid().optional()),
  batchId: z.preprocess(blank, z.string().uuid().optional()),
  state: z.preprocess(blank, z.enum(CLAIM_STATES).optional()),
  page: z.preprocess((v) => (blank(v) === undefined ? 1 : Number(v)), z.number().int().min(1).max(10_000)),
});
export const CLAIMS_PAGE_SIZE = 50;

async function claimScope(db: Db, context: UseCaseContext, organizationId: string | undefined): Promise<'all' | string[]> {
  if (organizationId) {
    await reachOrganization(db, organizationId, 'claims.read', context, 'see this organization’s claims');
    return [organizationId];
  }
  return organizationsInScope(db, 'claims.read', context, { peerWork: false });
}

export async function listClaims(db: Db, input: unknown, context: UseCaseContext) {
  const filter = parseInput(ClaimFilter, input, 'Check the filters.');
  const scope = await claimScope(db, context, filter.organizationId);
  if (scope !== 'all' && scope.length === 0) return { rows: [], total: 0, page: filter.page, pageSize: CLAIMS_PAGE_SIZE };
  const rows = await db
    .select({
      id: claims.id,
      controlNumber: claims.controlNumber,
      batchId: claims.batchId,
      serviceDate: claims.serviceDate,
      deliverySystem: claims.deliverySystem,
      state: claims.state,
      frequency: claims.frequency,
      totalCents: claims.totalCents,
      paidCents: claims.paidCents,
      edits: claims.edits,
      memberName: sql<string>`${beneficiaries.firstName} || ' ' || ${beneficiaries.lastName}`,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(claims)
    .innerJoin(beneficiaries, eq(beneficiaries.id, claims.beneficiaryId))
    .where(and(scope === 'all' ? undefined : inArray(claims.organizationId, scope), filter.batchId ? eq(claims.batchId, filter.batchId) : undefined, filter.state ? eq(claims.state, filter.state) : undefined))
    .orderBy(desc(claims.serviceDate), asc(claims.controlNumber))
    .limit(CLAIMS_PAGE_SIZE)
    .offset((filter.page - 1) * CLAIMS_PAGE_SIZE);
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0, page: filter.page, pageSize: CLAIMS_PAGE_SIZE };
}

/** A claim and its organization, if the actor may act on it; one out of reach is not found, like one that does not exist. */
export async function reachClaim(db: Db, claimId: string, action: 'claims.read' | 'claims.manage', context: UseCaseContext) {
  const [claim] = /^[0-9a-f-]{36}$/i.test(claimId) ? await db.select().from(claims).where(eq(claims.id, claimId)) : [];
  if (!claim) throw new AppError('not-found', 'There is no such claim.');
  try {
    const { org } = await reachOrganization(db, claim.organizationId, action, context, 'act on this claim');
    return { claim, org };
  } catch (err) {
    if (err instanceof AppError && err.status === 403) throw new AppError('not-found', 'There is no such claim.');
    throw err;
  }
}

export async function getClaim(db: Db, claimId: string, context: UseCaseContext) {
  const { claim } = await reachClaim(db, claimId, 'claims.read', context);
  const lines = await db.select().from(claimLines).where(eq(claimLines.claimId, claim.id)).orderBy(asc(claimLines.lineNumber));
  const history = await db.select().from(claimStateChanges).where(eq(claimStateChanges.claimId, claim.id)).orderBy(asc(claimStateChanges.id));
  const [member] = await db.select({ firstName: beneficiaries.firstName, lastName: beneficiaries.lastName }).from(beneficiaries).where(eq(beneficiaries.id, claim.beneficiaryId));
  // The claim it corrects, and the voids or replacements made of it.
  const related = { id: claims.id, controlNumber: claims.controlNumber, frequency: claims.frequency, state: claims.state };
  const [replaces] = claim.replacesClaimId ? await db.select(related).from(claims).where(eq(claims.id, claim.replacesClaimId)) : [];
  const correctedBy = await db.select(related).from(claims).where(eq(claims.replacesClaimId, claim.id)).orderBy(asc(claims.createdAt));
  return { claim, lines, history, member: member!, replaces: replaces ?? null, correctedBy };
}

/** Denied and adjusted amounts by CAS group and reason code, from posted remittances. */
export async function denialsByReason(db: Db, input: { organizationId?: string }, context: UseCaseContext) {
  const scope = await claimScope(db, context, input.organizationId);
  if (scope !== 'all' && scope.length === 0) return [];
  return queryRows<{ group_code: string; reason_code: string; lines: number; cents: number }>(
    db,
    sql`select a->>'group' as group_code, a->>'reason' as reason_code, count(*)::int as lines, sum((a->>'cents')::int)::float8 as cents
        from claim_lines l join claims c on c.id = l.claim_id, jsonb_array_elements(l.adjustments) a
        ${scope === 'all' ? sql`` : sql`where c.organization_id in ${scope}`}
        group by 1, 2 order by cents desc`,
  );
}
