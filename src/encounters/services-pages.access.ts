// Who may reach each page of service documentation (its part of src/access/route-access.ts). The organization list
// is for those with an organization or county scope, or statewide readers, and adding an organization for county
// and system administrators; every other page admits any signed-in person and its use case decides — a record out
// of reach is 404, and someone who reaches nothing gets an empty list.
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

export const SERVICES_PAGES_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // Provider organizations (src/organizations/organizations.pages.tsx)
  'GET /organizations': { roles: ['county_admin', 'dhcs_analyst', 'system_admin'] },
  'POST /organizations': { roles: ['county_admin', 'system_admin'] },
  'GET /organizations/:id': SIGNED_IN,
  'POST /organizations/:id/contracts': SIGNED_IN,
  'POST /organizations/:id/sites': SIGNED_IN,
  'POST /organizations/:id/employments': SIGNED_IN,
  'POST /organizations/:id/staff': SIGNED_IN,
  'POST /organizations/:id/supervisors': SIGNED_IN,
  'POST /organizations/:id/supervision': SIGNED_IN,
  // Members (src/beneficiaries/members.pages.tsx)
  'GET /organizations/:id/members': SIGNED_IN,
  'POST /organizations/:id/members': SIGNED_IN,
  'POST /organizations/:id/eligibility-import': SIGNED_IN,
  'GET /members/:id': SIGNED_IN,
  'POST /members/:id/eligibility': SIGNED_IN,
  // Services (src/encounters/encounters.pages.tsx)
  'GET /services': SIGNED_IN,
  'GET /organizations/:id/services/new': SIGNED_IN,
  'POST /organizations/:id/services': SIGNED_IN,
  'GET /services/:id': SIGNED_IN,
  'POST /services/:id': SIGNED_IN,
  'POST /services/:id/billable': SIGNED_IN,
  'POST /services/:id/cosign': SIGNED_IN,
  'POST /services/:id/recheck': SIGNED_IN,
};
