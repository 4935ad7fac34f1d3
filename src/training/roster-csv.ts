// Reading a completion roster: a UTF-8 CSV with a header row naming its columns (in any order and case). A file
// that is not such a CSV is refused whole; checking each row against people and approvals is upload-roster.ts's job.
import { parse } from 'csv-parse/sync';
import { AppError } from '../lib/errors.ts';

export const REQUIRED_COLUMNS = ['email', 'legal_first_name', 'legal_last_name', 'completed_on'] as const;
export const OPTIONAL_COLUMNS = ['hours', 'law_ethics_hours'] as const;
/** A roster is one course's class; a bigger file is almost certainly not one. */
export const MAX_ROSTER_ROWS = 5000;

export interface RosterLine {
  /** The line of the file the row ends on (the header is line 1), as a spreadsheet shows it. */
  row: number;
  email: string;
  firstName: string;
  lastName: string;
  completedOn: string;
  /** As written; empty when the column is missing or the cell blank. */
  hours: string;
  lawEthicsHours: string;
}

function refuse(message: string): never {
  throw new AppError('bad-request', message, [{ path: 'file', message }]);
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('The file is not text in UTF-8. Save the roster as “CSV UTF-8” and upload it again.');
  }
}

/** The rows of a roster file, or a 400 saying why the file is not a roster (missing columns are named). */
export function parseRosterCsv(bytes: Buffer): RosterLine[] {
  const text = decode(bytes);
  if (text.includes('\u0000')) refuse('The file is not a CSV file.');
  let records: Array<{ info: { lines: number }; record: string[] }>;
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    const where = err instanceof Error && 'lines' in err ? ` (line ${String((err as { lines: unknown }).lines)})` : '';
    refuse(`The file could not be read as CSV${where}: check for an unclosed quote.`);
  }
  const [header, ...rows] = records;
  const names = (header?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    refuse(`The roster is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. The first row must name the columns ${REQUIRED_COLUMNS.join(', ')} (and optionally ${OPTIONAL_COLUMNS.join(', ')}).`);
  }
  const column = (name: string) => names.indexOf(name);
  const cell = (record: string[], name: string) => {
    const i = column(name);
    return i < 0 ? '' : (record[i] ?? '').trim();
  };
  // A row of empty cells (",,,") is how spreadsheets save a blank line.
  const filled = rows.filter(({ record }) => record.some((v) => v.trim() !== ''));
  if (filled.length === 0) refuse('The roster has its header row but no completions.');
  if (filled.length > MAX_ROSTER_ROWS) refuse(`The roster has ${filled.length} rows; upload at most ${MAX_ROSTER_ROWS} at a time.`);
  return filled
    .map(({ info, record }) => ({
      row: info.lines,
      email: cell(record, 'email'),
      firstName: cell(record, 'legal_first_name'),
      lastName: cell(record, 'legal_last_name'),
      completedOn: cell(record, 'completed_on'),
      hours: cell(record, 'hours'),
      lawEthicsHours: cell(record, 'law_ethics_hours'),
    }));
}
