// A complaint's clocks (PROGRAM.md §10.2): acknowledge within 5 business days of receipt (weekends and California
// state holidays do not count), decide within 90 calendar days, and one extension of up to 30 days, with a reason,
// asked for before the decision clock has run out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { californiaStateHolidaysBetween } from '../lib/california-holidays.ts';
import { addDays } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { clocksFor, decisionDueOn, extendDecision, holidayWindow, readClock, type ClockRules, type ExtensionFacts } from './clocks.ts';

const rules: ClockRules = { 'enforcement.acknowledge_business_days': 5, 'enforcement.decision_days': 90, 'enforcement.extension_max_days': 30 };
const holidays: ReadonlySet<string> = new Set(californiaStateHolidaysBetween(2022, 2032).map((h) => h.date));
const noHolidays: ReadonlySet<string> = new Set();

/** Asserts that `run` throws an AppError of this kind and rule code, and returns it for a closer look. */
function refused(run: () => unknown, kind: AppError['kind'], code: string): AppError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected an AppError, got ${String(caught)}`);
  assert.equal(caught.kind, kind);
  assert.equal(caught.code, code);
  return caught;
}

describe('clocksFor', () => {
  test('received the Wednesday before Thanksgiving: Thursday and Friday are holidays, so it is acknowledged by the next Friday', () => {
    assert.deepEqual(clocksFor('2025-11-26', rules, holidays), { acknowledgeBy: '2025-12-05', decideBy: '2026-02-24' });
  });

  test('without the holidays the same complaint would be due two business days sooner', () => {
    assert.equal(clocksFor('2025-11-26', rules, noHolidays).acknowledgeBy, '2025-12-03');
  });

  test('received on a Friday before Martin Luther King Jr. Day, the Monday does not count: due the Monday after', () => {
    assert.equal(clocksFor('2026-01-16', rules, holidays).acknowledgeBy, '2026-01-26');
  });

  test('received on a Saturday, Monday is the first business day; Christmas Day in the week is skipped', () => {
    // Mon 22, Tue 23, Wed 24, (Thu 25 Christmas), Fri 26, Mon 29.
    assert.equal(clocksFor('2025-12-20', rules, holidays).acknowledgeBy, '2025-12-29');
  });

  test('received on a holiday itself, counting starts with the next business day', () => {
    assert.equal(clocksFor('2025-11-27', rules, holidays).acknowledgeBy, '2025-12-05');
  });

  test('a Sunday holiday observed on Monday does not count either (Christmas 2022, observed Monday 26th)', () => {
    // Received Fri 2022-12-23: (Mon 26 observed) Tue 27, Wed 28, Thu 29, Fri 30, (Mon 2023-01-02 New Year observed) Tue 3.
    assert.equal(clocksFor('2022-12-23', rules, holidays).acknowledgeBy, '2023-01-03');
  });

  test('the decision is due 90 calendar days after receipt, weekends and holidays included', () => {
    assert.equal(clocksFor('2025-11-26', rules, holidays).decideBy, clocksFor('2025-11-26', rules, noHolidays).decideBy);
    assert.equal(clocksFor('2025-01-01', rules, holidays).decideBy, '2025-04-01');
    // The due date may itself fall on a weekend: 2025-06-01 + 90 days is Saturday 2025-08-30.
    assert.equal(clocksFor('2025-06-01', rules, holidays).decideBy, '2025-08-30');
  });

  test('the counts come from the rules passed in, not from constants', () => {
    const longer: ClockRules = { ...rules, 'enforcement.acknowledge_business_days': 10, 'enforcement.decision_days': 60 };
    assert.deepEqual(clocksFor('2026-01-16', longer, holidays), { acknowledgeBy: '2026-02-02', decideBy: '2026-03-17' });
  });
});

describe('holidayWindow', () => {
  test('starts on the day of receipt and reaches 2N + 14 days on', () => {
    assert.deepEqual(holidayWindow('2025-11-26', rules), { from: '2025-11-26', to: '2025-12-20' });
    assert.deepEqual(holidayWindow('2025-11-26', { ...rules, 'enforcement.acknowledge_business_days': 10 }), { from: '2025-11-26', to: '2025-12-30' });
  });

  test('for every day of ten years, the holidays inside the window give the same acknowledgement date as all of them', () => {
    for (const n of [1, 5, 10]) {
      const nDays: ClockRules = { ...rules, 'enforcement.acknowledge_business_days': n };
      for (let day = '2022-01-01'; day <= '2031-12-31'; day = addDays(day, 1)) {
        const { from, to } = holidayWindow(day, nDays);
        const inWindow = new Set([...holidays].filter((h) => h >= from && h <= to));
        const acknowledgeBy = clocksFor(day, nDays, inWindow).acknowledgeBy;
        assert.equal(acknowledgeBy, clocksFor(day, nDays, holidays).acknowledgeBy, `${n} business days, received ${day}`);
        assert.ok(acknowledgeBy <= to, `${n} business days, received ${day}: due ${acknowledgeBy} is past the window's end ${to}`);
      }
    }
  });
});

