// Who may reach each route of certification alerts: its part of the expected-access table (src/access/route-access.ts).
// Employers (provider staff, supervisors), county administrators and DHCS analysts keep their own watch list; the
// use cases refuse API tokens (a watch list is a person's) and answer 404 for anything not the asker's own.
import type { RouteAccess } from '../access/route-access.kinds.ts';

const WATCHERS: RouteAccess = { roles: ['provider_staff', 'supervisor', 'county_admin', 'dhcs_analyst'] };

export const ALERTS_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /alerts': WATCHERS,
  'POST /alerts/watches': WATCHERS,
  'POST /alerts/watches/remove': WATCHERS,
  'POST /alerts/webhook': WATCHERS,
  'POST /alerts/webhook/rotate': WATCHERS,
  'POST /alerts/webhook/delete': WATCHERS,
  'GET /alerts/deliveries': WATCHERS,
  'GET /api/v1/alerts/watches': WATCHERS,
  'POST /api/v1/alerts/watches': WATCHERS,
  'DELETE /api/v1/alerts/watches/:number': WATCHERS,
  'PUT /api/v1/alerts/webhook': WATCHERS,
  'DELETE /api/v1/alerts/webhook': WATCHERS,
  'GET /api/v1/alerts/deliveries': WATCHERS,
};
