// Parser for the text of the DHCS page "Counties Participating in Peer Support Services".
//
// The page is copied out of HTML, so its table arrives as loosely wrapped text: a row such as
// `46/47 | Sutter/Yuba | DMC State Plan & SMHS |` may be split across several lines, with `|`
// or the row number alone on a line. Line breaks therefore carry no meaning here: only `|`
// separates cells, and a bare row number (`12`, `46/47`) starts a new row. Everything the parser
// cannot account for becomes a warning, so a person reviewing an import sees every discrepancy.
import { AppError } from '../lib/errors.ts';
import { findCountyByName } from './california-counties.ts';
import { sortSystems, type DeliverySystem } from './reference-data.ts';

export interface ParsedCounty {
  county: string;
  fips: string;
  deliverySystems: DeliverySystem[];
}

export interface ParseWarning {
  code: 'count_mismatch' | 'both_dmc_and_dmc_ods' | 'unrecognized_text' | 'row_number_gap' | 'duplicate_county';
  message: string;
  county?: string;
  row?: string;
}

export interface ParsedPage {
  counties: ParsedCounty[];
  warnings: ParseWarning[];
  statedCount: number | null;
  asOfText: string | null;
}

/** The text is not a DHCS participation page (or its table cannot be found): a bad request, never a crash. */
export class PageFormatError extends AppError {
  override name = 'PageFormatError';
  constructor(message: string) {
    super('bad-request', message);
  }
}

const HEADING = /Counties\s+Participating\s+in\s+Peer\s+Support\s+Services/i;
// The closing `|` of the header row sits on the next line in the real page, hence `\s*` before it.
const HEADER_ROW = /\|?\s*County\s*\|\s*Delivery\s+Systems?\s*\|?/i;
const ROW_NUMBER = /^\d+(?:\s*\/\s*\d+)*$/;
// "As of February 2025, 52 counties include ...". The date may hold a comma ("February 1, 2025") or an
// abbreviation ("Feb. 2025"), and a word may stand before "counties" ("52 California counties").
const STATED_COUNT = /\bAs\s+of\s+([^;:\n]{1,40}?),?\s+(\d+)\s+(?:[A-Za-z]+\s+)?counties\b/i;
// A county cell may name several counties of one joint row: "Sutter/Yuba", "Sutter & Yuba", "Sutter-Yuba".
const JOINT_COUNTY_SEPARATOR = /\s*(?:\/|&|,|-|\band\b)\s*/i;
const SYSTEM_SEPARATOR = /\s*(?:&|,|;|\+|\/|\band\b)\s*/i;

/** Spellings of each delivery system once case, spaces and hyphens are removed ("DMC- ODS" → "dmcods"). */
const SYSTEM_SPELLINGS: ReadonlyMap<string, DeliverySystem> = new Map([
  ['dmc', 'DMC'],
  ['dmcstateplan', 'DMC'],
  ['drugmedical', 'DMC'],
  ['drugmedicalstateplan', 'DMC'],
  ['dmcods', 'DMC_ODS'],
  ['drugmedicalods', 'DMC_ODS'],
  ['drugmedicalorganizeddeliverysystem', 'DMC_ODS'],
  ['smhs', 'SMHS'],
  ['specialtymentalhealth', 'SMHS'],
  ['specialtymentalhealthservices', 'SMHS'],
]);

interface TableRow {
  /** The row number as printed, e.g. "12" or "46/47"; used to point people at the row. */
  label: string;
  numbers: number[];
  /** Cells after the row number: county, delivery systems, then anything unexpected. */
  cells: string[];
}

/** One county as read from one row, before duplicates are merged. */
interface CountyReading {
  county: string;
  fips: string;
  systems: DeliverySystem[];
  row: string;
}

export function parseParticipationPage(text: string): ParsedPage {
  const page = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (page.trim() === '') {
    throw new PageFormatError('No county participation table found: the text is empty.');
  }
  const { statedCount, asOfText } = readStatedCount(page);
  const { cells, tail } = splitCells(findTableRegion(page));
  const { rows, stray } = groupRows(cells);
  completeUnclosedLastRow(rows, tail);
  if (rows.length === 0) {
    throw new PageFormatError('No county participation table found: the table has no rows.');
  }

  const warnings: ParseWarning[] = stray.map((cell) => ({
    code: 'unrecognized_text',
    message: `Unrecognized text in the table: "${cell}".`,
  }));
  const readings = rows.flatMap((row) => readRow(row, warnings));
  const counties = mergeDuplicates(readings, warnings);
  warnings.push(...checkBothDmcAndOds(counties, readings));
  warnings.push(...checkRowNumbers(rows));
  if (statedCount === null) {
    warnings.push({
      code: 'count_mismatch',
      message: `The page does not state how many counties take part (no "As of …, N counties"), so the ${counties.length} listed cannot be checked against it.`,
    });
  } else if (statedCount !== counties.length) {
    warnings.push({
      code: 'count_mismatch',
      message: `The page states ${statedCount} counties but lists ${counties.length}.`,
    });
  }
  return { counties, warnings, statedCount, asOfText };
}

