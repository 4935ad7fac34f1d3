// Access rules as stories: every role against every action, county scopes, tokens, anonymous visitors, and which
// role assignments are valid at all.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, type Action, type Resource, can, canAny, hasRole, scopeCounties, scopeOrganizations } from './can.ts';
import { ANONYMOUS, type Actor, ROLES, ROLE_DESCRIPTIONS, ROLE_SCOPES, type Role, type RoleGrant, toRoleGrants, validateAssignment } from './roles.ts';

const ALAMEDA = '06001';
const ALPINE = '06003';

function user(...roles: RoleGrant[]): Actor {
  return { kind: 'user', userId: 'u-1', roles };
}
function token(...roles: RoleGrant[]): Actor {
  return { kind: 'token', tokenId: 't-1', createdBy: 'u-admin', roles };
}
/** A role as it is normally held: county administrators and county staff in Alameda, everyone else statewide. */
function usualGrant(role: Role): RoleGrant {
  return { role, countyFips: role === 'county_admin' || role === 'provider_staff' || role === 'supervisor' ? ALAMEDA : null };
}

/** Who may do each action — written out by hand, independently of the rules in can.ts. `signed-in`: any person. */
const EXPECTED: Record<Action, ReadonlyArray<Role | 'anonymous' | 'signed-in'>> = {
  'counties.read': ['anonymous', 'signed-in'],
  'counties.participation.edit': ['dhcs_analyst', 'system_admin'],
  'users.list': ['system_admin', 'county_admin'],
  'users.create': ['system_admin'],
  'users.invite': ['system_admin', 'county_admin'],
  'users.deactivate': ['system_admin'],
  'users.reset': ['system_admin'],
  'users.roles.grant': ['system_admin', 'county_admin'],
  'users.roles.revoke': ['system_admin', 'county_admin'],
  'users.self': ['signed-in'],
  'tokens.manage': ['system_admin'],
  'outbox.read': ['system_admin'],
  'audit.read': ['system_admin', 'dhcs_analyst'],
  'audit.export': ['system_admin', 'dhcs_analyst'],
  'rules.read': ['certification_staff', 'enforcement_staff', 'dhcs_analyst', 'system_admin'],
  'rules.edit': ['certification_staff', 'system_admin'],
  'certification.apply': ['signed-in'],
  'applications.read': ['signed-in', 'certification_staff'],
  'applications.review': ['certification_staff'],
  'documents.read': ['signed-in', 'certification_staff'],
  'fees.settle': ['certification_staff'],
  'fees.report': ['certification_staff', 'dhcs_analyst'],
  'exams.record': ['certification_staff'],
  'certifications.read': ['signed-in', 'certification_staff', 'enforcement_staff'],
  'certifications.status.change': ['certification_staff'],
  'certifications.import': ['certification_staff', 'system_admin'],
  'training.providers.manage': ['certification_staff'],
  'training.courses.manage': ['certification_staff', 'training_provider'],
  'training.rosters.upload': ['certification_staff', 'training_provider'],
  'training.completions.record': ['certification_staff'],
  'training.read': ['certification_staff', 'training_provider', 'enforcement_staff'],
  'jobs.manage': ['system_admin'],
  'alerts.watch': ['provider_staff', 'supervisor', 'county_admin', 'dhcs_analyst'],
  'alerts.webhook': ['provider_staff', 'supervisor', 'county_admin', 'dhcs_analyst'],
  'complaints.file': ['anonymous', 'signed-in'],
  'enforcement.cases.read': ['enforcement_staff', 'system_admin'],
  'enforcement.cases.manage': ['enforcement_staff'],
  'enforcement.decide': ['enforcement_staff'],
  'appeals.file': ['signed-in', 'enforcement_staff'],
  // County roles reach it only for an organization of their county (a resource this table's sample does not name).
  'organizations.manage': ['system_admin'],
  'organizations.read': ['system_admin', 'dhcs_analyst'],
  // Members' records and services are never statewide: only organization and county grants reach them.
  'beneficiaries.read': [],
  'beneficiaries.manage': [],
  'encounters.read': [],
  'encounters.document': [],
  'encounters.cosign': [],
  'claims.rates.manage': ['dhcs_analyst', 'system_admin'],
  'claims.read': [],
  'claims.manage': [],
};

