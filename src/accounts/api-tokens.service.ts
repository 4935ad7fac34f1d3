// API tokens for integrations: created by an administrator, shown once, stored as a SHA-256 hash, acting with the
// roles they carry (never more than their creator holds statewide), revocable. Every change is audited in the
// same transaction; the token itself never reaches the log.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { isRole, validateAssignment, type RoleGrant } from '../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';
import { apiTokens, users } from './accounts.schema.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { activeRoles, type AuditContext } from './users.service.ts';

/** What every token starts with, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'pss_';
export const TOKEN_NAME_MAX = 100;
/** More grants than there are roles can only be repeats. */
const MAX_GRANTS = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApiTokenInput {
  name: string;
  /** As received: validated here (unknown roles, a county where none belongs, a county administrator without one). */
  roles: ReadonlyArray<{ role: string; countyFips?: string | null | undefined; organizationId?: string | null | undefined }>;
}

export interface ApiTokenCreator {
  userId: string;
  /**
   * When the creator acts through a token: the roles that token carries. A token made by a token can then carry
   * only what both the person and the acting token hold.
   */
  roles?: readonly RoleGrant[] | undefined;
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  roles: RoleGrant[];
  createdBy: { id: string; email: string; displayName: string };
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > TOKEN_NAME_MAX) {
    const message = `Give the token a name of 1 to ${TOKEN_NAME_MAX} characters, saying what uses it.`;
    throw new AppError('bad-request', message, [{ path: 'name', message }]);
  }
  return trimmed;
}

/** The grants, validated and without repeats; a refusal names the grant at fault. */
function checkedGrants(roles: ApiTokenInput['roles']): RoleGrant[] {
  if (roles.length === 0 || roles.length > MAX_GRANTS) {
    const message = `Give the token at least one role (at most ${MAX_GRANTS}).`;
    throw new AppError('bad-request', message, [{ path: 'roles', message }]);
  }
  const grants: RoleGrant[] = [];
  const errors: FieldError[] = [];
  roles.forEach((r, i) => {
    const countyFips = r.countyFips === undefined || r.countyFips === '' ? null : r.countyFips;
    const organizationId = r.organizationId === undefined || r.organizationId === '' ? null : r.organizationId;
    const problem = validateAssignment(r.role, countyFips, organizationId);
    if (problem) {
      errors.push({ path: isRole(r.role) ? `roles.${i}.countyFips` : `roles.${i}.role`, message: problem });
    } else if (!grants.some((g) => g.role === r.role && g.countyFips === countyFips && (g.organizationId ?? null) === organizationId)) {
      grants.push({ role: r.role as RoleGrant['role'], countyFips, ...(organizationId ? { organizationId } : {}) });
    }
  });
  const [first] = errors;
  if (first) throw new AppError('bad-request', first.message, errors);
  return grants;
}

/**
 * Whether the creator may hand out this grant: a system administrator may grant anything; anyone else only roles
 * they hold statewide (then in any scope the role allows).
 */
function mayGrant(creatorRoles: readonly RoleGrant[], grant: RoleGrant): boolean {
  return creatorRoles.some((g) => g.countyFips === null && (g.role === 'system_admin' || g.role === grant.role));
}

/** The roles the creator acts with: the person's, narrowed to the acting token's when a token acts. */
async function creatorRoles(db: Db, creator: ApiTokenCreator): Promise<RoleGrant[]> {
  const personal = await activeRoles(db, creator.userId);
  if (creator.roles === undefined) return personal;
  const viaToken = creator.roles;
  return personal.filter((p) => viaToken.some((t) => t.role === p.role && t.countyFips === p.countyFips));
}

/** A grant limited to an organization names one that exists, with its own county. */
async function checkOrganizations(db: Db, grants: readonly RoleGrant[]): Promise<void> {
  for (const [i, g] of grants.entries()) {
    if (!g.organizationId) continue;
    const [org] = UUID.test(g.organizationId) ? await db.select({ countyFips: providerOrganizations.countyFips }).from(providerOrganizations).where(eq(providerOrganizations.id, g.organizationId)) : [];
    if (!org || org.countyFips !== g.countyFips) {
      const message = org ? 'The county must be the organization’s own county.' : 'There is no such provider organization.';
      throw new AppError('bad-request', message, [{ path: `roles.${i}.organizationId`, message }]);
    }
  }
}

/** A new token. The secret is returned here once and never again: only its hash is kept. */
export async function createApiToken(db: Db, input: ApiTokenInput, creator: ApiTokenCreator, ctx: AuditContext): Promise<{ id: string; token: string }> {
  const name = checkedName(input.name);
  const grants = checkedGrants(input.roles);
  const held = await creatorRoles(db, creator);
  const refused = grants.filter((g) => !mayGrant(held, g));
  if (refused.length > 0) {
    throw new AppError(
      'forbidden',
      `A token cannot carry a role you do not hold statewide: ${refused.map((g) => g.role).join(', ')}.`,
      refused.map((g) => ({ path: 'roles', message: `You do not hold ${g.role} statewide.` })),
    );
  }
  await checkOrganizations(db, grants);
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ name, tokenHash: hashSecret(token), roles: grants, createdBy: creator.userId })
      .returning({ id: apiTokens.id });
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, {
      ...ctx,
      action: 'api_token.create',
      entityType: 'api_token',
      entityId: row.id,
      changes: [
        { field: 'name', before: null, after: name },
        { field: 'roles', before: null, after: grants },
      ],
    });
    return { id: row.id, token };
  });
}

/** Every token, newest first, with who made it and when it was last used; never the secret or its hash. */
export async function listApiTokens(db: Db): Promise<ApiTokenSummary[]> {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      roles: apiTokens.roles,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      creatorId: users.id,
      creatorEmail: users.email,
      creatorName: users.displayName,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt), apiTokens.id);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    // Stored grants are shown as they are, even one a later rule would refuse (can() ignores those).
    roles: r.roles.map((g) => ({ role: g.role as RoleGrant['role'], countyFips: g.countyFips })),
    createdBy: { id: r.creatorId, email: r.creatorEmail, displayName: r.creatorName },
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  }));
}

/**
 * Revoke a token: it stops working on the next request. Revoking a revoked token changes nothing (and is not
 * recorded again); an unknown id is a 404. Returns the token's name.
 */
export async function revokeApiToken(db: Db, id: string, ctx: AuditContext, now = new Date()): Promise<{ name: string; alreadyRevoked: boolean }> {
  if (!UUID.test(id)) throw new AppError('not-found', 'There is no API token with this id.');
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ name: apiTokens.name });
    if (!revoked) {
      const [existing] = await tx.select({ name: apiTokens.name }).from(apiTokens).where(eq(apiTokens.id, id));
      if (!existing) throw new AppError('not-found', 'There is no API token with this id.');
      return { name: existing.name, alreadyRevoked: true };
    }
    await recordAudit(tx, {
      ...ctx,
      action: 'api_token.revoke',
      entityType: 'api_token',
      entityId: id,
      changes: [{ field: 'revokedAt', before: null, after: now.toISOString() }],
    });
    return { name: revoked.name, alreadyRevoked: false };
  });
}
