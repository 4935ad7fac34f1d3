// The claims pages over HTTP, as billing staff use them: staff build a batch through the form and land on its page,
// a held claim is highlighted and shows its edit's message, the 837P downloads as an attachment starting with its
// ISA header, a claim's page shows its lines and edits, staff of another organization find nothing (404), someone
// with no reach sees empty lists, an 835 is uploaded and its result (and its second upload) shown, and the pages
// speak Spanish. An adjudicated claim offers its corrections: a void without a reason is refused on the form, a
// replacement lands on its own page and the two claims link to each other.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { UseCaseContext } from '../access/context.ts';
import type { Actor } from '../access/roles.ts';
import { actorHeaders, createPerson } from '../accounts/testing.ts';
import { recordEligibility } from '../beneficiaries/eligibility.service.ts';
import { ALAMEDA, billableVisit, providerAtWork, type ProviderAtWork } from '../encounters/services.testing.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody } from '../web/multipart.testing.ts';
import { importFeeSchedule } from './fee-schedule.ts';
import { x835 } from './fixtures-835.testing.ts';

const today = todayInCalifornia();
// Recent dates, so the claims are within timely filing whenever the test runs.
const READY_ON = addDays(today, -21);
const HELD_ON = addDays(today, -20);
const SCHEDULE = ['plan_code,delivery_system,procedure_code,modifiers,effective_from,rate', 'alameda,SMHS,H0038,,2026-01-01,26.49'].join('\n');

let testApp: TestApp;
let p: ProviderAtWork;
let other: ProviderAtWork;
let staff: Record<string, string>;
let otherStaff: Record<string, string>;
let nobody: Record<string, string>;
let countyAdmin: Record<string, string>;
/** What the tests below find as they go: the batch built through the form, its ready and held claims. */
const found = { batchId: '', readyId: '', readyControl: '', heldId: '' };

const person = (roles: Extract<Actor, { kind: 'user' }>['roles']) => actorHeaders(testApp.app, { kind: 'user', userId: randomUUID(), roles });

async function get(url: string, headers: Record<string, string>) {
  return testApp.app.inject({ url, headers: { ...headers, accept: 'text/html' } });
}

