// API tokens from creation to revocation: the secret shown once and stored hashed, a token acting with its roles
// only, last use recorded, revocation taking effect at once, grants validated, and the /admin/tokens page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Role } from '../access/roles.ts';
import { auditLog } from '../audit/audit.schema.ts';
import type { AppError } from '../lib/errors.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { apiTokens } from './accounts.schema.ts';
import { createApiToken } from './api-tokens.service.ts';
import { hashSecret } from './secrets.ts';
import { actorHeaders, createPerson } from './testing.ts';

interface TokenJson {
  id: string;
  name: string;
  roles: Array<{ role: string; countyFips: string | null }>;
  createdBy: { id: string; email: string; displayName: string };
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

let testApp: TestApp;
let admin: Record<string, string>;
const adminId = randomUUID();

async function signedIn(role: Role, userId = randomUUID()) {
  return actorHeaders(testApp.app, { kind: 'user', userId, roles: [{ role, countyFips: null }] });
}

async function createToken(body: unknown, headers = admin) {
  return testApp.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: body as Record<string, unknown> });
}

async function listTokens(): Promise<TokenJson[]> {
  const res = await testApp.app.inject({ url: '/api/v1/tokens', headers: admin });
  assert.equal(res.statusCode, 200);
  return res.json<TokenJson[]>();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

before(async () => {
  testApp = await createTestApp();
  admin = await signedIn('system_admin', adminId);
});

after(async () => {
  await testApp.close();
});

describe('the token lifecycle', () => {
  let id: string;
  let token: string;

  test('creating one answers 201 with the secret, which is stored only as its hash', async () => {
    const res = await createToken({ name: '  Claims analytics  ', roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    ({ id, token } = res.json<{ id: string; token: string }>());
    assert.match(token, /^pss_[A-Za-z0-9_-]{43}$/);

    const rows = await testApp.database.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.tokenHash, hashSecret(token));
    assert.equal(rows[0]?.name, 'Claims analytics');
    const secret = token.slice('pss_'.length);
    const table = JSON.stringify(await testApp.database.db.select().from(apiTokens));
    assert.ok(!table.includes(secret), 'the secret is not in the table');

    const [entry] = await testApp.database.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    assert.equal(entry?.action, 'api_token.create');
    assert.equal(entry?.actorUserId, adminId);
    assert.equal(entry?.actorRole, 'system_admin');
    assert.deepEqual(entry?.changes, [
      { field: 'name', before: null, after: 'Claims analytics' },
      { field: 'roles', before: null, after: [{ role: 'dhcs_analyst', countyFips: null }] },
    ]);
    const log = JSON.stringify(await testApp.database.db.select().from(auditLog));
    assert.ok(!log.includes(secret) && !log.includes(hashSecret(token)), 'neither the token nor its hash is in the audit log');
  });

  test('the list never shows the secret again', async () => {
    const listed = (await listTokens()).find((t) => t.id === id);
    assert.ok(listed);
    assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'revokedAt', 'roles']);
    assert.equal(listed.createdBy.id, adminId);
    assert.deepEqual(listed.roles, [{ role: 'dhcs_analyst', countyFips: null }]);
    assert.equal(listed.lastUsedAt, null);
    assert.equal(listed.revokedAt, null);
    const res = await testApp.app.inject({ url: '/api/v1/tokens', headers: admin });
    assert.ok(!res.body.includes(token.slice(4)) && !res.body.includes(hashSecret(token)));
  });

  test('used as a Bearer token it acts with its roles, and its last use is recorded', async () => {
    const res = await testApp.app.inject({ url: '/api/v1/audit?entityType=api_token', headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    const listed = (await listTokens()).find((t) => t.id === id);
    assert.ok(listed?.lastUsedAt, 'lastUsedAt is set');
    // Its export is recorded as the token's, not as a person's.
    assert.equal((await testApp.app.inject({ url: '/api/v1/audit.csv', headers: bearer(token) })).statusCode, 200);
    const [exported] = await testApp.database.db.select().from(auditLog).where(eq(auditLog.actorTokenId, id));
    assert.equal(exported?.action, 'audit.export');
    assert.equal(exported?.actorUserId, null);
    assert.equal(exported?.actorRole, 'dhcs_analyst');
    // An analyst token may not manage tokens.
    assert.equal((await createToken({ name: 'x', roles: [{ role: 'dhcs_analyst' }] }, bearer(token))).statusCode, 403);
  });

  test('revoked, it stops working at once; revoking again changes nothing; an unknown id is 404', async () => {
    const revoked = await testApp.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin });
    assert.equal(revoked.statusCode, 204);
    const refused = await testApp.app.inject({ url: '/api/v1/audit', headers: bearer(token) });
    assert.equal(refused.statusCode, 401);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.ok((await listTokens()).find((t) => t.id === id)?.revokedAt);

    assert.equal((await testApp.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin })).statusCode, 204);
    const entries = await testApp.database.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    assert.deepEqual(
      entries.map((e) => e.action),
      ['api_token.create', 'api_token.revoke'],
    );
    const unknown = await testApp.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${randomUUID()}`, headers: admin });
    assert.equal(unknown.statusCode, 404);
    assert.match(String(unknown.headers['content-type']), /^application\/problem\+json/);
  });

  test('a token without the role is refused with 403', async () => {
    const res = await createToken({ name: 'Peer app', roles: [{ role: 'peer' }] });
    assert.equal(res.statusCode, 201);
    const { token: peerToken } = res.json<{ token: string }>();
    const refused = await testApp.app.inject({ url: '/api/v1/audit', headers: bearer(peerToken) });
    assert.equal(refused.statusCode, 403);
    assert.equal((await testApp.app.inject({ url: '/api/v1/auth/me', headers: bearer(peerToken) })).statusCode, 401, 'a token is not a signed-in person');
    assert.equal((await testApp.app.inject({ url: '/api/v1/audit', headers: bearer('pss_not-a-token') })).statusCode, 401);
  });
});

describe('grants', () => {
  test('are validated: a county administrator needs a county, statewide roles take none, roles must exist', async () => {
    for (const roles of [
      [{ role: 'county_admin', countyFips: null }],
      [{ role: 'county_admin' }],
      [{ role: 'peer', countyFips: '06001' }],
      [{ role: 'wizard', countyFips: null }],
      [{ role: 'provider_staff', countyFips: '99999' }],
      [],
    ]) {
      const res = await createToken({ name: 'Feed', roles });
      assert.equal(res.statusCode, 400, JSON.stringify(roles));
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    }
    const countyAdmin = await createToken({ name: 'Feed', roles: [{ role: 'county_admin', countyFips: null }] });
    assert.equal(countyAdmin.json<{ errors: Array<{ path: string }> }>().errors[0]?.path, 'roles.0.countyFips');
    assert.equal((await createToken({ name: '   ', roles: [{ role: 'peer' }] })).statusCode, 400);
    assert.equal((await createToken({ name: 'Alameda feed', roles: [{ role: 'county_admin', countyFips: '06001' }] })).statusCode, 201);
  });

  test('only system administrators manage tokens, refused before the body is read', async () => {
    const analyst = await signedIn('dhcs_analyst');
    assert.equal((await createToken({ name: 'Mine', roles: [{ role: 'dhcs_analyst' }] }, analyst)).statusCode, 403);
    assert.equal((await createToken({ nonsense: true }, analyst)).statusCode, 403);
    assert.equal((await testApp.app.inject({ url: '/api/v1/tokens', headers: analyst })).statusCode, 403);
    assert.equal((await testApp.app.inject({ method: 'DELETE', url: '/api/v1/tokens/not-a-uuid', headers: analyst })).statusCode, 403);
    assert.equal((await testApp.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: {} })).statusCode, 401);
  });

  test('never exceed what the creator holds statewide', async () => {
    const { db } = testApp.database;
    const ctx = { actor: {} };
    const analyst = await createPerson(db, { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    const created = await createApiToken(db, { name: 'Own role', roles: [{ role: 'dhcs_analyst' }] }, { userId: analyst.id }, ctx);
    assert.match(created.token, /^pss_/);
    await assert.rejects(
      createApiToken(db, { name: 'More', roles: [{ role: 'system_admin' }] }, { userId: analyst.id }, ctx),
      (err: AppError) => err.kind === 'forbidden',
    );
    const countyAdmin = await createPerson(db, { roles: [{ role: 'county_admin', countyFips: '06001' }] });
    await assert.rejects(
      createApiToken(db, { name: 'County', roles: [{ role: 'county_admin', countyFips: '06001' }] }, { userId: countyAdmin.id }, ctx),
      (err: AppError) => err.kind === 'forbidden',
      'a county grant is not statewide',
    );
    // Acting through a token: only what both the person and the token hold.
    const formerAdmin = await createPerson(db, { roles: [{ role: 'peer', countyFips: null }] });
    await assert.rejects(
      createApiToken(db, { name: 'Via token', roles: [{ role: 'peer' }] }, { userId: formerAdmin.id, roles: [{ role: 'system_admin', countyFips: null }] }, ctx),
      (err: AppError) => err.kind === 'forbidden',
    );
  });
});

describe('/admin/tokens', () => {
  const html = { accept: 'text/html' };
  const post = (url: string, form: Record<string, string>, headers = admin) =>
    testApp.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: headers['x-csrf-token'] ?? '', ...form }).toString(),
    });

  test('lists tokens with a create form and refuses people without the right', async () => {
    const res = await testApp.app.inject({ url: '/admin/tokens', headers: { ...admin, ...html } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>API tokens<\/h1>/);
    assert.match(res.body, /name="_csrf"/);
    assert.match(res.body, /<select class="usa-select" id="role" name="role"/);
    assert.match(res.body, /Alameda feed/);
    assert.equal((await testApp.app.inject({ url: '/admin/tokens', headers: html })).statusCode, 401);
    const analyst = await signedIn('dhcs_analyst');
    assert.equal((await testApp.app.inject({ url: '/admin/tokens', headers: { ...analyst, ...html } })).statusCode, 403);
    assert.equal((await post('/admin/tokens', { name: 'x', role: 'peer', countyFips: '' }, analyst)).statusCode, 403);
    const es = await testApp.app.inject({ url: '/admin/tokens?lang=es', headers: { ...admin, ...html } });
    assert.match(es.body, /<h1>Tokens de API<\/h1>/);
  });

  test('creating shows the token once, with a note that it will not be shown again; revoking stops it', async () => {
    const res = await post('/admin/tokens', { name: 'Page token', role: 'dhcs_analyst', countyFips: '' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const token = /<input[^>]*data-testid="new-token"[^>]*>/.exec(res.body)?.[0].match(/value="(pss_[^"]+)"/)?.[1];
    assert.ok(token, 'the page shows the new token');
    assert.match(res.body, /it will not be shown again/);
    assert.equal((await testApp.app.inject({ url: '/api/v1/audit', headers: bearer(token) })).statusCode, 200);

    const again = await testApp.app.inject({ url: '/admin/tokens', headers: { ...admin, ...html } });
    assert.ok(!again.body.includes(token), 'never shown again');
    assert.match(again.body, /Page token/);

    const id = (await listTokens()).find((t) => t.name === 'Page token')?.id;
    assert.ok(id);
    assert.match(again.body, new RegExp(`action="/admin/tokens/${id}/revoke"`));
    const revoked = await post(`/admin/tokens/${id}/revoke`, {});
    assert.equal(revoked.statusCode, 200);
    assert.match(revoked.body, /Token “Page token” revoked/);
    assert.doesNotMatch(revoked.body, new RegExp(`action="/admin/tokens/${id}/revoke"`), 'no revoke button for a revoked token');
    assert.equal((await testApp.app.inject({ url: '/api/v1/audit', headers: bearer(token) })).statusCode, 401);
    assert.equal((await post(`/admin/tokens/${randomUUID()}/revoke`, {})).statusCode, 404);
  });

  test('a refused form keeps what was typed and shows the problem beside the field', async () => {
    const res = await post('/admin/tokens', { name: 'County feed', role: 'county_admin', countyFips: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /data-testid="form-error"/);
    assert.match(res.body, /id="countyFips-error"/);
    assert.match(res.body, /value="County feed"/);
    assert.match(res.body, /<option value="county_admin" selected/);
    const noName = await post('/admin/tokens', { name: '', role: 'peer', countyFips: '' });
    assert.equal(noName.statusCode, 400);
    assert.match(noName.body, /id="name-error"/);
  });

  test('posts need the CSRF token', async () => {
    const res = await testApp.app.inject({
      method: 'POST',
      url: '/admin/tokens',
      headers: { cookie: admin.cookie ?? '', ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=No+CSRF&role=peer&countyFips=',
    });
    assert.equal(res.statusCode, 403);
    assert.ok(!(await listTokens()).some((t) => t.name === 'No CSRF'));
  });
});
