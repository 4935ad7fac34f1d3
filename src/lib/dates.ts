// Calendar dates are 'YYYY-MM-DD' strings in America/Los_Angeles (service dates, effective dates).
import { z } from 'zod';

const californiaDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in California. */
export function todayInCalifornia(now: Date = new Date()): string {
  return californiaDate.format(now);
}

/** True when the string is a real calendar date written YYYY-MM-DD (rejects 2025-02-30, and year 0000, which PostgreSQL refuses). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const IsoDate = z
  .string()
  .refine(isIsoDate, { message: 'Expected a calendar date written YYYY-MM-DD' })
  .meta({ format: 'date', example: '2025-02-01' });

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** Calendar months later; a day the target month lacks becomes its last day (2024-01-31 + 1 month = 2024-02-29). */
export function addMonths(date: string, months: number): string {
  const d = utc(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return iso(d);
}

export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / 86_400_000);
}

/** Age in whole years on `on` for someone born on `birth`. */
export function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
