// /alerts, /alerts/deliveries and /api/v1/alerts/*: forms with CSRF, English and Spanish, the secret shown once,
// per-number refusals, and nobody reaching another person's list or deliveries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { RoleGrant } from '../access/roles.ts';
import { actorHeaders } from '../accounts/testing.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { startReceiver, type Receiver } from './alerts.testing.ts';
import { deliverWebhooks } from './deliver-webhooks.ts';
import { detectStatusChanges } from './detect-status-changes.ts';
import { changeCertificationStatus } from '../certification/certification-status.ts';
import { systemContext } from '../access/context.ts';

const TODAY = todayInCalifornia();
const TERM = { issuedOn: addDays(TODAY, -100), expiresOn: addDays(TODAY, 630) };

let testApp: TestApp;
let app: FastifyInstance;
let hook: Receiver;
const numbers: string[] = [];
const certIds: string[] = [];
before(async () => {
  testApp = await createTestApp();
  app = testApp.app;
  hook = await startReceiver((n) => (n === 0 ? 500 : 204));
  for (const [i, name] of ['Ana', 'Ben', 'Cruz'].entries()) {
    const number = `PSS-40000${i + 1}`;
    const { certificationId } = await certifyPeer(testApp.database.db, { first: name, last: 'Vega', number, ...TERM, email: `${name}@peer.example` });
    numbers.push(number);
    certIds.push(certificationId);
  }
});
after(async () => {
  await hook.close();
  await testApp.close();
});

const as = (grant: RoleGrant) => actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [grant] });
const html = { accept: 'text/html' };
const page = (headers: Record<string, string>, url = '/alerts') => app.inject({ url, headers: { ...headers, ...html } });
const post = (headers: Record<string, string>, url: string, fields: Record<string, string>, csrf: string | null = headers['x-csrf-token'] ?? '') =>
  app.inject({
    method: 'POST',
    url,
    headers: { cookie: headers.cookie ?? '', ...html, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(csrf === null ? {} : { _csrf: csrf }), ...fields }).toString(),
  });
const api = (headers: Record<string, string>, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: { cookie: headers.cookie ?? '', accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) }, ...(payload ? { payload: JSON.stringify(payload) } : {}) });

