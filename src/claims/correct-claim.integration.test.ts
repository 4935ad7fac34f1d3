// Voids and replacements, as stories: a claim is sent and partly paid by an 835 that gives the payer's claim control
// number; billing staff replace it after the service's note is corrected — the replacement is rebuilt with the
// edits run again, carries frequency 7 and REF*F8, and the original is replaced — and void another claim, which
// goes out as frequency 8 with the lines as sent. The payer's answers post back: a reversal of the superseded
// original nets its payment without changing its state, and a claim named twice in one file is posted in order.
// A claim not yet adjudicated, or without the payer's number, cannot be corrected, and nothing changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { createPerson } from '../accounts/testing.ts';
import { recordedEligibility } from '../beneficiaries/eligibility.service.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { billableVisit, providerAtWork, type ProviderAtWork } from '../encounters/services.testing.ts';
import { testFieldCipher } from '../lib/field-crypto.testing.ts';
import { batch837 } from './batch-837.ts';
import { buildClaimBatch } from './build-claims.ts';
import { claimLines, claims } from './claims.schema.ts';
import { correctClaim } from './correct-claim.ts';
import { importFeeSchedule } from './fee-schedule.ts';
import { x835 } from './fixtures-835.testing.ts';
import { ingest835 } from './ingest-835.ts';
import { check837 } from './x12-837p.ts';

let database: TestDatabase;
const db = () => database.db;
let p: ProviderAtWork;
type Claim = typeof claims.$inferSelect;

const billable = (overrides: Record<string, unknown> & { serviceDate: string }) => billableVisit(db(), p, overrides);

const claimOf = async (id: string) => (await db().select().from(claims).where(eq(claims.id, id)))[0]!;
const linesOf = (id: string) => db().select().from(claimLines).where(eq(claimLines.claimId, id)).orderBy(claimLines.lineNumber);

let first: Claim;
let second: Claim;

