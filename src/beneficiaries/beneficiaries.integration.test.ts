// Members' records as protected health information: the stored bytes are not the CIN or birth date; the CIN is
// found by its blind index; staff of one organization never reach another's members; every read and change is
// audited without the values; eligibility comes from entered periods or a CSV that can be imported twice safely.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { searchAudit } from '../audit/audit.service.ts';
import { queryRows } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { providerAtWork, type ProviderAtWork } from '../encounters/services.testing.ts';
import { testFieldCipher } from '../lib/field-crypto.testing.ts';
import { beneficiaries } from './beneficiaries.schema.ts';
import { findBeneficiaryByCin, getBeneficiary, listBeneficiaries, registerBeneficiary, updateBeneficiary } from './beneficiaries.service.ts';
import { importEligibilityCsv, recordEligibility, recordedEligibility } from './eligibility.service.ts';

let database: TestDatabase;
const db = () => database.db;
const cipher = testFieldCipher();
let a: ProviderAtWork;
let b: ProviderAtWork;

before(async () => {
  database = await createTestDatabase();
  a = await providerAtWork(db(), { cin: '91234567A' });
  b = await providerAtWork(db(), { cin: '97654321C' });
});
after(() => database.close());

describe('members', () => {
  test('the CIN and birth date are stored encrypted: no column of the row holds them', async () => {
    const [row] = await queryRows<Record<string, unknown>>(db(), sql`select * from beneficiaries where id = ${a.member.id}`);
    const stored = JSON.stringify(row);
    assert.doesNotMatch(stored, /91234567A/);
    assert.doesNotMatch(stored, /1980-02-29|19800229/);
    assert.match(String(row!.cin_encrypted), /^v1\.test\./);
    assert.equal(String(row!.cin_index).length, 64);
    // Two encryptions of one CIN differ (random nonce); the index is the same.
    const again = await registerBeneficiary(db(), cipher, { organizationId: b.org.id, cin: '91234567A', firstName: 'Maria', lastName: 'Member', birthDate: '1980-02-29', countyFips: '06001' }, b.staff);
    const [x, y] = await Promise.all([a.member.id, again.id].map(async (id) => (await db().select().from(beneficiaries).where(eq(beneficiaries.id, id)))[0]!));
    assert.notEqual(x!.cinEncrypted, y!.cinEncrypted);
    assert.equal(x!.cinIndex, y!.cinIndex);
  });

  test('registration checks the CIN and birth date, and refuses a second record of one CIN at one organization', async () => {
    const base = { organizationId: a.org.id, firstName: 'Ana', lastName: 'Lopez', birthDate: '1991-05-06', countyFips: '06001' };
    await assert.rejects(registerBeneficiary(db(), cipher, { ...base, cin: '812345678' }, a.staff), /A CIN is 9 characters/);
    await assert.rejects(registerBeneficiary(db(), cipher, { ...base, cin: '91111111A', birthDate: '2030-01-01' }, a.staff), /date of birth/);
    await assert.rejects(registerBeneficiary(db(), cipher, { ...base, cin: '9123 4567a' }, a.staff), (err: { status: number }) => err.status === 409);
    await assert.rejects(registerBeneficiary(db(), cipher, { ...base, cin: '91111111A' }, a.supervisor), (err: { status: number }) => err.status === 403, 'supervisors read members, they do not register them');
  });

  test('an exact CIN lookup uses the blind index; another organization’s staff find nothing and cannot open the record', async () => {
    const found = await findBeneficiaryByCin(db(), cipher, a.org.id, '91234567a', a.staff);
    assert.equal(found?.id, a.member.id);
    assert.equal(found?.birthDate, '1980-02-29');
    await assert.rejects(findBeneficiaryByCin(db(), cipher, a.org.id, '91234567A', b.staff), (err: { status: number }) => err.status === 403);
    await assert.rejects(getBeneficiary(db(), cipher, a.member.id, b.staff), (err: { status: number }) => err.status === 404);
    assert.ok(!(await listBeneficiaries(db(), {}, b.staff)).some((m) => m.id === a.member.id));
    assert.ok((await listBeneficiaries(db(), {}, a.admin)).some((m) => m.id === a.member.id), 'the county administrator sees the county’s organizations');
    const listed = await listBeneficiaries(db(), { organizationId: a.org.id }, { ...a.staff, today: '2026-05-01' });
    assert.equal(listed.find((m) => m.id === a.member.id)?.eligibleToday, true, 'eligible on 2026-05-01');
    const later = await listBeneficiaries(db(), { organizationId: a.org.id }, { ...a.staff, today: '2026-10-01' });
    assert.equal(later.find((m) => m.id === a.member.id)?.eligibleToday, false, 'the period ended on 2026-10-01');
    assert.deepEqual((await listBeneficiaries(db(), {}, { actor: { kind: 'user', userId: a.staff.userId, roles: [{ role: 'system_admin', countyFips: null }] } })), [], 'administrators do not read PHI');
  });

  test('reads and changes are audited by record, never with the values', async () => {
    const read = await getBeneficiary(db(), cipher, a.member.id, a.staff);
    assert.equal(read.member.cin, '91234567A');
    const audits = await searchAudit(db(), { entityId: a.member.id });
    assert.ok(audits.rows.some((r) => r.action === 'beneficiary.read'));
    assert.ok(audits.rows.some((r) => r.action === 'beneficiary.create'));
    assert.doesNotMatch(JSON.stringify(audits.rows), /91234567A|1980-02-29/);
  });

  test('a correction names the version it read; a stale one is refused', async () => {
    const { member } = await getBeneficiary(db(), cipher, a.member.id, a.staff);
    const updated = await updateBeneficiary(db(), cipher, member.id, { ...member, lastName: 'Member-Ortiz', version: member.version }, a.staff);
    assert.equal(updated.lastName, 'Member-Ortiz');
    await assert.rejects(updateBeneficiary(db(), cipher, member.id, { ...member, version: member.version }, a.staff), (err: { status: number }) => err.status === 409);
    const change = (await searchAudit(db(), { action: 'beneficiary.update', entityId: member.id })).rows[0]!;
    assert.doesNotMatch(JSON.stringify(change), /Member-Ortiz/);
  });
});