/** Actions anyone may do, signed in or not: read county participation, file a complaint. */
const EVERYONE: readonly Action[] = ['counties.read', 'complaints.file'];
const inOrder = (...lists: ReadonlyArray<readonly Action[]>) => ACTIONS.filter((a) => lists.some((l) => l.includes(a)));

/** Actions a person may do to their own record (the resource names them); staff roles may do them to anyone's. */
const SELF_ACTIONS: readonly Action[] = ['users.self', 'certification.apply', 'applications.read', 'documents.read', 'certifications.read', 'appeals.file'];

/** Actions on a person's own record that only holders of some roles may do (watch lists of the alerts). */
const OWN_ACTIONS: readonly Action[] = ['alerts.watch', 'alerts.webhook'];

/** A resource the usual holder of a county role would be acting on: their own county, managing provider staff. */
function resourceFor(action: Action, actor: Actor): Resource | undefined {
  if (SELF_ACTIONS.includes(action) || OWN_ACTIONS.includes(action)) return { userId: actor.kind === 'user' ? actor.userId : 'u-1' };
  if (action.startsWith('users.')) return { countyFips: ALAMEDA, role: 'provider_staff' };
  return undefined;
}

describe('every role against every action', () => {
  test('the expectations cover every action', () => {
    assert.deepEqual(Object.keys(EXPECTED).sort(), [...ACTIONS].sort());
  });

  for (const role of ROLES) {
    test(`${role}`, () => {
      const actor = user(usualGrant(role));
      const allowed = ACTIONS.filter((action) => can(actor, action, resourceFor(action, actor)));
      const expected = ACTIONS.filter((action) => EXPECTED[action].includes(role) || EXPECTED[action].includes('signed-in'));
      assert.deepEqual(allowed, expected);
    });
  }

  test('anonymous visitors may only read county participation and file a complaint', () => {
    const open = EVERYONE;
    const allowed = ACTIONS.filter((action) => can(ANONYMOUS, action, resourceFor(action, ANONYMOUS)));
    assert.deepEqual(allowed, open);
    assert.deepEqual(ACTIONS.filter((action) => canAny(ANONYMOUS, action)), open);
    assert.deepEqual(ACTIONS.filter((action) => scopeCounties(ANONYMOUS, action) !== 'all'), ACTIONS.filter((a) => !open.includes(a)));
    for (const action of ACTIONS.filter((a) => !open.includes(a))) assert.deepEqual(scopeCounties(ANONYMOUS, action), [], action);
  });

  test('a person with no role may read counties and act on their own account and certification record, nothing else', () => {
    const nobody = user();
    assert.deepEqual(ACTIONS.filter((action) => can(nobody, action, resourceFor(action, nobody))), inOrder(EVERYONE, SELF_ACTIONS));
  });

  test('without a resource, only statewide grants answer yes', () => {
    for (const role of ROLES) {
      const actor = user(usualGrant(role));
      const allowed = ACTIONS.filter((action) => can(actor, action));
      const expected = ACTIONS.filter((action) => EVERYONE.includes(action) || (EXPECTED[action].includes(role) && ROLE_SCOPES[role] === 'none' && !OWN_ACTIONS.includes(action)));
      assert.deepEqual(allowed, expected, role);
    }
  });
});

