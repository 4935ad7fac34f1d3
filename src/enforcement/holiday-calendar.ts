// The holiday calendar business-day clocks count on, as data: California state holidays are generated
// (src/lib/california-holidays.ts) into the `holidays` table at every start, for the program's years and ten ahead.
// Clocks read the table, so a holiday the state adds or a day the certifier closes can be recorded as a row.
import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { californiaStateHolidaysBetween } from '../lib/california-holidays.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { holidays } from './enforcement.schema.ts';

export const STATE_CALENDAR = 'ca-state';
/** The program opened in 2022. */
const FIRST_YEAR = 2022;
const YEARS_AHEAD = 10;

export async function seedHolidays(db: Db, today: string = todayInCalifornia()): Promise<void> {
  const rows = californiaStateHolidaysBetween(FIRST_YEAR, Number(today.slice(0, 4)) + YEARS_AHEAD).map((h) => ({
    calendar: STATE_CALENDAR,
    date: h.date,
    name: h.name,
    observedFor: h.observedFor ?? null,
  }));
  await db
    .insert(holidays)
    .values(rows)
    .onConflictDoUpdate({ target: [holidays.calendar, holidays.date], set: { name: sql`excluded.name`, observedFor: sql`excluded.observed_for` } });
}

/** The holidays in [from, to] as a set of dates, for the business-day functions. */
export async function holidaysBetween(db: Db, from: string, to: string): Promise<Set<string>> {
  const rows = await db
    .select({ date: holidays.date })
    .from(holidays)
    .where(and(eq(holidays.calendar, STATE_CALENDAR), gte(holidays.date, from), lte(holidays.date, to)));
  return new Set(rows.map((r) => r.date));
}