describe('eligibility', () => {
  test('entered periods answer the eligibility check at their boundaries, and may not overlap', async () => {
    assert.equal((await recordedEligibility.check(db(), a.member.id, '2026-01-01')).eligible, true);
    assert.equal((await recordedEligibility.check(db(), a.member.id, '2025-12-31')).eligible, false);
    assert.equal((await recordedEligibility.check(db(), a.member.id, '2026-10-01')).eligible, false, 'the end date is the first day not covered');
    await assert.rejects(recordEligibility(db(), a.member.id, { startsOn: '2026-09-01' }, a.staff), /already covers/);
    await assert.rejects(recordEligibility(db(), a.member.id, { startsOn: '2026-12-01', endsOn: '2026-11-01' }, a.staff), /end date comes after/);
    await assert.rejects(recordEligibility(db(), a.member.id, { startsOn: '2027-01-01' }, b.staff), (err: { status: number }) => err.status === 404);
  });

  test('a CSV import records, skips what is already recorded, rejects with reasons naming lines only; the same file again changes nothing', async () => {
    const csv = ['cin,starts_on,ends_on,aid_code', '91234567A,2026-10-01,2027-10-01,1H', '91234567A,2026-01-01,2026-10-01,', '99999999Z,2026-01-01,,', '91234567A,2027-01-01,2026-01-01,', 'nonsense,2026-01-01,,'].join('\n');
    const first = await importEligibilityCsv(db(), cipher, { organizationId: a.org.id, csv }, a.staff);
    assert.deepEqual(first.rows.map((r) => r.outcome), ['recorded', 'already_recorded', 'rejected', 'rejected', 'rejected']);
    assert.doesNotMatch(JSON.stringify(first), /99999999Z|91234567A/);
    const second = await importEligibilityCsv(db(), cipher, { organizationId: a.org.id, csv }, a.staff);
    assert.deepEqual([second.recorded, second.alreadyRecorded, second.rejected], [0, 2, 3]);
    assert.equal((await recordedEligibility.check(db(), a.member.id, '2027-03-01')).period?.aidCode, '1H');
    await assert.rejects(importEligibilityCsv(db(), cipher, { organizationId: a.org.id, csv: 'name\nx' }, a.staff), /columns cin, starts_on/);
    await assert.rejects(importEligibilityCsv(db(), cipher, { organizationId: a.org.id, csv }, b.staff), (err: { status: number }) => err.status === 403);
  });
});