/** The count the prose claims, to be compared with the table. Absent on some versions of the page. */
function readStatedCount(page: string): { statedCount: number | null; asOfText: string | null } {
  const match = STATED_COUNT.exec(page);
  if (!match?.[1] || !match[2]) return { statedCount: null, asOfText: null };
  return { statedCount: Number(match[2]), asOfText: collapseSpaces(match[1]) };
}

/** Everything after the header row; where the table ends is decided later, from the `|` structure. */
function findTableRegion(page: string): string {
  const heading = HEADING.exec(page);
  if (!heading) {
    throw new PageFormatError(
      'No county participation table found: the heading "Counties Participating in Peer Support Services" is missing.',
    );
  }
  const afterHeading = page.slice(heading.index + heading[0].length);
  const header = HEADER_ROW.exec(afterHeading);
  if (!header) {
    throw new PageFormatError(
      'No county participation table found: the header row "| County | Delivery System |" is missing.',
    );
  }
  return afterHeading.slice(header.index + header[0].length);
}

/**
 * Cells are the pieces between `|`. The piece after the last `|` is not a cell but the text that
 * follows the table (returned as `tail`), since every complete row ends with `|`.
 */
function splitCells(region: string): { cells: string[]; tail: string } {
  const pieces = region.split('|');
  const tail = pieces.pop() ?? '';
  const cells = pieces.flatMap(peelRowNumbers).map(collapseSpaces).filter((cell) => cell !== '');
  return { cells, tail };
}

/**
 * A row whose closing `|` is missing leaves its row number in the same piece as a neighbouring
 * cell ("SMHS Only\n4"). A bare number on its own first or last line is split off; names and
 * delivery systems never start or end with a number, so re-wrapping cannot trigger this.
 */
function peelRowNumbers(piece: string): string[] {
  // The same on one line: "SMHS Only 4" is the end of a row and the start of the next.
  const sameLine = /^(.*\D)\s+(\d+(?:\s*\/\s*\d+)*)\s*$/.exec(piece.trim());
  if (sameLine?.[1] && sameLine[2]) return [sameLine[1], sameLine[2]];
  const lines = piece.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0];
  const last = lines[lines.length - 1];
  if (lines.length < 2 || first === undefined || last === undefined) return [piece];
  const head = ROW_NUMBER.test(first) ? [first] : [];
  const foot = ROW_NUMBER.test(last) ? [last] : [];
  const middle = lines.slice(head.length, lines.length - foot.length).join(' ');
  return [...head, middle, ...foot];
}

/** A row number starts a row; cells before the first row number are text we cannot place. */
function groupRows(cells: string[]): { rows: TableRow[]; stray: string[] } {
  const rows: TableRow[] = [];
  const stray: string[] = [];
  for (const cell of cells) {
    const current = rows[rows.length - 1];
    if (ROW_NUMBER.test(cell)) {
      const numbers = cell.split('/').map((n) => Number(n.trim()));
      rows.push({ label: numbers.join('/'), numbers, cells: [] });
    } else if (current) {
      current.cells.push(cell);
    } else {
      stray.push(cell);
    }
  }
  return { rows, stray };
}

/** If the last row lost its closing `|`, its delivery-system cell is the first line of the tail. */
function completeUnclosedLastRow(rows: TableRow[], tail: string): void {
  const last = rows[rows.length - 1];
  const firstLine = tail.split('\n').map(collapseSpaces).find((line) => line !== '');
  if (last && last.cells.length === 1 && firstLine !== undefined) last.cells.push(firstLine);
}

/** Reads one row into one reading per county; problems short of an unknown county become warnings. */
function readRow(row: TableRow, warnings: ParseWarning[]): CountyReading[] {
  const [countyCell, systemsCell, ...extra] = row.cells;
  for (const cell of extra) {
    warnings.push({ code: 'unrecognized_text', message: `Row ${row.label}: unrecognized text "${cell}".`, row: row.label });
  }
  // An empty county cell disappears with the other empty cells, leaving the delivery systems in its place.
  const onlySystems = systemsCell === undefined && countyCell !== undefined && readDeliverySystems(countyCell).unrecognized.length === 0;
  if (countyCell === undefined || onlySystems) {
    warnings.push({ code: 'unrecognized_text', message: `Row ${row.label} has no county.`, row: row.label });
    return [];
  }
  const names = countyCell.split(JOINT_COUNTY_SEPARATOR).map((name) => name.trim()).filter((name) => name !== '');
  const counties = names.map((name) => {
    const county = findCountyByName(name);
    if (!county) throw new PageFormatError(`Unknown county "${name}" in row ${row.label}`);
    return county;
  });
  if (counties.length !== row.numbers.length) {
    warnings.push({
      code: 'row_number_gap',
      message: `Row ${row.label} lists ${counties.length} ${plural(counties.length, 'county', 'counties')} (${countyCell}) but ${row.numbers.length} row ${plural(row.numbers.length, 'number', 'numbers')}.`,
      row: row.label,
    });
  }
  const { codes, unrecognized } = readDeliverySystems(systemsCell ?? '');
  for (const part of unrecognized) {
    warnings.push({
      code: 'unrecognized_text',
      message: `Row ${row.label} (${countyCell}): unrecognized delivery system "${part}".`,
      row: row.label,
    });
  }
  if (codes.length === 0) {
    const shown = systemsCell === undefined ? 'no delivery system cell' : `no recognized delivery system in "${systemsCell}"`;
    for (const county of counties) {
      warnings.push({
        code: 'unrecognized_text',
        message: `Row ${row.label}: ${county.name} is left out because the row has ${shown}.`,
        county: county.name,
        row: row.label,
      });
    }
    return [];
  }
  return counties.map((county) => ({ county: county.name, fips: county.fips, systems: codes, row: row.label }));
}

