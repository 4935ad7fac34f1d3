// The staff workbench through its pages: the queue with its filters and target, one application's decisions
// (fees settled on the page, denial, revisions, training, the exam), document downloads, the fees report and its
// CSV, the vendor's exam results file, and certifications.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import type { Actor } from '../access/roles.ts';
import { actorHeaders } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody } from '../web/multipart.testing.ts';
import { applications, examAttempts } from './certification.schema.ts';
import { authorizeExam, requestExam } from './exam.ts';
import { feesOfApplication } from './fees.ts';
import { approveApplication, verifyTraining } from './review-application.ts';
import { saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { findPeerByUser } from './peer-record.ts';
import { ADULT_ANSWERS, creditTraining, payFees, personContext, testStorage, TINY_PDF } from './testing.ts';

const TODAY = todayInCalifornia();
const storage = testStorage();
const staffActor: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'certification_staff', countyFips: null }] };
const staff: UseCaseContext = { actor: staffActor, today: TODAY };

let t: TestApp;
let staffHeaders: Record<string, string>;
const db = () => t.database.db;

function form(headers: Record<string, string>, fields: Record<string, string>) {
  return { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams({ _csrf: headers['x-csrf-token'] ?? '', ...fields }).toString() };
}

const page = (url: string, headers = staffHeaders) => t.app.inject({ url, headers: { ...headers, accept: 'text/html' } });
const post = (url: string, fields: Record<string, string> = {}, headers = staffHeaders) => t.app.inject({ method: 'POST', url, ...form(headers, fields) });

/** Text of the page with tags removed and spaces collapsed, for assertions on what a reader sees. */
function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** The table row (tr) that contains `needle`, as HTML. */
function rowWith(html: string, needle: string): string {
  return [...html.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) => m[0]).find((r) => r.includes(needle)) ?? '';
}

/** An application submitted (with its application fee charged) by a new applicant with this legal name. */
async function submitted(first = 'Rosa', last = 'Martínez') {
  const applicant = await personContext(db(), TODAY);
  const application = await startApplication(db(), { pathway: 'initial' }, applicant);
  await saveAnswers(db(), { applicationId: application.id, answers: { ...ADULT_ANSWERS, legalFirstName: first, legalLastName: last } }, applicant);
  for (const kind of ['photo_id', 'diploma']) await uploadApplicationDocument(db(), storage, { applicationId: application.id, kind, filename: `${kind}.pdf`, bytes: TINY_PDF }, applicant);
  const row = await submitApplication(db(), { applicationId: application.id, signedName: `${first} ${last}`, ethicsAffirmed: true }, applicant);
  return { applicant, application: row };
}

/** An application approved, its core training credited and verified. */
async function trainingVerified(first: string, last: string) {
  const { applicant, application } = await submitted(first, last);
  await payFees(db(), application.id, staff);
  await approveApplication(db(), { applicationId: application.id }, staff);
  const peer = await findPeerByUser(db(), applicant.userId);
  assert.ok(peer);
  await creditTraining(db(), peer.id, { trainingType: 'core', hours: 80, completedOn: TODAY });
  await verifyTraining(db(), { applicationId: application.id }, staff);
  return { applicant, application, peer };
}

before(async () => {
  t = await createTestApp();
  staffHeaders = await actorHeaders(t.app, staffActor);
});
after(() => t.close());

