// Enforcement, as the certifier's staff and the public live it: a complaint is filed and acknowledged, its clocks
// count business days across holidays, filing limits are flagged, conflicted investigators are refused, a
// suspension changes the status for its dates and lifts by itself, an upheld appeal reverses a revocation from its
// date, a provider's sanction stops its courses crediting, and nothing of a case reaches the public registry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import type { RoleGrant } from '../access/roles.ts';
import { outbox } from '../accounts/accounts.schema.ts';
import { createPerson } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { certificationStatusOn } from '../certification/certification-status.ts';
import { certifications } from '../certification/certification.schema.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { applyDatedChanges } from '../certification/scheduled-work.ts';
import { testStorage, TINY_PDF } from '../certification/testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { bulkVerify } from '../registry/bulk-verify.ts';
import { registryEntry } from '../registry/registry.service.ts';
import { creditedCompletions } from '../training/training-credit.ts';
import { courses, providerApprovals, trainingCompletions, trainingProviderMembers, trainingProviders } from '../training/training.schema.ts';
import { decideAppeal, fileAppeal } from './appeals.ts';
import { getCaseFile, listCases, readEvidence, timeliness } from './case-queries.ts';
import { declareConflict } from './conflicts.ts';
import { decideComplaint } from './decide-case.ts';
import { sendCaseReminders } from './enforcement.jobs.ts';
import { caseEvidence, enforcementCases } from './enforcement.schema.ts';
import { fileComplaint } from './file-complaint.ts';
import { acknowledgeCase, addCaseNote, assignCase, extendCase, linkCaseSubject } from './work-case.ts';

let database: TestDatabase;
const db = () => database.db;
const storage = testStorage();
const STAFF: RoleGrant[] = [{ role: 'enforcement_staff', countyFips: null }];

async function staffAt(today: string, email?: string): Promise<UseCaseContext & { userId: string }> {
  const person = await createPerson(db(), { roles: STAFF, ...(email ? { email } : {}) });
  return { actor: { kind: 'user', userId: person.id, roles: STAFF }, today, userId: person.id };
}
const anonymousOn = (today: string): UseCaseContext => ({ actor: { kind: 'anonymous' }, today });

const COMPLAINT = {
  kind: 'ethics',
  narrative: 'The peer shared my recovery story at a public meeting without asking me.',
  name: 'Pat Complainant',
  email: 'pat.complainant@example.org',
  phone: '(916) 555-0100',
};

before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

