// Who may reach each workbench route: this area's part of the expected-access table (src/access/route-access.ts).
import type { RouteAccess } from '../access/route-access.kinds.ts';

export const WORKBENCH_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {};