describe('county administrators act in their own county, on provider staff and supervisors only', () => {
  const admin = user({ role: 'county_admin', countyFips: ALAMEDA });

  const stories: Array<[string, Action, Resource, boolean]> = [
    ['grant provider staff in their county', 'users.roles.grant', { countyFips: ALAMEDA, role: 'provider_staff' }, true],
    ['grant supervisor in their county', 'users.roles.grant', { countyFips: ALAMEDA, role: 'supervisor' }, true],
    ['revoke supervisor in their county', 'users.roles.revoke', { countyFips: ALAMEDA, role: 'supervisor' }, true],
    ['invite provider staff to their county', 'users.invite', { countyFips: ALAMEDA, role: 'provider_staff' }, true],
    ['list supervisors of their county', 'users.list', { countyFips: ALAMEDA, role: 'supervisor' }, true],
    ['grant provider staff in another county', 'users.roles.grant', { countyFips: ALPINE, role: 'provider_staff' }, false],
    ['revoke supervisor in another county', 'users.roles.revoke', { countyFips: ALPINE, role: 'supervisor' }, false],
    ['list provider staff of another county', 'users.list', { countyFips: ALPINE, role: 'provider_staff' }, false],
    ['grant system administrator', 'users.roles.grant', { countyFips: ALAMEDA, role: 'system_admin' }, false],
    ['grant system administrator with no county', 'users.roles.grant', { countyFips: null, role: 'system_admin' }, false],
    ['grant county administrator of their county', 'users.roles.grant', { countyFips: ALAMEDA, role: 'county_admin' }, false],
    ['grant DHCS analyst', 'users.roles.grant', { countyFips: null, role: 'dhcs_analyst' }, false],
    ['grant certification staff in their county', 'users.roles.grant', { countyFips: ALAMEDA, role: 'certification_staff' }, false],
    ['grant provider staff with no county', 'users.roles.grant', { countyFips: null, role: 'provider_staff' }, false],
    ['grant without saying which role', 'users.roles.grant', { countyFips: ALAMEDA }, false],
    ['grant without saying which county', 'users.roles.grant', { role: 'provider_staff' }, false],
    ['grant an unknown role', 'users.roles.grant', { countyFips: ALAMEDA, role: 'provider_staff ' }, false],
    ['create a user in their county', 'users.create', { countyFips: ALAMEDA, role: 'provider_staff' }, false],
    ['deactivate a user in their county', 'users.deactivate', { countyFips: ALAMEDA, role: 'provider_staff' }, false],
    ['reset a password in their county', 'users.reset', { countyFips: ALAMEDA, role: 'provider_staff' }, false],
    ['edit participation of their county', 'counties.participation.edit', { countyFips: ALAMEDA }, false],
    ['read the audit log of their county', 'audit.read', { countyFips: ALAMEDA }, false],
  ];
  for (const [story, action, resource, expected] of stories) {
    test(`${expected ? 'may' : 'may not'} ${story}`, () => assert.equal(can(admin, action, resource), expected));
  }

  test('their scope is their county; with two grants, both counties', () => {
    assert.deepEqual(scopeCounties(admin, 'users.list'), [ALAMEDA]);
    assert.deepEqual(scopeCounties(admin, 'users.create'), []);
    assert.deepEqual(scopeCounties(admin, 'audit.read'), []);
    const both = user({ role: 'county_admin', countyFips: ALPINE }, { role: 'county_admin', countyFips: ALAMEDA });
    assert.deepEqual(scopeCounties(both, 'users.roles.grant'), [ALAMEDA, ALPINE]);
    assert.equal(can(both, 'users.roles.grant', { countyFips: ALPINE, role: 'supervisor' }), true);
    assert.equal(canAny(admin, 'users.list'), true);
    assert.equal(canAny(admin, 'users.deactivate'), false);
  });

  test('an unscoped county administrator (an invalid assignment) can do nothing with it', () => {
    const unscoped = user({ role: 'county_admin', countyFips: null });
    for (const action of ACTIONS.filter((a) => a.startsWith('users.') && a !== 'users.self')) {
      assert.equal(can(unscoped, action, { countyFips: ALAMEDA, role: 'provider_staff' }), false, action);
      assert.equal(can(unscoped, action, { countyFips: null, role: 'provider_staff' }), false, action);
      assert.deepEqual(scopeCounties(unscoped, action), [], action);
    }
    assert.equal(hasRole(unscoped, 'county_admin'), false);
  });

  test('a system administrator may act on any role in any county, or none', () => {
    const sysadmin = user({ role: 'system_admin', countyFips: null });
    for (const action of ACTIONS.filter((a) => a.startsWith('users.') && a !== 'users.self')) {
      assert.equal(can(sysadmin, action, { countyFips: ALPINE, role: 'system_admin' }), true, action);
      assert.equal(can(sysadmin, action, { countyFips: null, role: 'county_admin' }), true, action);
      assert.equal(can(sysadmin, action), true, action);
      assert.equal(scopeCounties(sysadmin, action), 'all', action);
    }
  });
});

