// Who may reach each route of this domain: its part of the expected-access table (src/access/route-access.ts).
import type { RouteAccess } from '../access/route-access.kinds.ts';

export const JOBS_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /admin/jobs': { roles: ['system_admin'] },
  'POST /admin/jobs/run': { roles: ['system_admin'] },
};
