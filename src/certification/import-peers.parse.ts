// The CSV of already-certified peers (migration from a predecessor system): header, fields and every check a row
// can be given without the database. Pure; import-peers.ts adds the database's checks and writes the rows.
import { parse, CsvError } from 'csv-parse/sync';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { ageOn, isIsoDate } from '../lib/dates.ts';
import { CERTIFICATION_NUMBER } from './issue-certification.ts';
import { CERTIFICATION_STATUSES, SPECIALIZATIONS, type CertificationStatus, type Specialization } from './vocabulary.ts';

export const PEER_IMPORT_COLUMNS = [
  'certification_number',
  'legal_first_name',
  'legal_middle_name',
  'legal_last_name',
  'email',
  'date_of_birth',
  'county_fips',
  'pathway',
  'first_issued_on',
  'issued_on',
  'expires_on',
  'status',
  'status_effective_on',
  'specializations',
] as const;
export type PeerImportColumn = (typeof PEER_IMPORT_COLUMNS)[number];

const OPTIONAL_COLUMNS: ReadonlySet<PeerImportColumn> = new Set(['legal_middle_name', 'email', 'date_of_birth', 'county_fips', 'status_effective_on', 'specializations']);

/** The pathways to a first certification; renewal and reinstatement keep or restore one and are not imported. */
export const IMPORT_PATHWAYS = ['initial', 'grandparenting', 'reciprocity'] as const;
export type ImportPathway = (typeof IMPORT_PATHWAYS)[number];

/** One problem found in the file. Rows are numbered as a spreadsheet shows them: the header is row 1. */
export interface PeerImportRejection {
  row: number;
  /** The column at fault; empty when the problem is the row or the file as a whole. */
  column: string;
  reason: string;
}

export interface ImportedSpecialization {
  code: Specialization;
  /** Null when the file gives no date. */
  completedOn: string | null;
}

export interface PeerImportRow {
  row: number;
  number: string;
  legalFirstName: string;
  legalMiddleName: string | null;
  legalLastName: string;
  email: string | null;
  dateOfBirth: string | null;
  countyFips: string | null;
  pathway: ImportPathway;
  firstIssuedOn: string;
  issuedOn: string;
  expiresOn: string;
  status: CertificationStatus;
  statusEffectiveOn: string | null;
  specializations: ImportedSpecialization[];
}

export interface ParsedPeerFile {
  /** Data rows in the file (blank lines not counted). */
  totalRows: number;
  /** The rows that passed every check here (all of them only when `rejections` is empty). */
  rows: PeerImportRow[];
  rejections: PeerImportRejection[];
}

const COUNTY_FIPS: ReadonlySet<string> = new Set(CALIFORNIA_COUNTIES.map((c) => c.fips));
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
const MAX_NAME_LENGTH = 200;
/** An age no living applicant reaches: a birth date before it is a typing error. */
const MAX_AGE = 120;
/** Legal minimum age for certification (PROGRAM.md §4.2); the program rule has had this value since it opened. */
const MIN_AGE = 18;

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** The county code as a spreadsheet may have left it: "6001" (its leading zero dropped) is 06001. */
function normalizeFips(value: string): string {
  return /^\d{4}$/.test(value) ? `0${value}` : value;
}

