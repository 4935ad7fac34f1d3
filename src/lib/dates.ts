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