describe('extendDecision', () => {
  const open: ExtensionFacts = { decideBy: '2026-02-24', extendedTo: null, decidedOn: null };

  test('an open case, asked in good time, is extended by the days given', () => {
    assert.equal(extendDecision(open, 30, 'Waiting on the employer’s records', '2026-01-10', rules), '2026-03-26');
    assert.equal(extendDecision(open, 1, 'One more interview', '2026-01-10', rules), '2026-02-25');
  });

  test('asked on the due date itself, the clock has not yet run out: allowed', () => {
    assert.equal(extendDecision(open, 14, 'A witness is away', '2026-02-24', rules), '2026-03-10');
  });

  test('asked the day after the due date, it is refused as too late', () => {
    const error = refused(() => extendDecision(open, 14, 'A witness is away', '2026-02-25', rules), 'rule-violation', 'enforcement.extension_late');
    assert.match(error.message, /2026-02-24/);
  });

  test('only one extension: a case already extended is refused, even well before its new due date', () => {
    const extended: ExtensionFacts = { ...open, extendedTo: '2026-03-26' };
    const error = refused(() => extendDecision(extended, 5, 'More records arrived', '2026-01-20', rules), 'rule-violation', 'enforcement.extension_used');
    assert.match(error.message, /2026-03-26/);
  });

  test('a decided case is a conflict: its clock no longer runs', () => {
    const decided: ExtensionFacts = { ...open, decidedOn: '2026-01-05' };
    refused(() => extendDecision(decided, 10, 'Reconsidering', '2026-01-10', rules), 'conflict', 'enforcement.decided');
  });

  test('the length is 1 to the configured maximum, in whole days, and the error points at the days field', () => {
    for (const days of [0, -5, 31, 2.5, Number.NaN]) {
      const error = refused(() => extendDecision(open, days, 'A reason', '2026-01-10', rules), 'rule-violation', 'enforcement.extension_length');
      assert.deepEqual(
        error.errors.map((e) => e.path),
        ['days'],
        `days = ${days}`,
      );
    }
  });

  test('a larger configured maximum lets a longer extension through', () => {
    assert.equal(extendDecision(open, 45, 'A reason', '2026-01-10', { ...rules, 'enforcement.extension_max_days': 45 }), '2026-04-10');
  });

  test('a reason is required; blank space is no reason', () => {
    for (const reason of ['', '   ', '\n\t']) {
      const error = refused(() => extendDecision(open, 10, reason, '2026-01-10', rules), 'rule-violation', 'enforcement.extension_reason');
      assert.deepEqual(
        error.errors.map((e) => e.path),
        ['reason'],
      );
    }
  });
});

describe('decisionDueOn', () => {
  test('the original due date until extended, then the extended one', () => {
    assert.equal(decisionDueOn({ decideBy: '2026-02-24', extendedTo: null }), '2026-02-24');
    assert.equal(decisionDueOn({ decideBy: '2026-02-24', extendedTo: '2026-03-26' }), '2026-03-26');
  });
});

describe('readClock', () => {
  const dueOn = '2025-12-05';

  test('done on or before the due date is met; done the day after is late; either way no days are left to count', () => {
    assert.deepEqual(readClock(dueOn, '2025-12-01', '2026-01-01'), { state: 'met', dueOn, daysLeft: null });
    assert.deepEqual(readClock(dueOn, '2025-12-05', '2026-01-01'), { state: 'met', dueOn, daysLeft: null });
    assert.deepEqual(readClock(dueOn, '2025-12-06', '2026-01-01'), { state: 'late', dueOn, daysLeft: null });
  });

  test('not done: due with the days left, 0 on the due date, then overdue by a negative count', () => {
    assert.deepEqual(readClock(dueOn, null, '2025-12-01'), { state: 'due', dueOn, daysLeft: 4 });
    assert.deepEqual(readClock(dueOn, null, '2025-12-05'), { state: 'due', dueOn, daysLeft: 0 });
    assert.deepEqual(readClock(dueOn, null, '2025-12-06'), { state: 'overdue', dueOn, daysLeft: -1 });
    assert.deepEqual(readClock(dueOn, null, '2026-01-05'), { state: 'overdue', dueOn, daysLeft: -31 });
  });

  test('days are whole calendar days across a daylight-saving change (Sunday 2026-03-08)', () => {
    assert.equal(readClock('2026-03-09', null, '2026-03-07').daysLeft, 2);
    assert.equal(readClock('2026-11-02', null, '2026-10-31').daysLeft, 2);
  });
});
