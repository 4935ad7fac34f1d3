// Who may reach each route of the FHIR API: its part of the expected-access table (src/access/route-access.ts).
import { PUBLIC, type RouteAccess } from '../access/route-access.kinds.ts';

// The public registry in FHIR form: public like the registry page it mirrors (PROGRAM.md §10.4).
export const FHIR_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /fhir/metadata': PUBLIC,
  'GET /fhir/Practitioner': PUBLIC,
  'GET /fhir/Practitioner/:id': PUBLIC,
};
