// Who may reach each route of this domain: its part of the expected-access table (src/access/route-access.ts).
import type { RouteAccess } from '../access/route-access.kinds.ts';

export const JOBS_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {};
