// Who may reach each route of this domain: its part of the expected-access table (src/access/route-access.ts).
// The training_provider role passes these gates for any provider; the use cases then answer 404 for a provider
// the person is not a member of.
import type { RouteAccess } from '../access/route-access.kinds.ts';

const READERS: RouteAccess = { roles: ['certification_staff', 'training_provider', 'enforcement_staff'] };
const STAFF: RouteAccess = { roles: ['certification_staff'] };
const STAFF_AND_PROVIDERS: RouteAccess = { roles: ['certification_staff', 'training_provider'] };

export const TRAINING_ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /training': READERS,
  'POST /training/providers': STAFF,
  'GET /training/providers/:id': READERS,
  'POST /training/providers/:id/approvals': STAFF,
  'POST /training/providers/:id/approvals/end': STAFF,
  'POST /training/providers/:id/courses': STAFF_AND_PROVIDERS,
  'POST /training/providers/:id/members': STAFF,
  'POST /training/providers/:id/members/:userId/remove': STAFF,
  'POST /training/providers/:id/rosters': STAFF_AND_PROVIDERS,
  'GET /training/rosters/:id': READERS,
  'GET /training/completions/new': STAFF,
  'POST /training/completions': STAFF,
  'GET /api/v1/training/providers': READERS,
  'POST /api/v1/training/courses/:courseId/rosters': STAFF_AND_PROVIDERS,
};
