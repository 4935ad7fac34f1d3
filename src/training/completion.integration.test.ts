// Certification staff record a completion by hand, from evidence; and only completions within a provider's
// approval ever count toward a person's training.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { documents } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { createCourse } from './create-course.ts';
import { createTrainingProvider } from './create-provider.ts';
import { endProviderApproval, recordProviderApproval } from './provider-approvals.ts';
import { addPeer, multipartBody, personContext, signedIn, TINY_PDF, userActor } from './testing.ts';
import { creditedCompletions, summarizeTraining } from './training-credit.ts';
import { trainingCompletions } from './training.schema.ts';

let testApp: TestApp;
let app: FastifyInstance;
let db: Db;
let staffContext: UseCaseContext;
let staff: Record<string, string>;
let peerId = '';
let providerId = '';
let courseId = '';
let approvalId = '';

before(async () => {
  testApp = await createTestApp();
  app = testApp.app;
  db = testApp.database.db;
  staffContext = await personContext(db, userActor('certification_staff'));
  staff = await signedIn(app, userActor('certification_staff'));
  peerId = (await addPeer(db, { first: 'Dana', last: 'Whitehorse', email: 'dana@example.org' })).id;
  providerId = (await createTrainingProvider(db, { name: 'North Coast Peer Trainers', kind: 'agency', contactEmail: 'ncpt@example.org' }, staffContext)).id;
  approvalId = (await recordProviderApproval(db, { providerId, trainingType: 'ce', language: 'en', approvedFrom: '2024-01-01', approvedTo: '2026-01-01' }, staffContext)).id;
  courseId = (await createCourse(db, { providerId, trainingType: 'ce', language: 'en', title: 'Boundaries', hours: 6, lawEthicsHours: 6 }, staffContext)).id;
});
after(() => testApp.close());

async function postCompletion(fields: Record<string, string>, evidence?: { filename: string; type: string; content: Buffer | string }) {
  const form = await multipartBody({ _csrf: staff['x-csrf-token'] ?? '', ...fields }, evidence ? { evidence } : {});
  return app.inject({ method: 'POST', url: '/training/completions', headers: { ...staff, accept: 'text/html', 'content-type': form.contentType }, payload: form.payload });
}

const fields = { email: 'DANA@example.org', trainingType: 'ce', specialization: '', hours: '3.5', lawEthicsHours: '1.5', completedOn: '2024-10-01', providerId: '', courseId: '', note: 'Certificate from a county conference' };

describe('a completion recorded by hand', () => {
  test('needs the evidence: without it the form comes back with the error beside the file and the values kept', async () => {
    const res = await postCompletion(fields);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="evidence-error"[^>]*>Attach the certificate or other evidence/);
    assert.match(res.body, /value="3.5"/);
    assert.match(res.body, />Certificate from a county conference<\/textarea>/);
    assert.equal((await db.select().from(trainingCompletions)).length, 0);
  });

  test('refuses evidence that is not a PDF, JPEG or PNG', async () => {
    const res = await postCompletion(fields, { filename: 'certificate.pdf', type: 'application/pdf', content: 'just text' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Upload a PDF, JPEG or PNG file\./);
  });

  test('with the evidence it is recorded, the evidence kept as the person’s document, and audited with the note', async () => {
    const res = await postCompletion(fields, { filename: 'certificate.pdf', type: 'application/pdf', content: TINY_PDF });
    assert.equal(res.statusCode, 303, res.body);
    const [completion] = await db.select().from(trainingCompletions).where(eq(trainingCompletions.peerId, peerId));
    assert.equal(completion?.source, 'manual');
    assert.deepEqual([completion?.hours, completion?.lawEthicsHours], [3.5, 1.5]);
    const [document] = await db.select().from(documents).where(eq(documents.id, completion?.evidenceDocumentId ?? ''));
    assert.deepEqual([document?.peerId, document?.contentType, document?.filename], [peerId, 'application/pdf', 'certificate.pdf']);
    const { rows } = await searchAudit(db, { action: 'training.completion.record', entityId: completion?.id ?? '' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.reason, 'Certificate from a county conference');
    const summary = summarizeTraining(await creditedCompletions(db, peerId));
    assert.deepEqual([summary.ceHours, summary.lawEthicsHours], [3.5, 1.5]);
    const shown = await app.inject({ url: String(res.headers.location), headers: { ...staff, accept: 'text/html' } });
    assert.match(shown.body, /The completion is recorded\./);
  });

  test('naming a provider that was not approved on that date is refused (rule training.provider_not_approved)', async () => {
    const res = await postCompletion({ ...fields, courseId, completedOn: '2023-06-01' }, { filename: 'c.png', type: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="courseId-error"[^>]*>North Coast Peer Trainers was not approved/);
  });

  test('core training must have the program’s core hours', async () => {
    const res = await postCompletion({ ...fields, trainingType: 'core', hours: '40', lawEthicsHours: '0' }, { filename: 'c.pdf', type: 'application/pdf', content: TINY_PDF });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Core training is 80 hours\./);
  });

  test('is for certification staff only', async () => {
    const member = await signedIn(app, userActor('training_provider'));
    assert.equal((await app.inject({ url: '/training/completions/new', headers: { ...member, accept: 'text/html' } })).statusCode, 403);
  });
});

describe('what credits', () => {
  test('a completion outside any approval of its provider is ignored, and so is one after the approval was ended', async () => {
    // Loaded from elsewhere (source import), so no use case checked it: one before the approval began, one within.
    await db.insert(trainingCompletions).values([
      { peerId, courseId, providerId, trainingType: 'ce', hours: 6, lawEthicsHours: 6, completedOn: '2023-12-31', source: 'import' },
      { peerId, courseId, providerId, trainingType: 'ce', hours: 6, lawEthicsHours: 6, completedOn: '2025-03-01', source: 'import' },
    ]);
    const credited = await creditedCompletions(db, peerId);
    assert.deepEqual(credited.map((c) => c.completedOn), ['2024-10-01', '2025-03-01']);
    assert.deepEqual(credited.map((c) => c.completedOn), (await creditedCompletions(db, peerId, { from: '2024-01-01', to: '2026-01-01' })).map((c) => c.completedOn));

    await endProviderApproval(db, { approvalId, endedOn: '2025-02-01', reason: 'Sanction' }, staffContext);
    assert.deepEqual((await creditedCompletions(db, peerId)).map((c) => c.completedOn), ['2024-10-01'], 'the manual completion names no course; the import falls after the end');
  });

  test('the range bounds the completion date as [from, to)', async () => {
    assert.deepEqual((await creditedCompletions(db, peerId, { from: '2024-10-02' })).length, 0);
    assert.deepEqual((await creditedCompletions(db, peerId, { to: '2024-10-02' })).length, 1);
    assert.deepEqual((await creditedCompletions(db, peerId, { to: '2024-10-01' })).length, 0);
  });
});