describe('the alerts page', () => {
  test('an employer adds one number, then several pasted, sees each one’s status today and the numbers refused', async () => {
    const employer = await as({ role: 'provider_staff', countyFips: '06001' });
    const empty = await page(employer);
    assert.equal(empty.statusCode, 200, empty.body);
    assert.match(empty.body, /<h1>Certification alerts<\/h1>/);
    assert.match(empty.body, /data-testid="watch-list-empty"/);
    assert.equal(empty.headers['cache-control'], 'no-store');

    const one = await post(employer, '/alerts/watches', { form: 'watch-one', numbers: numbers[0] ?? '' });
    assert.equal(one.statusCode, 200, one.body);
    assert.match(one.body, /1 number added to your watch list\./);
    assert.match(one.body, new RegExp(`data-number="${numbers[0]}"`));
    assert.match(one.body, /data-testid="watch-status">Active</);

    const many = await post(employer, '/alerts/watches', { form: 'watch-many', numbers: `${numbers[1]}\n${numbers[0]}\nPSS-999999\nbogus` });
    assert.equal(many.statusCode, 200, many.body);
    assert.match(many.body, /1 number added/);
    assert.match(many.body, new RegExp(`Already on your list: ${numbers[0]}\\.`));
    assert.match(many.body, /data-testid="refused-numbers"/);
    assert.match(many.body, /No certification PSS-999999 is on the registry/);
    assert.match(many.body, /&quot;BOGUS&quot; is not a certification number/);

    const unknown = await post(employer, '/alerts/watches', { form: 'watch-one', numbers: 'PSS-888888' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /data-testid="form-error"[^>]*>No certification PSS-888888 is on the registry/);
    assert.match(unknown.body, /usa-form-group--error/);

    const removed = await post(employer, '/alerts/watches/remove', { number: numbers[1] ?? '' });
    assert.equal(removed.statusCode, 200);
    assert.match(removed.body, new RegExp(`${numbers[1]} was removed from your watch list\\.`));
    assert.doesNotMatch(removed.body, new RegExp(`data-number="${numbers[1]}"`));
  });

  test('every form needs its CSRF token', async () => {
    const employer = await as({ role: 'supervisor', countyFips: null });
    for (const [url, fields] of [
      ['/alerts/watches', { numbers: numbers[0] ?? '' }],
      ['/alerts/watches/remove', { number: numbers[0] ?? '' }],
      ['/alerts/webhook', { url: hook.url }],
      ['/alerts/webhook/rotate', {}],
      ['/alerts/webhook/delete', {}],
    ] as const) {
      assert.equal((await post(employer, url, fields, null)).statusCode, 403, `${url} without a token`);
      assert.equal((await post(employer, url, fields, 'not-the-token')).statusCode, 403, `${url} with a wrong token`);
    }
    const list = await api(employer, 'GET', '/api/v1/alerts/watches');
    assert.deepEqual(list.json<{ watches: unknown[] }>().watches, [], 'nothing was added');
  });

  test('in Spanish, with the webhook secret shown once and the delivery log after a retry', async () => {
    const county = await as({ role: 'county_admin', countyFips: '06001' });
    const es = await page(county, '/alerts?lang=es');
    assert.match(es.body, /<h1>Alertas de certificación<\/h1>/);
    assert.match(es.body, /lang="es"/);
    await post(county, '/alerts/watches', { numbers: numbers[2] ?? '' });

    const registered = await post(county, '/alerts/webhook', { url: hook.url });
    assert.equal(registered.statusCode, 200, registered.body);
    const secret = /id="webhook-secret-value" type="text" readonly="" value="(whsec_[^"]+)"/.exec(registered.body)?.[1] ?? /value="(whsec_[^"]+)"/.exec(registered.body)?.[1];
    assert.ok(secret, 'the secret is on the page once');
    assert.equal(registered.headers['cache-control'], 'no-store');
    const later = await page(county);
    assert.doesNotMatch(later.body, /whsec_/, 'and never again');
    assert.match(later.body, /data-testid="webhook-url"/);

    await testApp.database.db.transaction((tx) => changeCertificationStatus(tx, { certificationId: certIds[2] ?? '', to: 'suspended', effectiveOn: TODAY, reasonCode: 'suspended' }, systemContext('test', TODAY)));
    const now = new Date();
    await detectStatusChanges(testApp.database.db, { baseUrl: 'https://pss.example.org', now });
    await deliverWebhooks(testApp.database.db, { now });
    await deliverWebhooks(testApp.database.db, { now: new Date(now.getTime() + 61_000) });

    const log = await page(county, '/alerts/deliveries?lang=es');
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /<h1>Entregas del webhook<\/h1>/);
    assert.match(log.body, /data-status="delivered"/);
    assert.match(log.body, /Intento 1, [^<]+: respuesta HTTP 500/);
    assert.match(log.body, /Intento 2, [^<]+: respuesta HTTP 204/);
    const alerts = await page(county);
    assert.match(alerts.body, new RegExp(`data-testid="notifications"[\\s\\S]*${numbers[2]}[\\s\\S]*from Active to Suspended`));

    const deliveries = await api(county, 'GET', '/api/v1/alerts/deliveries');
    const body = deliveries.json<{ deliveries: Array<{ status: string; attemptLog: Array<{ statusCode: number }> }> }>();
    assert.equal(body.deliveries[0]?.status, 'delivered');
    assert.deepEqual(body.deliveries[0]?.attemptLog.map((a) => a.statusCode), [500, 204]);
  });

  test('is for employers, counties and DHCS analysts; anonymous visitors are asked to sign in', async () => {
    assert.equal((await page({})).statusCode, 401);
    assert.equal((await page(await as({ role: 'peer', countyFips: null }))).statusCode, 403);
    assert.equal((await page(await as({ role: 'certification_staff', countyFips: null }))).statusCode, 403);
    assert.equal((await page(await as({ role: 'dhcs_analyst', countyFips: null }))).statusCode, 200);
  });

  test('the account page links to it for those who keep a list', async () => {
    const employer = await as({ role: 'provider_staff', countyFips: null });
    assert.match((await page(employer, '/account')).body, /<a href="\/alerts">Certification alerts<\/a>/);
    assert.doesNotMatch((await page(await as({ role: 'peer', countyFips: null }), '/account')).body, /href="\/alerts"/);
  });
});

