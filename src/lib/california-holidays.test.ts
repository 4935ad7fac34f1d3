// California state offices close on the eleven state-employee holidays of Gov. Code §19853; a Sunday holiday moves
// to Monday, a Saturday one stays put (employees get holiday credit), except Veterans Day, which moves to Friday.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { californiaStateHolidays, californiaStateHolidaysBetween, type Holiday } from './california-holidays.ts';

const dates = (holidays: Holiday[]) => holidays.map((h) => h.date);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('californiaStateHolidays', () => {
  test('2025 is the eleven holidays on the dates CalHR publishes, none on a weekend', () => {
    assert.deepEqual(californiaStateHolidays(2025), [
      { date: '2025-01-01', name: "New Year's Day" },
      { date: '2025-01-20', name: 'Martin Luther King Jr. Day' },
      { date: '2025-02-17', name: "Presidents' Day" },
      { date: '2025-03-31', name: 'Cesar Chavez Day' },
      { date: '2025-05-26', name: 'Memorial Day' },
      { date: '2025-07-04', name: 'Independence Day' },
      { date: '2025-09-01', name: 'Labor Day' },
      { date: '2025-11-11', name: 'Veterans Day' },
      { date: '2025-11-27', name: 'Thanksgiving Day' },
      { date: '2025-11-28', name: 'Day after Thanksgiving' },
      { date: '2025-12-25', name: 'Christmas Day' },
    ]);
  });

  test('state offices stay open on Lincoln Day, Juneteenth and Native American Day, so they are not listed', () => {
    const closed = new Set(dates(californiaStateHolidays(2025)));
    assert.equal(closed.has('2025-02-12'), false, 'Lincoln Day');
    assert.equal(closed.has('2025-06-19'), false, 'Juneteenth');
    assert.equal(closed.has('2025-09-26'), false, 'Native American Day, the 4th Friday in September');
    assert.equal(closed.has('2025-10-13'), false, 'Columbus Day');
  });

  test('2022: Christmas on a Sunday is observed on Monday December 26, as its own row', () => {
    const holidays = californiaStateHolidays(2022);
    assert.deepEqual(holidays.slice(-2), [
      { date: '2022-12-25', name: 'Christmas Day' },
      { date: '2022-12-26', name: 'Christmas Day (observed)', observedFor: '2022-12-25' },
    ]);
  });

  test('2022: New Year on a Saturday is not moved, to December 31 or anywhere else', () => {
    const holidays = californiaStateHolidays(2022);
    assert.deepEqual(holidays[0], { date: '2022-01-01', name: "New Year's Day" });
    assert.equal(holidays[1]?.name, 'Martin Luther King Jr. Day');
    assert.equal(
      holidays.some((h) => h.observedFor === '2022-01-01'),
      false,
    );
    assert.equal(dates(californiaStateHolidays(2021)).includes('2021-12-31'), false);
  });

  test('2021: July 4 on a Sunday moves to Monday July 5; Christmas on a Saturday stays on Saturday', () => {
    const holidays = californiaStateHolidays(2021);
    assert.ok(holidays.some((h) => h.date === '2021-07-05' && h.observedFor === '2021-07-04'));
    assert.ok(holidays.some((h) => h.date === '2021-12-25' && h.observedFor === undefined));
    assert.equal(dates(holidays).includes('2021-12-24'), false);
  });

  test('2017 matches the state list: New Year observed Jan 2, Veterans Day (a Saturday) observed Friday Nov 10', () => {
    const observed = californiaStateHolidays(2017).filter((h) => h.observedFor);
    assert.deepEqual(observed, [
      { date: '2017-01-02', name: "New Year's Day (observed)", observedFor: '2017-01-01' },
      { date: '2017-11-10', name: 'Veterans Day (observed)', observedFor: '2017-11-11' },
    ]);
  });

  test('Cesar Chavez Day on a Sunday (2024) is observed Monday April 1', () => {
    const row = californiaStateHolidays(2024).find((h) => h.observedFor === '2024-03-31');
    assert.deepEqual(row, { date: '2024-04-01', name: 'Cesar Chavez Day (observed)', observedFor: '2024-03-31' });
  });

  test('every year from 2010 to 2060 follows the weekday rules and comes out sorted', () => {
    for (let year = 2010; year <= 2060; year++) {
      const holidays = californiaStateHolidays(year);
      const byName = (name: string) => holidays.find((h) => h.name === name)?.date ?? '';
      assert.equal(holidays.filter((h) => !h.observedFor).length, 11, `${year}: eleven holidays`);
      assert.deepEqual(dates(holidays), [...dates(holidays)].sort(), `${year}: sorted`);
      assert.ok(holidays.every((h) => h.date.startsWith(`${year}-`)), `${year}: all within the year`);

      const mlk = byName('Martin Luther King Jr. Day');
      assert.ok(weekday(mlk) === 1 && mlk >= `${year}-01-15` && mlk <= `${year}-01-21`, `${year}: 3rd Monday of Jan`);
      const presidents = byName("Presidents' Day");
      assert.ok(weekday(presidents) === 1 && presidents >= `${year}-02-15` && presidents <= `${year}-02-21`);
      const memorial = byName('Memorial Day');
      assert.ok(weekday(memorial) === 1 && memorial >= `${year}-05-25`, `${year}: last Monday of May`);
      const labor = byName('Labor Day');
      assert.ok(weekday(labor) === 1 && labor <= `${year}-09-07`, `${year}: 1st Monday of Sep`);
      const thanksgiving = byName('Thanksgiving Day');
      assert.ok(weekday(thanksgiving) === 4 && thanksgiving >= `${year}-11-22` && thanksgiving <= `${year}-11-28`);
      assert.equal(weekday(byName('Day after Thanksgiving')), 5);

      for (const row of holidays.filter((h) => h.observedFor)) {
        const actual = row.observedFor ?? '';
        const movedForward = weekday(actual) === 0 && weekday(row.date) === 1;
        const veteransBack = actual === `${year}-11-11` && weekday(actual) === 6 && row.date === `${year}-11-10`;
        assert.ok(movedForward || veteransBack, `${year}: ${row.name} on ${row.date}`);
      }
      const sundays = holidays.filter((h) => !h.observedFor && weekday(h.date) === 0);
      assert.ok(sundays.every((h) => holidays.some((o) => o.observedFor === h.date)), `${year}: Sundays move`);
    }
  });

  test('rejects a year that is not a whole four-digit number', () => {
    for (const year of [0, 999, 10000, 2025.5, Number.NaN]) {
      assert.throws(() => californiaStateHolidays(year), { message: /four-digit year/ });
    }
  });
});

describe('californiaStateHolidaysBetween', () => {
  test('covers both years in order, each year exactly as on its own', () => {
    const span = californiaStateHolidaysBetween(2021, 2022);
    assert.deepEqual(span, [...californiaStateHolidays(2021), ...californiaStateHolidays(2022)]);
    assert.equal(span[0]?.date, '2021-01-01');
    assert.equal(span.at(-1)?.date, '2022-12-26');
  });

  test('a single year is that year', () => {
    assert.deepEqual(californiaStateHolidaysBetween(2025, 2025), californiaStateHolidays(2025));
  });

  test('rejects a range that ends before it starts', () => {
    assert.throws(() => californiaStateHolidaysBetween(2026, 2025), { message: /not before fromYear/ });
  });
});
