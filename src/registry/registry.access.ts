// Who may reach each route of the registry: its part of the expected-access table (src/access/route-access.ts).
// All public by law (PROGRAM.md §10.4): verification is for employers, counties, beneficiaries and billing systems.
import { PUBLIC, type RouteAccess } from '../access/route-access.kinds.ts';

export const REGISTRY_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /registry': PUBLIC,
  'GET /registry/bulk': PUBLIC,
  'POST /registry/bulk': PUBLIC,
  // Opened from a certificate's QR code.
  'GET /registry/:number': PUBLIC,
  'GET /api/v1/registry/peers': PUBLIC,
  'GET /api/v1/registry/peers/:number': PUBLIC,
  'GET /api/v1/registry/verify': PUBLIC,
  'GET /api/v1/registry/verify.pdf': PUBLIC,
  'GET /api/v1/registry/keys': PUBLIC,
  'POST /api/v1/registry/receipts/verify': PUBLIC,
  'POST /api/v1/registry/verify/bulk': PUBLIC,
};