describe('the alerts API', () => {
  test('watch, list, remove; webhook put (secret once), rotate, delete', async () => {
    const analyst = await as({ role: 'dhcs_analyst', countyFips: null });
    const added = await api(analyst, 'POST', '/api/v1/alerts/watches', { numbers: [numbers[0], 'PSS-777777'] });
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(added.json(), { added: [numbers[0]], alreadyWatched: [], refused: [{ number: 'PSS-777777', message: 'No certification PSS-777777 is on the registry; check the number on the certificate.' }] });
    const none = await api(analyst, 'POST', '/api/v1/alerts/watches', { numbers: 'PSS-777777' });
    assert.equal(none.statusCode, 422);
    assert.equal(none.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(none.json<{ code: string }>().code, 'alerts.unknown_number');

    const list = await api(analyst, 'GET', '/api/v1/alerts/watches');
    assert.deepEqual(list.json<{ watches: Array<{ number: string; fullName: string; statusToday: string }> }>().watches.map((w) => [w.number, w.fullName, w.statusToday]), [[numbers[0], 'Ana Vega', 'active']]);

    const put = await api(analyst, 'PUT', '/api/v1/alerts/webhook', { url: 'https://hooks.example.org/pss' });
    assert.equal(put.statusCode, 200, put.body);
    assert.match(put.json<{ secret: string }>().secret, /^whsec_/);
    const again = await api(analyst, 'PUT', '/api/v1/alerts/webhook', { url: 'https://hooks.example.org/pss2' });
    assert.equal(again.json<{ secret: string | null; url: string }>().secret, null);
    const rotated = await api(analyst, 'PUT', '/api/v1/alerts/webhook', { url: 'https://hooks.example.org/pss2', rotateSecret: true });
    assert.match(rotated.json<{ secret: string }>().secret, /^whsec_/);
    assert.notEqual(rotated.json<{ secret: string }>().secret, put.json<{ secret: string }>().secret);
    const bad = await api(analyst, 'PUT', '/api/v1/alerts/webhook', { url: 'ftp://hooks.example.org/' });
    assert.equal(bad.statusCode, 400);

    assert.equal((await api(analyst, 'DELETE', '/api/v1/alerts/webhook')).statusCode, 204);
    assert.equal((await api(analyst, 'DELETE', '/api/v1/alerts/webhook')).statusCode, 404);
    assert.equal((await api(analyst, 'DELETE', `/api/v1/alerts/watches/${numbers[0]?.toLowerCase()}`)).statusCode, 204);
    assert.equal((await api(analyst, 'DELETE', `/api/v1/alerts/watches/${numbers[0]}`)).statusCode, 404);
  });

  test('one person cannot see or change another’s list or deliveries', async () => {
    const owner = await as({ role: 'supervisor', countyFips: '06001' });
    const other = await as({ role: 'supervisor', countyFips: '06001' });
    await api(owner, 'POST', '/api/v1/alerts/watches', { numbers: [numbers[1]] });
    await api(owner, 'PUT', '/api/v1/alerts/webhook', { url: hook.url });
    assert.deepEqual((await api(other, 'GET', '/api/v1/alerts/watches')).json<{ watches: unknown[] }>().watches, []);
    assert.equal((await api(other, 'DELETE', `/api/v1/alerts/watches/${numbers[1]}`)).statusCode, 404);
    assert.deepEqual((await api(other, 'GET', '/api/v1/alerts/deliveries')).json(), { deliveries: [] });
    assert.equal((await api(other, 'DELETE', '/api/v1/alerts/webhook')).statusCode, 404);
    assert.doesNotMatch((await page(other)).body, new RegExp(`data-number="${numbers[1]}"|${hook.url.replace(/[/.:]/g, '\\$&')}`));
    assert.equal((await api(owner, 'GET', '/api/v1/alerts/watches')).json<{ watches: unknown[] }>().watches.length, 1, 'the owner’s list is intact');
  });

  test('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/docs/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    assert.ok(doc.paths['/api/v1/alerts/watches']?.get && doc.paths['/api/v1/alerts/watches'].post);
    assert.ok(doc.paths['/api/v1/alerts/watches/{number}']?.delete);
    assert.ok(doc.paths['/api/v1/alerts/webhook']?.put && doc.paths['/api/v1/alerts/webhook'].delete);
    assert.ok(doc.paths['/api/v1/alerts/deliveries']?.get);
  });
});