/** Splits a cell such as "DMC, DMC-ODS & SMHS" and recognizes each part; parts it cannot read are returned as written. */
function readDeliverySystems(cell: string): { codes: DeliverySystem[]; unrecognized: string[] } {
  const codes = new Set<DeliverySystem>();
  const unrecognized: string[] = [];
  for (const part of cell.split(SYSTEM_SEPARATOR).map((p) => p.trim())) {
    if (part === '') continue;
    const code = recognizeSystem(part);
    if (code) codes.add(code);
    else unrecognized.push(part);
  }
  return { codes: sortSystems(codes), unrecognized };
}

/** "SMHS Only", "DMC - ODS", "Drug Medi-Cal Organized Delivery System (DMC-ODS)", ... → code. */
function recognizeSystem(part: string): DeliverySystem | undefined {
  // A long name followed by its abbreviation counts when both name the same system.
  const withAbbreviation = /^(.*)\(([^()]*)\)$/.exec(part);
  if (withAbbreviation?.[1] !== undefined && withAbbreviation[2] !== undefined) {
    const name = recognizeSystem(withAbbreviation[1]);
    return name !== undefined && name === recognizeSystem(withAbbreviation[2]) ? name : undefined;
  }
  const key = part
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/^\s*only\s+|\s+only\s*$/g, '')
    .replace(/[\s-]+/g, '');
  return SYSTEM_SPELLINGS.get(key);
}

/** One entry per county, sorted by name; a county listed twice keeps every system it was listed with. */
function mergeDuplicates(readings: CountyReading[], warnings: ParseWarning[]): ParsedCounty[] {
  const byFips = new Map<string, { county: ParsedCounty; rows: string[] }>();
  for (const reading of readings) {
    const seen = byFips.get(reading.fips);
    if (!seen) {
      byFips.set(reading.fips, {
        county: { county: reading.county, fips: reading.fips, deliverySystems: [...reading.systems] },
        rows: [reading.row],
      });
      continue;
    }
    seen.rows.push(reading.row);
    seen.county.deliverySystems = sortSystems(new Set([...seen.county.deliverySystems, ...reading.systems]));
    warnings.push({
      code: 'duplicate_county',
      message: `${reading.county} is listed more than once (rows ${seen.rows.join(', ')}); its delivery systems were combined.`,
      county: reading.county,
      row: reading.row,
    });
  }
  return [...byFips.values()].map((entry) => entry.county).sort((a, b) => a.county.localeCompare(b.county, 'en'));
}

/** A county runs either the DMC State Plan or DMC-ODS, so a page listing both is contradicting itself. */
function checkBothDmcAndOds(counties: ParsedCounty[], readings: CountyReading[]): ParseWarning[] {
  return counties
    .filter((c) => c.deliverySystems.includes('DMC') && c.deliverySystems.includes('DMC_ODS'))
    .map((c) => {
      const rows = readings.filter((r) => r.fips === c.fips).map((r) => r.row);
      return {
        code: 'both_dmc_and_dmc_ods',
        message: `${c.county} is listed with both DMC State Plan and DMC-ODS (row ${rows.join(', ')}).`,
        county: c.county,
        row: rows.join(', '),
      };
    });
}

/**
 * Row numbers should be 1..N, each once. They are checked as a set, not in page order, so a
 * table whose rows were re-ordered but not re-numbered raises no warning.
 */
function checkRowNumbers(rows: TableRow[]): ParseWarning[] {
  const counts = new Map<number, number>();
  for (const n of rows.flatMap((row) => row.numbers)) counts.set(n, (counts.get(n) ?? 0) + 1);
  const warnings: ParseWarning[] = [];
  let expected = 1;
  for (const n of [...counts.keys()].sort((a, b) => a - b)) {
    if (n < 1) {
      warnings.push({ code: 'row_number_gap', message: `Row number ${n} is not a row number (rows start at 1).`, row: String(n) });
      continue;
    }
    if (n > expected) {
      const range = n - 1 === expected ? `Row number ${expected} is` : `Row numbers ${expected} to ${n - 1} are`;
      warnings.push({ code: 'row_number_gap', message: `${range} missing.`, row: String(expected) });
    }
    const times = counts.get(n) ?? 0;
    if (times > 1) {
      warnings.push({ code: 'row_number_gap', message: `Row number ${n} appears ${times} times.`, row: String(n) });
    }
    expected = Math.max(expected, n + 1);
  }
  return warnings;
}

function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
