// The enforcement pages over HTTP: the public form in both languages, filing with evidence, errors beside their
// fields, CSRF, the staff dashboard and case page, a decision posted as a form, the registry page showing the
// action, and what a complainant types rendered inert.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/roles.ts';
import { actorHeaders, csrfHeaders } from '../accounts/testing.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { addYears, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody, TINY_PDF } from '../training/testing.ts';
import { caseEvidence, enforcementCases } from './enforcement.schema.ts';

let testApp: TestApp;
const today = todayInCalifornia();
const staff: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'enforcement_staff', countyFips: null }] };
let staffHeaders: Record<string, string>;
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

before(async () => {
  testApp = await createTestApp();
  staffHeaders = await actorHeaders(testApp.app, staff);
  await certifyPeer(testApp.database.db, { first: 'Pablo', last: 'Página', number: 'PSS-710001', issuedOn: addYears(today, -1), expiresOn: addYears(today, 1) });
});
after(() => testApp.close());

async function postForm(url: string, fields: Record<string, string>, files: Record<string, { filename: string; type: string; content: Buffer }> = {}, headers?: Record<string, string>) {
  const csrf = headers ? { token: headers['x-csrf-token']!, cookie: headers.cookie! } : await csrfHeaders(testApp.app);
  const body = await multipartBody({ ...fields, _csrf: csrf.token }, files);
  return testApp.app.inject({ method: 'POST', url, headers: { cookie: csrf.cookie, accept: 'text/html', 'content-type': body.contentType }, payload: body.payload });
}

describe('the public complaint form', () => {
  test('is labelled and in Spanish on request', async () => {
    const en = await testApp.app.inject({ url: '/complaints/new', headers: { accept: 'text/html' } });
    assert.equal(en.statusCode, 200);
    for (const id of ['kind-ethics', 'subjectNumber', 'occurredOn', 'narrative', 'evidence1', 'name', 'email', 'phone']) assert.match(en.body, new RegExp(`for="${id}"`), id);
    const es = await testApp.app.inject({ url: '/complaints/new?lang=es', headers: { accept: 'text/html' } });
    assert.match(es.body, /Presentar una queja/);
    assert.match(es.body, /lang="es"/);
  });

  test('anonymous filing with evidence answers with a complaint number; what was typed is rendered inert', async () => {
    const res = await postForm(
      '/complaints',
      { kind: 'ethics', subjectNumber: 'PSS-710001', narrative: `Shared my story without asking. ${XSS}`, name: 'Quinn Q', email: 'quinn@example.org', occurredOn: today },
      { evidence1: { filename: 'letter.pdf', type: 'application/pdf', content: TINY_PDF } },
    );
    assert.equal(res.statusCode, 201, res.body.slice(0, 500));
    const number = /data-testid="complaint-number">([^<]+)</.exec(res.body)?.[1];
    assert.match(number ?? '', /^CMP-\d{4}-\d{6}$/);
    const [row] = await testApp.database.db.select().from(enforcementCases).where(eq(enforcementCases.number, number!));
    assert.equal((await testApp.database.db.select().from(caseEvidence).where(eq(caseEvidence.caseId, row!.id))).length, 1);

    const page = await testApp.app.inject({ url: `/enforcement/cases/${row!.id}`, headers: { ...staffHeaders, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert'), 'the narrative is escaped');
    assert.match(page.body, /&lt;script>alert/);
    assert.equal(page.headers['cache-control'], 'no-store');
  });

  test('a refused form keeps what was typed and names the fields; nothing is stored', async () => {
    const before = (await testApp.database.db.select().from(enforcementCases)).length;
    const res = await postForm('/complaints', { kind: 'ethics', narrative: 'Something happened at the clinic last week.' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="name-error"/);
    assert.match(res.body, /Something happened at the clinic last week\./);
    assert.equal((await testApp.database.db.select().from(enforcementCases)).length, before);
  });

  test('without its CSRF token a post is refused and writes nothing', async () => {
    const before = (await testApp.database.db.select().from(enforcementCases)).length;
    const res = await testApp.app.inject({ method: 'POST', url: '/complaints', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'kind=general&narrative=no%20token%20at%20all%20here&name=X&email=x%40example.org' });
    assert.equal(res.statusCode, 403);
    assert.equal((await testApp.database.db.select().from(enforcementCases)).length, before);
  });

  test('the JSON API files a complaint and answers problem+json for bad input', async () => {
    const ok = await testApp.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { kind: 'general', narrative: 'The exam center closed without notice.', name: 'R', phone: '916 555 0101' } });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.match(ok.json().number, /^CMP-/);
    const bad = await testApp.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { kind: 'nonsense', narrative: 'x' } });
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
  });
});

