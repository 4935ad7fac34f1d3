// Documenting peer support services, as stories: a peer documents an engagement visit and it passes; each rule
// fails on the right side of its date boundary, with facts gathered from the real tables; a draft keeps its
// failures and cannot be made billable; a stale edit is refused; a back-dated suspension or participation change
// flags what it affects and tells the staff; staff of another organization never see the service.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { outbox } from '../accounts/accounts.schema.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { recordedEligibility } from '../beneficiaries/eligibility.service.ts';
import { changeCertificationStatus } from '../certification/certification-status.ts';
import { recordParticipationChange } from '../counties/record-participation.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { systemContext, type UseCaseContext } from '../access/context.ts';
import { createPerson } from '../accounts/testing.ts';
import { cosignEncounter, createEncounter, markBillable, recheckEncounter, updateEncounter, validateEncounterInput } from './document-encounter.ts';
import { exportEncountersCsv, getEncounter, listEncounters } from './encounter-queries.ts';
import { encounterFlags } from './encounters.schema.ts';
import { engagementVisit, providerAtWork, type ProviderAtWork } from './services.testing.ts';

let database: TestDatabase;
const db = () => database.db;
let p: ProviderAtWork;

before(async () => {
  database = await createTestDatabase();
  p = await providerAtWork(db());
});
after(() => database.close());

async function codesFor(overrides: Record<string, unknown>, today = '2026-10-15', as: UseCaseContext = p.peer) {
  const { failures } = await validateEncounterInput(db(), recordedEligibility, engagementVisit(p, overrides), { ...as, today });
  return failures.map((f) => f.code);
}

/** The rule's code is absent on `passes` and present on `fails`. */
async function boundary(code: string, passes: Record<string, unknown>, fails: Record<string, unknown>, today?: string) {
  assert.ok(!(await codesFor(passes, today)).includes(code), `${code} should pass with ${JSON.stringify(passes)}`);
  assert.ok((await codesFor(fails, today)).includes(code), `${code} should fail with ${JSON.stringify(fails)}`);
}