async function postForm(url: string, headers: Record<string, string>, fields: Record<string, string>) {
  return testApp.app.inject({ method: 'POST', url, headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
}

async function upload(headers: Record<string, string>, text: string | undefined, filename = 'remit.835') {
  const files = text === undefined ? [] : [{ name: 'file', filename, contentType: 'application/octet-stream', bytes: Buffer.from(text) }];
  const body = multipartBody({ _csrf: headers['x-csrf-token'] ?? '' }, files);
  return testApp.app.inject({ method: 'POST', url: '/claims/remittances', headers: { ...headers, ...body.headers, accept: 'text/html' }, payload: body.payload });
}

/** A billable service of p on `on`, documented and marked billable that day. */
const billable = (on: string, overrides: Record<string, unknown> = {}) => billableVisit(testApp.database.db, p, { ...overrides, serviceDate: on });

before(async () => {
  testApp = await createTestApp();
  const db = testApp.database.db;
  p = await providerAtWork(db, { employedUntil: null });
  other = await providerAtWork(db, { employedUntil: null });
  // The fixture's member is eligible until 2026-10-01; from then on, open-ended.
  await recordEligibility(db, p.member.id, { startsOn: '2026-10-01' }, p.staff);
  const analystPerson = await createPerson(db, { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
  const analyst: UseCaseContext = { actor: { kind: 'user', userId: analystPerson.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } };
  await importFeeSchedule(db, { csv: SCHEDULE, source: 'Claims pages test schedule', illustrative: true }, analyst);
  await billable(READY_ON, { startTime: '10:00', endTime: '11:00' }); // 60 minutes: 4 units, ready
  await billable(HELD_ON, { startTime: '09:00', endTime: '09:37', diagnosisCode: '' }); // held: no diagnosis
  staff = await person([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: p.org.id }]);
  otherStaff = await person([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: other.org.id }]);
  nobody = await person([]);
  countyAdmin = await person([{ role: 'county_admin', countyFips: ALAMEDA }]);
});
after(() => testApp.close());

describe('claims on the web', () => {
  test('staff build a batch through the form and land on its page; held claims are highlighted', async () => {
    const home = await get('/claims', staff);
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['cache-control'], 'no-store');
    assert.match(home.body, /action="\/claims\/batches"/);
    assert.match(home.body, new RegExp(`<option value="${p.org.id}" selected>`), 'their one organization is chosen');
    for (const href of ['/claims/list', '/claims/denials', '/claims/remittances/new']) assert.match(home.body, new RegExp(`href="${href}"`));
    assert.match(home.body, /data-testid="no-batches"/);

    const refused = await postForm('/claims/batches', staff, { organizationId: p.org.id, from: '2026-01-01', to: '2026-01-31' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /data-testid="form-error"[^>]*>No billable service/);
    assert.match(refused.body, /value="2026-01-31"/, 'what was typed stays');
    const unchosen = await postForm('/claims/batches', staff, { organizationId: '', from: READY_ON, to: HELD_ON });
    assert.equal(unchosen.statusCode, 400);
    assert.match(unchosen.body, /id="organizationId-error"[^>]*>Choose the organization/);

    const built = await postForm('/claims/batches', staff, { organizationId: p.org.id, from: READY_ON, to: HELD_ON });
    assert.equal(built.statusCode, 303, built.body.slice(0, 2000));
    const location = String(built.headers.location);
    found.batchId = /^\/claims\/batches\/([0-9a-f-]{36})\?done=built$/.exec(location)?.[1] ?? '';
    assert.ok(found.batchId, `redirected to ${location}`);

    const page = await get(location, staff);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /data-testid="form-success"/);
    assert.match(page.body, /data-testid="batch-counts">2 in all: 1 ready, 1 held/);
    assert.match(page.body, new RegExp(`href="/claims/batches/${found.batchId}/837"`));
    const held = /<tr data-claim="([0-9a-f-]{36})" data-state="held" class="pss-held">/.exec(page.body);
    const ready = /<tr data-claim="([0-9a-f-]{36})" data-state="ready">\s*<th scope="row"[^>]*><a href="\/claims\/[0-9a-f-]{36}">(C\d+)<\/a>/.exec(page.body);
    assert.ok(held && ready, 'a held and a ready claim');
    found.heldId = held[1]!;
    found.readyId = ready[1]!;
    found.readyControl = ready[2]!;
    assert.match(page.body, /Maria Member/);

    const list = await get('/claims', staff);
    assert.match(list.body, new RegExp(`data-batch="${found.batchId}"`));
    assert.match(list.body, /data-label="Charged">\$158\.94</, 'the total in dollars, held claims too (105.96 + 52.98)');
    assert.match(list.body, new RegExp(`href="/claims/batches/${found.batchId}/837"`));
  });

  test('a held claim shows its edit’s message and the line it is on', async () => {
    const page = await get(`/claims/${found.heldId}`, staff);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /data-testid="edits"/);
    assert.match(page.body, /data-edit="claim.diagnosis_missing"><strong>Line 1:<\/strong> <span>The service has no diagnosis \(ICD-10-CM\) for the claim\.<\/span>/);
    assert.match(page.body, /<tr data-line="1" class="pss-held">/);
  });

  test('the 837P downloads as a text attachment with its ISA header, and the claim page shows its lines', async () => {
    const file = await get(`/claims/batches/${found.batchId}/837`, staff);
    assert.equal(file.statusCode, 200, file.body.slice(0, 2000));
    assert.match(String(file.headers['content-type']), /^text\/plain/);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="837P-\d{9}\.txt"$/);
    assert.equal(file.headers['cache-control'], 'no-store');
    assert.match(file.body, /^ISA\*/);
    assert.ok(file.body.includes(`CLM*${found.readyControl}*`));

    const page = await get(`/claims/${found.readyId}`, staff);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="no-edits"/);
    assert.match(page.body, /data-state="submitted"/, 'the first download submitted it');
    assert.match(page.body, /<tr data-line="1">/);
    assert.match(page.body, /H0038/);
    assert.match(page.body, new RegExp(`<code>${found.readyControl}-1</code>`));
    assert.match(page.body, /\$26\.49/);
    assert.match(page.body, /\$105\.96/);
    assert.match(page.body, /data-testid="claim-history"/);
    assert.match(page.body, /written to \d{9}/, 'its history says which file');
  });

  test('staff of another organization get 404 on the batch and its claims; their lists are empty', async () => {
    for (const url of [`/claims/batches/${found.batchId}`, `/claims/batches/${found.batchId}/837`, `/claims/${found.readyId}`, `/claims/${found.heldId}`, `/claims/list?organizationId=${p.org.id}`]) {
      assert.equal((await get(url, otherStaff)).statusCode, 404, url);
    }
    const home = await get('/claims', otherStaff);
    assert.equal(home.statusCode, 200);
    assert.ok(!home.body.includes(found.batchId));
    const list = await get('/claims/list', otherStaff);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /data-testid="no-claims"/);
    const built = await postForm('/claims/batches', otherStaff, { organizationId: p.org.id, from: READY_ON, to: HELD_ON });
    assert.equal(built.statusCode, 404, 'nor may they build for it');
  });

  test('someone with no reach sees empty pages, never 403; anyone signed out gets 401', async () => {
    for (const url of ['/claims', '/claims/list', '/claims/denials', '/claims/remittances/new']) {
      const res = await get(url, nobody);
      assert.equal(res.statusCode, 200, url);
    }
    const home = await get('/claims', nobody);
    assert.match(home.body, /data-testid="no-batches"/);
    assert.match(home.body, /data-testid="no-build"/);
    assert.match((await get('/claims/denials', nobody)).body, /data-testid="no-denials"/);
    for (const url of ['/claims', `/claims/${found.readyId}`, '/claims/remittances/new']) assert.equal((await get(url, {})).statusCode, 401, url);
  });

  test('claims by state filter by state; the county’s administrator sees them too', async () => {
    const held = await get('/claims/list?state=held', countyAdmin);
    assert.equal(held.statusCode, 200);
    assert.match(held.body, new RegExp(`data-claim="${found.heldId}"`));
    assert.ok(!held.body.includes(`data-claim="${found.readyId}"`));
    assert.match(held.body, /<option value="held" selected>Held<\/option>/);
    const bad = await get('/claims/list?state=lost', staff);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /data-testid="form-error"/);
  });

  test('the 835 upload page renders; an upload shows what it posted, and the same file again changes nothing', async () => {
    const form = await get('/claims/remittances/new', staff);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);
    assert.match(form.body, /name="file" type="file" accept="\.835,\.txt,\.edi"/);

    const empty = await upload(staff, undefined);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /id="file-error"[^>]*>Choose the 835 file/);

    const yyyymmdd = READY_ON.replaceAll('-', '');
    const remit = x835([
      'BPR*I*80*C*CHK************20261201',
      'TRN*1*EFTPAGES1*1941234567',
      'N1*PR*MEDI-CAL SDMC',
      'N1*PE*BAY PEER PARTNERS*XX*1234567893',
      'LX*1',
      `CLP*${found.readyControl}*1*105.96*80**MC*PAYERPAGES1`,
      'SVC*HC:H0038*105.96*80**4',
      `DTM*472*${yyyymmdd}`,
      'CAS*CO*45*25.96',
      `REF*6R*${found.readyControl}-1`,
      'CLP*C999999*4*10*0**MC*PAYERPAGES2',
      'CAS*CO*16*10',
    ]);
    const posted = await upload(staff, remit);
    assert.equal(posted.statusCode, 200, posted.body.slice(0, 3000));
    assert.equal(posted.headers['cache-control'], 'no-store');
    assert.match(posted.body, /data-testid="claims-matched">1</);
    assert.match(posted.body, /data-testid="lines-posted">1</);
    assert.match(posted.body, /data-testid="paid-amount">\$80\.00</);
    assert.match(posted.body, /data-testid="unmatched"/);
    assert.match(posted.body, /<code>C999999<\/code>/);

    const again = await upload(staff, remit, 'remit-again.835');
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Already imported — nothing changed\./);

    const malformed = await upload(staff, 'ISA*garbage~');
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /data-testid="form-error"[^>]*>The 835 was not posted/);

    const claim = await get(`/claims/${found.readyId}`, staff);
    assert.match(claim.body, /data-testid="claim-paid">\$80\.00</);
    assert.match(claim.body, /data-adjustment="CO-45"/);
    const denials = await get('/claims/denials', staff);
    assert.match(denials.body, /data-reason="CO-45"/);
    assert.match(denials.body, /Charges exceed the fee schedule/);
    assert.match(denials.body, /\$25\.96/);
  });

  test('an adjudicated claim offers a replacement and a void; a void without a reason is refused on the form, a replacement lands on its own page', async () => {
    const page = await get(`/claims/${found.readyId}`, staff);
    assert.match(page.body, /data-testid="correct-replace"/);
    assert.match(page.body, /data-testid="correct-void"/);
    assert.match(page.body, /PAYERPAGES1/);
    assert.ok(!(await get(`/claims/${found.heldId}`, staff)).body.includes('data-testid="correct-'), 'a held claim has nothing to correct');

    const blank = await postForm(`/claims/${found.readyId}/void`, staff, { reason: ' ' });
    assert.equal(blank.statusCode, 400, blank.body.slice(0, 500));
    assert.match(blank.body, /Say why the claim is corrected/);
    assert.equal((await postForm(`/claims/${found.readyId}/replace`, otherStaff, { reason: 'not mine' })).statusCode, 404);

    const replaced = await postForm(`/claims/${found.readyId}/replace`, staff, { reason: 'Units corrected after review.' });
    assert.equal(replaced.statusCode, 303, replaced.body.slice(0, 1000));
    const location = String(replaced.headers.location);
    assert.match(location, /^\/claims\/[0-9a-f-]{36}\?done=replace$/);
    const replacement = await get(location, staff);
    assert.match(replacement.body, /The replacement was built/);
    assert.match(replacement.body, /Replacement/);
    assert.match(replacement.body, new RegExp(`data-testid="claim-corrects"><a href="/claims/${found.readyId}">${found.readyControl}</a>`));
    const original = await get(`/claims/${found.readyId}`, staff);
    assert.match(original.body, /data-testid="claim-corrected-by"/);
    assert.match(original.body, /data-testid="claim-state">.*?Replaced/s);
    assert.ok(!original.body.includes('data-testid="correct-'), 'a replaced claim has nothing more to correct');
  });

  test('a batch whose every claim is held has no file: its page says so, and the download is an error page (422)', async () => {
    const on = addDays(today, -19);
    await billable(on, { startTime: '13:00', endTime: '13:30', diagnosisCode: '' });
    const built = await postForm('/claims/batches', staff, { organizationId: p.org.id, from: on, to: on });
    assert.equal(built.statusCode, 303, built.body.slice(0, 2000));
    const batchId = /\/claims\/batches\/([0-9a-f-]{36})/.exec(String(built.headers.location))?.[1] ?? '';
    const page = await get(`/claims/batches/${batchId}`, staff);
    assert.match(page.body, /data-testid="nothing-to-send"/);
    assert.ok(!page.body.includes(`/claims/batches/${batchId}/837`));
    const file = await get(`/claims/batches/${batchId}/837`, staff);
    assert.equal(file.statusCode, 422);
    assert.match(String(file.headers['content-type']), /^text\/html/);
    assert.match(file.body, /every claim is held/);
  });

  test('the pages speak Spanish on request', async () => {
    const home = await get('/claims?lang=es', staff);
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /<html lang="es">/);
    assert.match(home.body, /<h1>Reclamaciones<\/h1>/);
    assert.match(home.body, /Preparar un lote/);
    const claim = await get(`/claims/${found.heldId}?lang=es`, staff);
    assert.match(claim.body, /<strong>Línea 1:<\/strong> <span lang="en">The service has no diagnosis/);
    const upload835 = await get('/claims/remittances/new?lang=es', staff);
    assert.match(upload835.body, /Cargar una remesa 835/);
  });
});
