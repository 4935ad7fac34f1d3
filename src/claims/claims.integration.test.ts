// Claiming, as stories: a fee schedule is imported (twice, changing nothing); billable services become a batch —
// one claim per member per date, a line per service, units by the rounding rule and charges in cents; a claim
// failing an edit is held with the edit on its line; the 837P has the ready claims only, parses back, and the
// same batch gives the same file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { createPerson } from '../accounts/testing.ts';
import { recordedEligibility } from '../beneficiaries/eligibility.service.ts';
import { queryRows } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { billableVisit, providerAtWork, type ProviderAtWork } from '../encounters/services.testing.ts';
import { testFieldCipher } from '../lib/field-crypto.testing.ts';
import { batch837, listBatches, write837File } from './batch-837.ts';
import { buildClaimBatch } from './build-claims.ts';
import { getClaim } from './claim-queries.ts';
import { claimLines, claims, claimStateChanges } from './claims.schema.ts';
import { importFeeSchedule, rateOn } from './fee-schedule.ts';
import { x835 } from './fixtures-835.testing.ts';
import { ingest835 } from './ingest-835.ts';
import { check837 } from './x12-837p.ts';

let database: TestDatabase;
const db = () => database.db;
let p: ProviderAtWork;
let analyst: UseCaseContext;

const SCHEDULE = ['plan_code,delivery_system,procedure_code,modifiers,effective_from,rate', 'alameda,SMHS,H0038,,2026-01-01,26.49', 'alameda,SMHS,H0025,,2026-01-01,31.00', 'alameda,SMHS,H0038,,2026-07-01,27.10'].join('\n');

