// The roles a person (or an API token) can hold, how each may be scoped, and who is acting on a request.
// Roles are stored in `role_assignments` as text plus an optional county FIPS scope; `validateAssignment` is the
// one place that says which combinations are allowed, and `can()` (./can.ts) ignores any grant it rejects.
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';

export const ROLES = [
  'peer',
  'certification_staff',
  'enforcement_staff',
  'training_provider',
  'county_admin',
  'provider_staff',
  'supervisor',
  'dhcs_analyst',
  'system_admin',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = Object.freeze({
  peer: 'Applicant or certified peer support specialist: their own application, certification and training record.',
  certification_staff: 'Certifying entity staff: review applications, issue and renew certifications (statewide).',
  enforcement_staff: 'Certifying entity staff: complaints, investigations and disciplinary actions (statewide).',
  training_provider: 'Approved training provider: courses, rosters and completions.',
  county_admin: "County behavioral health plan administrator: their county's participation, provider staff and supervisors.",
  provider_staff: 'Staff of a provider organization: peers they employ, services and claims.',
  supervisor: 'Clinical or peer supervisor: supervises peers and signs off their services.',
  dhcs_analyst: 'DHCS analyst: county participation, program reports and the audit log (statewide).',
  system_admin: 'System administrator: accounts, roles, API tokens, outgoing email and the audit log (statewide).',
});

/**
 * How a role may be scoped:
 * - `county`: must name one county (a county administrator acts for their county's plan only);
 * - `optional-county`: a county or none (provider staff, supervisors), and optionally one provider organization of
 *   that county (`organizationId`): the grant then reaches that organization's members and services only;
 * - `none`: never scoped — statewide staff roles, and the peer and training-provider roles, which are about the
 *   person or organization itself rather than a county.
 */
export type RoleScope = 'county' | 'optional-county' | 'none';

export const ROLE_SCOPES: Readonly<Record<Role, RoleScope>> = Object.freeze({
  peer: 'none',
  certification_staff: 'none',
  enforcement_staff: 'none',
  training_provider: 'none',
  county_admin: 'county',
  provider_staff: 'optional-county',
  supervisor: 'optional-county',
  dhcs_analyst: 'none',
  system_admin: 'none',
});

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const COUNTY_FIPS: ReadonlySet<string> = new Set(CALIFORNIA_COUNTIES.map((c) => c.fips));

export function isRole(value: string): value is Role {
  return ROLE_SET.has(value);
}

/** Whether a role (as stored: any text) may be held with this county scope. Returns the reason it may not, or null. */
/** The roles an actor acts with (none when anonymous), as the request resolved them. */
export function rolesOf(actor: Actor): readonly RoleGrant[] {
  return actor.kind === 'anonymous' ? [] : actor.roles;
}

/** Roles that may be limited to one provider organization (its staff, its supervisors). */
export const ORGANIZATION_ROLES: readonly Role[] = ['provider_staff', 'supervisor'];

export function validateAssignment(role: string, countyFips: string | null, organizationId: string | null = null): string | null {
  if (!isRole(role)) return `Unknown role "${role}".`;
  if (countyFips !== null && !COUNTY_FIPS.has(countyFips)) return `"${countyFips}" is not the FIPS code of a California county.`;
  if (organizationId !== null) {
    if (!ORGANIZATION_ROLES.includes(role)) return `The role ${role} is not limited to an organization.`;
    // The organization's county is stored with the grant, so county administrators see and manage its staff.
    if (countyFips === null) return `A role limited to an organization also names the organization's county.`;
  }
  switch (ROLE_SCOPES[role]) {
    case 'county':
      return countyFips === null ? `The role ${role} must be limited to one county.` : null;
    case 'optional-county':
      return null;
    case 'none':
      return countyFips === null ? null : `The role ${role} is not limited to a county; leave the county empty.`;
  }
}

/** One role held, with its county scope (null: not limited to a county). */
export interface RoleGrant {
  role: Role;
  countyFips: string | null;
  /** A provider organization the grant is limited to (provider staff and supervisors); absent or null: none. */
  organizationId?: string | null;
}

/**
 * Who is acting. A signed-in person acts with the roles assigned to them; an API token acts with the roles it
 * carries and nothing else (not those of the person who created it).
 */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; roles: readonly RoleGrant[] }
  | { kind: 'token'; tokenId: string; createdBy: string; roles: readonly RoleGrant[] };

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

/**
 * Stored assignments (role text + scope) → the grants an actor holds. Rows with an unknown role or a scope the role
 * does not allow are dropped (deny by default) rather than trusted.
 */
export function toRoleGrants(rows: ReadonlyArray<{ role: string; countyFips: string | null; organizationId?: string | null }>): RoleGrant[] {
  return rows.flatMap((r) => {
    const organizationId = r.organizationId ?? null;
    if (validateAssignment(r.role, r.countyFips, organizationId) !== null) return [];
    return [{ role: r.role as Role, countyFips: r.countyFips, ...(organizationId ? { organizationId } : {}) }];
  });
}
