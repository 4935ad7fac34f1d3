// Business-day arithmetic over calendar dates written YYYY-MM-DD: Monday to Friday, less the given holidays
// (e.g. the dates of californiaStateHolidays). Deadlines such as "respond within 5 business days" count from the
// day after receipt.
import { addDays, daysBetween, isIsoDate } from './dates.ts';

function assertDate(date: string, label: string): void {
  if (!isIsoDate(date)) throw new Error(`Expected ${label} to be a calendar date written YYYY-MM-DD, got "${date}"`);
}

function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/** Monday to Friday and not one of `holidays`. */
export function isBusinessDay(date: string, holidays: ReadonlySet<string>): boolean {
  assertDate(date, 'date');
  return isWeekday(date) && !holidays.has(date);
}

/**
 * The n-th business day after `date`: received on a Friday, n = 5 is the next Friday; received on a Saturday, the
 * Monday is business day 1. n = 0 is `date` itself when it is a business day, else the next business day.
 */
export function addBusinessDays(date: string, n: number, holidays: ReadonlySet<string>): string {
  assertDate(date, 'date');
  if (!Number.isInteger(n) || n < 0) throw new Error(`Expected a whole number of business days, 0 or more, got ${n}`);
  let day = date;
  if (n === 0) {
    while (!isBusinessDay(day, holidays)) day = addDays(day, 1);
    return day;
  }
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isBusinessDay(day, holidays)) counted++;
  }
  return day;
}

/** How many business days fall after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function businessDaysBetween(from: string, to: string, holidays: ReadonlySet<string>): number {
  assertDate(from, 'from');
  assertDate(to, 'to');
  const span = daysBetween(from, to);
  let count = 0;
  for (let offset = 1; offset <= span; offset++) {
    if (isBusinessDay(addDays(from, offset), holidays)) count++;
  }
  return count;
}
