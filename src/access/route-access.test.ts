// Every route of the real app against the expected-access table (route-access.ts): no route without an entry, no
// entry without a route, and each route answers anonymous visitors and each role the way the table says.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { createTestApp } from '../testing.ts';
import { ANONYMOUS, type Actor, ROLES, ROLE_SCOPES, type Role } from './roles.ts';
import { type ActorHeaderFactory, ROUTE_ACCESS, type RouteAccess, type RouteRecord, admits, recordRoutes, routeKeys } from './route-access.ts';

const WIRING = "buildApp must call app.decorate('routeList', recordRoutes(app)) right after Fastify() (see src/access/route-access.ts)";

/** A realistic value for each path parameter, so an allowed request reaches the handler. */
const PARAM_SAMPLES: Record<string, string> = { fips: '06001', deliverySystem: 'SMHS', number: 'PSS-999999' };
/** A record id no row has: an allowed request gets a 404 from the handler, never a 401/403. */
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
/** A file under each wildcard route. */
const WILDCARD_SAMPLES: Record<string, string> = { '/assets/uswds/*': 'css/uswds.min.css', '/assets/*': 'app.css' };

function sampleUrl(url: string): string {
  const withParams = url.replace(/:(\w+)(\([^)]*\))?/g, (_match, name: string) => {
    const sample = PARAM_SAMPLES[name] ?? (/(^id|Id)$/.test(name) ? SAMPLE_ID : undefined);
    if (sample === undefined) throw new Error(`No sample value for :${name} in ${url}; add one to PARAM_SAMPLES in route-access.test.ts`);
    return sample;
  });
  if (!withParams.endsWith('*')) return withParams;
  const file = WILDCARD_SAMPLES[url];
  if (file === undefined) throw new Error(`No sample file for ${url}; add one to WILDCARD_SAMPLES in route-access.test.ts`);
  return withParams.slice(0, -1) + file;
}

/** `actorHeaders(app, actor)` from src/accounts/testing.ts, or why it is not there. */
async function loadActorHeaders(app: FastifyInstance): Promise<ActorHeaderFactory | string> {
  const url = new URL('../accounts/testing.ts', import.meta.url);
  if (!fs.existsSync(url)) return 'src/accounts/testing.ts does not exist yet';
  const mod = (await import(url.href)) as { actorHeaders?: unknown };
  if (typeof mod.actorHeaders !== 'function') return 'src/accounts/testing.ts does not export actorHeaders(app, actor)';
  const actorHeaders = mod.actorHeaders as (app: FastifyInstance, actor: Actor) => Promise<Record<string, string>>;
  return (actor) => actorHeaders(app, actor);
}

/** One person per role, holding just that role the usual way: county roles in Alameda, the others statewide. */
function singleRoleActor(role: Role): Actor {
  return { kind: 'user', userId: randomUUID(), roles: [{ role, countyFips: ROLE_SCOPES[role] === 'none' ? null : '06001' }] };
}

/** What was wrong with a response, or null. A page may send an anonymous visitor to the sign-in page instead of a 401. */
function outcome(res: { statusCode: number; headers: Record<string, unknown> }, allowed: boolean, actor: Actor): string | null {
  const status = res.statusCode;
  if (allowed) return status === 401 || status === 403 || status >= 500 ? 'allowed (not 401, 403 or 5xx)' : null;
  if (actor.kind === 'anonymous') {
    const toSignIn = (status === 302 || status === 303) && /^\/sign-in(\?|$)/.test(String(res.headers.location ?? ''));
    return status === 401 || toSignIn ? null : '401 (or a redirect to /sign-in)';
  }
  return status === 403 || status === 404 ? null : '403 or 404';
}

const testApp = await createTestApp();
after(() => testApp.close());
const { app } = testApp;
const routeList: RouteRecord[] | undefined = (app as Partial<Pick<FastifyInstance, 'routeList'>>).routeList;
const keys = routeKeys(routeList ?? []);
const factory = await loadActorHeaders(app);

