// Who may reach each route the app registers — the expected-access table, kept in this one file.
// `route-access.test.ts` enumerates the real app's routes (recorded by `recordRoutes`) and fails when a route has
// no entry here, when an entry names no route, or when a request as any role (or anonymously) gets an outcome
// the table does not predict. A new route therefore needs a line here in the same change.
import type { FastifyInstance } from 'fastify';
export { PUBLIC, SIGNED_IN, type RouteAccess } from './route-access.kinds.ts';
import type { Actor } from './roles.ts';
import { PUBLIC, SIGNED_IN, type RouteAccess } from './route-access.kinds.ts';
import { CERTIFICATION_ROUTE_ACCESS } from '../certification/certification.access.ts';
import { TRAINING_ROUTE_ACCESS } from '../training/training.access.ts';
import { JOBS_ROUTE_ACCESS } from '../jobs/jobs.access.ts';
import { REGISTRY_ROUTE_ACCESS } from '../registry/registry.access.ts';
import { ALERTS_ROUTE_ACCESS } from '../alerts/alerts.access.ts';
import { FHIR_ROUTE_ACCESS } from '../fhir/fhir.access.ts';
import { ENFORCEMENT_ROUTE_ACCESS } from '../enforcement/enforcement.access.ts';
import { SERVICES_ROUTE_ACCESS } from '../encounters/services.access.ts';
import { SERVICES_PAGES_ROUTE_ACCESS } from '../encounters/services-pages.access.ts';
import { CLAIMS_ROUTE_ACCESS } from '../claims/claims.access.ts';
import { CLAIMS_PAGES_ROUTE_ACCESS } from '../claims/claims-pages.access.ts';


/** One registered route as fastify saw it: method and URL pattern (`/api/v1/counties/:fips`, `/assets/*`). */
export interface RouteRecord {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far (filled by `recordRoutes`). */
    routeList: RouteRecord[];
  }
}

/**
 * Headers that make an injected request come from this actor: a session cookie for a person, an `Authorization`
 * header for a token, and for anyone (anonymous included) what a browser's form post carries to pass the CSRF check,
 * so that a 403 means "not allowed", never "no CSRF token". `src/accounts/testing.ts` provides one as
 * `actorHeaders(app, actor)`; for a `user` actor it creates that person (with `actor.userId` and its role grants).
 */
export type ActorHeaderFactory = (actor: Actor) => Promise<Record<string, string>>;