describe('filing a complaint', () => {
  test('without contact details an anonymous complaint is refused field by field, and nothing is stored', async () => {
    const before = await db().select().from(enforcementCases);
    await assert.rejects(
      fileComplaint(db(), storage, { kind: 'ethics', narrative: COMPLAINT.narrative }, [], anonymousOn('2025-11-26')),
      (err: { status: number; errors: Array<{ path: string }> }) => err.status === 400 && err.errors.some((e) => e.path === 'name') && err.errors.some((e) => e.path === 'email'),
    );
    await assert.rejects(fileComplaint(db(), storage, { ...COMPLAINT, narrative: 'short' }, [], anonymousOn('2025-11-26')), /at least 20 characters/);
    await assert.rejects(fileComplaint(db(), storage, COMPLAINT, [{ filename: 'notes.txt', bytes: Buffer.from('plain text') }], anonymousOn('2025-11-26')), /PDF, JPEG or PNG/);
    assert.equal((await db().select().from(enforcementCases)).length, before.length);
  });

  test('the complainant gets a number and an acknowledgement at once; the clocks skip Thanksgiving and the weekend', async () => {
    const filed = await fileComplaint(db(), storage, COMPLAINT, [{ filename: 'screenshot.pdf', bytes: TINY_PDF }], anonymousOn('2025-11-26'));
    assert.match(filed.number, /^CMP-2025-\d{6}$/);
    assert.equal(filed.acknowledged, true);
    // Received Wednesday 26 November 2025: Thursday 27 and Friday 28 are state holidays, so the five business days
    // are 1–5 December.
    assert.equal(filed.acknowledgeBy, '2025-12-05');
    const [row] = await db().select().from(enforcementCases).where(eq(enforcementCases.id, filed.id));
    assert.equal(row?.decideBy, '2026-02-24', '90 calendar days');
    assert.equal(row?.channel, 'web');
    const mail = await db().select().from(outbox).where(eq(outbox.to, COMPLAINT.email));
    assert.equal(mail.length, 1);
    assert.match(mail[0]!.subject, new RegExp(filed.number));
    assert.ok(!mail[0]!.text.includes('recovery story'), 'the acknowledgement does not repeat what was written');
    assert.equal((await db().select().from(caseEvidence).where(eq(caseEvidence.caseId, filed.id))).length, 1);
  });

  test('in Spanish the acknowledgement is in Spanish', async () => {
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, email: 'ana@example.org', locale: 'es' }, [], anonymousOn('2026-03-02'));
    const [mail] = await db().select().from(outbox).where(eq(outbox.to, 'ana@example.org'));
    assert.match(mail!.subject, /Recibimos su queja/);
    assert.match(mail!.text, new RegExp(filed.number));
  });

  test('staff enter a mailed complaint with its date of receipt; only enforcement staff may', async () => {
    const staff = await staffAt('2026-01-20');
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, email: undefined, channel: 'mail', receivedOn: '2026-01-16' }, [], staff);
    assert.equal(filed.acknowledged, false, 'a letter is acknowledged by staff, not automatically');
    // Friday 16 January 2026; Monday 19 is Martin Luther King Jr. Day: 20, 21, 22, 23, 26.
    assert.equal(filed.acknowledgeBy, '2026-01-26');
    await assert.rejects(fileComplaint(db(), storage, { ...COMPLAINT, channel: 'mail' }, [], anonymousOn('2026-01-20')), (err: { status: number }) => err.status === 401);
  });
});

describe('filing limits are flagged, not rejected', () => {
  test('conduct more than three years before receipt, and conduct before the certification was issued', async () => {
    await certifyPeer(db(), { first: 'Lena', last: 'Flagged', number: 'PSS-700001', issuedOn: '2023-05-01', expiresOn: '2027-05-01' });
    const old = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700001', occurredOn: '2022-01-10' }, [], anonymousOn('2026-02-02'));
    const file = await getCaseFile(db(), old.id, await staffAt('2026-02-02'));
    const codes = file.case.flags.map((f) => f.code).sort();
    assert.deepEqual(codes, ['beyond_filing_limit', 'not_certified_then']);
    assert.match(file.case.flags.find((f) => f.code === 'beyond_filing_limit')!.message, /more than 3 years/);
    assert.equal(file.case.status, 'open', 'the complaint is kept for the investigator');

    const fine = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700001', occurredOn: '2025-09-01' }, [], anonymousOn('2026-02-02'));
    assert.deepEqual((await getCaseFile(db(), fine.id, await staffAt('2026-02-02'))).case.flags, []);
  });

  test('an unlinked complaint says so, and linking the subject rechecks the limits', async () => {
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, subjectDescription: 'Lena at the wellness center', occurredOn: '2023-03-01' }, [], anonymousOn('2026-02-02'));
    const staff = await staffAt('2026-02-03');
    assert.deepEqual((await getCaseFile(db(), filed.id, staff)).case.flags.map((f) => f.code), ['subject_not_linked']);
    const linked = await linkCaseSubject(db(), { caseId: filed.id, number: 'pss-700001' }, staff);
    assert.deepEqual(linked.flags.map((f) => f.code), ['not_certified_then'], 'March 2023 is before the May 2023 issue');
  });
});

