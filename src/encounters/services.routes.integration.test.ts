// The JSON API of service documentation over HTTP: an EHR registers a member, documents a visit, validates only,
// corrects with the version it read, marks it billable, lists and exports — and another organization's staff,
// or a visitor, get nothing. The CIN goes in bodies only, and answers about members are never cached.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPerson, sessionHeaders } from '../accounts/testing.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { engagementVisit, providerAtWork, type ProviderAtWork } from './services.testing.ts';

let t: TestApp;
let p: ProviderAtWork;
let other: ProviderAtWork;

const as = (userId: string) => sessionHeaders(t.app, userId);

before(async () => {
  t = await createTestApp();
  p = await providerAtWork(t.database.db, { employedUntil: null });
  other = await providerAtWork(t.database.db, { cin: '95555555C' });
});
after(() => t.close());

describe('service documentation API', () => {
  test('register a member, look them up by CIN in the body, read them; no-store; another organization gets 404', async () => {
    const staff = await as(p.staff.userId);
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/organizations/${p.org.id}/beneficiaries`, headers: staff, payload: { cin: '93333333A', firstName: 'Luis', lastName: 'Rivera', birthDate: '1975-07-04', countyFips: '06001' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.headers['cache-control'], 'no-store');
    const id = created.json().id as string;
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/organizations/${p.org.id}/beneficiaries`, headers: staff, payload: { cin: '12', firstName: 'X', lastName: 'Y', birthDate: '1975-07-04', countyFips: '06001' } });
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /problem\+json/);
    const found = await t.app.inject({ method: 'POST', url: `/api/v1/organizations/${p.org.id}/beneficiaries/lookup`, headers: staff, payload: { cin: '93333333a' } });
    assert.equal(found.json().id, id);
    const read = await t.app.inject({ url: `/api/v1/beneficiaries/${id}`, headers: staff });
    assert.equal(read.json().member.cin, '93333333A');
    const outsider = await t.app.inject({ url: `/api/v1/beneficiaries/${id}`, headers: await as(other.staff.userId) });
    assert.equal(outsider.statusCode, 404);
    assert.equal((await t.app.inject({ url: `/api/v1/beneficiaries/${id}` })).statusCode, 401);
    const csv = await t.app.inject({ method: 'POST', url: `/api/v1/organizations/${p.org.id}/eligibility`, headers: { ...staff, 'content-type': 'text/csv' }, payload: 'cin,starts_on,ends_on\n93333333A,2026-01-01,2027-01-01\n' });
    assert.equal(csv.json().recorded, 1, csv.body);
  });

  test('document, validate only, correct with the version, mark billable, list and export', async () => {
    const peer = await as(p.peer.userId);
    const visit = engagementVisit(p, { serviceDate: '2026-04-06', sign: false });
    const check = await t.app.inject({ method: 'POST', url: `/api/v1/organizations/${p.org.id}/encounters/validate`, headers: peer, payload: visit });
    assert.equal(check.statusCode, 200, check.body);
    assert.ok(check.json().failures.some((f: { code: string; field: string }) => f.code === 'note.late' && f.field === 'sign'), 'unsigned months later');
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/organizations/${p.org.id}/encounters`, headers: peer, payload: { ...visit, carePlanReference: '' } });
    assert.equal(created.statusCode, 201, created.body);
    const { encounter } = created.json();
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/encounters/${encounter.id}/billable`, headers: peer });
    assert.equal(refused.statusCode, 422);
    assert.ok(refused.json().errors.some((e: { path: string }) => e.path === 'carePlanReference'));
    const fixed = await t.app.inject({ method: 'PUT', url: `/api/v1/encounters/${encounter.id}`, headers: peer, payload: { ...visit, carePlanReference: 'CP-9', version: encounter.version } });
    assert.equal(fixed.statusCode, 200, fixed.body);
    const stale = await t.app.inject({ method: 'PUT', url: `/api/v1/encounters/${encounter.id}`, headers: peer, payload: { ...visit, version: encounter.version } });
    assert.equal(stale.statusCode, 409);
    const list = await t.app.inject({ url: `/api/v1/encounters?caseload=mine`, headers: peer });
    assert.equal(list.json().encounters[0].id, encounter.id);
    const csv = await t.app.inject({ url: `/api/v1/encounters.csv?organizationId=${p.org.id}`, headers: await as(p.staff.userId) });
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.ok(csv.body.includes(encounter.id));
    const detail = await t.app.inject({ url: `/api/v1/encounters/${encounter.id}`, headers: await as(p.supervisor.userId) });
    assert.equal(detail.json().participants[0].firstName, 'Maria');
    assert.equal((await t.app.inject({ url: `/api/v1/encounters/${encounter.id}`, headers: await as(other.staff.userId) })).statusCode, 404);
    assert.deepEqual((await t.app.inject({ url: '/api/v1/encounters', headers: await as(other.peer.userId) })).json().encounters.filter((e: { id: string }) => e.id === encounter.id), []);
  });

  test('an EHR’s API token limited to its organization reads that organization’s members only', async () => {
    const admin = await createPerson(t.database.db, { roles: [{ role: 'system_admin', countyFips: null }] });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: await as(admin.id), payload: { name: 'Bay EHR', roles: [{ role: 'provider_staff', countyFips: '06001', organizationId: p.org.id }] } });
    assert.equal(created.statusCode, 201, created.body);
    const bearer = { authorization: `Bearer ${created.json().token}` };
    const mine = await t.app.inject({ url: `/api/v1/organizations/${p.org.id}/beneficiaries`, headers: bearer });
    assert.equal(mine.statusCode, 200, mine.body);
    assert.ok(mine.json().members.some((m: { id: string }) => m.id === p.member.id));
    assert.equal((await t.app.inject({ url: `/api/v1/beneficiaries/${other.member.id}`, headers: bearer })).statusCode, 404);
    const wrongCounty = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: await as(admin.id), payload: { name: 'x', roles: [{ role: 'provider_staff', countyFips: '06029', organizationId: p.org.id }] } });
    assert.equal(wrongCounty.statusCode, 400);
  });

  test('the OpenAPI document describes the new operations', async () => {
    const doc = (await t.app.inject({ url: '/docs/openapi.json' })).json();
    for (const path of ['/api/v1/organizations', '/api/v1/organizations/{id}/beneficiaries', '/api/v1/organizations/{id}/encounters', '/api/v1/encounters/{id}', '/api/v1/encounters/{id}/billable']) assert.ok(doc.paths[path], path);
    assert.ok(!Object.keys(doc.paths).some((k) => k.startsWith('/services') || k.startsWith('/members')), 'pages are not API operations');
  });
});
