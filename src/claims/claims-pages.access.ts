// Who may reach each claims page (its part of src/access/route-access.ts): any signed-in person, and the use case
// decides by organization (provider staff of it, the county's administrators) — a batch or claim out of reach is
// 404, and someone who reaches nothing gets empty lists. The JSON API is in claims.access.ts.
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

export const CLAIMS_PAGES_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /claims': SIGNED_IN,
  'POST /claims/batches': SIGNED_IN,
  'GET /claims/batches/:id': SIGNED_IN,
  'GET /claims/batches/:id/837': SIGNED_IN,
  'GET /claims/list': SIGNED_IN,
  'GET /claims/denials': SIGNED_IN,
  'GET /claims/remittances/new': SIGNED_IN,
  'POST /claims/remittances': SIGNED_IN,
  'GET /claims/:id': SIGNED_IN,
  'POST /claims/:id/void': SIGNED_IN,
  'POST /claims/:id/replace': SIGNED_IN,
};
