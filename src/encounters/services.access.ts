// Who may reach each route of service documentation: its part of the expected-access table
// (src/access/route-access.ts). Organization lists are for those with an organization or county scope (or
// statewide readers); members' and services' routes admit any signed-in person and the use case decides — a peer
// reaches their employer's records through employment, which no role grant shows — answering 404 for records out
// of reach and an empty list to someone with no reach.
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

const ORGANIZATION_READERS: RouteAccess = { roles: ['county_admin', 'dhcs_analyst', 'system_admin'] };
const ORGANIZATION_CREATORS: RouteAccess = { roles: ['county_admin', 'system_admin'] };

export const SERVICES_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // JSON API
  'GET /api/v1/organizations': ORGANIZATION_READERS,
  'POST /api/v1/organizations': ORGANIZATION_CREATORS,
  'GET /api/v1/organizations/:id': SIGNED_IN,
  'POST /api/v1/organizations/:id/contracts': SIGNED_IN,
  'POST /api/v1/organizations/:id/sites': SIGNED_IN,
  'POST /api/v1/organizations/:id/employments': SIGNED_IN,
  'POST /api/v1/organizations/:id/staff': SIGNED_IN,
  'POST /api/v1/organizations/:id/supervision': SIGNED_IN,
  'POST /api/v1/supervisors': SIGNED_IN,
  'GET /api/v1/organizations/:id/beneficiaries': SIGNED_IN,
  'POST /api/v1/organizations/:id/beneficiaries': SIGNED_IN,
  'POST /api/v1/organizations/:id/beneficiaries/lookup': SIGNED_IN,
  'POST /api/v1/organizations/:id/eligibility': SIGNED_IN,
  'GET /api/v1/beneficiaries/:id': SIGNED_IN,
  'PUT /api/v1/beneficiaries/:id': SIGNED_IN,
  'POST /api/v1/beneficiaries/:id/eligibility': SIGNED_IN,
  'POST /api/v1/organizations/:id/encounters': SIGNED_IN,
  'POST /api/v1/organizations/:id/encounters/validate': SIGNED_IN,
  'GET /api/v1/encounters': SIGNED_IN,
  'GET /api/v1/encounters.csv': SIGNED_IN,
  'GET /api/v1/encounters/:id': SIGNED_IN,
  'PUT /api/v1/encounters/:id': SIGNED_IN,
  'POST /api/v1/encounters/:id/billable': SIGNED_IN,
  'POST /api/v1/encounters/:id/cosign': SIGNED_IN,
  'POST /api/v1/encounters/:id/recheck': SIGNED_IN,
};
