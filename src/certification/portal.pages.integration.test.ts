// The applicant's portal through its pages: start, answer step by step, upload, see what is missing, submit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { actorHeaders } from '../accounts/testing.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody } from '../web/multipart.testing.ts';
import { eq } from 'drizzle-orm';
import { ADULT_ANSWERS, staffContext, testStorage, TINY_PDF } from './testing.ts';
import { randomUUID } from 'node:crypto';
import { getApplicationRow } from './application-status.ts';
import { denyApplication } from './review-application.ts';
import { saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';

function form(headers: Record<string, string>, fields: Record<string, string>) {
  return { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams({ _csrf: headers['x-csrf-token'] ?? '', ...fields }).toString() };
}

async function applicant(app: FastifyInstance) {
  return actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [] });
}

async function startInitial(app: FastifyInstance, headers: Record<string, string>): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/my-certification/applications', ...form(headers, { pathway: 'initial' }) });
  assert.equal(res.statusCode, 303);
  const id = /applications\/([0-9a-f-]{36})/.exec(res.headers.location as string)?.[1];
  assert.ok(id);
  return id;
}

describe('applicant portal', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('signed out, the portal asks to sign in', async () => {
    const res = await t.app.inject({ url: '/my-certification', headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 401);
  });

  test('a new person sees how to start; starting opens step one', async () => {
    const headers = await applicant(t.app);
    const page = await t.app.inject({ url: '/my-certification', headers });
    assert.match(page.body, /data-testid="start-application"/);
    const id = await startInitial(t.app, headers);
    const step = await t.app.inject({ url: `/my-certification/applications/${id}`, headers });
    assert.equal(step.statusCode, 200);
    assert.match(step.body, /name="legalFirstName"/);
  });

  test('answers saved on one step are there when the person comes back; bad answers are shown beside the field', async () => {
    const headers = await applicant(t.app);
    const id = await startInitial(t.app, headers);
    const saved = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}`, ...form(headers, { step: 'personal', legalFirstName: 'Lucía', legalLastName: 'Ortega', dateOfBirth: '1985-06-01', go: 'later' }) });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/my-certification?done=saved');
    const again = await t.app.inject({ url: `/my-certification/applications/${id}?step=personal`, headers });
    assert.match(again.body, /value="Lucía"/);
    const bad = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}`, ...form(headers, { step: 'personal', dateOfBirth: '1985-02-30', go: 'eligibility' }) });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="dateOfBirth-error"/);
  });

  test('the whole form: eligibility, uploads, sign — a 17-year-old sees the age reason; an adult submits', async () => {
    const headers = await applicant(t.app);
    const id = await startInitial(t.app, headers);
    const post = (fields: Record<string, string>) => t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}`, ...form(headers, fields) });
    await post({ step: 'personal', legalFirstName: 'Lucía', legalLastName: 'Ortega', dateOfBirth: '2010-01-01', go: 'eligibility' });
    await post({ step: 'eligibility', education: 'equivalency', livedExperience: 'parent_caregiver_family', willingToShare: 'yes', dedicatedToRecovery: 'yes', go: 'documents' });
    for (const kind of ['photo_id', 'diploma']) {
      const body = multipartBody({ _csrf: headers['x-csrf-token'] ?? '', kind }, [{ name: 'file', filename: `${kind}.pdf`, contentType: 'application/pdf', bytes: TINY_PDF }]);
      const res = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/documents`, headers: { ...headers, ...body.headers, accept: 'text/html' }, payload: body.payload });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    }
    const notPdf = multipartBody({ _csrf: headers['x-csrf-token'] ?? '', kind: 'photo_id' }, [{ name: 'file', filename: 'id.pdf', contentType: 'application/pdf', bytes: Buffer.from('MZ not really a pdf') }]);
    const refused = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/documents`, headers: { ...headers, ...notPdf.headers, accept: 'text/html' }, payload: notPdf.payload });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Upload a PDF, JPEG or PNG file/);
    const sign = await t.app.inject({ url: `/my-certification/applications/${id}?step=sign`, headers });
    assert.match(sign.body, /You must be at least 18 years old/);
    const tooYoung = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/submit`, ...form(headers, { ethicsAffirmed: 'yes', signedName: 'Lucía Ortega' }) });
    assert.equal(tooYoung.statusCode, 422);
    assert.match(tooYoung.body, /at least 18/);
    await post({ step: 'personal', dateOfBirth: '1985-06-01', go: 'sign' });
    const submitted = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/submit`, ...form(headers, { ethicsAffirmed: 'yes', signedName: 'Lucía Ortega' }) });
    assert.equal(submitted.statusCode, 303);
    const dashboard = await t.app.inject({ url: '/my-certification?done=submitted', headers });
    assert.match(dashboard.body, /Submitted, waiting for review/);
    assert.match(dashboard.body, /\$100\.00/);
    const locked = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}`, ...form(headers, { step: 'personal', legalFirstName: 'Changed', go: 'sign' }) });
    assert.equal(locked.statusCode, 409, 'a submitted application cannot be edited');
  });

  test('documents: the owner downloads them (audited); another person gets 404', async () => {
    const headers = await applicant(t.app);
    const id = await startInitial(t.app, headers);
    const body = multipartBody({ _csrf: headers['x-csrf-token'] ?? '', kind: 'photo_id' }, [{ name: 'file', filename: 'id.pdf', contentType: 'application/pdf', bytes: TINY_PDF }]);
    await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/documents`, headers: { ...headers, ...body.headers }, payload: body.payload });
    const page = await t.app.inject({ url: `/my-certification/applications/${id}?step=documents`, headers });
    const docId = /\/my-certification\/documents\/([0-9a-f-]{36})/.exec(page.body)?.[1];
    assert.ok(docId);
    const own = await t.app.inject({ url: `/my-certification/documents/${docId}`, headers });
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers['cache-control'], 'no-store');
    const reads = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'document.read'));
    assert.ok(reads.some((r) => r.entityId === docId));
    const other = await applicant(t.app);
    assert.equal((await t.app.inject({ url: `/my-certification/documents/${docId}`, headers: other })).statusCode, 404);
    assert.equal((await t.app.inject({ url: `/my-certification/applications/${id}`, headers: other })).statusCode, 404);
  });

  test('withdrawal: refused without the confirmation (what was typed kept), then done; the page says withdrawn and how to apply again', async () => {
    const headers = await applicant(t.app);
    const id = await startInitial(t.app, headers);
    const page = await t.app.inject({ url: `/my-certification/applications/${id}?step=eligibility`, headers });
    const section = /<section[^>]*data-testid="withdraw"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    assert.match(section, new RegExp(`<form method="post" action="/my-certification/applications/${id}/withdraw"`));
    assert.match(section, /name="_csrf" value="[^"]+"/);
    assert.match(section, /type="checkbox" name="confirmWithdrawal" value="yes"/);
    assert.match(section, /name="step" value="eligibility"/, 'a refusal comes back to the step the person was on');
    assert.doesNotMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');

    const withdraw = (fields: Record<string, string>, as = headers) => t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/withdraw`, ...form(as, fields) });
    const unconfirmed = await withdraw({ step: 'eligibility', reason: 'Moving away' });
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /id="confirmWithdrawal-error"[^>]*>Check the box to confirm that you want to withdraw this application\./);
    assert.match(unconfirmed.body, />Moving away<\/textarea>/, 'the reason typed is kept');
    assert.match(unconfirmed.body, /name="education"/, 'the page is the step the person was on');
    assert.equal((await getApplicationRow(t.database.db, id))?.status, 'draft');

    const noToken = await t.app.inject({ method: 'POST', url: `/my-certification/applications/${id}/withdraw`, headers: { cookie: headers.cookie ?? '', 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: 'confirmWithdrawal=yes' });
    assert.equal(noToken.statusCode, 403, 'the form needs its CSRF token');
    const other = await applicant(t.app);
    assert.equal((await withdraw({ confirmWithdrawal: 'yes' }, other)).statusCode, 404);
    assert.equal((await getApplicationRow(t.database.db, id))?.status, 'draft');

    const done = await withdraw({ confirmWithdrawal: 'yes', reason: 'Moving away' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/my-certification/applications/${id}?done=withdrawn`);
    const withdrawn = await t.app.inject({ url: done.headers.location, headers });
    assert.match(withdrawn.body, /data-testid="form-success">Your application was withdrawn\./);
    assert.match(withdrawn.body, /data-testid="application-status">Withdrawn</);
    assert.match(withdrawn.body, /data-testid="withdrawal-reason">Moving away</);
    assert.match(withdrawn.body, /data-testid="next-step">You withdrew this application\. You may start a new application/);
    assert.match(withdrawn.body, /href="\/my-certification" data-testid="apply-again"/);
    assert.doesNotMatch(withdrawn.body, /data-testid="withdraw"/, 'nothing left to withdraw');
    const dashboard = await t.app.inject({ url: '/my-certification', headers });
    assert.match(dashboard.body, /data-testid="start-application"/, 'they may apply again');

    const again = await withdraw({ confirmWithdrawal: 'yes' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /data-testid="form-error"[^>]*>Application A-\d+ is withdrawn; it cannot become withdrawn\./);
  });

  test('withdrawal is offered on a submitted application, with a word on its fees, in Spanish too; not once it is denied', async () => {
    const userId = randomUUID();
    const headers = await actorHeaders(t.app, { kind: 'user', userId, roles: [] });
    const { db } = t.database;
    const me = { actor: { kind: 'user' as const, userId, roles: [] }, today: '2026-03-02' };
    const application = await startApplication(db, { pathway: 'initial' }, me);
    await saveAnswers(db, { applicationId: application.id, answers: ADULT_ANSWERS }, me);
    for (const kind of ['photo_id', 'diploma']) await uploadApplicationDocument(db, testStorage(), { applicationId: application.id, kind, filename: `${kind}.pdf`, bytes: TINY_PDF }, me);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, me);
    const url = `/my-certification/applications/${application.id}`;
    const page = await t.app.inject({ url, headers });
    assert.match(page.body, /data-testid="withdraw"/);
    assert.match(page.body, /Withdrawing does not change the fees already charged to this application\./);
    const spanish = await t.app.inject({ url: `${url}?lang=es`, headers });
    assert.match(spanish.body, /Retirar mi solicitud/);
    await denyApplication(db, { applicationId: application.id, reason: 'Not a diploma.' }, await staffContext(db, '2026-03-02'));
    assert.doesNotMatch((await t.app.inject({ url, headers })).body, /data-testid="withdraw"/);
  });

  test('the Spanish portal is in Spanish', async () => {
    const headers = await applicant(t.app);
    const page = await t.app.inject({ url: '/my-certification?lang=es', headers });
    assert.match(page.body, /Comenzar una solicitud/);
  });
});
