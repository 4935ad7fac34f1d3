// The days California state offices close: the paid holidays of state employees.
//
// Sources: Gov. Code §19853(a)-(b) (the list of state-employee holidays and the weekend rules), CalHR's state
// holiday pages (calhr.ca.gov/employees/Pages/state-holidays.aspx and .../holidays.aspx: "Sunday holiday: observed
// the following Monday"; "Saturday holiday: you accrue holiday credit"; a Saturday November 11 is observed the
// preceding Friday), and Gov. Code §6701 (the same Sunday and Veterans Day rules).
//
// Gov. Code §6700 names more "holidays in this state" than this, but these are not office closures:
// - Lincoln Day (Feb 12) and Columbus Day: dropped as state-employee paid holidays by 2009 legislation (upheld in
//   court); CalHR's lists since then omit them.
// - Native American Day (4th Friday in September): a §6700 holiday since AB 1973 (2014), but §19853(e) only lets an
//   employee take it in place of the personal holiday; offices stay open. (AB 989 of 2025 proposes making it a paid
//   holiday; as of that bill's last reported step it was not law. Revisit if enacted.)
// - Juneteenth (June 19): added to §6700 by AB 1655 (2022), which lets employees elect to take the day off with
//   pay in place of personal holiday credit; offices stay open.
// - Lunar New Year, Genocide Remembrance Day, Admission Day, Good Friday afternoon: likewise not closures.
// These are the current rules applied to any year; they do not reproduce holiday calendars from before 2010.
import { addDays } from './dates.ts';

export interface Holiday {
  /** YYYY-MM-DD */
  date: string;
  name: string;
  /** The actual date when this row is the weekday observed in its place. */
  observedFor?: string;
}

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;
const VETERANS_DAY = 'Veterans Day';

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function ymd(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The `nth` (1-based) given weekday of a month, e.g. the 3rd Monday in January. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): string {
  const first = ymd(year, month, 1);
  return addDays(first, ((weekday - dayOfWeek(first) + 7) % 7) + 7 * (nth - 1));
}

function lastWeekday(year: number, month: number, weekday: number): string {
  const last = ymd(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}

/** The weekday that stands in for a weekend holiday, or undefined when it is not moved. */
function observedDate(holiday: Holiday): string | undefined {
  const weekday = dayOfWeek(holiday.date);
  if (weekday === SUNDAY) return addDays(holiday.date, 1);
  // Only Veterans Day moves back from a Saturday; any other Saturday holiday is simply lost (employees get credit).
  if (weekday === SATURDAY && holiday.name === VETERANS_DAY) return addDays(holiday.date, -1);
  return undefined;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new Error(`Expected a four-digit year, got ${year}`);
  }
}

/** California state holidays for `year`, sorted by date; a weekend holiday that moves gets a second, observed row. */
export function californiaStateHolidays(year: number): Holiday[] {
  assertYear(year);
  const thanksgiving = nthWeekday(year, 11, THURSDAY, 4);
  const actual: Holiday[] = [
    { date: ymd(year, 1, 1), name: "New Year's Day" },
    { date: nthWeekday(year, 1, MONDAY, 3), name: 'Martin Luther King Jr. Day' },
    { date: nthWeekday(year, 2, MONDAY, 3), name: "Presidents' Day" },
    { date: ymd(year, 3, 31), name: 'Cesar Chavez Day' },
    { date: lastWeekday(year, 5, MONDAY), name: 'Memorial Day' },
    { date: ymd(year, 7, 4), name: 'Independence Day' },
    { date: nthWeekday(year, 9, MONDAY, 1), name: 'Labor Day' },
    { date: ymd(year, 11, 11), name: VETERANS_DAY },
    { date: thanksgiving, name: 'Thanksgiving Day' },
    { date: addDays(thanksgiving, 1), name: 'Day after Thanksgiving' },
    { date: ymd(year, 12, 25), name: 'Christmas Day' },
  ];
  const observed = actual.flatMap((holiday): Holiday[] => {
    const date = observedDate(holiday);
    return date ? [{ date, name: `${holiday.name} (observed)`, observedFor: holiday.date }] : [];
  });
  return [...actual, ...observed].sort((a, b) => a.date.localeCompare(b.date));
}

/** Holidays for every year from `fromYear` to `toYear`, both included, sorted by date. */
export function californiaStateHolidaysBetween(fromYear: number, toYear: number): Holiday[] {
  assertYear(fromYear);
  assertYear(toYear);
  if (toYear < fromYear) throw new Error(`Expected toYear (${toYear}) not before fromYear (${fromYear})`);
  const holidays: Holiday[] = [];
  for (let year = fromYear; year <= toYear; year++) holidays.push(...californiaStateHolidays(year));
  return holidays;
}