describe('documenting a service', () => {
  test('a peer documents an engagement visit at their employer; every rule passes and it becomes billable', async () => {
    const { encounter, failures } = await createEncounter(db(), recordedEligibility, engagementVisit(p), { ...p.peer, today: '2026-04-06' });
    assert.deepEqual(failures, []);
    assert.equal(encounter.minutes, 60, 'minutes come from the times');
    assert.equal(encounter.signedOn, '2026-04-06');
    const billable = await markBillable(db(), recordedEligibility, encounter.id, { ...p.staff, today: '2026-04-07' });
    assert.equal(billable.encounter.status, 'billable');
    assert.equal((await searchAudit(db(), { action: 'encounter.billable', entityId: encounter.id })).rows.length, 1);
  });

  test('each rule fails on the right side of its date boundary', async () => {
    // Employment is [2026-01-05, 2026-11-02).
    await boundary('peer.not_employed', { serviceDate: '2026-01-05' }, { serviceDate: '2026-01-04' });
    // After the employment ends the peer no longer reaches the organization; staff document for them.
    const byStaff = async (serviceDate: string) => (await codesFor({ serviceDate, peerNumber: p.peer.number, sign: false }, '2026-11-20', p.staff));
    assert.ok(!(await byStaff('2026-11-01')).includes('peer.not_employed'));
    assert.ok((await byStaff('2026-11-02')).includes('peer.not_employed'));
    await assert.rejects(codesFor({ serviceDate: '2026-11-01' }, '2026-11-20'), (err: { status: number }) => err.status === 403);
    // The supervisor completed training on 2026-01-12.
    await boundary('supervision.training', { serviceDate: '2026-01-12' }, { serviceDate: '2026-01-09' });
    // Eligibility is [2026-01-01, 2026-10-01).
    await boundary('member.not_eligible', { serviceDate: '2026-09-30' }, { serviceDate: '2026-10-01' });
    // The DMC-ODS contract is [2026-01-01, 2026-07-01).
    await boundary('organization.not_contracted', { serviceDate: '2026-06-30', deliverySystem: 'DMC_ODS' }, { serviceDate: '2026-07-01', deliverySystem: 'DMC_ODS' });
    // Alameda takes no part in the DMC State Plan (it runs DMC-ODS).
    await boundary('county.not_participating', { deliverySystem: 'SMHS' }, { deliverySystem: 'DMC' });
    // Minutes: positive and at most the configured 480.
    await boundary('minutes.over_limit', { startTime: undefined, endTime: undefined, minutes: 480 }, { startTime: undefined, endTime: undefined, minutes: 481 });
    await boundary('minutes.not_positive', { startTime: undefined, endTime: undefined, minutes: 1 }, { startTime: undefined, endTime: undefined, minutes: 0 });
    await boundary('minutes.mismatch', { minutes: 60 }, { minutes: 45 });
    await boundary('time.order', { endTime: '10:01' }, { endTime: '10:00' });
    await boundary('date.future', { serviceDate: '2026-10-15' }, { serviceDate: '2026-10-16' });
    await boundary('care_plan.missing', {}, { carePlanReference: '' });
    await boundary('telehealth.consent', { modality: 'video', telehealthConsent: 'verbal', placeOfService: '10' }, { modality: 'audio_only', placeOfService: '10' });
    await boundary('note.narrative', {}, { noteNarrative: ' ' });
    await boundary('note.next_steps', {}, { noteNextSteps: '' });
  });

  test('no two services of one peer overlap; back to back is fine', async () => {
    // The first story saved 10:00–11:00 on 2026-04-06.
    await boundary('encounter.overlap', { startTime: '11:00', endTime: '11:30', minutes: 30 }, { startTime: '10:30', endTime: '11:15', minutes: 45 });
  });

  test('the note is signed within 3 business days: Monday’s visit is due Thursday; a holiday is not a business day', async () => {
    assert.ok(!(await codesFor({ serviceDate: '2026-04-13' }, '2026-04-16')).includes('note.late'), 'signed on Thursday, the due day');
    assert.ok((await codesFor({ serviceDate: '2026-04-13' }, '2026-04-17')).includes('note.late'), 'signed on Friday, a day late');
    assert.ok((await codesFor({ serviceDate: '2026-04-13', sign: false }, '2026-04-16')).includes('note.unsigned'));
    assert.ok((await codesFor({ serviceDate: '2026-04-13', sign: false }, '2026-04-17')).includes('note.late'));
    // Wednesday 2 September: Labor Day (Monday 7 September) is a state holiday, so the note is due Tuesday 8 September.
    const september = { serviceDate: '2026-09-02', sign: true };
    assert.ok(!(await codesFor(september, '2026-09-08')).includes('note.late'), 'Labor Day (7 September) is not a business day');
    assert.ok((await codesFor(september, '2026-09-09')).includes('note.late'));
  });

  test('a suspension on the date of service fails the certification rule, to the day', async () => {
    const q = await providerAtWork(db(), { cin: '91234568C' });
    await db().transaction(async (tx) => {
      await changeCertificationStatus(tx, { certificationId: q.peer.certificationId, to: 'suspended', effectiveOn: '2026-03-02', reasonCode: 'suspension' }, systemContext('test', '2026-02-20'));
      await changeCertificationStatus(tx, { certificationId: q.peer.certificationId, to: 'active', effectiveOn: '2026-03-09', reasonCode: 'suspension_end' }, systemContext('test', '2026-02-20'));
    });
    const codes = async (serviceDate: string) => (await validateEncounterInput(db(), recordedEligibility, engagementVisit(q, { serviceDate, sign: false, peerNumber: q.peer.number }), q.staff)).failures.map((f) => f.code);
    assert.ok(!(await codes('2026-03-01')).includes('peer.not_certified'));
    assert.ok((await codes('2026-03-02')).includes('peer.not_certified'));
    assert.ok((await codes('2026-03-08')).includes('peer.not_certified'));
    assert.ok(!(await codes('2026-03-09')).includes('peer.not_certified'));
  });

  test('a draft is saved with its failures, cannot be made billable, and a stale edit is refused', async () => {
    const { encounter, failures } = await createEncounter(db(), recordedEligibility, engagementVisit(p, { serviceDate: '2026-05-04', carePlanReference: '', sign: false, peerNumber: p.peer.number }), { ...p.staff, today: '2026-05-04' });
    assert.deepEqual(failures.map((f) => f.code).sort(), ['care_plan.missing', 'note.unsigned']);
    await assert.rejects(markBillable(db(), recordedEligibility, encounter.id, p.staff), (err: { status: number; code: string }) => err.status === 422 && err.code === 'care_plan.missing');
    await assert.rejects(createEncounter(db(), recordedEligibility, engagementVisit(p, { serviceDate: '2026-05-05', peerNumber: p.peer.number }), p.staff), /Only the peer who gave the service signs/);
    const fixed = await updateEncounter(db(), recordedEligibility, encounter.id, { ...engagementVisit(p, { serviceDate: '2026-05-04' }), version: encounter.version }, { ...p.peer, today: '2026-05-05' });
    assert.deepEqual(fixed.failures, []);
    await assert.rejects(updateEncounter(db(), recordedEligibility, encounter.id, { ...engagementVisit(p, { serviceDate: '2026-05-04' }), version: encounter.version }, p.peer), (err: { status: number }) => err.status === 409);
    await cosignEncounter(db(), encounter.id, p.supervisor);
    assert.equal((await markBillable(db(), recordedEligibility, encounter.id, p.staff)).encounter.status, 'billable');
  });

  test('a suspension recorded later, back-dated, flags the services it affects and emails the staff', async () => {
    const r = await providerAtWork(db(), { cin: '91234569D' });
    const before = await createEncounter(db(), recordedEligibility, engagementVisit(r, { serviceDate: '2026-06-01' }), { ...r.peer, today: '2026-06-01' });
    const affected = await createEncounter(db(), recordedEligibility, engagementVisit(r, { serviceDate: '2026-06-15' }), { ...r.peer, today: '2026-06-15' });
    await markBillable(db(), recordedEligibility, affected.encounter.id, r.staff);
    await db().transaction((tx) => changeCertificationStatus(tx, { certificationId: r.peer.certificationId, to: 'suspended', effectiveOn: '2026-06-10', reasonCode: 'suspension' }, systemContext('test', '2026-07-01')));
    const flags = await db().select().from(encounterFlags).where(eq(encounterFlags.encounterId, affected.encounter.id));
    assert.equal(flags.length, 1);
    assert.match(flags[0]!.reason, /suspended from 2026-06-10/);
    assert.equal((await db().select().from(encounterFlags).where(eq(encounterFlags.encounterId, before.encounter.id))).length, 0, 'a service before the suspension is not flagged');
    const mail = await db().select().from(outbox).where(eq(outbox.to, (r.staff as unknown as { email: string }).email));
    assert.equal(mail.length, 1);
    assert.doesNotMatch(mail[0]!.text, /Maria|Member/, 'the email names no member');
    // The flag shows in the list, and a re-check keeps it while the suspension stands.
    const flagged = await listEncounters(db(), { state: 'flagged', organizationId: r.org.id }, r.staff);
    assert.deepEqual(flagged.rows.map((x) => x.id), [affected.encounter.id]);
    const recheck = await recheckEncounter(db(), recordedEligibility, affected.encounter.id, r.staff);
    assert.ok(recheck.failures.some((f) => f.code === 'peer.not_certified'));
    assert.equal(recheck.encounter.status, 'draft');
  });

  test('a county that stops a delivery system back-dated flags that system’s services in the county', async () => {
    const s = await providerAtWork(db(), { cin: '91234570E' });
    const odsVisit = await createEncounter(db(), recordedEligibility, engagementVisit(s, { serviceDate: '2026-06-22', deliverySystem: 'DMC_ODS' }), { ...s.peer, today: '2026-06-22' });
    assert.deepEqual(odsVisit.failures, []);
    const analyst = await createPerson(db(), { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    await recordParticipationChange(db(), { fips: '06001', deliverySystem: 'DMC_ODS', participating: false, effectiveOn: '2026-06-01', reason: 'Alameda ended DMC-ODS peer services (test)' }, { actor: { kind: 'user', userId: analyst.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } });
    const flags = await db().select().from(encounterFlags).where(eq(encounterFlags.encounterId, odsVisit.encounter.id));
    assert.equal(flags[0]?.code, 'retro.participation');
    await recordParticipationChange(db(), { fips: '06001', deliverySystem: 'DMC_ODS', participating: true, effectiveOn: '2026-06-01', reason: 'Recorded in error (test)' }, { actor: { kind: 'user', userId: analyst.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } });
  });

  test('staff of another organization never see the service; the county administrator does; reads are audited', async () => {
    const other = await providerAtWork(db(), { cin: '91234571F' });
    const { encounter } = await createEncounter(db(), recordedEligibility, engagementVisit(p, { serviceDate: '2026-04-20' }), { ...p.peer, today: '2026-04-20' });
    await assert.rejects(getEncounter(db(), encounter.id, other.staff), (err: { status: number }) => err.status === 404);
    await assert.rejects(createEncounter(db(), recordedEligibility, engagementVisit(p, { serviceDate: '2026-04-21', peerNumber: p.peer.number, sign: false }), other.staff), (err: { status: number }) => err.status === 403);
    assert.ok(!(await listEncounters(db(), {}, other.staff)).rows.some((r) => r.id === encounter.id));
    const read = await getEncounter(db(), encounter.id, p.admin);
    assert.deepEqual(read.participants.map((x) => x.firstName), ['Maria']);
    assert.ok((await searchAudit(db(), { action: 'encounter.read', entityId: encounter.id })).rows.length >= 1);
    // Caseloads: the peer's own services; the supervisor's supervisees'.
    const mine = await listEncounters(db(), { caseload: 'mine' }, p.peer);
    assert.ok(mine.rows.length > 0 && mine.rows.every((x) => x.peerNumber === p.peer.number));
    const supervised = await listEncounters(db(), { caseload: 'mine' }, p.supervisor);
    assert.ok(supervised.rows.some((x) => x.id === encounter.id));
    assert.deepEqual((await listEncounters(db(), { caseload: 'mine' }, other.supervisor)).rows, []);
    const csv = await exportEncountersCsv(db(), { organizationId: p.org.id }, p.staff);
    assert.match(csv.split('\n')[0]!, /^encounter_id,service_date/);
    assert.ok(csv.includes(encounter.id));
    assert.doesNotMatch(csv, /Maria|91234567A/);
  });
});