/** Checks of one row; `reject` collects problems, and the row is returned only when it had none. */
function checkRow(row: number, fields: Record<PeerImportColumn, string>, today: string, reject: (column: string, reason: string) => void): PeerImportRow | null {
  let ok = true;
  const fail = (column: PeerImportColumn | '', reason: string) => {
    ok = false;
    reject(column, reason);
  };
  for (const column of PEER_IMPORT_COLUMNS) {
    if (!OPTIONAL_COLUMNS.has(column) && fields[column] === '') fail(column, `${column} is required.`);
  }

  const number = fields.certification_number.toUpperCase();
  if (number !== '' && !CERTIFICATION_NUMBER.test(number)) fail('certification_number', `"${fields.certification_number}" is not a certification number (PSS- and at least six digits, e.g. PSS-100001).`);

  for (const column of ['legal_first_name', 'legal_middle_name', 'legal_last_name'] as const) {
    if (fields[column].length > MAX_NAME_LENGTH) fail(column, `${column} is longer than ${MAX_NAME_LENGTH} characters.`);
  }

  const email = fields.email === '' ? null : fields.email;
  if (email !== null && !EMAIL.test(email)) fail('email', `"${email}" is not an email address.`);

  const date = (column: PeerImportColumn): string | null => {
    const value = fields[column];
    if (value === '') return null;
    if (!isIsoDate(value)) {
      fail(column, `"${value}" is not a date written YYYY-MM-DD.`);
      return null;
    }
    return value;
  };
  const dateOfBirth = date('date_of_birth');
  const firstIssuedOn = date('first_issued_on');
  const issuedOn = date('issued_on');
  const expiresOn = date('expires_on');
  const statusEffectiveOn = date('status_effective_on');

  const countyFips = fields.county_fips === '' ? null : normalizeFips(fields.county_fips);
  if (countyFips !== null && !COUNTY_FIPS.has(countyFips)) fail('county_fips', `"${fields.county_fips}" is not the FIPS code of a California county (e.g. 06001).`);

  const pathway = fields.pathway.toLowerCase();
  if (pathway !== '' && !isOneOf(IMPORT_PATHWAYS, pathway)) fail('pathway', `"${fields.pathway}" is not a pathway (${IMPORT_PATHWAYS.join(', ')}).`);
  const status = fields.status.toLowerCase();
  if (status !== '' && !isOneOf(CERTIFICATION_STATUSES, status)) fail('status', `"${fields.status}" is not a certification status (${CERTIFICATION_STATUSES.join(', ')}).`);

  // The dates in order: first issue ≤ this term's issue < its expiry; the term is half-open [issued_on, expires_on).
  if (firstIssuedOn && issuedOn && firstIssuedOn > issuedOn) fail('first_issued_on', `first_issued_on (${firstIssuedOn}) is after issued_on (${issuedOn}).`);
  if (issuedOn && expiresOn && expiresOn <= issuedOn) fail('expires_on', `expires_on (${expiresOn}) must be after issued_on (${issuedOn}).`);
  if (issuedOn && issuedOn > today) fail('issued_on', `issued_on (${issuedOn}) is after the import date (${today}).`);
  if (dateOfBirth) {
    if (dateOfBirth > today || ageOn(dateOfBirth, today) > MAX_AGE) fail('date_of_birth', `${dateOfBirth} is not a plausible date of birth.`);
    else if (firstIssuedOn && ageOn(dateOfBirth, firstIssuedOn) < MIN_AGE) fail('date_of_birth', `The person was under ${MIN_AGE} on first_issued_on (${firstIssuedOn}).`);
  }

  // The status must be one the term dates allow, and one the certification machine can reach on that date (asked
  // only of a well-formed term, so one wrong date is reported once).
  if (isOneOf(CERTIFICATION_STATUSES, status) && issuedOn && expiresOn && issuedOn < expiresOn) {
    if (status === 'active') {
      // Active from the first issue: a later date would need history the file does not carry.
      if (fields.status_effective_on !== '') fail('status_effective_on', 'Leave status_effective_on empty for an active certification: it is active from first_issued_on.');
      if (expiresOn <= today) fail('status', `An active certification cannot have expired: expires_on (${expiresOn}) is not after the import date (${today}).`);
    } else if (fields.status_effective_on === '') {
      fail('status_effective_on', `status_effective_on is required for a ${status} certification.`);
    } else if (statusEffectiveOn) {
      if (statusEffectiveOn > today) fail('status_effective_on', `status_effective_on (${statusEffectiveOn}) is after the import date (${today}); only a status already in force can be imported.`);
      else {
        const problem = statusDateProblem(status, statusEffectiveOn, issuedOn, expiresOn);
        if (problem) fail('status_effective_on', problem);
      }
    }
  }

  const specializations: ImportedSpecialization[] = [];
  if (fields.specializations !== '') {
    const seen = new Set<string>();
    for (const item of fields.specializations.split(';').map((s) => s.trim())) {
      if (item === '') continue;
      const [code = '', completedOn, ...rest] = item.split('@').map((s) => s.trim());
      if (!isOneOf(SPECIALIZATIONS, code)) {
        fail('specializations', `"${code}" is not a specialization (${SPECIALIZATIONS.join(', ')}).`);
        continue;
      }
      if (rest.length > 0 || (completedOn !== undefined && !isIsoDate(completedOn))) {
        fail('specializations', `"${item}": write a specialization as code or code@YYYY-MM-DD.`);
        continue;
      }
      if (completedOn !== undefined && completedOn > today) {
        fail('specializations', `${code} is dated ${completedOn}, after the import date (${today}).`);
        continue;
      }
      if (seen.has(code)) {
        fail('specializations', `${code} is listed twice.`);
        continue;
      }
      seen.add(code);
      specializations.push({ code, completedOn: completedOn ?? null });
    }
  }

  if (!ok || !firstIssuedOn || !issuedOn || !expiresOn || !isOneOf(IMPORT_PATHWAYS, pathway) || !isOneOf(CERTIFICATION_STATUSES, status)) return null;
  return {
    row,
    number,
    legalFirstName: fields.legal_first_name,
    legalMiddleName: fields.legal_middle_name === '' ? null : fields.legal_middle_name,
    legalLastName: fields.legal_last_name,
    email,
    dateOfBirth,
    countyFips,
    pathway,
    firstIssuedOn,
    issuedOn,
    expiresOn,
    status,
    statusEffectiveOn: status === 'active' ? null : statusEffectiveOn,
    specializations,
  };
}

