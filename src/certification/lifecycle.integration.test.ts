// The certification lifecycle through its use cases: application, review, training, exam, issue, renewal — with
// every rule boundary the program sets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { AppError } from '../lib/errors.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { recordRuleChange } from '../rules/rules.service.ts';
import { certificationCycles, certifications, ethicsAffirmations } from './certification.schema.ts';
import { certificationStatusOn, isCertifiedOn } from './certification-status.ts';
import { authorizeExam, recordExamResult, requestExam } from './exam.ts';
import { feesOfApplication, outstandingFees, settleFee } from './fees.ts';
import { approveApplication, denyApplication, requestRevisions, verifyTraining } from './review-application.ts';
import { saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { getApplicationDetail, myCertificationRecord, reviewQueue } from './application-queries.ts';
import { ADULT_ANSWERS, certifiedPerson, creditTraining, payFees, personContext, staffContext, testStorage, TINY_PDF } from './testing.ts';
import type { UseCaseContext } from '../access/context.ts';
import { CODE_OF_ETHICS_TEXT } from './code-of-ethics.ts';

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

async function draftWithDocuments(db: TestDatabase['db'], answers: Record<string, unknown> = ADULT_ANSWERS, today = TODAY) {
  const applicant = await personContext(db, today);
  const application = await startApplication(db, { pathway: 'initial' }, applicant);
  await saveAnswers(db, { applicationId: application.id, answers }, applicant);
  for (const kind of ['photo_id', 'diploma']) await uploadApplicationDocument(db, storage, { applicationId: application.id, kind, filename: `${kind}.pdf`, bytes: TINY_PDF }, applicant);
  return { applicant, application };
}

describe('certification lifecycle', () => {
  let database: TestDatabase;
  let staff: UseCaseContext;
  before(async () => {
    database = await createTestDatabase();
    staff = await staffContext(database.db, TODAY);
  });
  after(() => database.close());

  test('a draft is saved step by step and resumed; submission lists everything missing', async () => {
    const { db } = database;
    const applicant = await personContext(db, TODAY);
    const application = await startApplication(db, { pathway: 'initial' }, applicant);
    await saveAnswers(db, { applicationId: application.id, answers: { legalFirstName: 'Ana' } }, applicant);
    await saveAnswers(db, { applicationId: application.id, answers: { legalLastName: 'Ruiz' } }, applicant);
    const detail = await getApplicationDetail(db, application.id, applicant);
    assert.equal((detail.application.answers as { legalFirstName: string }).legalFirstName, 'Ana', 'the first step was kept');
    const codes = new Set(detail.problems.map((p) => p.path));
    for (const missing of ['dateOfBirth', 'education', 'livedExperience', 'willingToShare', 'document.photo_id', 'document.diploma']) assert.ok(codes.has(missing), missing);
    const err = await refusal(submitApplication(db, { applicationId: application.id, signedName: 'Ana Ruiz', ethicsAffirmed: true }, applicant));
    assert.equal(err.status, 422);
    assert.ok(err.errors.length >= 6);
  });

  test('a 17-year-old is refused with the age rule; on their 18th birthday they may submit', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(database.db, { ...ADULT_ANSWERS, dateOfBirth: '2008-03-03' });
    const err = await refusal(submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant));
    assert.equal(err.code, 'eligibility.age');
    assert.match(err.message, /at least 18/);
    const birthday = { ...applicant, today: '2026-03-03' };
    const submitted = await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, birthday);
    assert.equal(submitted.status, 'submitted');
  });

  test('no diploma, no willingness to share, or a signature that is not the legal name: each refused with its reason', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(db, { ...ADULT_ANSWERS, education: 'none', willingToShare: false });
    const err = await refusal(submitApplication(db, { applicationId: application.id, signedName: 'R. M.', ethicsAffirmed: true }, applicant));
    const codes = err.errors.map((e) => e.path);
    assert.deepEqual(new Set(codes), new Set(['education', 'willingToShare', 'signedName']));
  });

  test('submission stores the ethics text seen and charges the application fee; approval waits for the fee', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(db);
    await submitApplication(db, { applicationId: application.id, signedName: 'rosa  martínez', ethicsAffirmed: 'yes' }, applicant);
    const [affirmation] = await db.select().from(ethicsAffirmations).where(eq(ethicsAffirmations.applicationId, application.id));
    assert.equal(affirmation?.text, CODE_OF_ETHICS_TEXT);
    const fees = await feesOfApplication(db, application.id);
    assert.deepEqual(fees.map((f) => [f.kind, f.amountCents]), [['application', 10000]]);
    assert.equal((await refusal(approveApplication(db, { applicationId: application.id }, staff))).code, 'fee.outstanding');
    assert.ok((await outstandingFees(db, staff)).rows.some((r) => r.applicationId === application.id));
    await settleFee(db, { feeId: fees[0]!.id, settlement: 'county_scholarship', reference: 'Alameda 2026-11' }, staff);
    const approved = await approveApplication(db, { applicationId: application.id }, staff);
    assert.equal(approved.validThrough, '2027-03-02', 'valid 12 months from approval');
  });

  test('a fee is never settled with something that looks like a card number', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(db);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    const [fee] = await feesOfApplication(db, application.id);
    const err = await refusal(settleFee(db, { feeId: fee!.id, settlement: 'payment', reference: '4111 1111 1111 1111' }, staff));
    assert.equal(err.status, 400);
  });

  test('revisions: the applicant sees what to fix, edits, resubmits without a second fee', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(db);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    await requestRevisions(db, { applicationId: application.id, items: [{ field: 'document.photo_id', message: 'The ID photo is unreadable.' }] }, staff);
    const detail = await getApplicationDetail(db, application.id, applicant);
    assert.equal(detail.application.status, 'revision_requested');
    assert.deepEqual(detail.application.revisionItems, [{ field: 'document.photo_id', message: 'The ID photo is unreadable.' }]);
    await uploadApplicationDocument(db, storage, { applicationId: application.id, kind: 'photo_id', filename: 'id2.pdf', bytes: TINY_PDF }, applicant);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    assert.equal((await feesOfApplication(db, application.id)).length, 1);
  });

  test('a denial needs a reason and ends the application; someone else cannot see it', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(db);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    assert.equal((await refusal(denyApplication(db, { applicationId: application.id, reason: ' ' }, staff))).status, 400);
    const denied = await denyApplication(db, { applicationId: application.id, reason: 'The ID does not match the legal name given.' }, staff);
    assert.equal(denied.decisionReason, 'The ID does not match the legal name given.');
    const stranger = await personContext(db, TODAY);
    assert.equal((await refusal(getApplicationDetail(db, application.id, stranger))).status, 404);
  });

  test('the queue shows waiting applications oldest first with their ages', async () => {
    // Submission times are real instants; look at the queue 40 days from now.
    const queue = await reviewQueue(database.db, { status: 'submitted' }, { ...staff, today: addDays(todayInCalifornia(), 40) });
    assert.ok(queue.rows.length > 0);
    assert.ok(queue.rows.every((r) => r.ageDays >= 40 && r.overdue), 'past the 30-day target');
  });

  test('exam: three attempts allowed; the third failure ends the application and a fourth is refused', async () => {
    const { db } = database;
    const { applicant, application } = await draftWithDocuments(db);
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    await payFees(db, application.id, staff);
    await approveApplication(db, { applicationId: application.id }, staff);
    assert.equal((await refusal(verifyTraining(db, { applicationId: application.id }, staff))).code, 'training.core_missing');
    const detail = await getApplicationDetail(db, application.id, staff);
    await creditTraining(db, detail.peer.id, { trainingType: 'core', hours: 80, completedOn: '2026-02-20' });
    await verifyTraining(db, { applicationId: application.id }, staff);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const fee = await requestExam(db, { applicationId: application.id }, applicant);
      assert.equal(fee?.kind, attempt === 1 ? 'exam' : 'exam_retake');
      assert.equal((await refusal(authorizeExam(db, { applicationId: application.id }, staff))).code, 'fee.outstanding');
      await payFees(db, application.id, staff);
      await authorizeExam(db, { applicationId: application.id }, staff);
      // One sitting per day: the vendor's file identifies an attempt by candidate and date.
      const after = await recordExamResult(db, { applicationId: application.id, takenOn: addDays(TODAY, attempt), result: 'fail', score: 55 }, { ...staff, today: addDays(TODAY, attempt) });
      assert.equal(after.status, attempt < 3 ? 'exam_failed' : 'attempts_exhausted');
    }
    assert.equal((await refusal(requestExam(db, { applicationId: application.id }, applicant))).code, 'exam.attempts_exhausted');
  });

  test('a pass issues a certification with a new number, active from today and for two years', async () => {
    const { db } = database;
    const { peer, application, applicant } = await certifiedPerson(db, storage, TODAY);
    assert.equal(application.status, 'certified');
    const [cert] = await db.select().from(certifications).where(eq(certifications.peerId, peer.id));
    assert.match(cert!.number, /^PSS-\d{6}$/);
    assert.equal(cert!.expiresOn, '2028-03-02');
    assert.equal(await isCertifiedOn(db, peer.id, TODAY), true);
    assert.equal(await isCertifiedOn(db, peer.id, addDays(TODAY, -1)), false, 'not before the issue date');
    assert.equal(await certificationStatusOn(db, cert!.id, '2028-03-02'), 'expired', 'expired on its expiry date even before the job runs');
    const record = await myCertificationRecord(db, applicant);
    assert.equal(record.certification?.number, cert!.number);
  });

  describe('renewal', () => {
    async function renewable() {
      const { db } = database;
      const { peer, applicant } = await certifiedPerson(db, storage, TODAY);
      const [cert] = await db.select().from(certifications).where(eq(certifications.peerId, peer.id));
      return { peer, applicant, cert: cert! };
    }

    test('opens 90 days before expiry and not a day earlier', async () => {
      const { applicant, cert } = await renewable();
      const early = { ...applicant, today: addDays(cert.expiresOn, -91) };
      assert.equal((await refusal(startApplication(database.db, { pathway: 'renewal' }, early))).code, 'renewal.window');
      const onTime = { ...applicant, today: addDays(cert.expiresOn, -90) };
      assert.equal((await startApplication(database.db, { pathway: 'renewal' }, onTime)).status, 'draft');
    });

    test('19 CE hours, or 5 of law and ethics, are refused; 20 with 6 renew without a gap', async () => {
      const { db } = database;
      const { applicant, cert, peer } = await renewable();
      const ctx = { ...applicant, today: addDays(cert.expiresOn, -30) };
      const renewal = await startApplication(db, { pathway: 'renewal' }, ctx);
      await saveAnswers(db, { applicationId: renewal.id, answers: { ceAttested: true } }, ctx);
      await creditTraining(db, peer.id, { trainingType: 'ce', hours: 14, lawEthicsHours: 0, completedOn: '2027-01-10' });
      await creditTraining(db, peer.id, { trainingType: 'ce', hours: 5, lawEthicsHours: 5, completedOn: '2027-02-10' });
      const short = await refusal(submitApplication(db, { applicationId: renewal.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, ctx));
      assert.equal(short.code, 'renewal.ce_hours_short');
      assert.ok(short.errors.some((e) => /6 of them must be law and ethics/.test(e.message)), 'the ethics shortfall is listed too');
      await creditTraining(db, peer.id, { trainingType: 'ce', hours: 1, lawEthicsHours: 0, completedOn: '2027-03-10' });
      assert.equal((await refusal(submitApplication(db, { applicationId: renewal.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, ctx))).code, 'renewal.ethics_hours_short');
      await creditTraining(db, peer.id, { trainingType: 'ce', hours: 1, lawEthicsHours: 1, completedOn: '2027-03-11' });
      await submitApplication(db, { applicationId: renewal.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, ctx);
      assert.deepEqual((await feesOfApplication(db, renewal.id)).map((f) => [f.kind, f.amountCents]), [['renewal', 8000]]);
      const staffThen = { ...staff, today: ctx.today };
      await payFees(db, renewal.id, staffThen);
      const done = await approveApplication(db, { applicationId: renewal.id }, staffThen);
      assert.equal(done.status, 'certified');
      const cycles = await db.select().from(certificationCycles).where(eq(certificationCycles.certificationId, cert.id)).orderBy(certificationCycles.issuedOn);
      assert.deepEqual(cycles.map((c) => [c.issuedOn, c.expiresOn]), [[TODAY, '2028-03-02'], ['2028-03-02', '2030-03-02']]);
      for (const day of [addDays(cert.expiresOn, -1), cert.expiresOn, '2030-03-01']) assert.equal(await isCertifiedOn(db, peer.id, day), true, day);
      assert.equal(await isCertifiedOn(db, peer.id, '2030-03-02'), false);
    });

    test('after expiry a late renewal, not reinstatement; after the late-renewal limit only reinstatement', async () => {
      const { db } = database;
      const { applicant, cert } = await renewable();
      const late = { ...applicant, today: addDays(cert.expiresOn, 10) };
      assert.equal((await refusal(startApplication(db, { pathway: 'reinstatement' }, late))).code, 'renewal.wrong_pathway');
      const reinstating = { ...applicant, today: addDays(cert.expiresOn, 400) };
      assert.equal((await refusal(startApplication(db, { pathway: 'renewal' }, reinstating))).code, 'renewal.wrong_pathway');
      assert.equal((await startApplication(db, { pathway: 'reinstatement' }, reinstating)).pathway, 'reinstatement');
    });
  });

  describe('reinstatement', () => {
    async function lapsed(daysLate: number) {
      const { db } = database;
      const { peer, applicant } = await certifiedPerson(db, storage, TODAY);
      const [cert] = await db.select().from(certifications).where(eq(certifications.peerId, peer.id));
      const late = { ...applicant, today: addDays(cert!.expiresOn, daysLate) };
      await creditTraining(db, peer.id, { trainingType: 'ce', hours: 14, lawEthicsHours: 0, completedOn: addDays(late.today, -30) });
      await creditTraining(db, peer.id, { trainingType: 'ce', hours: 6, lawEthicsHours: 6, completedOn: addDays(late.today, -20) });
      const application = await startApplication(db, { pathway: 'reinstatement' }, late);
      await saveAnswers(db, { applicationId: application.id, answers: { ceAttested: true } }, late);
      await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, late);
      const staffThen = { ...staff, today: late.today };
      await payFees(db, application.id, staffThen);
      return { db, peer, cert: cert!, late, application, staffThen };
    }

    test('without the refresher course it goes through the exam; a pass restores the certification from that day', async () => {
      const { db, peer, cert, late, application, staffThen } = await lapsed(400);
      assert.deepEqual((await feesOfApplication(db, application.id)).map((f) => [f.kind, f.amountCents]), [['reinstatement', 8000]], 'the late fee is not published (0), so not charged');
      const approved = await approveApplication(db, { applicationId: application.id }, staffThen);
      assert.equal(approved.status, 'approved', 'the exam is still to come');
      await requestExam(db, { applicationId: application.id }, late);
      await payFees(db, application.id, staffThen);
      await authorizeExam(db, { applicationId: application.id }, staffThen);
      const examDay = { ...staffThen, today: addDays(late.today, 5) };
      const done = await recordExamResult(db, { applicationId: application.id, takenOn: examDay.today, result: 'pass' }, examDay);
      assert.equal(done.status, 'certified');
      assert.equal(await isCertifiedOn(db, peer.id, addDays(cert.expiresOn, 1)), false, 'the lapse stays on record');
      assert.equal(await isCertifiedOn(db, peer.id, examDay.today), true);
    });

    test('with the refresher course completed after expiry, approval reinstates at once', async () => {
      const { db, peer, late, application, staffThen } = await lapsed(500);
      await creditTraining(db, peer.id, { trainingType: 'core', hours: 80, completedOn: addDays(late.today, -10) });
      const done = await approveApplication(db, { applicationId: application.id }, staffThen);
      assert.equal(done.status, 'certified');
      assert.equal(await isCertifiedOn(db, peer.id, late.today), true);
    });
  });

  test('a rule change applies from its date and never before', async () => {
    const { db } = database;
    const admin = await personContext(db, TODAY, [{ role: 'system_admin', countyFips: null }]);
    assert.equal((await refusal(recordRuleChange(db, { key: 'exam.attempts_per_application', value: 4, effectiveFrom: addDays(TODAY, -1), authority: 'test' }, admin))).code, 'rules.retroactive');
    await recordRuleChange(db, { key: 'fee.application', value: 12000, effectiveFrom: '2026-04-01', authority: 'Fee schedule 2026' }, admin);
    const before = await draftWithDocuments(db);
    await submitApplication(db, { applicationId: before.application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, before.applicant);
    assert.equal((await feesOfApplication(db, before.application.id))[0]?.amountCents, 10000);
    const afterChange = await draftWithDocuments(db, ADULT_ANSWERS, '2026-04-01');
    await submitApplication(db, { applicationId: afterChange.application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, afterChange.applicant);
    assert.equal((await feesOfApplication(db, afterChange.application.id))[0]?.amountCents, 12000);
  });

  test('with an exam fee of 0 nothing is charged and the exam is authorized without one', async () => {
    const { db } = database;
    const day = '2026-06-01';
    const admin = await personContext(db, TODAY, [{ role: 'system_admin', countyFips: null }]);
    await recordRuleChange(db, { key: 'fee.exam', value: 0, effectiveFrom: day, authority: 'Exam funded by DHCS (test)' }, admin);
    const { applicant, application } = await draftWithDocuments(db, ADULT_ANSWERS, day);
    const staffThen = { ...staff, today: day };
    await submitApplication(db, { applicationId: application.id, signedName: 'Rosa Martínez', ethicsAffirmed: true }, applicant);
    await payFees(db, application.id, staffThen);
    await approveApplication(db, { applicationId: application.id }, staffThen);
    const detail = await getApplicationDetail(db, application.id, staffThen);
    await creditTraining(db, detail.peer.id, { trainingType: 'core', hours: 80, completedOn: day });
    await verifyTraining(db, { applicationId: application.id }, staffThen);
    assert.equal(await requestExam(db, { applicationId: application.id }, applicant), null);
    assert.equal((await authorizeExam(db, { applicationId: application.id }, staffThen)).status, 'exam_authorized');
  });
});
