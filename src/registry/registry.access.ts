// Who may reach each route of the registry: its part of the expected-access table (src/access/route-access.ts).
import { PUBLIC, type RouteAccess } from '../access/route-access.kinds.ts';

export const REGISTRY_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // Verification of one certification, opened from a certificate's QR code: public by law (PROGRAM.md §10.4).
  'GET /registry/:number': PUBLIC,
};