/** Keyed `METHOD url` as fastify registers the route; a HEAD route fastify adds for a GET shares the GET's entry. */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // Pages
  'GET /': PUBLIC,
  'GET /counties': PUBLIC,
  'GET /counties/:fips': PUBLIC,
  'POST /counties/:fips/participation': { roles: ['dhcs_analyst', 'system_admin'] },
  'GET /docs': PUBLIC,
  'GET /docs/openapi.json': PUBLIC,
  // JSON and CSV API
  'GET /api/v1/counties': PUBLIC,
  'GET /api/v1/counties.csv': PUBLIC,
  'GET /api/v1/counties/:fips': PUBLIC,
  'POST /api/v1/counties/:fips/participation': { roles: ['dhcs_analyst', 'system_admin'] },
  'PUT /api/v1/counties/:fips/participation/:deliverySystem': { roles: ['dhcs_analyst', 'system_admin'] },
  // Accounts (src/accounts/): signing in, up and out, and one's own account
  'GET /admin/outbox': { roles: ['system_admin'] },
  // Audit log search and export (src/audit/) and API tokens (src/accounts/api-tokens.*)
  'GET /admin/audit': { roles: ['system_admin', 'dhcs_analyst'] },
  'GET /api/v1/audit': { roles: ['system_admin', 'dhcs_analyst'] },
  'GET /api/v1/audit.csv': { roles: ['system_admin', 'dhcs_analyst'] },
  'GET /admin/tokens': { roles: ['system_admin'] },
  'POST /admin/tokens': { roles: ['system_admin'] },
  'POST /admin/tokens/:id/revoke': { roles: ['system_admin'] },
  'GET /api/v1/tokens': { roles: ['system_admin'] },
  'POST /api/v1/tokens': { roles: ['system_admin'] },
  'DELETE /api/v1/tokens/:id': { roles: ['system_admin'] },
  // People and roles: system administrators, and county administrators for staff of their county
  'GET /admin/users': { roles: ['system_admin', 'county_admin'] },
  'POST /admin/users': { roles: ['system_admin', 'county_admin'] },
  'GET /admin/users/:userId': { roles: ['system_admin', 'county_admin'] },
  'POST /admin/users/:userId/roles': { roles: ['system_admin', 'county_admin'] },
  'POST /admin/users/:userId/roles/revoke': { roles: ['system_admin', 'county_admin'] },
  'POST /admin/users/:userId/deactivate': { roles: ['system_admin', 'county_admin'] },
  'POST /admin/users/:userId/reactivate': { roles: ['system_admin', 'county_admin'] },
  'POST /admin/users/:userId/reset': { roles: ['system_admin', 'county_admin'] },
  'GET /sign-in': PUBLIC,
  'POST /sign-in': PUBLIC,
  'GET /sign-up': PUBLIC,
  'POST /sign-up': PUBLIC,
  'GET /verify-email': PUBLIC,
  'POST /verify-email': PUBLIC,
  'GET /forgot-password': PUBLIC,
  'POST /forgot-password': PUBLIC,
  'GET /reset-password': PUBLIC,
  'POST /reset-password': PUBLIC,
  'POST /sign-out': PUBLIC, // signed out already: it only clears the cookie
  'GET /account': SIGNED_IN,
  'POST /api/v1/auth/sign-in': PUBLIC,
  'GET /api/v1/auth/me': SIGNED_IN,
  'POST /api/v1/auth/sign-out': SIGNED_IN,
  // Operations
  'GET /health': PUBLIC,
  'GET /ready': PUBLIC,
  // Static files
  'GET /assets/uswds/*': PUBLIC,
  'GET /assets/*': PUBLIC,
  // Each domain keeps its own part of the table beside its routes.
  ...CERTIFICATION_ROUTE_ACCESS,
  ...TRAINING_ROUTE_ACCESS,
  ...JOBS_ROUTE_ACCESS,
  ...REGISTRY_ROUTE_ACCESS,
  ...ALERTS_ROUTE_ACCESS,
  ...FHIR_ROUTE_ACCESS,
  ...ENFORCEMENT_ROUTE_ACCESS,
  ...SERVICES_ROUTE_ACCESS,
  ...SERVICES_PAGES_ROUTE_ACCESS,
  ...CLAIMS_ROUTE_ACCESS,
  ...CLAIMS_PAGES_ROUTE_ACCESS,
};

/**
 * Start recording routes: returns an array that an `onRoute` hook fills as routes are registered. Call it on the
 * root instance before any route or plugin is registered (`app.decorate('routeList', recordRoutes(app))` right
 * after `Fastify()`), since fastify keeps no public list of its routes.
 */
export function recordRoutes(app: FastifyInstance): RouteRecord[] {
  const routes: RouteRecord[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: String(method).toUpperCase(), url: route.url });
  });
  return routes;
}

export function routeKey(route: RouteRecord): string {
  return `${route.method} ${route.url}`;
}

/**
 * The routes that need an entry in ROUTE_ACCESS, as sorted keys: one per method and URL, with a HEAD route
 * folded into the GET of the same URL (fastify adds those itself; they answer exactly like the GET).
 */
export function routeKeys(routes: readonly RouteRecord[]): string[] {
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  const keys = new Set(routes.filter((r) => !(r.method === 'HEAD' && gets.has(r.url))).map(routeKey));
  return [...keys].sort();
}

/** Whether the table lets this actor through to the route. A token is judged by its roles; `signedIn` means a person. */
export function admits(access: RouteAccess, actor: Actor): boolean {
  if ('public' in access) return true;
  if (actor.kind === 'anonymous') return false;
  if (access.signedIn && actor.kind === 'user') return true;
  return actor.roles.some((g) => access.roles.includes(g.role));
}