describe('the review queue', () => {
  test('lists waiting applications with days waiting, flags those past the review target, and filters', async () => {
    const fresh = await submitted('Ana', 'Queue');
    const old = await submitted('Bea', 'Queue');
    await db().update(applications).set({ submittedAt: sql`now() - interval '40 days'` }).where(eq(applications.id, old.application.id));

    const res = await page('/workbench');
    assert.equal(res.statusCode, 200);
    assert.match(text(res.body), /Review target: 30 days from submission/);
    const oldRow = rowWith(res.body, old.application.number);
    assert.match(oldRow, /data-overdue="true"/);
    assert.match(text(oldRow), /Bea Queue .* 40 Past target/);
    const freshRow = rowWith(res.body, fresh.application.number);
    assert.match(text(freshRow), /Ana Queue .*Submitted, waiting for review .* 0 /);
    assert.doesNotMatch(freshRow, /Past target/);
    assert.match(freshRow, new RegExp(`href="/workbench/applications/${fresh.application.id}"`));

    const waiting = await page('/workbench?minAgeDays=35');
    assert.ok(waiting.body.includes(old.application.number));
    assert.ok(!waiting.body.includes(fresh.application.number));
    const approved = await page('/workbench?status=approved');
    assert.ok(!approved.body.includes(old.application.number));
    const reciprocity = await page('/workbench?pathway=reciprocity&status=submitted');
    assert.match(reciprocity.body, /data-testid="queue-empty"/);
    assert.match(reciprocity.body, /<option value="reciprocity" selected/);

    const bad = await page('/workbench?minAgeDays=soon');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="minAgeDays-error"[^>]*>Enter a whole number of days, 0 or more\./);
    assert.match(bad.body, /value="soon"/);
  });

  test('links to the other workbench pages; in Spanish', async () => {
    const res = await page('/workbench?lang=es');
    for (const href of ['/workbench/fees', '/workbench/exams', '/workbench/certifications', '/workbench/imports', '/rules']) assert.ok(res.body.includes(`href="${href}"`), href);
    assert.match(res.body, /<h1>Cola de revisión<\/h1>/);
  });

  test('is for certification staff only', async () => {
    assert.equal((await t.app.inject({ url: '/workbench', headers: { accept: 'text/html' } })).statusCode, 401);
    const analyst = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    assert.equal((await page('/workbench', analyst)).statusCode, 403);
  });
});

