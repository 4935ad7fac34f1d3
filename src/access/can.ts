// Who may do what: one pure function, deny by default, decided from a table of rules per action.
//
// - `can(actor, action, resource?)` — may this actor do this action (to this resource)? Use cases call it before
//   acting. A county-scoped grant only ever allows a resource that names its county, so leaving the resource out
//   asks "for anything at all" and only statewide grants answer yes.
// - `scopeCounties(actor, action)` — the counties whose records the actor may act on: `'all'`, or a list of FIPS
//   codes (`[]`: none). List queries filter on it.
// - `canAny(actor, action)` — is there any resource at all this actor may do it to? The route-level gate for a list
//   or a form before the resource is known (a county administrator reaching the user list of their county).
//
// A token actor is judged by the roles its token carries only. Grants that `validateAssignment` rejects (an unknown
// role, a county administrator without a county, a statewide role limited to a county) are ignored.
import { type Actor, type Role, type RoleGrant, validateAssignment } from './roles.ts';

export const ACTIONS = [
  'counties.read',
  'counties.participation.edit',
  'users.list',
  'users.create',
  'users.invite',
  'users.deactivate',
  'users.reset',
  'users.roles.grant',
  'users.roles.revoke',
  'users.self',
  'tokens.manage',
  'outbox.read',
  'audit.read',
  'audit.export',
  'rules.read',
  'rules.edit',
  'certification.apply',
  'applications.read',
  'applications.review',
  'documents.read',
  'fees.settle',
  'fees.report',
  'exams.record',
  'certifications.read',
  'certifications.status.change',
  'certifications.import',
  'training.providers.manage',
  'training.courses.manage',
  'training.rosters.upload',
  'training.completions.record',
  'training.read',
  'jobs.manage',
  'alerts.watch',
  'alerts.webhook',
  'complaints.file',
  'enforcement.cases.read',
  'enforcement.cases.manage',
  'enforcement.decide',
  'appeals.file',
  'organizations.manage',
  'organizations.read',
  'beneficiaries.read',
  'beneficiaries.manage',
  'encounters.read',
  'encounters.document',
  'encounters.cosign',
  'claims.rates.manage',
  'claims.read',
  'claims.manage',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * What an action is done to, as far as access depends on it.
 * - `countyFips`: the county the record belongs to (null: not a county's record);
 * - `role`: for the `users.*` actions, the role being granted, revoked, listed or invited with;
 * - `userId`: for `users.self`, whose account.
 */
export interface Resource {
  countyFips?: string | null;
  /** The provider organization the record belongs to (members, encounters, the organization itself). */
  organizationId?: string | null;
  role?: string;
  userId?: string;
}

/** A grant of `role` limited to county C allows the action on resources of county C (and, if `resourceRoles` is set, only about those roles). */
interface CountyRule {
  role: Role;
  resourceRoles?: readonly Role[];
}

interface Rule {
  /** Everyone, signed in or not. */
  anyone?: true;
  /** A signed-in person on their own account (resource `{ userId }`); never a token. */
  self?: true;
  /** A signed-in person on their own record (resource `{ userId }`) while holding one of these roles, in any scope; never a token. */
  ownWith?: readonly Role[];
  /** Roles that allow the action on every resource. */
  statewide?: readonly Role[];
  /** Roles that allow it within the county their grant names. */
  county?: readonly CountyRule[];
  /** Roles that allow it within the provider organization their grant names (resource `{ organizationId }`). */
  organization?: readonly Role[];
}

/** A county administrator manages the people working in their county's program, nobody else. */
const COUNTY_ADMIN_MANAGES: readonly Role[] = ['provider_staff', 'supervisor'];
const countyAdminOverStaff: CountyRule = { role: 'county_admin', resourceRoles: COUNTY_ADMIN_MANAGES };
/** Who keeps a watch list of certification numbers: employers (provider staff, supervisors), counties, DHCS. */
const ALERT_WATCHERS: readonly Role[] = ['provider_staff', 'supervisor', 'county_admin', 'dhcs_analyst'];

export const RULES: Readonly<Record<Action, Rule>> = {
  'counties.read': { anyone: true },
  'counties.participation.edit': { statewide: ['dhcs_analyst', 'system_admin'] },
  'users.list': { statewide: ['system_admin'], county: [countyAdminOverStaff] },
  'users.create': { statewide: ['system_admin'] },
  'users.invite': { statewide: ['system_admin'], county: [countyAdminOverStaff] },
  'users.deactivate': { statewide: ['system_admin'] },
  'users.reset': { statewide: ['system_admin'] },
  'users.roles.grant': { statewide: ['system_admin'], county: [countyAdminOverStaff] },
  'users.roles.revoke': { statewide: ['system_admin'], county: [countyAdminOverStaff] },
  'users.self': { self: true },
  'tokens.manage': { statewide: ['system_admin'] },
  'outbox.read': { statewide: ['system_admin'] },
  'audit.read': { statewide: ['system_admin', 'dhcs_analyst'] },
  'audit.export': { statewide: ['system_admin', 'dhcs_analyst'] },
  // Certification (src/certification/, src/rules/): applicants act on their own record; certifying staff on all.
  'rules.read': { statewide: ['certification_staff', 'enforcement_staff', 'dhcs_analyst', 'system_admin'] },
  'rules.edit': { statewide: ['certification_staff', 'system_admin'] },
  'certification.apply': { self: true },
  'applications.read': { self: true, statewide: ['certification_staff'] },
  'applications.review': { statewide: ['certification_staff'] },
  'documents.read': { self: true, statewide: ['certification_staff'] },
  'fees.settle': { statewide: ['certification_staff'] },
  'fees.report': { statewide: ['certification_staff', 'dhcs_analyst'] },
  'exams.record': { statewide: ['certification_staff'] },
  'certifications.read': { self: true, statewide: ['certification_staff', 'enforcement_staff'] },
  'certifications.status.change': { statewide: ['certification_staff'] },
  'certifications.import': { statewide: ['certification_staff', 'system_admin'] },
  // Training (src/training/): staff approve providers; a provider's own people (membership checked by the use case)
  // manage its courses and upload its rosters.
  'training.providers.manage': { statewide: ['certification_staff'] },
  'training.courses.manage': { statewide: ['certification_staff', 'training_provider'] },
  'training.rosters.upload': { statewide: ['certification_staff', 'training_provider'] },
  'training.completions.record': { statewide: ['certification_staff'] },
  'training.read': { statewide: ['certification_staff', 'training_provider', 'enforcement_staff'] },
  'jobs.manage': { statewide: ['system_admin'] },
  // Certification status alerts (src/alerts/): employers, counties and DHCS analysts keep their own watch list and
  // webhook. The numbers watched are public; the list and its deliveries are the person's own, nobody else's.
  'alerts.watch': { ownWith: ALERT_WATCHERS },
  'alerts.webhook': { ownWith: ALERT_WATCHERS },
  // Enforcement (src/enforcement/): anyone may complain; only enforcement staff work cases, and administrators may
  // read them. A person appeals an action about themselves (or their training provider: membership checked by the
  // use case); staff enter appeals received by mail.
  'complaints.file': { anyone: true },
  'enforcement.cases.read': { statewide: ['enforcement_staff', 'system_admin'] },
  'enforcement.cases.manage': { statewide: ['enforcement_staff'] },
  'enforcement.decide': { statewide: ['enforcement_staff'] },
  'appeals.file': { self: true, statewide: ['enforcement_staff'] },
  // Provider organizations and the people at work in them (src/organizations/): a county's administrators and its
  // provider staff, for organizations serving that county; system administrators everywhere.
  // Creating an organization is a county's (or an administrator's) act; its own staff then keep its records.
  // Members are protected health information: reached by their organization's staff and supervisors, and by the
  // county administrators of the organization's county — never statewide. A peer documents services for their
  // employer's members (employment on the day is checked by the use case, src/services/service-access.ts).
  'organizations.manage': { statewide: ['system_admin'], county: [{ role: 'county_admin' }], organization: ['provider_staff'] },
  'organizations.read': { statewide: ['system_admin', 'dhcs_analyst'], county: [{ role: 'county_admin' }], organization: ['provider_staff', 'supervisor'] },
  'beneficiaries.read': { county: [{ role: 'county_admin' }], organization: ['provider_staff', 'supervisor'] },
  'beneficiaries.manage': { county: [{ role: 'county_admin' }], organization: ['provider_staff'] },
  'encounters.read': { county: [{ role: 'county_admin' }], organization: ['provider_staff', 'supervisor'] },
  'encounters.document': { organization: ['provider_staff'] },
  'encounters.cosign': { organization: ['supervisor'] },
  // Claiming (src/claims/): fee schedules are the county's and DHCS's reference data; an organization's claims are
  // built and read by its provider staff and its county's administrators.
  'claims.rates.manage': { statewide: ['dhcs_analyst', 'system_admin'] },
  'claims.read': { county: [{ role: 'county_admin' }], organization: ['provider_staff'] },
  'claims.manage': { county: [{ role: 'county_admin' }], organization: ['provider_staff'] },
};

/** The grants the actor acts with: none when anonymous; only valid ones. */
function grantsOf(actor: Actor): readonly RoleGrant[] {
  if (actor.kind === 'anonymous') return [];
  return actor.roles.filter((g) => validateAssignment(g.role, g.countyFips, g.organizationId ?? null) === null);
}

function ruleOf(action: Action): Rule | undefined {
  // Actions arrive from typed code, but a stray string must still be denied rather than crash.
  return Object.hasOwn(RULES, action) ? RULES[action] : undefined;
}

function statewideGrant(rule: Rule, grants: readonly RoleGrant[]): boolean {
  return grants.some((g) => rule.statewide?.includes(g.role) ?? false);
}

/** A person acting on their own record (the resource names them) while holding one of the roles, in any scope. */
function ownRecordWithRole(roles: readonly Role[], actor: Actor, grants: readonly RoleGrant[], resource: Resource | undefined): boolean {
  return actor.kind === 'user' && resource?.userId !== undefined && resource.userId === actor.userId && grants.some((g) => roles.includes(g.role));
}

export function can(actor: Actor, action: Action, resource?: Resource): boolean {
  const rule = ruleOf(action);
  if (!rule) return false;
  if (rule.anyone) return true;
  if (rule.self && actor.kind === 'user' && resource?.userId !== undefined && resource.userId === actor.userId) return true;
  const grants = grantsOf(actor);
  if (rule.ownWith && ownRecordWithRole(rule.ownWith, actor, grants, resource)) return true;
  if (statewideGrant(rule, grants)) return true;
  const organizationId = resource?.organizationId;
  if (rule.organization && organizationId && grants.some((g) => g.organizationId === organizationId && (rule.organization?.includes(g.role) ?? false))) return true;
  const countyFips = resource?.countyFips;
  if (!rule.county || countyFips === undefined || countyFips === null) return false;
  return rule.county.some((cr) =>
    grants.some(
      (g) =>
        g.role === cr.role &&
        g.countyFips === countyFips &&
        (cr.resourceRoles === undefined || (resource?.role !== undefined && (cr.resourceRoles as readonly string[]).includes(resource.role))),
    ),
  );
}

/** The counties whose records this actor may act on for this action: `'all'` or their FIPS codes, sorted (`[]`: none). */
export function scopeCounties(actor: Actor, action: Action): 'all' | string[] {
  const rule = ruleOf(action);
  if (!rule) return [];
  if (rule.anyone) return 'all';
  const grants = grantsOf(actor);
  if (statewideGrant(rule, grants)) return 'all';
  const counties = new Set<string>();
  for (const cr of rule.county ?? []) {
    for (const g of grants) if (g.role === cr.role && g.countyFips !== null) counties.add(g.countyFips);
  }
  return [...counties].sort();
}

/** The organizations whose records this actor may act on for this action by an organization grant (sorted). */
export function scopeOrganizations(actor: Actor, action: Action): string[] {
  const rule = ruleOf(action);
  if (!rule?.organization) return [];
  const ids = new Set<string>();
  for (const g of grantsOf(actor)) if (g.organizationId && rule.organization.includes(g.role)) ids.add(g.organizationId);
  return [...ids].sort();
}

/** Whether some resource exists that this actor may do the action to (the gate of a list page or a form). */
export function canAny(actor: Actor, action: Action): boolean {
  const rule = ruleOf(action);
  if (!rule) return false;
  if (scopeOrganizations(actor, action).length > 0) return true;
  if (rule.self && actor.kind === 'user') return true;
  if (rule.ownWith && actor.kind === 'user' && grantsOf(actor).some((g) => rule.ownWith?.includes(g.role) ?? false)) return true;
  const scope = scopeCounties(actor, action);
  return scope === 'all' || scope.length > 0;
}

/** Whether the actor holds this role (any scope, valid grants only). */
export function hasRole(actor: Actor, role: Role): boolean {
  return grantsOf(actor).some((g) => g.role === role);
}
