// Who may reach each route of enforcement: its part of the expected-access table (src/access/route-access.ts).
// Anyone may complain; cases are enforcement staff's (administrators may read them); a person appeals their own.
import { PUBLIC, SIGNED_IN, type RouteAccess } from '../access/route-access.kinds.ts';

const READERS: RouteAccess = { roles: ['enforcement_staff', 'system_admin'] };
const INVESTIGATORS: RouteAccess = { roles: ['enforcement_staff'] };

export const ENFORCEMENT_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /complaints/new': PUBLIC,
  'POST /complaints': PUBLIC,
  'POST /api/v1/complaints': PUBLIC,
  'GET /appeals/new': SIGNED_IN,
  'POST /appeals': SIGNED_IN,
  'POST /api/v1/appeals': { roles: ['enforcement_staff'], signedIn: true },
  'GET /enforcement': READERS,
  'GET /enforcement/cases/new': INVESTIGATORS,
  'POST /enforcement/cases': INVESTIGATORS,
  'GET /enforcement/cases/:id': READERS,
  'GET /enforcement/cases/:id/evidence/:evidenceId': READERS,
  'POST /enforcement/cases/:id/assign': INVESTIGATORS,
  'POST /enforcement/cases/:id/priority': INVESTIGATORS,
  'POST /enforcement/cases/:id/notes': INVESTIGATORS,
  'POST /enforcement/cases/:id/contacts': INVESTIGATORS,
  'POST /enforcement/cases/:id/evidence': INVESTIGATORS,
  'POST /enforcement/cases/:id/subject': INVESTIGATORS,
  'POST /enforcement/cases/:id/acknowledge': INVESTIGATORS,
  'POST /enforcement/cases/:id/extend': INVESTIGATORS,
  'POST /enforcement/cases/:id/decide': INVESTIGATORS,
  'POST /enforcement/cases/:id/appeal': INVESTIGATORS,
  'GET /enforcement/conflicts': INVESTIGATORS,
  'POST /enforcement/conflicts': INVESTIGATORS,
  'GET /api/v1/enforcement/cases': READERS,
  'GET /api/v1/enforcement/cases/:id': READERS,
  'POST /api/v1/enforcement/cases/:id/decision': INVESTIGATORS,
};
