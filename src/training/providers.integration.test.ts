// Certification staff record training providers, their approvals, courses and members from the pages; members
// manage their own provider's courses; enforcement staff read. The demo data loads once however often it runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { createPerson } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { demoAccounts, seedDemoAccounts } from '../accounts/demo-accounts.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { createCourse } from './create-course.ts';
import { seedDemoTraining } from './demo-training.ts';
import { personContext, signedIn, userActor } from './testing.ts';
import { courses, providerApprovals, trainingProviderMembers, trainingProviders } from './training.schema.ts';

let testApp: TestApp;
let app: FastifyInstance;
let db: Db;
let staff: Record<string, string>;
let providerId = '';

before(async () => {
  testApp = await createTestApp();
  app = testApp.app;
  db = testApp.database.db;
  staff = await signedIn(app, userActor('certification_staff'));
});
after(() => testApp.close());

/** Post a url-encoded form as a browser would, with the CSRF field. */
function submit(headers: Record<string, string>, url: string, fields: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: headers['x-csrf-token'] ?? '', ...fields }).toString(),
  });
}

function page(headers: Record<string, string>, url: string) {
  return app.inject({ url, headers: { ...headers, accept: 'text/html' } });
}

describe('certification staff record a provider', () => {
  test('co-providers without their lead agency are refused beside the field, with what was typed kept', async () => {
    const res = await submit(staff, '/training/providers', { name: 'Inland Empire Peer Partners', kind: 'co_provider', leadAgency: '', contactEmail: 'iepp@example.org' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="leadAgency-error"[^>]*>Co-providers name their lead agency\./);
    assert.match(res.body, /value="Inland Empire Peer Partners"/);
    assert.match(res.body, /<option value="co_provider" selected/);
    assert.equal((await db.select().from(trainingProviders)).length, 0);
  });

  test('with the lead agency it is recorded, audited, and its page opens', async () => {
    const res = await submit(staff, '/training/providers', { name: 'Inland Empire Peer Partners', kind: 'co_provider', leadAgency: 'Riverside Recovery Center', contactEmail: 'iepp@example.org' });
    assert.equal(res.statusCode, 303, res.body);
    providerId = /\/training\/providers\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
    const shown = await page(staff, String(res.headers.location));
    assert.match(shown.body, /The provider is recorded/);
    assert.match(shown.body, /Riverside Recovery Center/);
    assert.equal((await searchAudit(db, { action: 'training.provider.create', entityId: providerId })).rows.length, 1);
  });
});

describe('approvals', () => {
  test('are recorded per training type and language, and shown with their status today', async () => {
    assert.equal((await submit(staff, `/training/providers/${providerId}/approvals`, { approvalType: 'core', approvalLanguage: 'es', approvedFrom: '2023-07-01', approvedTo: '2099-07-01' })).statusCode, 303);
    assert.equal((await submit(staff, `/training/providers/${providerId}/approvals`, { approvalType: 'ce', approvalLanguage: 'en', approvedFrom: '2022-01-01', approvedTo: '2023-01-01' })).statusCode, 303);
    const shown = await page(staff, `/training/providers/${providerId}`);
    assert.match(shown.body, /data-status="current"[\s\S]*?Core training[\s\S]*?Spanish/);
    assert.match(shown.body, /data-status="expired"/);
    const es = await page(staff, `/training/providers/${providerId}?lang=es`);
    assert.match(es.body, /Vigente/);
    assert.match(es.body, /español/);
  });

  test('one overlapping an approval of the same type and language is refused', async () => {
    const res = await submit(staff, `/training/providers/${providerId}/approvals`, { approvalType: 'core', approvalLanguage: 'es', approvedFrom: '2025-01-01', approvedTo: '2027-01-01' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /already has an approval for core in es/);
    assert.equal((await db.select().from(providerApprovals).where(eq(providerApprovals.providerId, providerId))).length, 2);
  });

  test('ending one early needs a reason and a date inside it; then it shows as ended, with the reason', async () => {
    const [core] = await db.select().from(providerApprovals).where(eq(providerApprovals.trainingType, 'core'));
    const approvalId = core?.id ?? '';
    const noReason = await submit(staff, `/training/providers/${providerId}/approvals/end`, { approvalId, endedOn: '2024-02-01', endReason: ' ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /id="endReason-error"/);
    assert.match(noReason.body, /value="2024-02-01"/);
    const ended = await submit(staff, `/training/providers/${providerId}/approvals/end`, { approvalId, endedOn: '2024-02-01', endReason: 'Contract with CalMHSA ended' });
    assert.equal(ended.statusCode, 303);
    const shown = await page(staff, `/training/providers/${providerId}`);
    assert.match(shown.body, /data-status="ended"[\s\S]*?2024-02-01[\s\S]*?Contract with CalMHSA ended/);
    const { rows } = await searchAudit(db, { action: 'training.approval.end', entityId: approvalId });
    assert.equal(rows[0]?.reason, 'Contract with CalMHSA ended');
  });
});

describe('courses', () => {
  test('a core course must have the program’s core hours (rule training.core_hours)', async () => {
    const staffContext = await personContext(db, userActor('certification_staff'));
    await assert.rejects(
      createCourse(db, { providerId, trainingType: 'core', language: 'es', title: 'Básico', hours: 60, lawEthicsHours: 0 }, staffContext),
      (err: unknown) => err instanceof AppError && err.status === 422 && err.code === 'training.core_hours',
    );
    const res = await submit(staff, `/training/providers/${providerId}/courses`, { courseTitle: 'Curso básico', courseType: 'core', courseSpecialization: '', courseLanguage: 'es', courseHours: '60', courseLawEthicsHours: '0' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="courseHours-error"[^>]*>A core course is 80 hours\./);
    assert.match(res.body, /value="Curso básico"/);
  });

  test('a specialization course names its specialization and has the specialization hours', async () => {
    const missing = await submit(staff, `/training/providers/${providerId}/courses`, { courseTitle: 'Crisis', courseType: 'specialization', courseSpecialization: '', courseLanguage: 'en', courseHours: '40', courseLawEthicsHours: '0' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /id="courseSpecialization-error"/);
    const ok = await submit(staff, `/training/providers/${providerId}/courses`, { courseTitle: 'Crisis care', courseType: 'specialization', courseSpecialization: 'crisis_care', courseLanguage: 'en', courseHours: '40', courseLawEthicsHours: '0' });
    assert.equal(ok.statusCode, 303, ok.body);
    const [course] = await db.select().from(courses).where(eq(courses.providerId, providerId));
    assert.deepEqual([course?.specialization, course?.hours], ['crisis_care', 40]);
  });
});

describe('members', () => {
  const member = userActor('training_provider');
  const outsider = userActor('training_provider');
  let memberHeaders: Record<string, string>;
  let outsiderHeaders: Record<string, string>;
  before(async () => {
    memberHeaders = await signedIn(app, member);
    outsiderHeaders = await signedIn(app, outsider);
    await createPerson(db, { email: 'no.role@example.org' });
  });

  test('must hold the training provider role', async () => {
    const res = await submit(staff, `/training/providers/${providerId}/members`, { memberEmail: 'no.role@example.org' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="memberEmail-error"[^>]*>No active account with this email holds the training provider role/);
  });

  test('once added, a member sees the provider and adds its courses; someone else’s member gets 404', async () => {
    const [person] = await db.query.users.findMany({ where: (u, { eq: is }) => is(u.id, member.userId) });
    assert.equal((await submit(staff, `/training/providers/${providerId}/members`, { memberEmail: person?.email.toUpperCase() ?? '' })).statusCode, 303);
    assert.match((await page(memberHeaders, '/training')).body, /Inland Empire Peer Partners/);
    const shown = await page(memberHeaders, `/training/providers/${providerId}`);
    assert.doesNotMatch(shown.body, /Record an approval/, 'approvals are for staff');
    assert.match(shown.body, /Add a course/);
    const added = await submit(memberHeaders, `/training/providers/${providerId}/courses`, { courseTitle: 'Ética', courseType: 'ce', courseSpecialization: '', courseLanguage: 'es', courseHours: '6', courseLawEthicsHours: '6' });
    assert.equal(added.statusCode, 303, added.body);
    assert.equal((await page(outsiderHeaders, `/training/providers/${providerId}`)).statusCode, 404);
    const refused = await submit(outsiderHeaders, `/training/providers/${providerId}/courses`, { courseTitle: 'X', courseType: 'ce', courseLanguage: 'en', courseHours: '1', courseLawEthicsHours: '0' });
    assert.equal(refused.statusCode, 404);
    assert.match((await page(outsiderHeaders, '/training')).body, /data-testid="no-providers"/);
  });

  test('removed, the member no longer reaches the provider', async () => {
    assert.equal((await submit(staff, `/training/providers/${providerId}/members/${member.userId}/remove`, {})).statusCode, 303);
    assert.equal((await page(memberHeaders, `/training/providers/${providerId}`)).statusCode, 404);
    assert.equal((await searchAudit(db, { action: 'training.provider.member.remove', entityId: providerId })).rows.length, 1);
  });

  test('enforcement staff read every provider but see no forms', async () => {
    const enforcement = await signedIn(app, userActor('enforcement_staff'));
    const shown = await page(enforcement, `/training/providers/${providerId}`);
    assert.equal(shown.statusCode, 200);
    assert.doesNotMatch(shown.body, /<form method="post"/);
    assert.equal((await submit(enforcement, `/training/providers/${providerId}/courses`, { courseTitle: 'X' })).statusCode, 403);
  });
});

describe('the demo data', () => {
  test('three providers with approvals, courses and the demo provider account as the agency’s member, loaded once', async () => {
    const demo = await createTestApp();
    try {
      const demoDb = demo.database.db;
      await seedDemoAccounts(demoDb);
      await seedDemoTraining(demoDb);
      await seedDemoTraining(demoDb);
      const providers = await demoDb.select().from(trainingProviders);
      assert.deepEqual(providers.map((p) => p.kind).sort(), ['agency', 'co_provider', 'individual']);
      const approvals = await demoDb.select().from(providerApprovals);
      assert.ok(approvals.every((a) => a.approvedFrom === '2022-07-01'));
      assert.deepEqual(approvals.filter((a) => a.endedOn !== null).map((a) => [a.endedOn?.slice(0, 4), Boolean(a.endReason)]), [['2024', true]]);
      const courseRows = await demoDb.select().from(courses);
      assert.equal(courseRows.length, 8);
      assert.deepEqual(courseRows.filter((c) => c.trainingType === 'core').map((c) => [c.language, c.hours]).sort(), [['en', 80], ['es', 80]]);
      assert.deepEqual(courseRows.filter((c) => c.trainingType === 'specialization').map((c) => c.hours), [40, 40, 40, 40]);
      assert.ok(courseRows.some((c) => c.title === 'Law and ethics for peer support' && c.hours === 6 && c.lawEthicsHours === 6));
      assert.ok(courseRows.some((c) => c.trainingType === 'ce' && c.hours === 14));
      const members = await demoDb.select({ name: trainingProviders.name, kind: trainingProviders.kind }).from(trainingProviderMembers).innerJoin(trainingProviders, eq(trainingProviders.id, trainingProviderMembers.providerId));
      assert.deepEqual(members.map((m) => m.kind), ['agency']);
      assert.ok(demoAccounts().some((a) => a.email === 'training-provider@demo.example.org'));
    } finally {
      await demo.close();
    }
  });
});