describe('assignment and conflicts of interest', () => {
  test('an investigator cannot take a case about themselves or someone they supervise', async () => {
    const investigator = await staffAt('2026-02-10');
    const other = await staffAt('2026-02-10');
    await certifyPeer(db(), { userId: investigator.userId, first: 'Ines', last: 'Investigator', number: 'PSS-700002', issuedOn: '2024-01-01', expiresOn: '2028-01-01' });
    await certifyPeer(db(), { first: 'Sam', last: 'Supervised', number: 'PSS-700003', issuedOn: '2024-01-01', expiresOn: '2028-01-01' });
    const aboutSelf = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700002' }, [], anonymousOn('2026-02-10'));
    await assert.rejects(assignCase(db(), { caseId: aboutSelf.id, investigatorId: investigator.userId }, other), /about themselves/);

    await declareConflict(db(), { investigatorId: other.userId, number: 'PSS-700003', relation: 'supervises' }, investigator);
    const aboutSupervisee = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700003' }, [], anonymousOn('2026-02-10'));
    await assert.rejects(assignCase(db(), { caseId: aboutSupervisee.id, investigatorId: other.userId }, investigator), /someone they supervise/);
    const assigned = await assignCase(db(), { caseId: aboutSupervisee.id, investigatorId: investigator.userId }, other);
    assert.equal(assigned.assignedTo, investigator.userId);
    await assert.rejects(assignCase(db(), { caseId: aboutSupervisee.id, investigatorId: (await createPerson(db())).id }, other), /enforcement staff role/);
  });

  test('only enforcement staff (and administrators, reading) open cases; every read is audited', async () => {
    const filed = await fileComplaint(db(), storage, COMPLAINT, [{ filename: 'photo.pdf', bytes: TINY_PDF }], anonymousOn('2026-02-11'));
    const certStaff: UseCaseContext = { actor: { kind: 'user', userId: (await createPerson(db())).id, roles: [{ role: 'certification_staff', countyFips: null }] } };
    await assert.rejects(getCaseFile(db(), filed.id, certStaff), (err: { status: number }) => err.status === 403);
    await assert.rejects(listCases(db(), 'open', anonymousOn('2026-02-11')), (err: { status: number }) => err.status === 401);
    const admin: UseCaseContext = { actor: { kind: 'user', userId: (await createPerson(db())).id, roles: [{ role: 'system_admin', countyFips: null }] } };
    const file = await getCaseFile(db(), filed.id, admin);
    await assert.rejects(addCaseNote(db(), { caseId: filed.id, body: 'x' }, admin), (err: { status: number }) => err.status === 403);
    const [evidence] = file.evidence;
    await readEvidence(db(), storage, filed.id, evidence!.id, admin);
    const reads = await searchAudit(db(), { action: 'enforcement.case.read', entityId: file.case.number });
    assert.equal(reads.rows.length, 1);
    assert.equal((await searchAudit(db(), { action: 'enforcement.evidence.read', entityId: file.case.number })).rows.length, 1);
    assert.ok(!JSON.stringify(reads.rows).includes(COMPLAINT.email), 'the audit row names the case, not the complainant');
  });
});