describe('one application', () => {
  test('shows the answers, documents, ethics signature, fee and timeline', async () => {
    const { application } = await submitted('Carla', 'Detail');
    const res = await page(`/workbench/applications/${application.id}`);
    assert.equal(res.statusCode, 200);
    const body = text(res.body);
    for (const shown of ['Legal first name Carla', 'Legal last name Detail', 'Date of birth 1990-04-12', 'Education High school diploma', 'Lived experience Their own recovery', 'Willing to share lived experience Yes']) {
      assert.ok(body.includes(shown), shown);
    }
    assert.match(body, /Government photo ID photo_id\.pdf/);
    assert.match(body, /DHCS-2021 Carla Detail/);
    assert.match(body, /Application fee \$100\.00 .* Outstanding/);
    assert.match(body, /Next step The fees are settled/);
    assert.match(body, /Draft .* Submitted, waiting for review/);
    assert.match(res.body, /action="\/workbench\/applications\/[0-9a-f-]+\/approve"/);
  });

  test('approval waits for the fee; the fee is settled on the page, then the application is approved', async () => {
    const { application } = await submitted('Dora', 'Approve');
    const refused = await post(`/workbench/applications/${application.id}/approve`);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /data-testid="form-error"[^>]*>Fees of \$100\.00 are not settled yet/);

    const [fee] = await feesOfApplication(db(), application.id);
    assert.ok(fee);
    const settleUrl = `/workbench/applications/${application.id}/fees/${fee.id}/settle`;
    const noReference = await post(settleUrl, { settlement: 'payment', reference: '', note: 'front desk' });
    assert.equal(noReference.statusCode, 400);
    assert.match(noReference.body, new RegExp(`id="reference-${fee.id}-error"[^>]*>Enter the payment reference\\.`));
    assert.match(noReference.body, /value="front desk"/, 'what was typed is kept');

    const settled = await post(settleUrl, { settlement: 'payment', reference: 'RCPT-2001' });
    assert.equal(settled.statusCode, 303);
    assert.equal(settled.headers.location, `/workbench/applications/${application.id}?done=settled`);
    const settledPage = await page(settled.headers.location);
    assert.match(settledPage.body, /data-testid="form-success"[^>]*>The fee settlement is recorded\./);
    assert.match(text(settledPage.body), /Payment, \d{4}-\d{2}-\d{2} RCPT-2001/);

    const approved = await post(`/workbench/applications/${application.id}/approve`);
    assert.equal(approved.statusCode, 303);
    const done = await page(approved.headers.location as string);
    assert.match(done.body, /The application is approved and the applicant is notified\./);
    assert.match(done.body, /data-testid="application-status">Approved</);
    assert.match(text(done.body), /Approval valid through \d{4}-\d{2}-\d{2}/);
  });

  test('a denial needs a reason: the form error is shown beside the field', async () => {
    const { application } = await submitted('Eva', 'Deny');
    const refused = await post(`/workbench/applications/${application.id}/deny`, { reason: '  ' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /data-testid="form-error"[^>]*>Give the reason for the denial; the applicant sees it and may appeal\./);
    assert.match(refused.body, /id="reason-error"[^>]*>Give the reason for the denial\./);
    const denied = await post(`/workbench/applications/${application.id}/deny`, { reason: 'The diploma is not from a recognized school.' });
    assert.equal(denied.statusCode, 303);
    const res = await page(denied.headers.location as string);
    assert.match(res.body, /data-testid="application-status">Denied</);
    assert.match(text(res.body), /Reason for the decision The diploma is not from a recognized school\./);
  });

  test('revisions are requested with two items', async () => {
    const { application } = await submitted('Flor', 'Revise');
    const url = `/workbench/applications/${application.id}/revisions`;
    const half = await post(url, { field1: 'document.photo_id', message1: '' });
    assert.equal(half.statusCode, 400);
    assert.match(half.body, /id="message1-error"[^>]*>Say what the applicant must fix\./);

    const sent = await post(url, { field1: 'document.photo_id', message1: 'The ID photo is unreadable.', field2: 'dateOfBirth', message2: 'The date of birth does not match the ID.', field3: '', message3: '' });
    assert.equal(sent.statusCode, 303);
    const [row] = await db().select().from(applications).where(eq(applications.id, application.id));
    assert.equal(row?.status, 'revision_requested');
    assert.deepEqual(row?.revisionItems, [
      { field: 'document.photo_id', message: 'The ID photo is unreadable.' },
      { field: 'dateOfBirth', message: 'The date of birth does not match the ID.' },
    ]);
    const res = await page(sent.headers.location as string);
    assert.match(res.body, /The request for changes is sent to the applicant\./);
    assert.match(text(res.body), /Government photo ID : The ID photo is unreadable\. Date of birth : The date of birth does not match the ID\./);
  });

  test('training is not verified without core training; with it, the exam is requested, paid, authorized and passed', async () => {
    const { applicant, application } = await submitted('Gina', 'Exam');
    await payFees(db(), application.id, staff);
    await approveApplication(db(), { applicationId: application.id }, staff);
    const base = `/workbench/applications/${application.id}`;

    const refused = await post(`${base}/verify-training`);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /No core \(80-hour\) training from an approved provider is on record for this applicant\./);

    const peer = await findPeerByUser(db(), applicant.userId);
    assert.ok(peer);
    await creditTraining(db(), peer.id, { trainingType: 'core', hours: 80, completedOn: TODAY });
    assert.equal((await post(`${base}/verify-training`)).statusCode, 303);
    assert.match((await page(base)).body, /action="[^"]+\/request-exam"/);

    assert.equal((await post(`${base}/request-exam`)).statusCode, 303);
    const charged = await page(base);
    assert.match(text(charged.body), /Exam fee \$150\.00 .* Outstanding/);
    const unpaid = await post(`${base}/authorize-exam`);
    assert.equal(unpaid.statusCode, 422);
    assert.match(unpaid.body, /The exam fee for this attempt is not settled yet\./);

    await payFees(db(), application.id, staff);
    assert.equal((await post(`${base}/authorize-exam`)).statusCode, 303);
    const authorized = await page(base);
    assert.match(authorized.body, /data-testid="application-status">Authorized to test</);
    assert.match(text(authorized.body), /Exam candidate ID CA\d{7}/);

    const badResult = await post(`${base}/exam-result`, { takenOn: TODAY, result: 'maybe', score: 'high' });
    assert.equal(badResult.statusCode, 400);
    assert.match(badResult.body, /id="result-error"[^>]*>Choose the result\./);
    assert.match(badResult.body, /id="score-error"[^>]*>Enter the score as a whole number/);

    const passed = await post(`${base}/exam-result`, { takenOn: TODAY, result: 'pass', score: '88' });
    assert.equal(passed.statusCode, 303);
    const certified = await page(base);
    assert.match(certified.body, /data-testid="application-status">Completed</);
    assert.match(text(certified.body), /1 of 3 attempts used\. .* 1 \d{4}-\d{2}-\d{2} Pass 88 Entered by staff/);
    assert.match(certified.body, /href="\/workbench\/certifications\/[0-9a-f-]{36}">PSS-\d{6}<\/a>/);
  });

  test('an unknown application is a 404 page', async () => {
    assert.equal((await page(`/workbench/applications/${randomUUID()}`)).statusCode, 404);
    assert.equal((await post(`/workbench/applications/${randomUUID()}/approve`)).statusCode, 404);
  });
});

