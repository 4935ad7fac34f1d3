// How change rows become periods and diffs: pure functions, no database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { periodsFromChanges, type ParticipationChange } from './counties.service.ts';
import { checkSharedPlans, diffParticipation, systemsToRecord } from './import-participation.ts';
import { behavioralHealthPlans, sortSystems } from './reference-data.ts';
import { CALIFORNIA_COUNTIES } from './california-counties.ts';

const at = (iso: string) => new Date(iso);
const change = (p: Partial<ParticipationChange>): ParticipationChange => ({
  system: 'SMHS',
  effectiveOn: '2025-02-01',
  participating: true,
  source: 's',
  reason: 'r',
  recordedAt: at('2025-02-01T00:00:00Z'),
  ...p,
});

describe('periodsFromChanges', () => {
  test('opening and closing changes make a half-open period', () => {
    const periods = periodsFromChanges([change({}), change({ effectiveOn: '2025-07-01', participating: false })]);
    assert.deepEqual(periods.map((p) => [p.from, p.to]), [['2025-02-01', '2025-07-01']]);
  });

  test('re-joining opens a second period', () => {
    const periods = periodsFromChanges([
      change({}),
      change({ effectiveOn: '2025-07-01', participating: false }),
      change({ effectiveOn: '2026-01-01' }),
    ]);
    assert.deepEqual(periods.map((p) => [p.from, p.to]), [['2025-02-01', '2025-07-01'], ['2026-01-01', null]]);
  });

  test('order of rows does not matter, and a same-day correction recorded later wins', () => {
    const periods = periodsFromChanges([
      change({ effectiveOn: '2025-07-01', participating: false, recordedAt: at('2025-07-02T00:00:00Z') }),
      change({ effectiveOn: '2025-07-01', participating: true, recordedAt: at('2025-07-01T00:00:00Z') }),
      change({ effectiveOn: '2025-02-01' }),
    ]);
    assert.deepEqual(periods.map((p) => [p.from, p.to]), [['2025-02-01', '2025-07-01']]);
  });

  test('a period withdrawn on its first day by a correction disappears', () => {
    const periods = periodsFromChanges([
      change({ effectiveOn: '2025-07-01', recordedAt: at('2025-07-01T00:00:00Z') }),
      change({ effectiveOn: '2025-07-01', participating: false, recordedAt: at('2025-07-03T00:00:00Z') }),
    ]);
    assert.deepEqual(periods, []);
  });

  test('each delivery system has its own periods', () => {
    const periods = periodsFromChanges([
      change({ system: 'DMC_ODS' }),
      change({ system: 'SMHS', effectiveOn: '2025-03-01' }),
      change({ system: 'DMC_ODS', effectiveOn: '2025-04-01', participating: false }),
    ]);
    assert.deepEqual(periods.map((p) => [p.deliverySystem, p.from, p.to]), [
      ['DMC_ODS', '2025-02-01', '2025-04-01'],
      ['SMHS', '2025-03-01', null],
    ]);
  });
});

describe('diffParticipation', () => {
  const names = new Map([['06001', 'Alameda'], ['06003', 'Alpine'], ['06005', 'Amador']]);
  test('sorts counties into added, removed and changed', () => {
    const before = new Map<string, ('DMC' | 'DMC_ODS' | 'SMHS')[]>([['06001', ['SMHS']], ['06005', ['SMHS']]]);
    const after = new Map<string, ('DMC' | 'DMC_ODS' | 'SMHS')[]>([['06001', ['DMC_ODS', 'SMHS']], ['06003', ['SMHS']]]);
    const diff = diffParticipation(before, after, names);
    assert.deepEqual(diff.added.map((c) => c.county), ['Alpine']);
    assert.deepEqual(diff.removed.map((c) => c.county), ['Amador']);
    assert.deepEqual(diff.changed, [{ fips: '06001', county: 'Alameda', from: ['SMHS'], to: ['DMC_ODS', 'SMHS'] }]);
  });

  test('the same state is no difference', () => {
    const state = new Map<string, ('DMC' | 'DMC_ODS' | 'SMHS')[]>([['06001', ['SMHS']]]);
    assert.deepEqual(diffParticipation(state, new Map(state), names), { added: [], removed: [], changed: [] });
  });
});

describe('checkSharedPlans', () => {
  const sutter = { county: 'Sutter', fips: '06101', deliverySystems: ['SMHS' as const] };
  test('Sutter and Yuba listed alike is fine', () => {
    assert.deepEqual(checkSharedPlans([sutter, { county: 'Yuba', fips: '06115', deliverySystems: ['SMHS'] }]), []);
  });

  test('Sutter and Yuba listed differently, or one alone, is a warning naming both', () => {
    const split = checkSharedPlans([sutter, { county: 'Yuba', fips: '06115', deliverySystems: ['DMC_ODS', 'SMHS'] }]);
    assert.deepEqual(split.map((w) => w.code), ['plan_split']);
    assert.match(split[0]?.message ?? '', /Sutter and Yuba share one plan \(Sutter-Yuba Behavioral Health\).*Sutter: SMHS; Yuba: DMC_ODS, SMHS/);
    assert.match(checkSharedPlans([sutter])[0]?.message ?? '', /Yuba: not listed/);
  });
});

describe('reference data', () => {
  test('a county listed with both DMC systems is recorded with DMC-ODS only', () => {
    assert.deepEqual(systemsToRecord(['DMC', 'DMC_ODS', 'SMHS']), ['DMC_ODS', 'SMHS']);
    assert.deepEqual(systemsToRecord(['DMC', 'SMHS']), ['DMC', 'SMHS']);
  });

  test('delivery systems sort in their stable order', () => {
    assert.deepEqual(sortSystems(['SMHS', 'DMC_ODS', 'DMC', 'SMHS']), ['DMC', 'DMC_ODS', 'SMHS']);
  });

  test('57 plans cover the 58 counties: Sutter and Yuba share one', () => {
    const plans = behavioralHealthPlans();
    assert.equal(plans.length, 57);
    assert.equal(plans.flatMap((p) => p.countyFips).length, CALIFORNIA_COUNTIES.length);
    assert.deepEqual(plans.find((p) => p.code === 'sutter-yuba')?.countyFips, ['06101', '06115']);
  });
});