const billable = (overrides: Record<string, unknown> & { serviceDate: string }) => billableVisit(db(), p, overrides);

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
    // Read a row at a time with a cache of one member: claims carried across fetches keep their member.
    const dir = mkdtempSync(join(tmpdir(), 'pss-837-test-'));
    await write837File(db(), testFieldCipher(), built.batch.id, join(dir, 'f.txt'), p.staff, { fetchRows: 1, memberCache: 1 });
    assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), file.text, 'streamed a row at a time, the same file');
    rmSync(dir, { recursive: true, force: true });
    const [listed] = await listBatches(db(), [p.org.id]);
    assert.deepEqual([listed?.claims, listed?.ready, listed?.held, listed?.state], [2, 0, 1, 'submitted'], 'the file submitted the ready claim');
  });

  test('a timely-filing limit, the per-day unit limit and a rate missing hold the claim', async () => {
    await billable({ serviceDate: '2026-04-13', startTime: '09:00', endTime: '09:07' }); // 7 minutes: 0 units
    const built = await buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-13', to: '2026-04-13' }, { ...p.staff, today: '2027-05-01' });
    const [claim] = await db().select().from(claims).where(eq(claims.batchId, built.batch.id));
    assert.deepEqual(claim!.edits.map((e) => e.code).sort(), ['claim.timely_filing', 'claim.units_zero']);
  });

  test('an 835 posts a partial payment by line, reports what it cannot match, changes nothing the second time, and a reversal voids', async () => {
    const [claim] = await db().select().from(claims).where(eq(claims.state, 'submitted'));
    assert.ok(claim, 'the 837P marked its claims submitted');
    const [one, two] = (await db().select().from(claimLines).where(eq(claimLines.claimId, claim.id)).orderBy(claimLines.lineNumber)) as [typeof claimLines.$inferSelect, typeof claimLines.$inferSelect];
    const remit = x835([
      'BPR*I*100*C*CHK************20260501',
      'TRN*1*EFT0001*1941234567',
      'N1*PR*MEDI-CAL SDMC',
      'N1*PE*BAY PEER PARTNERS*XX*1234567893',
      'LX*1',
      `CLP*${claim.controlNumber}*1*158.94*100**MC*PAYER0001`,
      'SVC*HC:H0038*105.96*80**4',
      'DTM*472*20260406',
      'CAS*CO*45*25.96',
      `REF*6R*${one.controlNumber}`,
      'SVC*HC:H0038*52.98*20**2',
      'DTM*472*20260406',
      'CAS*CO*45*32.98',
      `REF*6R*${two.controlNumber}`,
      'SVC*HC:H0025*10*0**1',
      'CAS*CO*16*10',
      'REF*6R*NOT-OURS-1',
      'CLP*C999999*4*10*0**MC*PAYER0002',
      'CAS*CO*16*10',
    ]);
    // The first claim's lines add up to 168.94 in the file's view (with the stray line): re-balance its CLP.
    const balanced = remit.replace(`CLP*${claim.controlNumber}*1*158.94*100`, `CLP*${claim.controlNumber}*1*168.94*100`);
    const posted = await ingest835(db(), { text: balanced, fileName: 'remit-1.835' }, p.staff);
    assert.deepEqual([posted.alreadyImported, posted.claimsMatched, posted.linesPosted, posted.paidCents], [false, 1, 2, 10000]);
    assert.deepEqual(posted.unmatched.map((u) => u.reference), ['NOT-OURS-1', 'C999999']);
    const after = (await db().select().from(claims).where(eq(claims.id, claim.id)))[0]!;
    assert.deepEqual([after.state, after.paidCents, after.payerControlNumber], ['partly_paid', 10000, 'PAYER0001']);
    const [paidLine] = await db().select().from(claimLines).where(eq(claimLines.id, one.id));
    assert.deepEqual([paidLine!.paidCents, paidLine!.adjustments], [8000, [{ group: 'CO', reason: '45', cents: 2596 }]]);
    const again = await ingest835(db(), { text: balanced, fileName: 'remit-1-again.835' }, p.staff);
    assert.equal(again.alreadyImported, true);
    assert.equal((await db().select().from(claims).where(eq(claims.id, claim.id)))[0]!.paidCents, 10000);

    await assert.rejects(ingest835(db(), { text: balanced.replace('CAS*CO*45*25.96', 'CAS*CO*45*20'), fileName: 'bad.835' }, p.staff), /segment \d+ \(SVC\) does not balance/);
    await assert.rejects(ingest835(db(), { text: 'ISA*garbage~', fileName: 'x.835' }, p.staff), /not a readable X12 file/);
    await assert.rejects(ingest835(db(), { text: balanced.replace('BPR*I*100', 'BPR*I*90'), fileName: 'y.835' }, p.staff), /BPR\) pays 90/);

    const reversal = x835(['BPR*I*-100*C*CHK************20260510', 'TRN*1*EFT0002*1941234567', 'LX*1', `CLP*${claim.controlNumber}*22*-158.94*-100**MC*PAYER0001`, 'CAS*CO*45*-58.94']);
    await ingest835(db(), { text: reversal, fileName: 'reversal.835' }, p.staff);
    assert.equal((await db().select().from(claims).where(eq(claims.id, claim.id)))[0]!.state, 'voided');
    // Its history, in the order the changes were made (numbered as they are recorded: one transaction shares a time).
    const { history } = await getClaim(db(), claim.id, p.staff);
    assert.deepEqual(history.map((h) => [h.fromState, h.toState]), [[null, 'ready'], ['ready', 'submitted'], ['submitted', 'partly_paid'], ['partly_paid', 'voided']]);
    assert.ok(history.every((h, i) => i === 0 || h.id > history[i - 1]!.id));
  });

  test('claims and lines leave half of each page free: a whole batch moved or paid in one transaction is updated in place', async () => {
    const rows = await queryRows<{ relname: string; reloptions: string[] }>(db(), sql`select relname, reloptions from pg_class where relname in ('claims', 'claim_lines') order by relname`);
    assert.deepEqual(rows.map((r) => [r.relname, r.reloptions]), [['claim_lines', ['fillfactor=45']], ['claims', ['fillfactor=45']]]);
  });

  test('staff of another organization cannot build or read the batch', async () => {
    const other = await providerAtWork(db(), { cin: '96666666C' });
    await assert.rejects(buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-01', to: '2026-04-30' }, other.staff), (err: { status: number }) => err.status === 403);
    const [batch] = await listBatches(db(), [p.org.id]);
    await assert.rejects(batch837(db(), testFieldCipher(), batch!.id, other.staff), (err: { status: number }) => err.status === 404);
  });
});