describe('documents', () => {
  test('a download is audited, sent as an attachment and not cached; another applicant gets 404', async () => {
    const owner: Actor = { kind: 'user', userId: randomUUID(), roles: [] };
    const ownerHeaders = await actorHeaders(t.app, owner);
    const context: UseCaseContext = { actor: owner, today: TODAY };
    const application = await startApplication(db(), { pathway: 'initial' }, context);
    // Uploaded through the app, so the bytes are in the storage the app reads.
    const upload = multipartBody({ kind: 'photo_id' }, [{ name: 'file', filename: 'Identificación Rosa.pdf', contentType: 'application/pdf', bytes: TINY_PDF }]);
    const uploaded = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${application.id}/documents`, headers: { ...ownerHeaders, ...upload.headers }, payload: upload.payload });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const { id } = uploaded.json<{ id: string }>();

    const detail = await page(`/workbench/applications/${application.id}`);
    assert.ok(detail.body.includes(`href="/workbench/documents/${id}"`));

    const res = await page(`/workbench/documents/${id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="Identificaci_n Rosa\.pdf"; filename\*=UTF-8''Identificaci%C3%B3n%20Rosa\.pdf$/);
    assert.deepEqual(res.rawPayload, TINY_PDF);
    const { rows } = await searchAudit(db(), { action: 'document.read', entityId: id });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actorUserId, staffActor.kind === 'user' ? staffActor.userId : null);

    const other = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [] });
    assert.equal((await page(`/workbench/documents/${id}`, other)).statusCode, 404);
    assert.equal((await page(`/workbench/documents/${id}`, ownerHeaders)).statusCode, 200, 'the owner may read their own');
    assert.equal((await t.app.inject({ url: `/workbench/documents/${id}` })).statusCode, 401);
    assert.equal((await searchAudit(db(), { action: 'document.read', entityId: id })).rows.length, 2, 'the refused read is not a read');
  });
});

describe('outstanding fees', () => {
  test('the report lists open fees with their total, settles one from its row, and downloads as CSV', async () => {
    const { application } = await submitted('Hana', 'Fees');
    const res = await page('/workbench/fees');
    assert.equal(res.statusCode, 200);
    const row = rowWith(res.body, application.number);
    assert.match(text(row), /Application fee Hana Fees .* \$100\.00/);
    assert.match(text(res.body), /Total outstanding: \$[\d,]+\.\d\d in \d+ fees\./);

    const csv = await page('/workbench/fees.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /^attachment; filename="outstanding-fees-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines[0], 'fee_id,kind,amount_usd,charged_on,application_number,legal_name');
    const [fee] = await feesOfApplication(db(), application.id);
    assert.ok(fee);
    assert.ok(lines.includes(`${fee.id},application,100.00,${fee.chargedOn},${application.number},Hana Fees`), csv.body);
    assert.ok(!(await page('/workbench/fees.csv?kind=exam')).body.includes(fee.id), 'filtered by kind');

    const settled = await post(`/workbench/fees/${fee.id}/settle`, { settlement: 'county_scholarship', reference: 'Alameda 2026-11', kind: 'application' });
    assert.equal(settled.statusCode, 303);
    assert.equal(settled.headers.location, '/workbench/fees?done=settled&kind=application');
    const settledPage = await page(settled.headers.location);
    assert.match(settledPage.body, /The fee settlement is recorded\./);
    assert.ok(!settledPage.body.includes(application.number));

    const card = await post(`/workbench/fees/${randomUUID()}/settle`, { settlement: 'payment', reference: '4111 1111 1111 1111' });
    assert.equal(card.statusCode, 400);
    assert.match(card.body, /That looks like a card number/);
  });

  test('a DHCS analyst sees the report without the settlement forms', async () => {
    await submitted('Iris', 'Analyst');
    const analyst = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    const res = await page('/workbench/fees', analyst);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('Iris Analyst'));
    assert.doesNotMatch(res.body, /\/settle"/);
  });
});

describe('exam results file', () => {
  test('a good row is recorded, a bad row is reported with its reason, and the same file is refused', async () => {
    const { application } = await trainingVerified('Juana', 'Import');
    await requestExam(db(), { applicationId: application.id }, staff);
    await payFees(db(), application.id, staff);
    const authorized = await authorizeExam(db(), { applicationId: application.id }, staff);
    const candidate = authorized.candidateId ?? '';
    assert.match(candidate, /^CA\d{7}$/);

    const csv = `candidate_id,exam_date,result,score\n${candidate},${TODAY},pass,81\nCA0000001,${TODAY},pass,75\n`;
    const upload = multipartBody({ _csrf: staffHeaders['x-csrf-token'] ?? '' }, [{ name: 'file', filename: 'pearson-results.csv', contentType: 'text/csv', bytes: Buffer.from(csv) }]);
    const posted = await t.app.inject({ method: 'POST', url: '/workbench/exams/import', headers: { ...staffHeaders, ...upload.headers, accept: 'text/html' }, payload: upload.payload });
    assert.equal(posted.statusCode, 303, posted.body);
    assert.match(String(posted.headers.location), /^\/workbench\/exams\?importId=[0-9a-f-]{36}$/);

    const res = await page(String(posted.headers.location));
    assert.equal(res.statusCode, 200);
    assert.match(text(res.body), /Results of pearson-results\.csv 2 rows: 1 recorded, 1 not recorded\./);
    assert.match(text(rowWith(res.body, 'CA0000001')), /3 CA0000001 No application has this candidate id\./);
    assert.match(text(rowWith(res.body, 'importId=')), /pearson-results\.csv .* 2 1 1/);
    const [attempt] = await db().select().from(examAttempts).where(eq(examAttempts.applicationId, application.id));
    assert.equal(attempt?.result, 'pass');
    assert.equal(attempt?.source, 'vendor_csv');

    const again = await t.app.inject({ method: 'POST', url: '/workbench/exams/import', headers: { ...staffHeaders, ...upload.headers, accept: 'text/html' }, payload: upload.payload });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /This results file was already imported; nothing was posted again\./);

    const empty = multipartBody({ _csrf: staffHeaders['x-csrf-token'] ?? '' });
    const none = await t.app.inject({ method: 'POST', url: '/workbench/exams/import', headers: { ...staffHeaders, ...empty.headers, accept: 'text/html' }, payload: empty.payload });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /id="file-error"[^>]*>Choose the results file to upload\./);
  });
});