/**
 * Why a status cannot start on `on` for a certification whose current term is [issuedOn, expiresOn), or null.
 * Mirrors the certification machine (certification-status.ts): suspension only while active, vacating only after
 * expiry, revocation from active or expired; an expiry ends the current term at the latest.
 */
export function statusDateProblem(status: Exclude<CertificationStatus, 'active'>, on: string, issuedOn: string, expiresOn: string): string | null {
  switch (status) {
    case 'expired':
      return on < issuedOn || on > expiresOn ? `An expiry takes effect within the current term, at the latest on expires_on: ${on} is not between ${issuedOn} and ${expiresOn}.` : null;
    case 'suspended':
      return on < issuedOn || on >= expiresOn ? `Only an active certification can be suspended: ${on} is not within the current term (${issuedOn} to before ${expiresOn}).` : null;
    case 'revoked':
      return on < issuedOn ? `A revocation before the current term began (${issuedOn}) would have ended it; check the dates.` : null;
    case 'vacated':
      return on < expiresOn ? `Only an expired certification can be vacated: ${on} is before expires_on (${expiresOn}).` : null;
  }
}

/** Parse and check the whole file against itself (numbers and emails unique within it). `today` is the import date. */
export function parsePeerFile(text: string, today: string): ParsedPeerFile {
  const rejections: PeerImportRejection[] = [];
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true }) as string[][];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const at = (err as CsvError & { records?: number }).records;
    return { totalRows: 0, rows: [], rejections: [{ row: (at ?? 0) + 1, column: '', reason: `The file is not readable CSV: ${err.message}` }] };
  }

  const [header = [], ...data] = records;
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = PEER_IMPORT_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.has(c) && !names.includes(c));
  for (const column of missing) rejections.push({ row: 1, column, reason: `The header has no ${column} column.` });
  names.forEach((name, i) => {
    if (!isOneOf(PEER_IMPORT_COLUMNS, name)) rejections.push({ row: 1, column: name, reason: `Unknown column "${header[i] ?? ''}" (the columns are ${PEER_IMPORT_COLUMNS.join(', ')}).` });
    else if (names.indexOf(name) !== i) rejections.push({ row: 1, column: name, reason: `The column ${name} appears twice.` });
  });
  if (rejections.length > 0) return { totalRows: data.filter((r) => r.some((v) => v.trim() !== '')).length, rows: [], rejections };

  const rows: PeerImportRow[] = [];
  const numbers = new Map<string, number>();
  const emails = new Map<string, number>();
  let totalRows = 0;
  data.forEach((record, i) => {
    const row = i + 2;
    if (record.every((v) => v.trim() === '')) return; // a blank line is not a row to import
    totalRows += 1;
    const reject = (column: string, reason: string) => rejections.push({ row, column, reason });
    if (record.length !== names.length) {
      reject('', `The row has ${record.length} fields; the header has ${names.length}.`);
      return;
    }
    const fields = Object.fromEntries(PEER_IMPORT_COLUMNS.map((c) => [c, ''])) as Record<PeerImportColumn, string>;
    names.forEach((name, j) => (fields[name as PeerImportColumn] = (record[j] ?? '').trim()));

    // Duplicates are named on the later row, pointing at the earlier one.
    const number = fields.certification_number.toUpperCase();
    const sameNumber = number === '' ? undefined : numbers.get(number);
    if (sameNumber !== undefined) reject('certification_number', `${number} is also on row ${sameNumber}; a number belongs to one certification.`);
    else if (number !== '') numbers.set(number, row);
    const email = fields.email.toLowerCase();
    const sameEmail = email === '' ? undefined : emails.get(email);
    if (sameEmail !== undefined) reject('email', `${fields.email} is also on row ${sameEmail}; an email address belongs to one person.`);
    else if (email !== '') emails.set(email, row);

    const checked = checkRow(row, fields, today, reject);
    if (checked && sameNumber === undefined && sameEmail === undefined) rows.push(checked);
  });
  if (totalRows === 0) rejections.push({ row: 2, column: '', reason: 'The file has a header but no rows to import.' });
  return { totalRows, rows, rejections };
}