describe('clocks', () => {
  test('acknowledgement and one extension of at most 30 days, with a reason, before the clock runs out', async () => {
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, email: undefined }, [], anonymousOn('2026-03-02'));
    const staff = await staffAt('2026-03-04');
    const acked = await acknowledgeCase(db(), { caseId: filed.id, how: 'phone' }, staff);
    assert.equal(acked.acknowledgedOn, '2026-03-04');
    await assert.rejects(acknowledgeCase(db(), { caseId: filed.id, how: 'letter' }, staff), /was acknowledged/);
    await assert.rejects(extendCase(db(), { caseId: filed.id, days: 31, reason: 'witness abroad' }, staff), /1 to 30/);
    await assert.rejects(extendCase(db(), { caseId: filed.id, days: 10, reason: ' ' }, staff), /reason/);
    const late = { ...staff, today: '2026-06-01' };
    await assert.rejects(extendCase(db(), { caseId: filed.id, days: 10, reason: 'too late' }, late), /run out/);
    const extended = await extendCase(db(), { caseId: filed.id, days: 30, reason: 'A witness is away until June.' }, staff);
    assert.equal(extended.decideBy, '2026-05-31');
    assert.equal(extended.extendedTo, '2026-06-30');
    await assert.rejects(extendCase(db(), { caseId: filed.id, days: 5, reason: 'again' }, staff), /only one extension/);
  });

  test('the dashboard lists what is due and overdue, and timeliness per clock counts each case once', async () => {
    const staff = await staffAt('2026-03-20');
    const overdue = await fileComplaint(db(), storage, { ...COMPLAINT, email: undefined }, [], anonymousOn('2026-03-10'));
    const { cases: attention } = await listCases(db(), 'attention', staff);
    const row = attention.find((c) => c.id === overdue.id)!;
    assert.equal(row.acknowledgement.state, 'overdue');
    assert.equal(row.acknowledgement.dueOn, '2026-03-17');
    // Acknowledged at once, decision due 2026-06-18: not yet in need of attention; two weeks before, it is.
    const calm = await fileComplaint(db(), storage, COMPLAINT, [], anonymousOn('2026-03-20'));
    assert.ok(!attention.some((c) => c.id === calm.id));
    assert.ok(!(await listCases(db(), 'attention', staff)).cases.some((c) => c.id === calm.id));
    assert.ok((await listCases(db(), 'attention', { ...staff, today: '2026-06-04' })).cases.some((c) => c.id === calm.id));
    assert.ok((await listCases(db(), 'open', staff)).cases.some((c) => c.id === calm.id));
    const t = await timeliness(db(), staff);
    const ack = t.find((x) => x.clock === 'acknowledgement')!;
    const total = ack.met + ack.late + ack.due + ack.overdue;
    assert.equal(total, (await db().select().from(enforcementCases)).length);
  });

  test('reminders: the investigator is emailed as a clock comes due and once when missed, never twice', async () => {
    const investigator = await staffAt('2026-04-01', 'ivy.investigator@example.org');
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, email: undefined }, [], anonymousOn('2026-04-01'));
    await assignCase(db(), { caseId: filed.id, investigatorId: investigator.userId }, investigator);
    const count = async () => (await db().select().from(outbox).where(eq(outbox.to, 'ivy.investigator@example.org'))).filter((m) => m.subject.includes(filed.number)).length;
    // Acknowledgement due 2026-04-08: 7 days before is today.
    await sendCaseReminders(db(), '2026-04-01', { baseUrl: 'http://localhost' });
    assert.equal(await count(), 1);
    await sendCaseReminders(db(), '2026-04-01', { baseUrl: 'http://localhost' });
    assert.equal(await count(), 1, 'a second run sends nothing');
    await sendCaseReminders(db(), '2026-04-09', { baseUrl: 'http://localhost' });
    assert.equal(await count(), 2, 'the overdue reminder');
    await sendCaseReminders(db(), '2026-04-10', { baseUrl: 'http://localhost' });
    assert.equal(await count(), 2);
  });
});

