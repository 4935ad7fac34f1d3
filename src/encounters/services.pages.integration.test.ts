// The service documentation pages over HTTP, as the people who use them: staff register a member (a refused form
// keeps what was typed, the message beside its field), a peer documents a visit on the one-column form (no peer
// number to type), a passing visit shows no failures and becomes billable, a failing draft lists its failures and
// cannot, a stale edit is refused clearly, staff of another organization find nothing, member pages are never
// cached, no link carries a CIN, and what a peer writes is rendered inert.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/roles.ts';
import { actorHeaders, csrfHeaders } from '../accounts/testing.ts';
import { createSession, SESSION_COOKIE } from '../accounts/sessions.ts';
import { recordEligibility } from '../beneficiaries/eligibility.service.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { assignSupervision, employPeer } from '../organizations/organizations.service.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody } from '../training/testing.ts';
import { ALAMEDA, fixtureNpi, providerAtWork, type ProviderAtWork } from './services.testing.ts';

const today = todayInCalifornia();
const CIN = '91234567A';
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const number = `PSS-7${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;

let testApp: TestApp;
let p: ProviderAtWork;
let other: ProviderAtWork;
let peer: Record<string, string>;
let staff: Record<string, string>;
let otherStaff: Record<string, string>;
let nobody: Record<string, string>;
let supervisor: Record<string, string>;
let countyAdmin: Record<string, string>;

const person = (roles: Extract<Actor, { kind: 'user' }>['roles'], userId: string = randomUUID()) => actorHeaders(testApp.app, { kind: 'user', userId, roles });

before(async () => {
  testApp = await createTestApp();
  const db = testApp.database.db;
  p = await providerAtWork(db, { cin: CIN });
  other = await providerAtWork(db, { cin: CIN });
  // A peer employed and supervised at p's organization today, so the pages (which act on the real date) reach it.
  const peerUserId = randomUUID();
  peer = await person([], peerUserId);
  await certifyPeer(db, { first: 'Paz', last: 'Página', number, issuedOn: addYears(today, -1), expiresOn: addYears(today, 1), userId: peerUserId });
  await employPeer(db, { organizationId: p.org.id, number, individualNpi: fixtureNpi(Math.floor(Math.random() * 1_000_000) + 3_000_000), startsOn: addDays(today, -90) }, p.staff);
  await assignSupervision(db, { organizationId: p.org.id, supervisorUserId: p.supervisor.userId, number, startsOn: addDays(today, -90) }, p.staff);
  // The fixture's member is eligible until 2026-10-01; from then on, open-ended.
  await recordEligibility(db, p.member.id, { startsOn: '2026-10-01' }, p.staff);
  staff = await person([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: p.org.id }]);
  otherStaff = await person([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: other.org.id }]);
  nobody = await person([]);
  countyAdmin = await person([{ role: 'county_admin', countyFips: ALAMEDA }]);
  // The fixture's supervisor exists already: sign them in.
  const csrf = await csrfHeaders(testApp.app);
  supervisor = { 'x-csrf-token': csrf.token, cookie: `${csrf.cookie}; ${SESSION_COOKIE}=${await createSession(db, p.supervisor.userId, {})}` };
});
after(() => testApp.close());

async function get(url: string, headers: Record<string, string>) {
  return testApp.app.inject({ url, headers: { ...headers, accept: 'text/html' } });
}

async function postForm(url: string, headers: Record<string, string>, fields: Record<string, string | string[] | undefined>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of value === undefined ? [] : [value].flat()) body.append(name, v);
  return testApp.app.inject({ method: 'POST', url, headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
}

/** A visit today that passes every rule, as the form sends it. */
function visit(overrides: Record<string, string | string[] | undefined> = {}) {
  return {
    participantIds: p.member.id,
    serviceDate: today,
    startTime: '10:00',
    endTime: '11:00',
    component: 'engagement',
    deliverySystem: 'SMHS',
    modality: 'in_person',
    placeOfService: '11',
    carePlanReference: 'CP-2026-014',
    noteNarrative: 'Met to plan the move to outpatient care; two recovery goals set.',
    noteNextSteps: 'Meet next week; call the clinic together.',
    sign: 'on',
    ...overrides,
  };
}

/** Save a visit as the peer; the id of the service it redirects to. */
async function saveVisit(overrides: Record<string, string | string[] | undefined> = {}): Promise<string> {
  const res = await postForm(`/organizations/${p.org.id}/services`, peer, visit(overrides));
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  const id = /^\/services\/([0-9a-f-]{36})\?done=saved$/.exec(String(res.headers.location))?.[1];
  assert.ok(id, `redirected to ${String(res.headers.location)}`);
  return id;
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
}

describe('members on the web', () => {
  test('staff register a member; a bad CIN is shown beside its field and the other values stay', async () => {
    const typed = { firstName: 'Rosa', lastName: 'Registro', birthDate: '1990-05-01', sex: 'F', countyFips: ALAMEDA };
    const refused = await postForm(`/organizations/${p.org.id}/members`, staff, { ...typed, cin: '12345' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="cin-error"[^>]*>A CIN is 9 characters/);
    assert.match(refused.body, /value="Rosa"/);
    assert.match(refused.body, /value="Registro"/);
    assert.match(refused.body, /value="1990-05-01"/);

    const saved = await postForm(`/organizations/${p.org.id}/members`, staff, { ...typed, cin: '91111111A' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 1000));
    const location = String(saved.headers.location);
    assert.match(location, /^\/members\/[0-9a-f-]{36}\?done=registered$/);
    assert.ok(!location.includes('91111111A'));
    const page = await get(location, staff);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="member-cin">91111111A</);
    assert.equal(page.headers['cache-control'], 'no-store');

    const list = await get(`/organizations/${p.org.id}/members?name=regis`, staff);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Registro, Rosa/);
    assert.ok(!list.body.includes('Member, Maria'), 'the name filter applies');
    assert.equal(list.headers['cache-control'], 'no-store');
  });

  test('the member page is never cached, and no link on the pages carries the CIN', async () => {
    const id = await saveVisit({ startTime: undefined, endTime: undefined, minutes: '20' });
    const pages = [`/members/${p.member.id}`, `/organizations/${p.org.id}/members`, `/organizations/${p.org.id}/services/new?member=${p.member.id}`, `/services/${id}`, '/services'];
    for (const url of pages) {
      const res = await get(url, staff);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
      assert.deepEqual(hrefs(res.body).filter((h) => h.includes(CIN)), [], `${url}: no href carries the CIN`);
    }
    const member = await get(`/members/${p.member.id}`, staff);
    assert.match(member.body, new RegExp(`data-testid="member-cin">${CIN}<`), 'the CIN is shown on the page, just never in a link');
    assert.match(member.body, new RegExp(`href="/organizations/${p.org.id}/services/new\\?member=${p.member.id}"`));
  });

  test('an eligibility period is added from the member page; an overlapping one is refused beside its field', async () => {
    const refused = await postForm(`/members/${p.member.id}/eligibility`, staff, { startsOn: '2026-03-01', endsOn: '2026-04-01' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /id="startsOn-error"/);
    assert.match(refused.body, /value="2026-03-01"/);
    const saved = await postForm(`/members/${p.member.id}/eligibility`, staff, { startsOn: '2025-01-01', endsOn: '2025-06-01', aidCode: '1H' });
    assert.equal(saved.statusCode, 303);
    const page = await get(String(saved.headers.location), staff);
    assert.match(page.body, /2025-01-01/);
    assert.match(page.body, /1H/);
  });
});

describe('organizations on the web', () => {
  test('a county administrator adds an organization; a bad NPI is shown beside its field', async () => {
    const typed = { name: 'Eastbay Recovery Peers', kind: 'contracted', taxId: '94-1234567', countyFips: ALAMEDA, street: '1 Broadway', city: 'Oakland', zip: '94612' };
    const refused = await postForm('/organizations', countyAdmin, { ...typed, npi: '1234567890' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="npi-error"/);
    assert.match(refused.body, /value="Eastbay Recovery Peers"/);
    const saved = await postForm('/organizations', countyAdmin, { ...typed, npi: fixtureNpi(Math.floor(Math.random() * 1_000_000) + 5_000_000) });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 1000));
    const page = await get(String(saved.headers.location), countyAdmin);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Eastbay Recovery Peers<\/h1>/);
    assert.match((await get('/organizations', countyAdmin)).body, /Eastbay Recovery Peers/);
    assert.equal((await postForm('/organizations', staff, typed)).statusCode, 403, 'provider staff keep their organization; they do not add one');
  });
});

describe('documenting a service on the web', () => {
  test('the form renders for a peer without the peer-number field, with the member asked for chosen', async () => {
    const res = await get(`/organizations/${p.org.id}/services/new?member=${p.member.id}`, peer);
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes('name="peerNumber"'), 'a peer documents as themselves');
    assert.match(res.body, new RegExp(`name="participantIds" value="${p.member.id}" checked`));
    for (const name of ['serviceDate', 'startTime', 'endTime', 'minutes', 'component', 'deliverySystem', 'modality', 'telehealthConsent', 'placeOfService', 'carePlanReference', 'noteNarrative', 'noteNextSteps', 'sign']) {
      assert.match(res.body, new RegExp(`name="${name}"`), name);
    }
    assert.match(res.body, /type="time"/);
    assert.match(res.body, /usa-radio__input--tile/);
    const byStaff = await get(`/organizations/${p.org.id}/services/new`, staff);
    assert.equal(byStaff.statusCode, 200);
    assert.match(byStaff.body, /name="peerNumber"/, 'staff name the peer');
    assert.ok(!byStaff.body.includes('name="sign"'), 'only the peer signs');
  });

  test('a valid visit redirects to the service, which shows no failures; marking it billable makes it billable', async () => {
    const id = await saveVisit();
    const page = await get(`/services/${id}`, peer);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="no-failures"/);
    assert.ok(!page.body.includes('data-testid="failures"'));
    assert.match(page.body, /data-testid="note-due">\d{4}-\d{2}-\d{2}</);
    assert.match(page.body, /name="version" value="1"/);
    assert.equal(page.headers['cache-control'], 'no-store');

    const billable = await postForm(`/services/${id}/billable`, staff, {});
    assert.equal(billable.statusCode, 303);
    const after = await get(String(billable.headers.location), staff);
    assert.match(after.body, /data-testid="service-status"><span class="usa-tag bg-green">Billable</);
  });

  test('a failing draft lists its failures, each beside its field; "Mark billable" answers 422 with them', async () => {
    const id = await saveVisit({ startTime: undefined, endTime: undefined, minutes: '45', carePlanReference: '', noteNarrative: '', sign: undefined });
    const page = await get(`/services/${id}`, peer);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="failures"/);
    for (const code of ['care_plan.missing', 'note.narrative', 'note.unsigned']) assert.match(page.body, new RegExp(`data-failure="${code}"`), code);
    assert.match(page.body, /id="noteNarrative-error"[^>]*>Write the progress note/);
    assert.match(page.body, /id="carePlanReference-error"/);
    assert.match(page.body, /id="sign-error"/);

    const refused = await postForm(`/services/${id}/billable`, peer, {});
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /data-failure="note.narrative"/);
    assert.match(refused.body, /This service is not billable yet/);
    assert.match(refused.body, /data-testid="service-status"><span class="usa-tag bg-base">Draft</);

    // Corrected and signed on the same page, it passes.
    const fixed = await postForm(`/services/${id}`, peer, visit({ startTime: undefined, endTime: undefined, minutes: '45', version: '1' }));
    assert.equal(fixed.statusCode, 303, fixed.body.slice(0, 1500));
    assert.match((await get(`/services/${id}`, peer)).body, /data-testid="no-failures"/);
  });

  test('a refused form keeps what was typed and says what is missing beside it', async () => {
    const res = await postForm(`/organizations/${p.org.id}/services`, peer, visit({ participantIds: undefined, noteNarrative: 'Kept while I fix the rest.' }));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="participantIds-error"/);
    assert.match(res.body, /Kept while I fix the rest\./);
    assert.match(res.body, /value="engagement" checked/);
  });

  test('an edit of a version someone else changed is refused with a clear message', async () => {
    const id = await saveVisit({ startTime: undefined, endTime: undefined, minutes: '30' });
    const res = await postForm(`/services/${id}`, peer, visit({ startTime: undefined, endTime: undefined, minutes: '35', version: '7' }));
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Someone changed this service since you opened it/);
    assert.match(res.body, /value="35"/, 'what was typed stays');
  });

  test('the list filters by state and links to the same list as CSV', async () => {
    const failing = await saveVisit({ startTime: undefined, endTime: undefined, minutes: '15', noteNextSteps: '' });
    const list = await get('/services?state=failing', staff);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`data-encounter="${failing}"`));
    assert.match(list.body, /href="\/api\/v1\/encounters\.csv\?state=failing"/);
    const mine = await get('/services?caseload=mine', peer);
    assert.match(mine.body, new RegExp(`data-encounter="${failing}"`), 'a peer’s caseload is their own services');
    const bad = await get('/services?from=yesterday', staff);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="from-error"/);
  });

  test('what a peer writes is rendered inert', async () => {
    const id = await saveVisit({ startTime: undefined, endTime: undefined, minutes: '10', noteNarrative: `Talked about housing. ${XSS}` });
    for (const headers of [peer, staff]) {
      const page = await get(`/services/${id}`, headers);
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('<script>alert'), 'the narrative is escaped');
      assert.ok(!page.body.includes('<img src=x'), 'no element comes from the narrative');
      assert.match(page.body, /&lt;script>alert/);
    }
  });
});

describe('supervision and eligibility files', () => {
  test('the peer’s supervisor co-signs a signed note from its page', async () => {
    const id = await saveVisit({ startTime: '13:00', endTime: '13:30' });
    const page = await get(`/services/${id}`, supervisor);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`action="/services/${id}/cosign"`));
    assert.ok(!page.body.includes(`action="/services/${id}/billable"`), 'a supervisor co-signs; staff and the peer bill');
    const cosigned = await postForm(`/services/${id}/cosign`, supervisor, {});
    assert.equal(cosigned.statusCode, 303, cosigned.body.slice(0, 1000));
    const after = await get(String(cosigned.headers.location), supervisor);
    assert.match(after.body, /The note is co-signed\./);
    assert.ok(!after.body.includes(`action="/services/${id}/cosign"`));
  });

  test('an eligibility CSV is imported with a report per line that names no CIN', async () => {
    const csv = `cin,starts_on,ends_on\n${CIN},2024-01-01,2024-07-01\n98888888A,2024-01-01,\n`;
    const body = await multipartBody({ _csrf: staff['x-csrf-token']! }, { file: { filename: 'eligibility.csv', type: 'text/csv', content: csv } });
    const res = await testApp.app.inject({ method: 'POST', url: `/organizations/${p.org.id}/eligibility-import`, headers: { cookie: staff.cookie!, accept: 'text/html', 'content-type': body.contentType }, payload: body.payload });
    assert.equal(res.statusCode, 200, res.body.slice(0, 1000));
    assert.match(res.body, /1 recorded, 0 already recorded, 1 rejected\./);
    assert.match(res.body, /data-outcome="rejected"/);
    assert.ok(!res.body.includes('98888888A'), 'the report names lines, never CINs');
    const none = await multipartBody({ _csrf: staff['x-csrf-token']! }, {});
    const empty = await testApp.app.inject({ method: 'POST', url: `/organizations/${p.org.id}/eligibility-import`, headers: { cookie: staff.cookie!, accept: 'text/html', 'content-type': none.contentType }, payload: none.payload });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /id="file-error"/);
  });
});

describe('who reaches what', () => {
  test('staff of another organization get 404 for the service, the member and the form', async () => {
    const id = await saveVisit({ startTime: undefined, endTime: undefined, minutes: '25' });
    for (const url of [`/services/${id}`, `/members/${p.member.id}`, `/organizations/${p.org.id}/services/new`, `/organizations/${p.org.id}/members`, `/organizations/${p.org.id}`]) {
      assert.equal((await get(url, otherStaff)).statusCode, 404, url);
    }
    const billable = await postForm(`/services/${id}/billable`, otherStaff, {});
    assert.equal(billable.statusCode, 404);
    const list = await get('/services', otherStaff);
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(id), 'nor is it in their list');
  });

  test('someone with no reach gets an empty list; anyone signed out is asked to sign in', async () => {
    const res = await get('/services', nobody);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /data-testid="no-services"/);
    assert.equal((await get('/services', {})).statusCode, 401);
    assert.equal((await get(`/members/${p.member.id}`, {})).statusCode, 401);
  });

  test('the organization page shows its people and forms to its staff, and the services page is in Spanish on request', async () => {
    const page = await get(`/organizations/${p.org.id}`, staff);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(number));
    assert.match(page.body, /action="\/organizations\/[0-9a-f-]{36}\/contracts"/);
    assert.match(page.body, new RegExp(`href="/organizations/${p.org.id}/members"`));
    const es = await get('/services?lang=es', peer);
    assert.match(es.body, /<h1>Servicios<\/h1>/);
    assert.match(es.body, /Documentar un servicio en/);
  });
});