describe('the expected-access table', () => {
  test('the app records its routes', () => {
    assert.ok(Array.isArray(routeList), `app.routeList is missing: ${WIRING}`);
    assert.ok(keys.includes('GET /health'), `app.routeList misses routes registered early: ${WIRING}`);
  });

  test('every registered route has an entry', () => {
    const missing = keys.filter((key) => !Object.hasOwn(ROUTE_ACCESS, key));
    assert.deepEqual(missing, [], `Routes with no entry in ROUTE_ACCESS (src/access/route-access.ts): ${missing.join(', ')}`);
  });

  test('every entry names a registered route', { skip: routeList === undefined && 'app.routeList is missing' }, () => {
    const stale = Object.keys(ROUTE_ACCESS).filter((key) => !keys.includes(key));
    assert.deepEqual(stale, [], `Entries in ROUTE_ACCESS for routes the app does not register: ${stale.join(', ')}`);
  });
});

describe('each route answers as the table says', () => {
  const entries = keys.flatMap((key): Array<[string, RouteAccess]> => {
    const access = ROUTE_ACCESS[key];
    return access ? [[key, access]] : [];
  });
  for (const [key, access] of entries) {
    test(key, async () => {
      const signedInActors = typeof factory === 'string' ? [] : ROLES.map((role): [string, Actor] => [role, singleRoleActor(role)]);
      if (typeof factory === 'string' && !('public' in access)) {
        assert.fail(`${key} is not public, so it must be requested as each role, but ${factory}: it must export actorHeaders(app, actor) returning the headers that sign that actor in`);
      }
      const [method = '', url = ''] = key.split(' ');
      const path = sampleUrl(url);
      const mismatches: string[] = [];
      const unsafe = method !== 'GET' && method !== 'HEAD';
      for (const [label, actor] of [['anonymous', ANONYMOUS] as [string, Actor], ...signedInActors]) {
        // An anonymous GET is a bare request; a form post, even anonymous, carries what a browser would (CSRF).
        const headers = typeof factory === 'string' || (actor.kind === 'anonymous' && !unsafe) ? {} : await factory(actor);
        const res = await app.inject({ method: method as HTTPMethods, url: path, headers });
        const expected = outcome(res, admits(access, actor), actor);
        if (!expected) continue;
        const hint = unsafe && res.statusCode === 403 && typeof factory === 'string' ? ` (a CSRF rejection? ${factory})` : '';
        mismatches.push(`${method} ${path} as ${label}: ${res.statusCode}, expected ${expected}${hint}`);
      }
      assert.deepEqual(mismatches, []);
    });
  }
});

describe('the table’s pieces', () => {
  test('recordRoutes lists every method of every route, registered in any plugin, HEAD folded into GET', async () => {
    const { default: Fastify } = await import('fastify');
    const probe = Fastify();
    const routes = recordRoutes(probe);
    probe.get('/a/:id', async () => 'a');
    probe.route({ method: ['POST', 'PUT'], url: '/b', handler: async () => 'b' });
    await probe.register(async (child) => child.delete('/c', async () => 'c'), { prefix: '/child' });
    await probe.ready();
    assert.deepEqual(routeKeys(routes), ['DELETE /child/c', 'GET /a/:id', 'POST /b', 'PUT /b']);
    assert.ok(routes.some((r) => r.method === 'HEAD' && r.url === '/a/:id'));
    await probe.close();
  });

  test('who the table lets through', () => {
    const peer: Actor = { kind: 'user', userId: 'u', roles: [{ role: 'peer', countyFips: null }] };
    const nobody: Actor = { kind: 'user', userId: 'u', roles: [] };
    const analystToken: Actor = { kind: 'token', tokenId: 't', createdBy: 'u', roles: [{ role: 'dhcs_analyst', countyFips: null }] };
    assert.equal(admits({ public: true }, ANONYMOUS), true);
    assert.equal(admits({ roles: [], signedIn: true }, ANONYMOUS), false);
    assert.equal(admits({ roles: [], signedIn: true }, nobody), true);
    assert.equal(admits({ roles: [], signedIn: true }, analystToken), false, 'a token is not a signed-in person');
    assert.equal(admits({ roles: ['dhcs_analyst'] }, analystToken), true);
    assert.equal(admits({ roles: ['system_admin'] }, peer), false);
    assert.equal(admits({ roles: ['system_admin', 'peer'] }, peer), true);
  });

  test('sample URLs', () => {
    assert.equal(sampleUrl('/api/v1/counties/:fips'), '/api/v1/counties/06001');
    assert.equal(sampleUrl('/admin/users/:userId/roles/:id'), `/admin/users/${SAMPLE_ID}/roles/${SAMPLE_ID}`);
    assert.equal(sampleUrl('/assets/*'), '/assets/app.css');
    assert.throws(() => sampleUrl('/x/:slug'), /PARAM_SAMPLES/);
  });
});