describe('certifications', () => {
  test('found by name or number, with the status today, the terms and the status history', async () => {
    const { application } = await trainingVerified('Karla', 'Certified');
    await requestExam(db(), { applicationId: application.id }, staff);
    await payFees(db(), application.id, staff);
    await authorizeExam(db(), { applicationId: application.id }, staff);
    assert.equal((await post(`/workbench/applications/${application.id}/exam-result`, { takenOn: TODAY, result: 'pass', score: '90' })).statusCode, 303);
    const [row] = await db().select().from(applications).where(eq(applications.id, application.id));
    assert.ok(row?.certificationId);

    const byName = await page('/workbench/certifications?q=karla%20certified');
    assert.equal(byName.statusCode, 200);
    const found = rowWith(byName.body, 'Karla Certified');
    assert.match(text(found), new RegExp(`PSS-\\d{6} Karla Certified Active ${TODAY} ${TODAY} \\d{4}-\\d{2}-\\d{2}`));
    const number = /PSS-\d{6}/.exec(found)?.[0] ?? '';
    const byNumber = await page(`/workbench/certifications?q=${number}`);
    assert.ok(byNumber.body.includes('Karla Certified'));
    assert.match((await page('/workbench/certifications?q=nobody%20by%20this%20name')).body, /data-testid="certifications-empty"/);

    const detail = await page(`/workbench/certifications/${row.certificationId}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /data-testid="status-today">Active</);
    assert.match(text(detail.body), new RegExp(`${TODAY} \\d{4}-\\d{2}-\\d{2} First issue ${application.number}`));
    assert.match(text(detail.body), new RegExp(`${TODAY} Active issued`));
    assert.ok(detail.body.includes(`href="/workbench/certifications/${row.certificationId}/certificate.pdf"`));
    assert.equal((await page(`/workbench/certifications/${randomUUID()}`)).statusCode, 404);
  });

  test('enforcement staff may look, peers may not', async () => {
    const enforcement = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'enforcement_staff', countyFips: null }] });
    const res = await page('/workbench/certifications', enforcement);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /certificate\.pdf/);
    const peer = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] });
    assert.equal((await page('/workbench/certifications', peer)).statusCode, 403);
  });
});
