// Bulk verification: a CSV of certification numbers and/or names (up to 10,000 rows), each on its own date or the
// file's, answered as a CSV of results with the as-of date beside every row. A malformed row gets its reason in
// its own result row; only a file that cannot be read at all is refused.
import { parse, CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../db/client.ts';
import { spreadsheetSafe } from '../lib/csv-cells.ts';
import { isIsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { foldSearchName } from '../lib/search-name.ts';
import { CERTIFICATION_NUMBER } from '../certification/issue-certification.ts';
import { numbersForNames, verifyNumbersOn, type VerificationFacts } from './verification.ts';

export const BULK_VERIFY_MAX_ROWS = 10_000;

/** Header names people use for each column, folded to lower case without spaces, dashes or underscores. */
const COLUMNS = {
  number: ['number', 'certificationnumber', 'certification', 'certno', 'pssnumber', 'numero'],
  name: ['name', 'fullname', 'legalname', 'nombre'],
  asOf: ['asof', 'date', 'dateofservice', 'servicedate', 'verifyon', 'fecha'],
} as const;

export interface BulkResultRow {
  row: number;
  inputNumber: string;
  inputName: string;
  asOf: string;
  /** verified | not_found | ambiguous | name_mismatch | invalid */
  outcome: string;
  facts: VerificationFacts | null;
  message: string;
}

const fold = (header: string) => header.toLowerCase().replace(/[\s_\-.]/g, '');

function columnIndex(headers: string[], names: readonly string[]): number {
  return headers.findIndex((h) => names.includes(fold(h)));
}

/** Read the file into rows; refuses (400) only what cannot be read as a CSV with a number or name column. */
function readRows(text: string): { header: string[]; rows: string[][] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) throw new AppError('bad-request', `The file is not a readable CSV: ${err.message}`, [{ path: 'file', message: err.message }]);
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw new AppError('bad-request', 'The file is empty: give a header row (number, name, as_of) and one row per person.', [{ path: 'file', message: 'The file is empty.' }]);
  if (rows.length > BULK_VERIFY_MAX_ROWS) {
    throw new AppError('bad-request', `The file has ${rows.length.toLocaleString('en-US')} rows; at most ${BULK_VERIFY_MAX_ROWS.toLocaleString('en-US')} can be verified at once.`, [{ path: 'file', message: 'Too many rows.' }]);
  }
  return { header, rows };
}

export async function bulkVerify(db: Db, input: { csv: string; asOf: string }): Promise<BulkResultRow[]> {
  if (!isIsoDate(input.asOf)) throw new AppError('bad-request', 'The as-of date must be a real date written YYYY-MM-DD.', [{ path: 'asOf', message: 'Enter a date written YYYY-MM-DD.' }]);
  const { header, rows } = readRows(input.csv);
  const numberAt = columnIndex(header, COLUMNS.number);
  const nameAt = columnIndex(header, COLUMNS.name);
  const dateAt = columnIndex(header, COLUMNS.asOf);
  if (numberAt < 0 && nameAt < 0) {
    throw new AppError('bad-request', 'The header row needs a "number" column, a "name" column, or both (and may have "as_of").', [{ path: 'file', message: 'No number or name column.' }]);
  }
  const results: BulkResultRow[] = rows.map((cells, i) => ({
    row: i + 2,
    inputNumber: numberAt >= 0 ? (cells[numberAt] ?? '') : '',
    inputName: nameAt >= 0 ? (cells[nameAt] ?? '') : '',
    asOf: (dateAt >= 0 ? cells[dateAt] : '') || input.asOf,
    outcome: '',
    facts: null,
    message: '',
  }));
  const invalid = (r: BulkResultRow, message: string) => Object.assign(r, { outcome: 'invalid', message });
  for (const r of results) {
    if (!isIsoDate(r.asOf)) invalid(r, `"${r.asOf.slice(0, 40)}" is not a date written YYYY-MM-DD.`);
    else if (r.inputNumber === '' && r.inputName.trim() === '') invalid(r, 'The row has neither a number nor a name.');
    else if (r.inputNumber !== '' && !CERTIFICATION_NUMBER.test(r.inputNumber.trim().toUpperCase())) invalid(r, `"${r.inputNumber.slice(0, 40)}" is not a certification number (PSS-123456).`);
  }
  const open = results.filter((r) => r.outcome === '');
  // Rows with only a name are first matched to a number, exactly; ambiguous and unknown names stop there.
  const nameOnly = open.filter((r) => r.inputNumber === '');
  const matches = await numbersForNames(
    db,
    nameOnly.map((r) => r.inputName),
  );
  const numbered = new Map<BulkResultRow, string>();
  nameOnly.forEach((r, i) => {
    const match = matches[i]!;
    if ('number' in match) numbered.set(r, match.number);
    else Object.assign(r, { outcome: match.problem, message: match.problem === 'ambiguous' ? `Several people have this name (${match.candidates.join(', ')}); give the certification number.` : 'Nobody on the registry has exactly this name; check the spelling or give the number.' });
  });
  for (const r of open) if (r.inputNumber !== '') numbered.set(r, r.inputNumber);
  const toVerify = [...numbered];
  const facts = await verifyNumbersOn(
    db,
    toVerify.map(([r, number]) => ({ number, asOf: r.asOf })),
  );
  toVerify.forEach(([r, number], i) => {
    const found = facts[i];
    if (!found) return Object.assign(r, { outcome: 'not_found', message: `No certification ${number.toUpperCase()} is on the registry.` });
    const nameDiffers = r.inputNumber !== '' && r.inputName.trim() !== '' && !namesAgree(r.inputName, found.name);
    Object.assign(r, {
      facts: found,
      outcome: nameDiffers ? 'name_mismatch' : 'verified',
      message: nameDiffers ? `The number belongs to ${found.name}, not the name given.` : '',
    });
  });
  return results;
}

function namesAgree(given: string, legal: string): boolean {
  const words = (s: string) => new Set(foldSearchName(s).split(' ').filter(Boolean));
  const legalWords = words(legal);
  const givenWords = [...words(given)];
  return givenWords.length > 0 && givenWords.every((w) => legalWords.has(w));
}

export const BULK_RESULT_COLUMNS = ['row', 'input_number', 'input_name', 'as_of', 'outcome', 'certified', 'status_on_date', 'number', 'legal_name', 'term_issued_on', 'term_valid_through', 'message'];

export function bulkResultsCsv(results: readonly BulkResultRow[]): string {
  return stringify(
    results.map((r) => [r.row, spreadsheetSafe(r.inputNumber), spreadsheetSafe(r.inputName), spreadsheetSafe(r.asOf), r.outcome, r.facts ? (r.facts.certified ? 'yes' : 'no') : '', r.facts?.status ?? '', r.facts?.number ?? '', r.facts?.name ?? '', r.facts?.term?.issuedOn ?? '', r.facts?.term?.validThrough ?? '', r.message]),
    { header: true, columns: BULK_RESULT_COLUMNS },
  );
}
