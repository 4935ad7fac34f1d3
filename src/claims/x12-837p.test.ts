// The 837P writer: for fixed inputs the file matches a reviewed golden file; any generated file parses back with
// node-x12 with its totals, counts and HL parentage right (property test); and the checker catches each fault.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { X12Parser, type X12Interchange } from 'node-x12';
import { check837, render837, x12Amount, x12Text, type ClaimToSend, type X12Parties } from './x12-837p.ts';

const parties: X12Parties = { receiverName: 'DHCS SDMC', receiverId: 'DHCSSDMC', payerName: 'MEDI-CAL SDMC', payerId: 'SDMC', usage: 'T' };
const billing = { name: 'Bay Peer Partners', npi: '1234567893', taxId: '941234567', street: '100 Main St', city: 'Oakland', state: 'CA', zip: '94607' };
const envelope = { interchangeControl: 1001, date: '20260415', time: '0930', batchReference: 'B1001' };
const claim = (overrides: Partial<ClaimToSend> = {}): ClaimToSend => ({
  controlNumber: 'C100001',
  frequency: '1',
  payerControlNumber: null,
  placeOfService: '11',
  totalCents: 10596,
  member: { id: '91234567A', firstName: 'María', lastName: 'Núñez', birthDate: '1980-02-29', sex: 'F', street: '1 Elm St', city: 'Oakland', zip: '94612' },
  rendering: { firstName: 'Pat', lastName: 'Peer', npi: '1987654328' },
  lines: [
    { procedureCode: 'H0038', modifiers: '', chargeCents: 10596, units: 4, serviceDate: '2026-04-06', controlNumber: 'C100001-1', diagnosisCode: 'F331' },
  ],
  ...overrides,
});
const golden = new URL('./fixtures/golden-837p.txt', import.meta.url);

describe('837P', () => {
  test('fixed inputs give the reviewed golden file', () => {
    const text = render837(envelope, parties, billing, [claim(), claim({ controlNumber: 'C100002', frequency: '7', payerControlNumber: 'PAYER0002', totalCents: 7947, lines: [{ procedureCode: 'H0025', modifiers: 'HQ', chargeCents: 7947, units: 3, serviceDate: '2026-04-07', controlNumber: 'C100002-1', diagnosisCode: 'F1020' }] })], 'BAYPEER');
    assert.equal(text, readFileSync(golden, 'utf8'));
    assert.deepEqual(check837(text), []);
  });

  test('amounts and text as X12 carries them', () => {
    assert.equal(x12Amount(12000), '120');
    assert.equal(x12Amount(12050), '120.5');
    assert.equal(x12Amount(2649), '26.49');
    assert.equal(x12Amount(5), '0.05');
    assert.equal(x12Text('Núñez*~Ortiz:^'), 'NUNEZ ORTIZ');
  });

  test('any generated file parses back with node-x12, with totals, counts and HL parentage right', () => {
    const lineArb = fc.record({ procedureCode: fc.constantFrom('H0038', 'H0025'), modifiers: fc.constantFrom('', 'HQ', 'HF:U1'), units: fc.integer({ min: 1, max: 24 }), rate: fc.integer({ min: 1, max: 50_000 }), diagnosisCode: fc.constantFrom('F331', 'F1020', 'F200') });
    const claimArb = fc.record({ lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }), frequency: fc.constantFrom('1', '7', '8') as fc.Arbitrary<'1' | '7' | '8'>, name: fc.string({ maxLength: 20 }) });
    fc.assert(
      fc.property(fc.array(claimArb, { minLength: 1, maxLength: 12 }), (specs) => {
        const claims = specs.map((s, i): ClaimToSend => {
          const lines = s.lines.map((l, j) => ({ procedureCode: l.procedureCode, modifiers: l.modifiers, units: l.units, chargeCents: l.units * l.rate, serviceDate: '2026-04-06', controlNumber: `C${200000 + i}-${j + 1}`, diagnosisCode: l.diagnosisCode }));
          return claim({ controlNumber: `C${200000 + i}`, frequency: s.frequency, payerControlNumber: s.frequency === '1' ? null : `P${i}`, totalCents: lines.reduce((sum, l) => sum + l.chargeCents, 0), lines, member: { ...claim().member, firstName: s.name || 'X' } });
        });
        const text = render837(envelope, parties, billing, claims, 'BAYPEER');
        assert.deepEqual(check837(text), []);
        const tx = (new X12Parser(true).parse(text) as X12Interchange).functionalGroups[0]!.transactions[0]!;
        assert.equal(tx.segments.filter((s) => s.tag === 'CLM').length, claims.length);
        assert.equal(tx.segments.filter((s) => s.tag === 'LX').length, claims.reduce((n, c) => n + c.lines.length, 0));
      }),
      { numRuns: 150 },
    );
  });

  test('the checker catches a wrong total, a repeated line control number, a missing REF*F8 and a broken count', () => {
    const good = render837(envelope, parties, billing, [claim()], 'BAYPEER');
    assert.match(check837(good.replace('CLM*C100001*105.96', 'CLM*C100001*99')).join(' '), /not the sum of its lines/);
    assert.match(check837(render837(envelope, parties, billing, [claim(), claim({ controlNumber: 'C100009' })], 'BAYPEER')).join(' '), /REF\*6R C100001-1 appears twice/);
    assert.match(check837(render837(envelope, parties, billing, [claim({ frequency: '8' })], 'BAYPEER')).join(' '), /needs REF\*F8/);
    assert.match(check837(good.replace(/SE\*\d+\*0001/, 'SE*5*0001')).join(' '), /does not parse.*SE01/);
  });
});
