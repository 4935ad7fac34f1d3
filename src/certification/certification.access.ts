// Who may reach each route of this domain: its part of the expected-access table (src/access/route-access.ts).
// Each area keeps its own part beside its routes.
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';
import { PORTAL_ROUTE_ACCESS } from './portal.access.ts';
import { WORKBENCH_ROUTE_ACCESS } from './workbench.access.ts';
import { CERTIFICATION_API_ROUTE_ACCESS } from './certification-api.access.ts';

export const CERTIFICATION_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  ...PORTAL_ROUTE_ACCESS,
  ...WORKBENCH_ROUTE_ACCESS,
  ...CERTIFICATION_API_ROUTE_ACCESS,
  // Certificates, the bulk import of certified peers:
  // --- certificates (certificate.pages.ts) and the import of certified peers (import-peers.pages.tsx) ---
  'GET /my-certification/certificate.pdf': SIGNED_IN, // one's own; 404 without a certification
  'GET /workbench/certifications/:id/certificate.pdf': { roles: ['certification_staff'] },
  'GET /workbench/imports': { roles: ['certification_staff', 'system_admin'] },
  'POST /workbench/imports': { roles: ['certification_staff', 'system_admin'] },
  'GET /workbench/imports/:id': { roles: ['certification_staff', 'system_admin'] },
  // --- end of certificates and imports ---
};
