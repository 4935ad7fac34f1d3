// Who may reach each route of the certification JSON API (src/certification/certification.routes.ts).
import { SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

const STAFF: RouteAccess = { roles: ['certification_staff'] };

export const CERTIFICATION_API_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /api/v1/me/certification': SIGNED_IN,
  'POST /api/v1/applications': SIGNED_IN,
  'GET /api/v1/applications/:id': SIGNED_IN,
  'PATCH /api/v1/applications/:id': SIGNED_IN,
  'POST /api/v1/applications/:id/documents': SIGNED_IN,
  'POST /api/v1/applications/:id/submit': SIGNED_IN,
  'POST /api/v1/applications/:id/withdraw': SIGNED_IN,
  'GET /api/v1/applications': STAFF,
  'POST /api/v1/applications/:id/decision': STAFF,
  'POST /api/v1/applications/:id/exam-results': STAFF,
  'POST /api/v1/exam-results': STAFF,
  'GET /api/v1/fees/outstanding': { roles: ['certification_staff', 'dhcs_analyst'] },
  'POST /api/v1/fees/:id/settlement': STAFF,
  'GET /api/v1/rules': { roles: ['certification_staff', 'enforcement_staff', 'dhcs_analyst', 'system_admin'] },
  'POST /api/v1/rules': { roles: ['certification_staff', 'system_admin'] },
};
