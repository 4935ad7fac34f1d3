// Who may reach each claims API route (its part of src/access/route-access.ts): any signed-in actor, and the use
// case decides by organization (provider staff of it, the county's administrators); pages are in
// claims-pages.access.ts.
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

export const CLAIMS_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /api/v1/claims/batches': SIGNED_IN,
  'POST /api/v1/claims/batches': SIGNED_IN,
  'GET /api/v1/claims/batches/:id/837': SIGNED_IN,
  'GET /api/v1/claims': SIGNED_IN,
  'GET /api/v1/claims/denials': SIGNED_IN,
  'GET /api/v1/claims/:id': SIGNED_IN,
  'POST /api/v1/claims/:id/void': SIGNED_IN,
  'POST /api/v1/claims/:id/replace': SIGNED_IN,
  'POST /api/v1/claims/remittances': SIGNED_IN,
};