describe('decisions change standing through the certification state machine', () => {
  test('a suspension is suspended for its dates, lifts by itself, shows on the registry and in bulk verification', async () => {
    const { certificationId } = await certifyPeer(db(), { first: 'Susana', last: 'Suspendida', number: 'PSS-700010', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700010', occurredOn: '2025-12-01' }, [], anonymousOn('2026-01-05'));
    const staff = await staffAt('2026-02-02');
    await assert.rejects(decideComplaint(db(), { caseId: filed.id, outcome: 'suspension', reason: 'Breach of confidentiality.', startsOn: '2026-02-02' }, staff), /ends/);
    const outcome = await decideComplaint(
      db(),
      { caseId: filed.id, outcome: 'suspension', reason: 'Breach of confidentiality (private).', startsOn: '2026-02-02', endsOn: '2026-05-02', publicSummary: 'Suspended for 90 days for a breach of confidentiality.' },
      staff,
    );
    assert.equal(outcome.statusChangeIds.length, 2);
    assert.equal(await certificationStatusOn(db(), certificationId, '2026-02-01'), 'active');
    assert.equal(await certificationStatusOn(db(), certificationId, '2026-02-02'), 'suspended');
    assert.equal(await certificationStatusOn(db(), certificationId, '2026-05-01'), 'suspended');
    assert.equal(await certificationStatusOn(db(), certificationId, '2026-05-02'), 'active', 'lifts by itself on its end date');
    const [bulk] = await bulkVerify(db(), { csv: 'number,as_of\nPSS-700010,2026-03-15\n', asOf: '2026-03-15' });
    assert.equal(bulk?.facts?.status, 'suspended');

    const entry = await registryEntry(db(), 'PSS-700010', { today: '2026-03-01' });
    assert.equal(entry.statusToday, 'suspended');
    assert.deepEqual(entry.publicActions, [{ kind: 'suspension', startsOn: '2026-02-02', endsOn: '2026-05-02', decidedOn: '2026-02-02', summary: 'Suspended for 90 days for a breach of confidentiality.' }]);
    assert.ok(!JSON.stringify(entry).includes('private'), 'the private reasons stay private');

    // The status-today column follows on the end date, when the job runs.
    const column = async () => (await db().select({ s: certifications.status }).from(certifications).where(eq(certifications.id, certificationId)))[0]?.s;
    await applyDatedChanges(db(), '2026-03-01');
    assert.equal(await column(), 'suspended');
    await applyDatedChanges(db(), '2026-05-02');
    assert.equal(await column(), 'active');
    const [notice] = (await db().select().from(outbox).where(eq(outbox.to, COMPLAINT.email))).filter((m) => m.subject.includes(filed.number) && m.subject.startsWith('Outcome'));
    assert.match(notice!.text, /Suspension/);
  });

  test('a decided case cannot be changed; probation is an overlay that keeps the certification active', async () => {
    const { certificationId } = await certifyPeer(db(), { first: 'Paulo', last: 'Probation', number: 'PSS-700011', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700011' }, [], anonymousOn('2026-01-05'));
    const staff = await staffAt('2026-02-02');
    await assert.rejects(decideComplaint(db(), { caseId: filed.id, outcome: 'probation', reason: 'Boundaries.', startsOn: '2026-02-02', endsOn: '2027-02-02' }, staff), /terms/);
    await decideComplaint(db(), { caseId: filed.id, outcome: 'probation', reason: 'Boundaries.', terms: 'Monthly supervision reports.', startsOn: '2026-02-02', endsOn: '2026-08-02', publicSummary: 'Probation for six months.' }, staff);
    assert.equal(await certificationStatusOn(db(), certificationId, '2026-03-01'), 'active');
    assert.equal((await registryEntry(db(), 'PSS-700011', { today: '2026-03-01' })).publicActions[0]?.kind, 'probation');
    await assert.rejects(extendCase(db(), { caseId: filed.id, days: 5, reason: 'x' }, staff), /decided/);
  });

  test('an upheld appeal reverses a revocation from its effective date, and the registry drops the action', async () => {
    const peerUser = await createPerson(db(), { email: 'rita.revoked@example.org' });
    const { certificationId } = await certifyPeer(db(), { userId: peerUser.id, first: 'Rita', last: 'Revoked', number: 'PSS-700012', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700012' }, [], anonymousOn('2026-01-05'));
    const staff = await staffAt('2026-02-02');
    const revocation = await decideComplaint(db(), { caseId: filed.id, outcome: 'revocation', reason: 'Fraud.', startsOn: '2026-02-02', publicSummary: 'Revoked.' }, staff);
    assert.equal(await certificationStatusOn(db(), certificationId, '2026-02-10'), 'revoked');

    const peer: UseCaseContext = { actor: { kind: 'user', userId: peerUser.id, roles: [{ role: 'peer', countyFips: null }] }, today: '2026-02-09' };
    const stranger: UseCaseContext = { actor: { kind: 'user', userId: (await createPerson(db())).id, roles: [] }, today: '2026-02-09' };
    await assert.rejects(fileAppeal(db(), { outcomeId: revocation.id, grounds: 'I did not do what the complaint says.' }, stranger), (err: { status: number }) => err.status === 404);
    const appeal = await fileAppeal(db(), { outcomeId: revocation.id, grounds: 'The documents show I was not at the agency that day.' }, peer);
    assert.match(appeal.number, /^APL-2026-/);
    await assert.rejects(fileAppeal(db(), { outcomeId: revocation.id, grounds: 'Filing the same appeal a second time.' }, peer), /already open/);
    await decideAppeal(db(), { caseId: appeal.id, outcome: 'upheld', reason: 'The evidence does not support the finding.' }, { ...staff, today: '2026-03-01' });

    for (const date of ['2026-02-02', '2026-02-15', '2026-03-01']) assert.equal(await certificationStatusOn(db(), certificationId, date), 'active', `active on ${date}`);
    const entry = await registryEntry(db(), 'PSS-700012', { today: '2026-03-01' });
    assert.equal(entry.statusToday, 'active');
    assert.deepEqual(entry.publicActions, []);
    assert.deepEqual(
      entry.history.statuses.map((s) => s.status),
      ['active'],
      'the revocation and its reversal leave the public history',
    );
    const file = await getCaseFile(db(), filed.id, staff);
    assert.equal(file.outcome?.reversedOn, '2026-03-01');
    await assert.rejects(fileAppeal(db(), { outcomeId: revocation.id, grounds: 'Appealing a decision already reversed.' }, peer), (err: { status: number }) => err.status === 404);
  });

  test('an upheld appeal of a suspension undoes it and its automatic lift: active on every date', async () => {
    const peerUser = await createPerson(db());
    const { certificationId } = await certifyPeer(db(), { userId: peerUser.id, first: 'Ugo', last: 'Upheld', number: 'PSS-700014', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, subjectNumber: 'PSS-700014' }, [], anonymousOn('2026-01-05'));
    const staff = await staffAt('2026-02-02');
    const suspension = await decideComplaint(db(), { caseId: filed.id, outcome: 'suspension', reason: 'Boundary violation.', startsOn: '2026-02-02', endsOn: '2026-04-01' }, staff);
    const peer: UseCaseContext = { actor: { kind: 'user', userId: peerUser.id, roles: [{ role: 'peer', countyFips: null }] }, today: '2026-02-03' };
    const appeal = await fileAppeal(db(), { outcomeId: suspension.id, grounds: 'The session notes show the contact was supervised.' }, peer);
    await decideAppeal(db(), { caseId: appeal.id, outcome: 'upheld', reason: 'The notes support the appeal.' }, { ...staff, today: '2026-02-20' });
    for (const date of ['2026-02-01', '2026-02-02', '2026-03-15', '2026-04-01', '2026-06-01']) assert.equal(await certificationStatusOn(db(), certificationId, date), 'active', `active on ${date}`);
    const [row] = await db().select({ s: certifications.status }).from(certifications).where(eq(certifications.id, certificationId));
    assert.equal(row?.s, 'active');
    const entry = await registryEntry(db(), 'PSS-700014', { today: '2026-06-01' });
    assert.deepEqual(entry.history.statuses.map((s) => s.status), ['active']);
    assert.deepEqual(entry.publicActions, []);
  });

  test('a provider’s approval suspension stops its courses crediting for the period; they credit again after', async () => {
    const [provider] = await db().insert(trainingProviders).values({ name: 'Sanctioned Training Co', kind: 'agency', contactEmail: 'info@sanctioned.example' }).returning();
    await db().insert(providerApprovals).values({ providerId: provider!.id, trainingType: 'ce', language: 'en', approvedFrom: '2025-01-01', approvedTo: '2027-01-01' });
    const [course] = await db().insert(courses).values({ providerId: provider!.id, trainingType: 'ce', language: 'en', title: 'Ethics refresher', hours: 6 }).returning();
    const { peerId } = await certifyPeer(db(), { first: 'Carla', last: 'Credit', number: 'PSS-700013', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
    for (const completedOn of ['2026-01-15', '2026-03-15', '2026-07-15']) {
      await db().insert(trainingCompletions).values({ peerId, courseId: course!.id, trainingType: 'ce', hours: 6, completedOn, source: 'roster' });
    }
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, kind: 'training_provider', providerId: provider!.id, occurredOn: '2025-11-01' }, [], anonymousOn('2026-01-20'));
    const staff = await staffAt('2026-02-01');
    const sanction = await decideComplaint(db(), { caseId: filed.id, outcome: 'approval_suspension', reason: 'Taught unapproved material.', startsOn: '2026-02-01', endsOn: '2026-06-01' }, staff);
    const credited = async () => (await creditedCompletions(db(), peerId)).map((c) => c.completedOn);
    assert.deepEqual(await credited(), ['2026-01-15', '2026-07-15'], 'March is inside the suspension');

    // The provider's own member appeals; upheld, the approval is whole again and March credits.
    const member = await createPerson(db(), { roles: [{ role: 'training_provider', countyFips: null }] });
    await db().insert(trainingProviderMembers).values({ providerId: provider!.id, userId: member.id });
    const memberContext: UseCaseContext = { actor: { kind: 'user', userId: member.id, roles: [{ role: 'training_provider', countyFips: null }] }, today: '2026-02-05' };
    const appeal = await fileAppeal(db(), { outcomeId: sanction.id, grounds: 'The material was in the approved curriculum, page 12.' }, memberContext);
    await decideAppeal(db(), { caseId: appeal.id, outcome: 'upheld', reason: 'The curriculum on file includes it.' }, { ...staff, today: '2026-03-01' });
    assert.deepEqual(await credited(), ['2026-01-15', '2026-03-15', '2026-07-15']);
  });
});

describe('privacy', () => {
  test('the registry entry carries only the public action, never the case', async () => {
    await certifyPeer(db(), { first: 'Nora', last: 'Private', number: 'PSS-700020', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
    const filed = await fileComplaint(db(), storage, { ...COMPLAINT, name: 'Secret Complainant', email: 'secret.complainant@example.org', subjectNumber: 'PSS-700020', narrative: 'A very private narrative about what happened.' }, [{ filename: 'private-evidence.pdf', bytes: TINY_PDF }], anonymousOn('2026-01-05'));
    const staff = await staffAt('2026-02-02');
    await addCaseNote(db(), { caseId: filed.id, body: 'Investigator note: interviewed the employer.' }, staff);
    await decideComplaint(db(), { caseId: filed.id, outcome: 'revocation', reason: 'Private reasoning of the panel.', startsOn: '2026-02-02', publicSummary: 'Revoked for a Code of Ethics violation.' }, staff);
    const text = JSON.stringify(await registryEntry(db(), 'PSS-700020', { today: '2026-03-01' }));
    for (const secret of ['Secret Complainant', 'secret.complainant', 'private narrative', 'private-evidence', 'Investigator note', 'Private reasoning', filed.number]) assert.ok(!text.includes(secret), `the entry shows ${secret}`);
    assert.ok(text.includes('Revoked for a Code of Ethics violation.'));
  });
});