describe('organization grants reach their own organization only', () => {
  const ORG_A = '00000000-0000-4000-8000-00000000000a';
  const ORG_B = '00000000-0000-4000-8000-00000000000b';
  const staffA = user({ role: 'provider_staff', countyFips: ALAMEDA, organizationId: ORG_A });
  const supervisorA = user({ role: 'supervisor', countyFips: ALAMEDA, organizationId: ORG_A });
  const countyAdmin = user({ role: 'county_admin', countyFips: ALAMEDA });

  const stories: Array<[string, Actor, Action, Resource, boolean]> = [
    ['staff read a member of their organization', staffA, 'beneficiaries.read', { organizationId: ORG_A, countyFips: ALAMEDA }, true],
    ['staff read a member of another organization of the same county', staffA, 'beneficiaries.read', { organizationId: ORG_B, countyFips: ALAMEDA }, false],
    ['staff register a member of their organization', staffA, 'beneficiaries.manage', { organizationId: ORG_A, countyFips: ALAMEDA }, true],
    ['staff document a service for their organization', staffA, 'encounters.document', { organizationId: ORG_A, countyFips: ALAMEDA }, true],
    ['staff co-sign a service', staffA, 'encounters.cosign', { organizationId: ORG_A, countyFips: ALAMEDA }, false],
    ['staff manage their organization', staffA, 'organizations.manage', { organizationId: ORG_A, countyFips: ALAMEDA }, true],
    ['staff add an organization to their county', staffA, 'organizations.manage', { countyFips: ALAMEDA }, false],
    ['a supervisor co-signs for their organization', supervisorA, 'encounters.cosign', { organizationId: ORG_A, countyFips: ALAMEDA }, true],
    ['a supervisor co-signs for another', supervisorA, 'encounters.cosign', { organizationId: ORG_B, countyFips: ALAMEDA }, false],
    ['a supervisor registers a member', supervisorA, 'beneficiaries.manage', { organizationId: ORG_A, countyFips: ALAMEDA }, false],
    ['the county administrator reads members of any organization of the county', countyAdmin, 'beneficiaries.read', { organizationId: ORG_B, countyFips: ALAMEDA }, true],
    ['the county administrator reads members of another county', countyAdmin, 'beneficiaries.read', { organizationId: ORG_B, countyFips: ALPINE }, false],
    ['a system administrator reads members', user({ role: 'system_admin', countyFips: null }), 'beneficiaries.read', { organizationId: ORG_A, countyFips: ALAMEDA }, false],
  ];
  for (const [story, actor, action, resource, expected] of stories) {
    test(`${expected ? 'may' : 'may not'}: ${story}`, () => assert.equal(can(actor, action, resource), expected));
  }

  test('the organizations in scope, and a grant naming an organization without its county is ignored', () => {
    assert.deepEqual(scopeOrganizations(staffA, 'beneficiaries.read'), [ORG_A]);
    assert.deepEqual(scopeOrganizations(staffA, 'encounters.cosign'), []);
    assert.equal(canAny(staffA, 'encounters.document'), true);
    const broken = user({ role: 'provider_staff', countyFips: null, organizationId: ORG_A });
    assert.equal(can(broken, 'beneficiaries.read', { organizationId: ORG_A }), false);
    assert.equal(validateAssignment('county_admin', ALAMEDA, ORG_A), 'The role county_admin is not limited to an organization.');
    assert.deepEqual(toRoleGrants([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: ORG_A }]), [{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: ORG_A }]);
  });
});

