// Minutes to units by each rounding rule, at the boundaries, and each claim edit caught with the line it is about.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { claimEdits, type ClaimForEdits, type LineForEdits } from './claim-edits.ts';
import { centsOf } from './fee-schedule.ts';
import { unitsFor } from './units.ts';

describe('units', () => {
  test('midpoint: the CMS 8-minute rule for 15-minute units', () => {
    assert.deepEqual([0, 7, 8, 15, 22, 23, 60, 67, 68].map((m) => unitsFor(m, 15, 'midpoint')), [0, 0, 1, 1, 1, 2, 4, 4, 5]);
  });
  test('up, down, and one unit per service', () => {
    assert.deepEqual([1, 15, 16].map((m) => unitsFor(m, 15, 'up')), [1, 1, 2]);
    assert.deepEqual([14, 15, 29].map((m) => unitsFor(m, 15, 'down')), [0, 1, 1]);
    assert.equal(unitsFor(90, null, 'midpoint'), 1);
    assert.equal(unitsFor(0, null, 'midpoint'), 0);
  });
  test('dollars as text to cents without floating point', () => {
    assert.deepEqual(['26.49', '31', '0.1', '1234.05'].map(centsOf), [2649, 3100, 10, 123405]);
  });
});

const line = (n: number, overrides: Partial<LineForEdits> = {}): LineForEdits => ({ lineNumber: n, encounterId: `e${n}`, procedureCode: 'H0038', modifiers: '', units: 4, rateCents: 2649, startTime: `1${n}:00`, renderingNpi: '1987654328', taxonomy: '175T00000X', diagnosisCode: 'F331', serviceFailures: [], openFlags: 0, ...overrides });
const claim = (lines: LineForEdits[], overrides: Partial<ClaimForEdits> = {}): ClaimForEdits => ({ serviceDate: '2026-04-06', billingNpi: '1234567893', memberAddress: { street: '1 Elm', city: 'Oakland', zip: '94612' }, lines, ...overrides });
const rules = { buildDate: '2026-05-01', maxUnitsPerMemberDay: 24, timelyFilingDays: 365 };
const codes = (c: ClaimForEdits, r = rules) => claimEdits(c, r).map((e) => `${e.code}@${e.line ?? '-'}`);

describe('claim edits', () => {
  test('a clean claim has none', () => assert.deepEqual(codes(claim([line(1), line(2)])), []));
  const cases: Array<[string, ClaimForEdits, typeof rules?]> = [
    ['claim.billing_npi@-', claim([line(1)], { billingNpi: '1234567890' })],
    ['claim.member_address@-', claim([line(1)], { memberAddress: { street: null, city: 'Oakland', zip: '94612' } })],
    ['claim.timely_filing@-', claim([line(1)]), { ...rules, buildDate: '2027-04-07' }],
    ['claim.units_per_day@-', claim([line(1, { units: 20 }), line(2, { units: 5 })])],
    ['service.peer.not_certified@2', claim([line(1), line(2, { serviceFailures: [{ code: 'peer.not_certified', message: 'suspended' }] })])],
    ['service.flagged@1', claim([line(1, { openFlags: 1 })])],
    ['claim.units_zero@1', claim([line(1, { units: 0 })])],
    ['claim.no_rate@1', claim([line(1, { rateCents: null })])],
    ['claim.rendering_npi_missing@1', claim([line(1, { renderingNpi: null })])],
    ['claim.rendering_npi@1', claim([line(1, { renderingNpi: '1987654320' })])],
    ['claim.taxonomy@1', claim([line(1, { taxonomy: '101Y00000X' })])],
    ['claim.diagnosis_missing@1', claim([line(1, { diagnosisCode: null })])],
    ['claim.duplicate_line@2', claim([line(1, { startTime: '10:00' }), line(2, { startTime: '10:00' })])],
  ];
  for (const [expected, c, r] of cases) test(expected, () => assert.ok(codes(c, r).includes(expected), codes(c, r).join(' ')));
  test('the limits hold on their boundaries', () => {
    assert.deepEqual(codes(claim([line(1, { units: 24 })])), [], '24 units is the limit, not over it');
    assert.deepEqual(codes(claim([line(1)]), { ...rules, buildDate: '2027-04-06' }), [], 'day 365 is still timely');
  });
});
