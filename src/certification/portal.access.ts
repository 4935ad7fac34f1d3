// Who may reach each portal route: this area's part of the expected-access table (src/access/route-access.ts).
// Any signed-in person may apply; the use cases let them reach only their own applications and documents.
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

export const PORTAL_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /my-certification': SIGNED_IN,
  'POST /my-certification/applications': SIGNED_IN,
  'GET /my-certification/applications/:id': SIGNED_IN,
  'POST /my-certification/applications/:id': SIGNED_IN,
  'POST /my-certification/applications/:id/documents': SIGNED_IN,
  'POST /my-certification/applications/:id/documents/:documentId/remove': SIGNED_IN,
  'POST /my-certification/applications/:id/submit': SIGNED_IN,
  'POST /my-certification/applications/:id/exam': SIGNED_IN,
  'POST /my-certification/applications/:id/withdraw': SIGNED_IN,
  'GET /my-certification/documents/:id': SIGNED_IN,
};