describe('scopes', () => {
  test('statewide roles see all counties; county roles only their own; others none', () => {
    assert.equal(scopeCounties(user({ role: 'dhcs_analyst', countyFips: null }), 'audit.read'), 'all');
    assert.equal(scopeCounties(user({ role: 'dhcs_analyst', countyFips: null }), 'counties.participation.edit'), 'all');
    assert.deepEqual(scopeCounties(user({ role: 'dhcs_analyst', countyFips: null }), 'users.list'), []);
    assert.deepEqual(scopeCounties(user({ role: 'peer', countyFips: null }), 'audit.read'), []);
    assert.equal(scopeCounties(user({ role: 'peer', countyFips: null }), 'counties.read'), 'all');
  });

  test('a statewide role wrongly limited to a county is ignored, not treated as statewide', () => {
    const analyst = user({ role: 'dhcs_analyst', countyFips: ALAMEDA });
    assert.equal(can(analyst, 'audit.read'), false);
    assert.equal(can(analyst, 'audit.read', { countyFips: ALAMEDA }), false);
    assert.deepEqual(scopeCounties(analyst, 'audit.read'), []);
    assert.equal(hasRole(analyst, 'dhcs_analyst'), false);
  });

  test('a role the code does not know is ignored', () => {
    const odd = user({ role: 'superuser' as Role, countyFips: null });
    assert.deepEqual(ACTIONS.filter((action) => can(odd, action, resourceFor(action, odd))), inOrder(EVERYONE, SELF_ACTIONS));
  });

  test('an action the code does not know is denied, even to a system administrator', () => {
    const sysadmin = user({ role: 'system_admin', countyFips: null });
    assert.equal(can(sysadmin, 'users.delete_everything' as Action), false);
    assert.equal(can(sysadmin, 'toString' as Action), false);
    assert.deepEqual(scopeCounties(sysadmin, 'toString' as Action), []);
    assert.equal(canAny(sysadmin, 'constructor' as Action), false);
  });
});

describe('a person manages their own account', () => {
  const peer = user({ role: 'peer', countyFips: null });
  test('their own, yes; someone else’s or unnamed, no', () => {
    assert.equal(can(peer, 'users.self', { userId: 'u-1' }), true);
    assert.equal(can(peer, 'users.self', { userId: 'u-2' }), false);
    assert.equal(can(peer, 'users.self'), false);
    assert.equal(can(peer, 'users.self', {}), false);
    assert.equal(canAny(peer, 'users.self'), true);
  });
  test('anonymous visitors have no account', () => {
    assert.equal(can(ANONYMOUS, 'users.self', { userId: 'u-1' }), false);
    assert.equal(canAny(ANONYMOUS, 'users.self'), false);
  });
});

describe('a watch list is its keeper’s own', () => {
  const employer = user({ role: 'provider_staff', countyFips: ALAMEDA });
  test('their own, yes, whatever county their role names; someone else’s or unnamed, no', () => {
    for (const action of OWN_ACTIONS) {
      assert.equal(can(employer, action, { userId: 'u-1' }), true, action);
      assert.equal(can(employer, action, { userId: 'u-2' }), false, action);
      assert.equal(can(employer, action), false, action);
      assert.equal(canAny(employer, action), true, action);
    }
  });
  test('a person without one of the roles, or a token carrying one, keeps none', () => {
    const peer = user({ role: 'peer', countyFips: null });
    const analystToken = token({ role: 'dhcs_analyst', countyFips: null });
    for (const action of OWN_ACTIONS) {
      assert.equal(can(peer, action, { userId: 'u-1' }), false, action);
      assert.equal(canAny(peer, action), false, action);
      assert.equal(can(analystToken, action, { userId: 'u-admin' }), false, action);
      assert.equal(canAny(analystToken, action), false, action);
    }
  });
});

