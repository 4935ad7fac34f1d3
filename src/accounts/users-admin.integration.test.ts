// Administrators manage people: a system administrator everyone, a county administrator the staff of their county.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/roles.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { listOutbox } from './outbox.ts';
import { actorHeaders, createPerson, csrfHeaders, TEST_PASSWORD } from './testing.ts';
import { getManagedUser, grantRole, inviteUser, listManagedUsers, revokeRole, setDeactivated } from './users-admin.service.ts';
import { signIn } from './sign-in.ts';

let testApp: TestApp;
before(async () => {
  testApp = await createTestApp();
});
after(() => testApp.close());

const link = (token: string) => `http://pss.test/reset-password?token=${token}`;
const admin: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'system_admin', countyFips: null }] };
const alamedaAdmin: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'county_admin', countyFips: '06001' }] };
const ctx = (actor: Actor) => ({ actor, ip: '127.0.0.1', userAgent: 'test' });

describe('a system administrator', () => {
  test('invites a county administrator for Alameda: the invitation waits in the outbox and the change is audited', async () => {
    const db = testApp.database.db;
    await createPerson(db, { id: admin.kind === 'user' ? admin.userId : undefined, roles: admin.kind === 'user' ? admin.roles : [] });
    const { userId, inviteLink } = await inviteUser(db, { email: 'Ana.County@example.org', displayName: 'Ana', role: 'county_admin', countyFips: '06001', inviteLink: link }, ctx(admin));
    assert.match(inviteLink ?? '', /^http:\/\/pss\.test\/reset-password\?token=/);
    const mail = (await listOutbox(db)).find((m) => m.to === 'Ana.County@example.org');
    assert.ok(mail?.text.includes(inviteLink ?? 'missing'));
    const { rows } = await searchAudit(db, { action: 'user.create', entityId: userId });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actorUserId, admin.kind === 'user' ? admin.userId : null);
  });

  test('sees everyone', async () => {
    const people = await listManagedUsers(testApp.database.db, admin);
    assert.ok(people.some((p) => p.email === 'Ana.County@example.org'));
  });
});

describe('a county administrator', () => {
  let staffId = '';
  let elsewhereId = '';
  before(async () => {
    const db = testApp.database.db;
    await createPerson(db, { id: alamedaAdmin.kind === 'user' ? alamedaAdmin.userId : undefined, roles: alamedaAdmin.kind === 'user' ? alamedaAdmin.roles : [] });
    staffId = (await createPerson(db, { email: 'staff.alameda@example.org', roles: [{ role: 'provider_staff', countyFips: '06001' }] })).id;
    elsewhereId = (await createPerson(db, { email: 'staff.kern@example.org', roles: [{ role: 'provider_staff', countyFips: '06029' }] })).id;
  });

  test('sees only the staff of their county', async () => {
    const people = await listManagedUsers(testApp.database.db, alamedaAdmin);
    assert.deepEqual(people.map((p) => p.email), ['staff.alameda@example.org']);
    await assert.rejects(getManagedUser(testApp.database.db, alamedaAdmin, elsewhereId), /no such account/, 'another county: not found');
  });

  test('gives and takes a supervisor role in their county, but never a statewide role or another county', async () => {
    const db = testApp.database.db;
    await grantRole(db, staffId, { role: 'supervisor', countyFips: '06001' }, ctx(alamedaAdmin));
    assert.ok((await getManagedUser(db, alamedaAdmin, staffId)).roles.some((r) => r.role === 'supervisor'));
    await revokeRole(db, staffId, { role: 'supervisor', countyFips: '06001' }, ctx(alamedaAdmin));
    assert.ok(!(await getManagedUser(db, alamedaAdmin, staffId)).roles.some((r) => r.role === 'supervisor'));
    await assert.rejects(grantRole(db, staffId, { role: 'system_admin', countyFips: null }, ctx(alamedaAdmin)), /may not give the role system_admin/);
    await assert.rejects(grantRole(db, staffId, { role: 'supervisor', countyFips: '06029' }, ctx(alamedaAdmin)), /may not/);
    await assert.rejects(
      inviteUser(db, { email: 'x@example.org', displayName: 'X', role: 'dhcs_analyst', countyFips: null, inviteLink: link }, ctx(alamedaAdmin)),
      /may not invite/,
    );
  });

  test('cannot deactivate accounts; a system administrator can, and the person is signed out and cannot sign in', async () => {
    const db = testApp.database.db;
    await assert.rejects(setDeactivated(db, staffId, true, ctx(alamedaAdmin)), /may not deactivate/);
    await setDeactivated(db, staffId, true, ctx(admin));
    await assert.rejects(signIn(db, { email: 'staff.alameda@example.org', password: TEST_PASSWORD, ip: '10.0.0.9' }), /not right/);
    await setDeactivated(db, staffId, false, ctx(admin));
    const { user } = await signIn(db, { email: 'staff.alameda@example.org', password: TEST_PASSWORD, ip: '10.0.0.9' });
    assert.equal(user.userId, staffId);
  });
});

describe('the pages', () => {
  test('a county administrator invites provider staff from /admin/users', async () => {
    const { app } = testApp;
    const headers = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'county_admin', countyFips: '06001' }] });
    const page = await app.inject({ url: '/admin/users', headers: { ...headers, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /staff\.alameda@example\.org/);
    assert.doesNotMatch(page.body, /staff\.kern@example\.org/);
    const res = await app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ displayName: 'Pat', email: 'pat@example.org', role: 'provider_staff', countyFips: '06001' }).toString(),
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    assert.match(res.body, /Invitation sent to pat@example\.org/);
  });

  test('a peer is refused (403) and anonymous asked to sign in (401)', async () => {
    const { app } = testApp;
    const peer = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] });
    assert.equal((await app.inject({ url: '/admin/users', headers: { ...peer, accept: 'text/html' } })).statusCode, 403);
    const { cookie, token } = await csrfHeaders(app);
    const anonymous = await app.inject({ method: 'POST', url: '/admin/users', headers: { cookie, 'x-csrf-token': token }, payload: {} });
    assert.equal(anonymous.statusCode, 401);
  });

  test('the account page links to the administration pages each person may use, and no others', async () => {
    const { app } = testApp;
    const analyst = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    const page = await app.inject({ url: '/account', headers: { ...analyst, accept: 'text/html' } });
    assert.match(page.body, /href="\/admin\/audit"/);
    assert.doesNotMatch(page.body, /href="\/admin\/users"|href="\/admin\/tokens"/);
    const peer = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] });
    assert.doesNotMatch((await app.inject({ url: '/account', headers: { ...peer, accept: 'text/html' } })).body, /data-testid="admin-links"/);
  });

  test('on a Spanish page, a refusal written in English is marked as English for screen readers', async () => {
    const { app } = testApp;
    const { cookie, token } = await csrfHeaders(app);
    const res = await app.inject({
      method: 'POST',
      url: '/sign-in?lang=es',
      headers: { cookie: `${cookie}; lang=es`, 'x-csrf-token': token, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=nobody%40example.org&password=wrong',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<html lang="es">/);
    assert.match(res.body, /data-testid="form-error" lang="en">The email or password is not right/);
  });
});
