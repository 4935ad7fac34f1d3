// Deadlines count business days after the day something arrives: weekends and state holidays do not count.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addBusinessDays, businessDaysBetween, isBusinessDay } from './business-days.ts';
import { californiaStateHolidaysBetween } from './california-holidays.ts';
import { addDays } from './dates.ts';

const holidays: ReadonlySet<string> = new Set(californiaStateHolidaysBetween(2021, 2026).map((h) => h.date));
const none: ReadonlySet<string> = new Set();

describe('isBusinessDay', () => {
  test('a plain weekday is; Saturday and Sunday are not', () => {
    assert.equal(isBusinessDay('2025-01-08', holidays), true); // Wednesday
    assert.equal(isBusinessDay('2025-01-11', holidays), false); // Saturday
    assert.equal(isBusinessDay('2025-01-12', holidays), false); // Sunday
  });

  test('a holiday on a weekday is not, but the same date is when no holidays are given', () => {
    assert.equal(isBusinessDay('2025-03-31', holidays), false); // Cesar Chavez Day, Monday
    assert.equal(isBusinessDay('2025-03-31', none), true);
  });

  test('the Monday after a Sunday holiday is not; the Friday before a Saturday New Year is', () => {
    assert.equal(isBusinessDay('2022-12-26', holidays), false);
    assert.equal(isBusinessDay('2021-12-31', holidays), true);
  });
});

describe('addBusinessDays', () => {
  test('received on a Friday, five business days later is the next Friday', () => {
    assert.equal(addBusinessDays('2025-01-10', 5, holidays), '2025-01-17');
  });

  test('received on a Saturday, counting starts Monday: day 1 is Monday, day 5 is Friday', () => {
    assert.equal(addBusinessDays('2025-01-11', 1, holidays), '2025-01-13');
    assert.equal(addBusinessDays('2025-01-11', 5, holidays), '2025-01-17');
  });

  test('received on a Sunday, day 1 is Monday', () => {
    assert.equal(addBusinessDays('2025-01-12', 1, holidays), '2025-01-13');
  });

  test('a Monday holiday is skipped: the day after Friday Jan 17, 2025 is Tuesday, past Martin Luther King Jr. Day', () => {
    assert.equal(addBusinessDays('2025-01-17', 1, holidays), '2025-01-21');
    assert.equal(addBusinessDays('2025-01-17', 5, holidays), '2025-01-27');
    assert.equal(addBusinessDays('2025-01-17', 5, none), '2025-01-24');
  });

  test('Thanksgiving Thursday and Friday are both skipped', () => {
    assert.equal(addBusinessDays('2025-11-26', 1, holidays), '2025-12-01');
    assert.equal(addBusinessDays('2025-11-25', 3, holidays), '2025-12-02');
  });

  test('Christmas 2022 fell on a Sunday, so Monday December 26 is skipped too', () => {
    assert.equal(addBusinessDays('2022-12-23', 1, holidays), '2022-12-27');
  });

  test('New Year 2022 fell on a Saturday and was not moved, so Friday December 31 still counts', () => {
    assert.equal(addBusinessDays('2021-12-30', 1, holidays), '2021-12-31');
  });

  test('n = 0 is the day itself on a business day, otherwise the next business day', () => {
    assert.equal(addBusinessDays('2025-01-08', 0, holidays), '2025-01-08');
    assert.equal(addBusinessDays('2025-01-11', 0, holidays), '2025-01-13'); // Saturday -> Monday
    assert.equal(addBusinessDays('2025-11-27', 0, holidays), '2025-12-01'); // Thanksgiving -> Monday
  });

  test('rejects a negative or fractional count and a malformed date', () => {
    assert.throws(() => addBusinessDays('2025-01-08', -1, holidays), { message: /0 or more, got -1/ });
    assert.throws(() => addBusinessDays('2025-01-08', 1.5, holidays), { message: /whole number/ });
    assert.throws(() => addBusinessDays('2025-01-08', Number.NaN, holidays), { message: /whole number/ });
    assert.throws(() => addBusinessDays('2025-02-30', 1, holidays), { message: /YYYY-MM-DD, got "2025-02-30"/ });
    assert.throws(() => addBusinessDays('1/8/2025', 1, holidays), Error);
  });
});

describe('businessDaysBetween', () => {
  test('counts the days after `from` up to and including `to`', () => {
    assert.equal(businessDaysBetween('2025-01-10', '2025-01-17', holidays), 5);
    assert.equal(businessDaysBetween('2025-01-10', '2025-01-13', holidays), 1); // Friday to Monday
    assert.equal(businessDaysBetween('2025-01-10', '2025-01-12', holidays), 0); // only the weekend
  });

  test('holidays in the span do not count', () => {
    assert.equal(businessDaysBetween('2025-11-26', '2025-12-01', holidays), 1);
    assert.equal(businessDaysBetween('2022-12-23', '2022-12-27', holidays), 1);
    assert.equal(businessDaysBetween('2022-12-23', '2022-12-27', none), 2);
  });

  test('is 0 when `to` is the same day or earlier', () => {
    assert.equal(businessDaysBetween('2025-01-08', '2025-01-08', holidays), 0);
    assert.equal(businessDaysBetween('2025-01-17', '2025-01-10', holidays), 0);
  });

  test('undoes addBusinessDays for every start day of 2025 and counts from 1 to 15', () => {
    for (let day = '2025-01-01'; day <= '2025-12-31'; day = addDays(day, 1)) {
      for (let n = 1; n <= 15; n++) {
        const due = addBusinessDays(day, n, holidays);
        assert.equal(isBusinessDay(due, holidays), true, `${day} + ${n} lands on a business day`);
        assert.equal(businessDaysBetween(day, due, holidays), n, `${day} + ${n}`);
      }
    }
  });

  test('rejects malformed dates on either side', () => {
    assert.throws(() => businessDaysBetween('2025-13-01', '2025-01-10', holidays), { message: /from to be/ });
    assert.throws(() => businessDaysBetween('2025-01-10', '', holidays), { message: /to to be/ });
  });
});
