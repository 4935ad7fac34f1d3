// The certification JSON API as an integration would use it: an applicant's app, and staff tooling.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { actorHeaders } from '../accounts/testing.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody } from '../web/multipart.testing.ts';
import { ADULT_ANSWERS, TINY_PDF } from './testing.ts';

async function as(app: FastifyInstance, roles: Array<'certification_staff' | 'dhcs_analyst'> = []) {
  const headers = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: roles.map((role) => ({ role, countyFips: null })) });
  return { ...headers, accept: 'application/json' };
}

describe('certification API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('an applicant starts, saves, uploads, is told what is missing, submits; staff approve once the fee is settled', async () => {
    const me = await as(t.app);
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: me, payload: { pathway: 'initial' } });
    assert.equal(started.statusCode, 201);
    const { id } = started.json() as { id: string };
    const saved = await t.app.inject({ method: 'PATCH', url: `/api/v1/applications/${id}`, headers: me, payload: { answers: ADULT_ANSWERS } });
    assert.equal(saved.statusCode, 200);
    assert.deepEqual((saved.json() as { problems: Array<{ path: string }> }).problems.map((p) => p.path), ['document.photo_id', 'document.diploma']);
    const early = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/submit`, headers: me, payload: { signedName: 'Rosa Martínez', ethicsAffirmed: true } });
    assert.equal(early.statusCode, 422);
    assert.equal(early.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal((early.json() as { code: string }).code, 'document.missing');
    for (const kind of ['photo_id', 'diploma']) {
      const body = multipartBody({ kind }, [{ name: 'file', filename: `${kind}.pdf`, contentType: 'application/pdf', bytes: TINY_PDF }]);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/documents`, headers: { ...me, ...body.headers }, payload: body.payload });
      assert.equal(res.statusCode, 201, res.body);
    }
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/submit`, headers: me, payload: { signedName: 'Rosa Martínez', ethicsAffirmed: true } });
    assert.equal(submitted.statusCode, 200);
    const detail = submitted.json() as { status: string; fees: Array<{ id: string; amountCents: number }> };
    assert.equal(detail.status, 'submitted');

    assert.equal((await t.app.inject({ url: '/api/v1/applications', headers: me })).statusCode, 403, 'applicants do not see the queue');
    const staff = await as(t.app, ['certification_staff']);
    const queue = await t.app.inject({ url: '/api/v1/applications?status=submitted', headers: staff });
    assert.ok((queue.json() as { applications: Array<{ id: string }> }).applications.some((a) => a.id === id));
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/decision`, headers: staff, payload: { decision: 'approve' } });
    assert.equal(refused.statusCode, 422);
    assert.equal((refused.json() as { code: string }).code, 'fee.outstanding');
    const analyst = await as(t.app, ['dhcs_analyst']);
    const report = await t.app.inject({ url: '/api/v1/fees/outstanding', headers: analyst });
    assert.ok((report.json() as { totalCents: number }).totalCents >= 10000);
    const settled = await t.app.inject({ method: 'POST', url: `/api/v1/fees/${detail.fees[0]!.id}/settlement`, headers: staff, payload: { settlement: 'fee_waiver', note: 'Hardship waiver round 3' } });
    assert.equal(settled.statusCode, 200);
    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/decision`, headers: staff, payload: { decision: 'approve' } });
    assert.equal((approved.json() as { status: string }).status, 'approved');
    const mine = await t.app.inject({ url: '/api/v1/me/certification', headers: me });
    assert.equal((mine.json() as { openApplicationId: string }).openApplicationId, id);
  });

  test('another person cannot read or change the application', async () => {
    const owner = await as(t.app);
    const { id } = (await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: owner, payload: { pathway: 'reciprocity' } })).json() as { id: string };
    const other = await as(t.app);
    assert.equal((await t.app.inject({ url: `/api/v1/applications/${id}`, headers: other })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/v1/applications/${id}`, headers: other, payload: { answers: { legalFirstName: 'X' } } })).statusCode, 404);
  });

  test('an applicant withdraws their application with a reason and may start another; others get 404; twice is 409', async () => {
    const me = await as(t.app);
    const { id } = (await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: me, payload: { pathway: 'initial' } })).json() as { id: string };
    const other = await as(t.app);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/withdraw`, headers: other, payload: {} })).statusCode, 404);
    const tooLong = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/withdraw`, headers: me, payload: { reason: 'x'.repeat(501) } });
    assert.equal(tooLong.statusCode, 400);
    const withdrawn = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/withdraw`, headers: me, payload: { reason: 'Not now' } });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.deepEqual((({ status, nextStep }) => ({ status, nextStep }))(withdrawn.json() as { status: string; nextStep: string }), { status: 'withdrawn', nextStep: 'apply_again' });
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/withdraw`, headers: me, payload: {} });
    assert.equal(twice.statusCode, 409);
    assert.equal((twice.json() as { code: string }).code, 'application.transition');
    const mine = await t.app.inject({ url: '/api/v1/me/certification', headers: me });
    assert.equal((mine.json() as { openApplicationId: string | null }).openApplicationId, null);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: me, payload: { pathway: 'initial' } })).statusCode, 201);
    const doc = (await t.app.inject({ url: '/docs/openapi.json' })).json() as { paths: Record<string, { post?: { summary?: string } }> };
    assert.match(doc.paths['/api/v1/applications/{id}/withdraw']?.post?.summary ?? '', /^Withdraw my application/);
  });

  test('a second open application is refused; grandparenting is closed', async () => {
    const me = await as(t.app);
    await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: me, payload: { pathway: 'initial' } });
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: me, payload: { pathway: 'initial' } })).statusCode, 409);
    const late = await as(t.app);
    const closed = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: late, payload: { pathway: 'grandparenting' } });
    assert.equal(closed.statusCode, 422);
    assert.equal((closed.json() as { code: string }).code, 'grandparenting.closed');
  });

  test('rules in force on a date, and exam results imported from the vendor file with per-row reasons', async () => {
    const staff = await as(t.app, ['certification_staff']);
    const rules = await t.app.inject({ url: '/api/v1/rules?asOf=2024-01-01', headers: staff });
    const byKey = new Map((rules.json() as { rules: Array<{ key: string; value: unknown }> }).rules.map((r) => [r.key, r.value]));
    assert.equal(byKey.get('exam.attempts_per_application'), 3);
    assert.equal(byKey.has('fee.renewal'), false, 'the renewal fee takes effect in September 2024');
    const csv = 'candidate_id,exam_date,result,score\nCA9999999,2026-01-05,pass,80\nCA0000001,2026-13-01,fail,40\n';
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/exam-results', headers: { ...staff, 'content-type': 'text/csv' }, payload: csv });
    assert.equal(imported.statusCode, 200, imported.body);
    const result = imported.json() as { recorded: number; rejections: Array<{ row: number; reason: string }> };
    assert.equal(result.recorded, 0);
    assert.deepEqual(result.rejections.map((r) => r.row), [2, 3]);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/exam-results', headers: { ...staff, 'content-type': 'text/csv' }, payload: csv });
    assert.equal(again.statusCode, 409, 'the same file is never posted twice');
  });
});
