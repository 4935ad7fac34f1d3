// Claiming, as stories: a fee schedule is imported (twice, changing nothing); billable services become a batch —
// one claim per member per date, a line per service, units by the rounding rule and charges in cents; a claim
// failing an edit is held with the edit on its line; the 837P has the ready claims only, parses back, and the
// same batch gives the same file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { createPerson } from '../accounts/testing.ts';
import { recordedEligibility } from '../beneficiaries/eligibility.service.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { createEncounter, markBillable } from '../encounters/document-encounter.ts';
import { engagementVisit, providerAtWork, type ProviderAtWork } from '../encounters/services.testing.ts';
import { testFieldCipher } from '../lib/field-crypto.testing.ts';
import { batch837, listBatches } from './batch-837.ts';
import { buildClaimBatch } from './build-claims.ts';
import { claimLines, claims, claimStateChanges } from './claims.schema.ts';
import { importFeeSchedule, rateOn } from './fee-schedule.ts';
import { check837 } from './x12-837p.ts';

let database: TestDatabase;
const db = () => database.db;
let p: ProviderAtWork;
let analyst: UseCaseContext;

const SCHEDULE = ['plan_code,delivery_system,procedure_code,modifiers,effective_from,rate', 'alameda,SMHS,H0038,,2026-01-01,26.49', 'alameda,SMHS,H0025,,2026-01-01,31.00', 'alameda,SMHS,H0038,,2026-07-01,27.10'].join('\n');

async function billable(overrides: Record<string, unknown>) {
  const on = String(overrides.serviceDate);
  const { encounter, failures } = await createEncounter(db(), recordedEligibility, engagementVisit(p, overrides), { ...p.peer, today: on });
  assert.deepEqual(failures, [], JSON.stringify(failures));
  await markBillable(db(), recordedEligibility, encounter.id, { ...p.staff, today: on });
  return encounter;
}

before(async () => {
  database = await createTestDatabase();
  p = await providerAtWork(db());
  const person = await createPerson(db(), { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
  analyst = { actor: { kind: 'user', userId: person.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } };
});
after(() => database.close());

describe('claims', () => {
  test('a fee schedule is imported once; a bad row refuses the whole file; the rate in force is the latest from before the date', async () => {
    assert.deepEqual(await importFeeSchedule(db(), { csv: SCHEDULE, source: 'Test schedule 2026', illustrative: true }, analyst), { recorded: 3, alreadyRecorded: 0 });
    assert.deepEqual(await importFeeSchedule(db(), { csv: SCHEDULE, source: 'Test schedule 2026', illustrative: true }, analyst), { recorded: 0, alreadyRecorded: 3 });
    await assert.rejects(importFeeSchedule(db(), { csv: `${SCHEDULE}\nnowhere,SMHS,H0038,,2026-01-01,1\nalameda,SMHS,X1,,2026-01-01,1`, source: 'bad' }, analyst), (err: { errors: Array<{ path: string }> }) => err.errors.map((e) => e.path).join() === 'line 5,line 6');
    await assert.rejects(importFeeSchedule(db(), { csv: SCHEDULE, source: 'x' }, p.staff), (err: { status: number }) => err.status === 403);
    const key = { planCode: 'alameda', deliverySystem: 'SMHS', procedureCode: 'H0038', modifiers: '' };
    assert.equal((await rateOn(db(), key, '2026-06-30'))?.rateCents, 2649);
    assert.equal((await rateOn(db(), key, '2026-07-01'))?.rateCents, 2710);
    assert.equal(await rateOn(db(), key, '2025-12-31'), null);
  });

  test('billable services become claims: one per member and date, units by the 8-minute rule, a held claim carries its edit', async () => {
    await billable({ serviceDate: '2026-04-06', startTime: '10:00', endTime: '11:00' }); // 60 min → 4 units
    await billable({ serviceDate: '2026-04-06', startTime: '14:00', endTime: '14:23' }); // 23 min → 2 units, same claim
    await billable({ serviceDate: '2026-04-08', startTime: '09:00', endTime: '09:37', diagnosisCode: '' }); // held: no diagnosis
    const built = await buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-01', to: '2026-04-30' }, { ...p.staff, today: '2026-05-01' });
    assert.deepEqual([built.ready, built.held], [1, 1]);
    const rows = await db().select().from(claims).where(eq(claims.batchId, built.batch.id)).orderBy(claims.serviceDate);
    const [ready, held] = rows as [typeof rows[number], typeof rows[number]];
    assert.equal(ready.state, 'ready');
    assert.equal(ready.totalCents, 6 * 2649);
    const lines = await db().select().from(claimLines).where(eq(claimLines.claimId, ready.id)).orderBy(claimLines.lineNumber);
    assert.deepEqual(lines.map((l) => [l.units, l.chargeCents, l.controlNumber]), [[4, 10596, `${ready.controlNumber}-1`], [2, 5298, `${ready.controlNumber}-2`]]);
    assert.equal(held.state, 'held');
    assert.deepEqual(held.edits.map((e) => [e.code, e.line]), [['claim.diagnosis_missing', 1]]);
    assert.equal((await db().select().from(claimStateChanges).where(eq(claimStateChanges.claimId, held.id)))[0]?.toState, 'held');
    // The same services are not claimed twice.
    await assert.rejects(buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-01', to: '2026-04-30' }, { ...p.staff, today: '2026-05-01' }), /No billable service/);

    const file = await batch837(db(), testFieldCipher(), built.batch.id, p.staff);
    assert.equal(file.claims, 1, 'held claims are never sent');
    assert.deepEqual(check837(file.text), []);
    assert.match(file.text, /NM1\*IL\*1\*MEMBER\*MARIA\*\*\*\*MI\*91234567A~/);
    assert.match(file.text, /SV1\*HC:H0038\*105\.96\*UN\*4\*\*\*1~/);
    assert.match(file.text, /PRV\*PE\*PXC\*175T00000X~/);
    assert.ok(!file.text.includes(held.controlNumber));
    assert.equal((await batch837(db(), testFieldCipher(), built.batch.id, p.staff)).text, file.text, 'the same batch gives the same file');
    assert.equal((await searchAudit(db(), { action: 'claims.837.write', entityId: built.batch.id })).rows.length, 2);
    const [listed] = await listBatches(db(), [p.org.id]);
    assert.deepEqual([listed?.claims, listed?.ready, listed?.held], [2, 1, 1]);
  });

  test('a timely-filing limit, the per-day unit limit and a rate missing hold the claim', async () => {
    await billable({ serviceDate: '2026-04-13', startTime: '09:00', endTime: '09:07' }); // 7 minutes: 0 units
    const built = await buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-13', to: '2026-04-13' }, { ...p.staff, today: '2027-05-01' });
    const [claim] = await db().select().from(claims).where(eq(claims.batchId, built.batch.id));
    assert.deepEqual(claim!.edits.map((e) => e.code).sort(), ['claim.timely_filing', 'claim.units_zero']);
  });

  test('staff of another organization cannot build or read the batch', async () => {
    const other = await providerAtWork(db(), { cin: '96666666C' });
    await assert.rejects(buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-01', to: '2026-04-30' }, other.staff), (err: { status: number }) => err.status === 403);
    const [batch] = await listBatches(db(), [p.org.id]);
    await assert.rejects(batch837(db(), testFieldCipher(), batch!.id, other.staff), (err: { status: number }) => err.status === 404);
  });
});