describe('API tokens act with their own roles only', () => {
  test('a token carrying the analyst role reads the audit log and nothing of administration', () => {
    const analystToken = token({ role: 'dhcs_analyst', countyFips: null });
    const allowed = ACTIONS.filter((action) => can(analystToken, action, resourceFor(action, analystToken)));
    assert.deepEqual(allowed, inOrder(EVERYONE, ['counties.participation.edit', 'audit.read', 'audit.export', 'rules.read', 'fees.report', 'organizations.read', 'claims.rates.manage']));
    assert.equal(hasRole(analystToken, 'dhcs_analyst'), true);
    assert.equal(hasRole(analystToken, 'system_admin'), false);
  });

  test('a token with no roles, created by a system administrator, gets none of their rights', () => {
    const bare = token();
    assert.deepEqual(ACTIONS.filter((action) => can(bare, action, resourceFor(action, bare))), EVERYONE);
  });

  test('a token is not a signed-in person: it cannot act on its creator’s account', () => {
    const t = token({ role: 'system_admin', countyFips: null });
    assert.equal(can(t, 'users.self', { userId: 'u-admin' }), false);
    assert.equal(canAny(t, 'users.self'), false);
    assert.equal(can(t, 'users.deactivate', { userId: 'u-admin' }), true, 'as a system administrator token it may administer accounts');
  });

  test('a county-scoped token acts in its county only', () => {
    const countyToken = token({ role: 'county_admin', countyFips: ALAMEDA });
    assert.equal(can(countyToken, 'users.roles.grant', { countyFips: ALAMEDA, role: 'supervisor' }), true);
    assert.equal(can(countyToken, 'users.roles.grant', { countyFips: ALPINE, role: 'supervisor' }), false);
    assert.equal(can(countyToken, 'users.roles.grant', { countyFips: ALAMEDA, role: 'system_admin' }), false);
    assert.deepEqual(scopeCounties(countyToken, 'users.list'), [ALAMEDA]);
  });
});

describe('hasRole', () => {
  test('any scope counts; anonymous holds none', () => {
    const staff = user({ role: 'provider_staff', countyFips: ALAMEDA }, { role: 'peer', countyFips: null });
    assert.equal(hasRole(staff, 'provider_staff'), true);
    assert.equal(hasRole(staff, 'peer'), true);
    assert.equal(hasRole(staff, 'supervisor'), false);
    assert.equal(hasRole(ANONYMOUS, 'peer'), false);
  });
});

describe('which role assignments are valid', () => {
  const cases: Array<[string, string | null, boolean]> = [
    ['county_admin', ALAMEDA, true],
    ['county_admin', null, false],
    ['provider_staff', ALAMEDA, true],
    ['provider_staff', null, true],
    ['supervisor', ALPINE, true],
    ['supervisor', null, true],
    ['certification_staff', null, true],
    ['certification_staff', ALAMEDA, false],
    ['enforcement_staff', null, true],
    ['enforcement_staff', ALAMEDA, false],
    ['dhcs_analyst', null, true],
    ['dhcs_analyst', ALAMEDA, false],
    ['system_admin', null, true],
    ['system_admin', ALAMEDA, false],
    ['peer', null, true],
    ['peer', ALAMEDA, false],
    ['training_provider', null, true],
    ['training_provider', ALAMEDA, false],
    ['county_admin', '06002', false], // even codes are not California counties
    ['county_admin', '99999', false],
    ['county_admin', '6001', false],
    ['superuser', null, false],
    ['System_Admin', null, false],
  ];
  for (const [role, countyFips, valid] of cases) {
    test(`${role} ${countyFips ?? '(statewide)'} is ${valid ? 'valid' : 'refused'}`, () => {
      const message = validateAssignment(role, countyFips);
      if (valid) assert.equal(message, null);
      else assert.match(message ?? '', /\S/);
    });
  }

  test('the messages say what is wrong', () => {
    assert.equal(validateAssignment('county_admin', null), 'The role county_admin must be limited to one county.');
    assert.equal(validateAssignment('system_admin', ALAMEDA), 'The role system_admin is not limited to a county; leave the county empty.');
    assert.equal(validateAssignment('superuser', null), 'Unknown role "superuser".');
    assert.equal(validateAssignment('supervisor', '06002'), '"06002" is not the FIPS code of a California county.');
  });

  test('every role is described and the stored rows become grants, dropping invalid ones', () => {
    for (const role of ROLES) assert.match(ROLE_DESCRIPTIONS[role], /\w/);
    assert.deepEqual(
      toRoleGrants([
        { role: 'peer', countyFips: null },
        { role: 'county_admin', countyFips: null },
        { role: 'county_admin', countyFips: ALAMEDA },
        { role: 'root', countyFips: null },
      ]),
      [
        { role: 'peer', countyFips: null },
        { role: 'county_admin', countyFips: ALAMEDA },
      ],
    );
  });
});