describe('staff work a case on the web', () => {
  test('the dashboard lists the case; a suspension posted as a form shows on the registry page', async () => {
    const filed = await testApp.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { kind: 'ethics', subjectNumber: 'PSS-710001', narrative: 'Borrowed money from a client in the program.', name: 'S', email: 's@example.org' } });
    const number = filed.json().number as string;
    const [row] = await testApp.database.db.select().from(enforcementCases).where(eq(enforcementCases.number, number));
    const dashboard = await testApp.app.inject({ url: '/enforcement?view=open', headers: { ...staffHeaders, accept: 'text/html' } });
    assert.equal(dashboard.statusCode, 200);
    assert.match(dashboard.body, new RegExp(number));
    const decided = await postForm(
      `/enforcement/cases/${row!.id}/decide`,
      { outcome: 'suspension', reason: 'Financial exploitation (private).', startsOn: today, endsOn: addYears(today, 1), publicSummary: 'Suspended for one year.' },
      {},
      staffHeaders,
    );
    assert.equal(decided.statusCode, 303, decided.body.slice(0, 800));
    const registry = await testApp.app.inject({ url: '/registry/PSS-710001', headers: { accept: 'text/html' } });
    assert.match(registry.body, /data-action="suspension"/);
    assert.match(registry.body, /Suspended for one year\./);
    assert.ok(!registry.body.includes('private'), 'the private reasons stay off the registry');
    assert.ok(!registry.body.includes(number), 'the case number stays off the registry');
    const api = await testApp.app.inject({ url: '/api/v1/registry/peers/PSS-710001' });
    assert.equal(api.json().statusToday, 'suspended');
  });

  test('the JSON API lists and reads cases for enforcement staff only, and decides one', async () => {
    const filed = await testApp.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { kind: 'general', narrative: 'The portal lost my uploaded diploma twice.', name: 'U', email: 'u@example.org' } });
    const number = filed.json().number as string;
    const list = await testApp.app.inject({ url: '/api/v1/enforcement/cases?view=open', headers: staffHeaders });
    assert.equal(list.statusCode, 200);
    const listed = (list.json().cases as Array<{ id: string; number: string; acknowledgement: { state: string } }>).find((c) => c.number === number)!;
    assert.equal(listed.acknowledgement.state, 'met');
    const one = await testApp.app.inject({ url: `/api/v1/enforcement/cases/${listed.id}`, headers: staffHeaders });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().narrative, 'The portal lost my uploaded diploma twice.');
    assert.equal(one.headers['cache-control'], 'no-store');
    assert.equal((await testApp.app.inject({ url: `/api/v1/enforcement/cases/${listed.id}` })).statusCode, 401);
    const peer = await actorHeaders(testApp.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] });
    assert.equal((await testApp.app.inject({ url: `/api/v1/enforcement/cases/${listed.id}`, headers: peer })).statusCode, 403);
    const decided = await testApp.app.inject({ method: 'POST', url: `/api/v1/enforcement/cases/${listed.id}/decision`, headers: staffHeaders, payload: { outcome: 'dismissed', reason: 'Resolved by the certification team; no conduct issue.' } });
    assert.equal(decided.statusCode, 201, decided.body);
    assert.equal(decided.json().kind, 'dismissed');
  });

  test('a refused decision comes back beside the form', async () => {
    const filed = await testApp.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { kind: 'general', narrative: 'Nobody answered my emails for weeks.', name: 'T', email: 't@example.org' } });
    const [row] = await testApp.database.db.select().from(enforcementCases).where(eq(enforcementCases.number, filed.json().number));
    const res = await postForm(`/enforcement/cases/${row!.id}/decide`, { outcome: 'revocation', reason: 'x', startsOn: today }, {}, staffHeaders);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Link the case to the certification/);
  });
});
