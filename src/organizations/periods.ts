// Half-open periods [starts_on, ends_on) — ends_on null for open-ended — as SQL conditions, shared by every table
// that records one (contracts, employment, supervision).
import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../lib/errors.ts';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export interface PeriodColumns {
  startsOn: AnyPgColumn;
  endsOn: AnyPgColumn;
}

/** The row's period covers the date (a value, or another table's date column). */
export function coversOn(table: PeriodColumns, date: string | AnyPgColumn): SQL<boolean> {
  return sql<boolean>`(${table.startsOn} <= ${date} and (${table.endsOn} is null or ${table.endsOn} > ${date}))`;
}

/** The row's period overlaps [startsOn, endsOn), null meaning open-ended on either side. */
export function overlapping(table: PeriodColumns, startsOn: string, endsOn: string | null): SQL {
  return sql`(${endsOn === null ? sql`true` : sql`${table.startsOn} < ${endsOn}`}) and (${table.endsOn} is null or ${table.endsOn} > ${startsOn})`;
}

/** A period's end comes after its start (or it has none). */
export function checkPeriodOrder(startsOn: string, endsOn: string | undefined | null): void {
  if (endsOn != null && endsOn <= startsOn) throw new AppError('bad-request', 'The end date comes after the start date.', [{ path: 'endsOn', message: 'The end date comes after the start date.' }]);
}
