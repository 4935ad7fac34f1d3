// DHCS analysts record participation changes from the API: effective-dated rows with reasons, audited, never overwrites.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { actorHeaders } from '../accounts/testing.ts';
import { searchAudit, verifyAuditChain } from '../audit/audit.service.ts';
import type { Role } from '../access/roles.ts';
import { createTestApp, type TestApp } from '../testing.ts';

let testApp: TestApp;
let app: FastifyInstance;
before(async () => {
  testApp = await createTestApp();
  app = testApp.app;
});
after(() => testApp.close());

const as = (role: Role) => actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role, countyFips: null }] });

async function put(headers: Record<string, string>, path: string, body: object) {
  return app.inject({ method: 'PUT', url: `/api/v1/counties/${path}`, headers, payload: body });
}

describe('an analyst records that Alpine joins SMHS from 2025-09-01', () => {
  test('the change is a new row: Alpine takes part from that date, not before, and the history says why', async () => {
    const analyst = await as('dhcs_analyst');
    const res = await put(analyst, '06003/participation/SMHS', { participating: true, effectiveOn: '2025-09-01', reason: 'BHIN 25-099 opt-in letter' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().deliverySystems, ['SMHS']);
    const before = (await app.inject({ url: '/api/v1/counties/06003?asOf=2025-08-31' })).json();
    assert.deepEqual(before.deliverySystems, []);
    const history = (await app.inject({ url: '/api/v1/counties/06003' })).json().history;
    assert.deepEqual(history.map((p: { from: string; reason: string }) => [p.from, p.reason]), [['2025-09-01', 'BHIN 25-099 opt-in letter']]);
  });

  test('it is in the audit log with the reason and who did it', async () => {
    const { rows } = await searchAudit(testApp.database.db, { action: 'county.participation.change', entityId: '06003' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.reason, 'BHIN 25-099 opt-in letter');
    assert.equal(rows[0]?.actorRole, 'dhcs_analyst');
    assert.ok(rows[0]?.actorUserId);
    assert.equal((await verifyAuditChain(testApp.database.db)).ok, true);
  });

  test('POST records a change for a named delivery system and answers 201', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/counties/06003/participation',
      headers: await as('system_admin'),
      payload: { deliverySystem: 'SMHS', participating: false, effectiveOn: '2026-01-01', reason: 'Withdrew' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const history = res.json().history;
    assert.deepEqual(history.map((p: { from: string; to: string | null }) => [p.from, p.to]), [['2025-09-01', '2026-01-01']]);
  });
});

describe('what is refused', () => {
  test('anonymous is 401 and a peer or county administrator 403, and nothing is written', async () => {
    const body = { participating: true, effectiveOn: '2025-10-01', reason: 'x' };
    assert.equal((await put({}, '06055/participation/SMHS', body)).statusCode, 401);
    assert.equal((await put(await as('peer'), '06055/participation/SMHS', body)).statusCode, 403);
    const countyAdmin = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'county_admin', countyFips: '06055' }] });
    assert.equal((await put(countyAdmin, '06055/participation/SMHS', body)).statusCode, 403);
    assert.deepEqual((await app.inject({ url: '/api/v1/counties/06055?asOf=2025-10-02' })).json().deliverySystems, []);
  });

  test('recording what is already so is a 409; an empty reason or a bad date a 400; an unknown county a 404', async () => {
    const analyst = await as('dhcs_analyst');
    const same = await put(analyst, '06001/participation/SMHS', { participating: true, effectiveOn: '2025-03-01', reason: 'again' });
    assert.equal(same.statusCode, 409);
    assert.match(same.json().detail, /Alameda already takes part in SMHS/);
    assert.equal((await put(analyst, '06001/participation/SMHS', { participating: false, effectiveOn: '2025-03-01', reason: ' ' })).statusCode, 400);
    assert.equal((await put(analyst, '06001/participation/SMHS', { participating: false, effectiveOn: '2025-02-30', reason: 'x' })).statusCode, 400);
    assert.equal((await put(analyst, '06999/participation/SMHS', { participating: false, effectiveOn: '2025-03-01', reason: 'x' })).statusCode, 404);
  });

  test('a county cannot run the DMC State Plan and DMC-ODS at once: 422 with the rule code', async () => {
    const res = await put(await as('dhcs_analyst'), '06001/participation/DMC', { participating: true, effectiveOn: '2025-03-01', reason: 'x' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'participation.dmc_and_dmc_ods');
  });
});

describe('the county page for an analyst', () => {
  test('shows the form; a refused change comes back with its message and what was typed; an accepted one is listed', async () => {
    const analyst = await as('dhcs_analyst');
    const page = await app.inject({ url: '/counties/06109', headers: { ...analyst, accept: 'text/html' } });
    assert.match(page.body, /Record a participation change/);
    const anonymousPage = await app.inject({ url: '/counties/06109', headers: { accept: 'text/html' } });
    assert.doesNotMatch(anonymousPage.body, /Record a participation change/, 'the public never sees the form');

    const form = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/counties/06109/participation',
        headers: { ...analyst, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    const refused = await form({ deliverySystem: 'SMHS', participating: 'yes', effectiveOn: '2025-13-01', reason: 'Tuolumne opt-in' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="effectiveOn-error"/);
    assert.match(refused.body, />Tuolumne opt-in<\/textarea>/, 'the reason typed is kept');

    const accepted = await form({ deliverySystem: 'SMHS', participating: 'yes', effectiveOn: '2025-11-01', reason: 'Tuolumne opt-in' });
    assert.equal(accepted.statusCode, 303);
    const after = await app.inject({ url: String(accepted.headers.location), headers: { ...analyst, accept: 'text/html' } });
    assert.match(after.body, /Change recorded/);
    assert.match(after.body, /data-testid="county-current">SMHS only</);
  });

  test('the form post needs the CSRF token', async () => {
    const analyst = await as('dhcs_analyst');
    const withoutToken = Object.fromEntries(Object.entries(analyst).filter(([name]) => name !== 'x-csrf-token'));
    const res = await app.inject({
      method: 'POST',
      url: '/counties/06109/participation',
      headers: { ...withoutToken, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'deliverySystem=DMC&participating=yes&effectiveOn=2025-12-01&reason=x',
    });
    assert.equal(res.statusCode, 403);
    assert.deepEqual((await app.inject({ url: '/api/v1/counties/06109?asOf=2025-12-02' })).json().deliverySystems, ['SMHS']);
  });
});
