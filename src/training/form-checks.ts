// Checking a use case's input field by field, so a form shows every problem at once beside its field.
import { isIsoDate } from '../lib/dates.ts';
import { AppError, type FieldError } from '../lib/errors.ts';

export class FieldChecks {
  readonly errors: FieldError[] = [];

  fail(path: string, message: string): void {
    if (!this.errors.some((e) => e.path === path)) this.errors.push({ path, message });
  }

  /** The trimmed text, or a recorded error when it is empty or longer than `max`. */
  text(value: string | null | undefined, path: string, message: string, max = 200): string {
    const text = (value ?? '').trim();
    if (text === '') this.fail(path, message);
    else if (text.length > max) this.fail(path, `Keep it under ${max} characters.`);
    return text;
  }

  date(value: string | null | undefined, path: string): string {
    const text = (value ?? '').trim();
    if (!isIsoDate(text)) this.fail(path, 'Enter a real date written YYYY-MM-DD.');
    return text;
  }

  email(value: string | null | undefined, path: string): string {
    const text = (value ?? '').trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) || text.length > 254) this.fail(path, 'Enter an email address, like name@example.org.');
    return text;
  }

  /** Hours: a number from 0 up to `max`, in hundredths at most (the column's precision). */
  hours(value: number | null | undefined, path: string, max = 1000): number {
    const n = value ?? Number.NaN;
    if (!Number.isFinite(n) || n < 0 || n > max || Math.abs(Math.round(n * 100) - n * 100) > 1e-6) this.fail(path, `Enter hours as a number from 0 to ${max}, like 6 or 1.5.`);
    return n;
  }

  /** Throw a 400 carrying every field error, if there is any. */
  done(): void {
    if (this.errors.length > 0) throw new AppError('bad-request', this.errors.map((e) => e.message).join(' '), this.errors);
  }
}

/** A form's hours field as a number: empty or not a number is NaN, which FieldChecks.hours refuses. */
export function hoursFromForm(value: string | undefined, emptyAs = Number.NaN): number {
  const text = (value ?? '').trim();
  if (text === '') return emptyAs;
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}
