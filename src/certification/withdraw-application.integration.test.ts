// Withdrawing an application through its use case: only the applicant, only before the application has ended; it
// leaves the queue, frees the person to apply again, keeps its fees and is on the timeline and in the audit log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { AppError } from '../lib/errors.ts';
import { getApplicationDetail, myCertificationRecord, reviewQueue } from './application-queries.ts';
import { getApplicationRow } from './application-status.ts';
import { applicationEvents } from './certification.schema.ts';
import { feesOfApplication } from './fees.ts';
import { denyApplication } from './review-application.ts';
import { saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { ADULT_ANSWERS, certifiedPerson, personContext, staffContext, testStorage, TINY_PDF } from './testing.ts';
import { WITHDRAWAL_REASON_MAX_LENGTH, withdrawApplication } from './withdraw-application.ts';

const TODAY = '2026-03-02';
const storage = testStorage();

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

describe('withdrawing an application', () => {
  let database: TestDatabase;
  let staff: UseCaseContext;
  before(async () => {
    database = await createTestDatabase();
    staff = await staffContext(database.db, TODAY);
  });
  after(() => database.close());

  async function submitted() {
    const { db } = database;
    const applicant = await personContext(db, TODAY);
    const application = await startApplication(db, { pathway: 'initial' }, applicant);
    await saveAnswers(db, { applicationId: application.id, answers: ADULT_ANSWERS }, applicant);
    for (const kind of ['photo_id', 'diploma']) await uploadApplicationDocument(db, storage, { applicationId: application.id, kind, filename: `${kind}.pdf`, bytes: TINY_PDF }, applicant);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    return { applicant, application };
  }

  test('a draft is withdrawn by its applicant, who may then start a new application', async () => {
    const { db } = database;
    const applicant = await personContext(db, TODAY);
    const draft = await startApplication(db, { pathway: 'initial' }, applicant);
    assert.equal((await refusal(startApplication(db, { pathway: 'initial' }, applicant))).status, 409, 'one open application at a time');
    const withdrawn = await withdrawApplication(db, { applicationId: draft.id }, applicant);
    assert.equal(withdrawn.status, 'withdrawn');
    assert.equal(withdrawn.version, draft.version + 1);
    const record = await myCertificationRecord(db, applicant);
    assert.equal(record.openApplication, null, 'a withdrawn application is closed');
    assert.equal((await getApplicationDetail(db, draft.id, applicant)).nextStep, 'apply_again');
    const next = await startApplication(db, { pathway: 'initial' }, applicant);
    assert.equal(next.status, 'draft');
    assert.notEqual(next.id, draft.id);
  });

  test('a submitted application is withdrawn: it leaves the queue, the reason is on its timeline and in the audit log, its fees stay', async () => {
    const { db } = database;
    const { applicant, application } = await submitted();
    const inQueue = async () => (await reviewQueue(db, {}, staff)).rows.some((r) => r.id === application.id);
    assert.equal(await inQueue(), true);
    const [fee] = await feesOfApplication(db, application.id);
    assert.ok(fee, 'submission charged the application fee');
    await withdrawApplication(db, { applicationId: application.id, reason: '  I moved to Oregon.  ' }, applicant);
    assert.equal(await inQueue(), false);
    const [event] = await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, application.id), eq(applicationEvents.toStatus, 'withdrawn')));
    assert.equal(event?.fromStatus, 'submitted');
    assert.equal(event?.reason, 'I moved to Oregon.', 'the reason is trimmed');
    assert.equal(event?.actorId, applicant.userId);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'application.withdrawn'), eq(auditLog.entityId, application.number)));
    assert.equal(audits.length, 1);
    assert.equal(audits[0]?.actorUserId, applicant.userId);
    assert.equal(audits[0]?.reason, 'I moved to Oregon.');
    assert.deepEqual(
      (await feesOfApplication(db, application.id)).map((f) => [f.id, f.settledAt]),
      [[fee.id, null]],
      'fees are neither deleted nor settled by a withdrawal',
    );
  });

  test('someone else, staff included, gets 404 and nothing changes', async () => {
    const { db } = database;
    const { application } = await submitted();
    const before = await getApplicationRow(db, application.id);
    const stranger = await personContext(db, TODAY);
    for (const actor of [stranger, staff]) {
      const err = await refusal(withdrawApplication(db, { applicationId: application.id }, actor));
      assert.equal(err.status, 404);
    }
    const row = await getApplicationRow(db, application.id);
    assert.equal(row?.status, 'submitted');
    assert.equal(row?.version, before?.version);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'application.withdrawn'), eq(auditLog.entityId, application.number)));
    assert.deepEqual(audits, []);
  });

  test('a certified or denied application cannot be withdrawn (409 application.transition), nor a withdrawn one twice', async () => {
    const { db } = database;
    const certified = await certifiedPerson(db, storage, TODAY);
    const afterCertified = await refusal(withdrawApplication(db, { applicationId: certified.application.id }, certified.applicant));
    assert.equal(afterCertified.status, 409);
    assert.equal(afterCertified.code, 'application.transition');

    const { applicant, application } = await submitted();
    await denyApplication(db, { applicationId: application.id, reason: 'The diploma is not a diploma.' }, staff);
    const afterDenied = await refusal(withdrawApplication(db, { applicationId: application.id }, applicant));
    assert.equal(afterDenied.status, 409);
    assert.equal(afterDenied.code, 'application.transition');
    assert.equal((await getApplicationRow(db, application.id))?.status, 'denied');

    const draft = await startApplication(db, { pathway: 'initial' }, applicant);
    await withdrawApplication(db, { applicationId: draft.id }, applicant);
    assert.equal((await refusal(withdrawApplication(db, { applicationId: draft.id }, applicant))).code, 'application.transition');
  });

  test(`a reason longer than ${WITHDRAWAL_REASON_MAX_LENGTH} characters is refused beside its field; a blank one is no reason`, async () => {
    const { db } = database;
    const applicant = await personContext(db, TODAY);
    const draft = await startApplication(db, { pathway: 'initial' }, applicant);
    const tooLong = await refusal(withdrawApplication(db, { applicationId: draft.id, reason: 'x'.repeat(WITHDRAWAL_REASON_MAX_LENGTH + 1) }, applicant));
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.errors.map((e) => e.path), ['reason']);
    assert.equal((await getApplicationRow(db, draft.id))?.status, 'draft', 'nothing changed');
    await withdrawApplication(db, { applicationId: draft.id, reason: '   ' }, applicant);
    const [event] = await db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, draft.id), eq(applicationEvents.toStatus, 'withdrawn')));
    assert.equal(event?.reason, null);
  });
});