before(async () => {
  database = await createTestDatabase();
  p = await providerAtWork(db());
  const person = await createPerson(db(), { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
  const analyst: UseCaseContext = { actor: { kind: 'user', userId: person.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } };
  await importFeeSchedule(db(), { csv: 'plan_code,delivery_system,procedure_code,modifiers,effective_from,rate\nalameda,SMHS,H0038,,2026-01-01,26.49', source: 'Test schedule', illustrative: true }, analyst);
  await billable({ serviceDate: '2026-04-06', startTime: '10:00', endTime: '11:00' }); // 4 units, 105.96
  await billable({ serviceDate: '2026-04-07', startTime: '10:00', endTime: '10:30' }); // 2 units, 52.98
  const built = await buildClaimBatch(db(), recordedEligibility, { organizationId: p.org.id, from: '2026-04-01', to: '2026-04-30' }, { ...p.staff, today: '2026-05-01' });
  await batch837(db(), testFieldCipher(), built.batch.id, p.staff);
  [first, second] = (await db().select().from(claims).where(eq(claims.batchId, built.batch.id)).orderBy(claims.serviceDate)) as [Claim, Claim];
});
after(() => database.close());

describe('voids and replacements', () => {
  test('a claim not yet adjudicated, or adjudicated without the payer’s number, cannot be corrected', async () => {
    await assert.rejects(correctClaim(db(), recordedEligibility, 'replace', first.id, { reason: 'note corrected' }, p.staff), /cannot be replaced: only one the payer has paid or denied/);
    const [l1] = await linesOf(first.id);
    const [l2] = await linesOf(second.id);
    const remit = x835([
      'BPR*I*132.47*C*CHK************20260520',
      'TRN*1*EFT0100*1941234567',
      'LX*1',
      `CLP*${first.controlNumber}*2*105.96*80**MC*PAYER-A1`,
      'SVC*HC:H0038*105.96*80**4',
      'CAS*CO*45*25.96',
      `REF*6R*${l1!.controlNumber}`,
      `CLP*${second.controlNumber}*1*52.98*52.47**MC`,
      'SVC*HC:H0038*52.98*52.47**2',
      'CAS*CO*45*0.51',
      `REF*6R*${l2!.controlNumber}`,
    ]);
    const posted = await ingest835(db(), { text: remit, fileName: 'remit-a.835' }, p.staff);
    assert.deepEqual([posted.claimsMatched, posted.linesPosted, posted.unmatched], [2, 2, []]);
    assert.equal((await claimOf(first.id)).payerControlNumber, 'PAYER-A1');
    await assert.rejects(correctClaim(db(), recordedEligibility, 'void', second.id, { reason: 'billed in error' }, p.staff), /CLP07 of its 835\) is not on record/);
    await assert.rejects(correctClaim(db(), recordedEligibility, 'void', first.id, { reason: ' ' }, p.staff), /Say why/);
    assert.equal((await claimOf(second.id)).state, 'partly_paid', 'nothing changed');
  });

  test('a replacement is rebuilt from the service as it is now, with frequency 7 and REF*F8, and the original is replaced', async () => {
    // The service was 45 minutes, not 60: staff correct it, then replace the claim.
    const [line] = await linesOf(first.id);
    await db().update(encounters).set({ endTime: '10:45', minutes: 45 }).where(eq(encounters.id, line!.encounterId));
    const made = await correctClaim(db(), recordedEligibility, 'replace', first.id, { reason: 'The visit was 45 minutes.' }, { ...p.staff, today: '2026-05-25' });
    assert.equal(made.state, 'ready');
    const replacement = await claimOf(made.claimId);
    assert.deepEqual([replacement.frequency, replacement.replacesClaimId, replacement.payerControlNumber, replacement.totalCents], ['7', first.id, 'PAYER-A1', 3 * 2649]);
    assert.equal((await claimOf(first.id)).state, 'replaced');
    const file = await batch837(db(), testFieldCipher(), made.batchId, p.staff);
    assert.deepEqual(check837(file.text), []);
    assert.match(file.text, new RegExp(`CLM\\*${replacement.controlNumber}\\*79\\.47\\*\\*\\*11:B:7\\*`));
    assert.match(file.text, /REF\*F8\*PAYER-A1~/);
    assert.ok((await searchAudit(db(), { action: 'claim.state', entityId: first.controlNumber })).rows.some((r) => JSON.stringify(r.changes).includes('replaced')));
    await assert.rejects(correctClaim(db(), recordedEligibility, 'replace', first.id, { reason: 'again' }, p.staff), /A replaced claim cannot be replaced/);
  });

  test('the payer reverses the original and pays the replacement in one file: the reversal nets, the replacement is paid', async () => {
    const [replacement] = await db().select().from(claims).where(eq(claims.replacesClaimId, first.id));
    const [rl] = await linesOf(replacement!.id);
    const remit = x835([
      'BPR*I*-0.53*C*CHK************20260610',
      'TRN*1*EFT0101*1941234567',
      'LX*1',
      `CLP*${first.controlNumber}*22*-105.96*-80**MC*PAYER-A1`,
      'CAS*CO*45*-25.96',
      `CLP*${replacement!.controlNumber}*1*79.47*79.47**MC*PAYER-A2`,
      'SVC*HC:H0038*79.47*79.47**3',
      `REF*6R*${rl!.controlNumber}`,
    ]);
    const posted = await ingest835(db(), { text: remit, fileName: 'remit-b.835' }, p.staff);
    assert.deepEqual([posted.claimsMatched, posted.linesPosted, posted.unmatched], [2, 1, []]);
    const original = await claimOf(first.id);
    assert.deepEqual([original.state, original.paidCents], ['replaced', 0], 'the reversal netted the payment, the state stayed');
    const paid = await claimOf(replacement!.id);
    assert.deepEqual([paid.state, paid.paidCents, paid.payerControlNumber], ['paid', 7947, 'PAYER-A2']);
  });

  test('a reversal and correction of one claim in one file post in order; a void goes out as frequency 8 and the payer’s answer makes it accepted', async () => {
    const [line] = await linesOf(second.id);
    const corrected = x835([
      'BPR*I*0.51*C*CHK************20260611',
      'TRN*1*EFT0102*1941234567',
      'LX*1',
      `CLP*${second.controlNumber}*22*-52.98*-52.47**MC*PAYER-B0`,
      'SVC*HC:H0038*-52.98*-52.47**2',
      'CAS*CO*45*-0.51',
      `REF*6R*${line!.controlNumber}`,
      `CLP*${second.controlNumber}*1*52.98*52.98**MC*PAYER-B1`,
      'SVC*HC:H0038*52.98*52.98**2',
      `REF*6R*${line!.controlNumber}`,
    ]);
    const posted = await ingest835(db(), { text: corrected, fileName: 'remit-c.835' }, p.staff);
    assert.deepEqual([posted.claimsMatched, posted.unmatched], [2, []]);
    const after = await claimOf(second.id);
    assert.deepEqual([after.state, after.paidCents, after.payerControlNumber], ['paid', 5298, 'PAYER-B1'], 'the reversal kept the state; the correction paid in full');

    const made = await correctClaim(db(), recordedEligibility, 'void', second.id, { reason: 'Billed to the wrong member.' }, p.staff);
    const voiding = await claimOf(made.claimId);
    assert.deepEqual([voiding.frequency, voiding.totalCents, voiding.edits], ['8', 5298, []]);
    assert.equal((await claimOf(second.id)).state, 'voided');
    const file = await batch837(db(), testFieldCipher(), made.batchId, p.staff);
    assert.deepEqual(check837(file.text), []);
    assert.match(file.text, /:B:8\*/);
    assert.match(file.text, /REF\*F8\*PAYER-B1~/);
    const answer = x835(['BPR*I*-52.98*C*NON************20260620', 'TRN*1*EFT0103*1941234567', 'LX*1', `CLP*${second.controlNumber}*22*-52.98*-52.98**MC*PAYER-B1`, `CLP*${voiding.controlNumber}*1*52.98*0**MC*PAYER-B2`, 'CAS*CO*45*52.98']);
    const taken = await ingest835(db(), { text: answer, fileName: 'remit-d.835' }, p.staff);
    assert.deepEqual([taken.claimsMatched, taken.unmatched], [2, []]);
    assert.equal((await claimOf(voiding.id)).state, 'accepted');
    const voided = await claimOf(second.id);
    assert.deepEqual([voided.state, voided.paidCents], ['voided', 0]);
  });
});
