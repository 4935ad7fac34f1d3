import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { CALIFORNIA_COUNTIES, findCountyByName } from './california-counties.ts';
import { PageFormatError, parseParticipationPage } from './dhcs-page.parse.ts';
import type { ParsedCounty, ParsedPage } from './dhcs-page.parse.ts';
import type { DeliverySystem } from './reference-data.ts';

// The DHCS page as published for February 2025, copied verbatim (rows wrapped as the browser copied them).
const FEBRUARY_2025 = readFileSync(new URL('./data/dhcs-2025-02.txt', import.meta.url), 'utf8');

/** A small page around the given table rows, shaped like the real one. */
function page(rows: string, prose = 'As of March 2025, 1 counties include Medi-Cal Peer Support Services as a benefit.'): string {
  return [
    'Medi-Cal Peer Support Services',
    prose,
    'Counties Participating in Peer Support Services',
    '| County | Delivery System |',
    rows,
    'Archive: Pre-Implementation Materials',
    'Medi-Cal Peer Support Specialist Listening Session #1',
  ].join('\n');
}

function county(parsed: ParsedPage, name: string): ParsedCounty | undefined {
  return parsed.counties.find((c) => c.county === name);
}

function codesOf(parsed: ParsedPage): string[] {
  return parsed.warnings.map((w) => w.code);
}

// --- The real page -------------------------------------------------------------------------------

test('the February 2025 page says 52 counties take part but its table lists 51', () => {
  const parsed = parseParticipationPage(FEBRUARY_2025);
  assert.equal(parsed.statedCount, 52);
  assert.equal(parsed.asOfText, 'February 2025');
  assert.equal(parsed.counties.length, 51);
  assert.deepEqual(parsed.warnings, [
    {
      code: 'both_dmc_and_dmc_ods',
      message: 'Kern is listed with both DMC State Plan and DMC-ODS (row 13).',
      county: 'Kern',
      row: '13',
    },
    { code: 'count_mismatch', message: 'The page states 52 counties but lists 51.' },
  ]);
});

test('each county is read with its FIPS code and exactly the delivery systems its row names', () => {
  const parsed = parseParticipationPage(FEBRUARY_2025);
  assert.deepEqual(county(parsed, 'Alameda'), { county: 'Alameda', fips: '06001', deliverySystems: ['DMC_ODS', 'SMHS'] });
  assert.deepEqual(county(parsed, 'Amador'), { county: 'Amador', fips: '06005', deliverySystems: ['SMHS'] });
  // Kern's row reads "DMC, DMC-ODS & SMHS": kept as written, and warned about above.
  assert.deepEqual(county(parsed, 'Kern'), { county: 'Kern', fips: '06029', deliverySystems: ['DMC', 'DMC_ODS', 'SMHS'] });
  // Santa Cruz's row has a stray space ("DMC- ODS & SMHS"); that is not worth a warning.
  assert.deepEqual(county(parsed, 'Santa Cruz'), { county: 'Santa Cruz', fips: '06087', deliverySystems: ['DMC_ODS', 'SMHS'] });
  // Row 46/47 "Sutter/Yuba" is one behavioral health plan but two counties.
  assert.deepEqual(county(parsed, 'Sutter'), { county: 'Sutter', fips: '06101', deliverySystems: ['DMC', 'SMHS'] });
  assert.deepEqual(county(parsed, 'Yuba'), { county: 'Yuba', fips: '06115', deliverySystems: ['DMC', 'SMHS'] });
});

test('the February 2025 totals: SMHS 51, DMC-ODS 33, DMC State Plan 12 (Kern counted in both DMC columns)', () => {
  const parsed = parseParticipationPage(FEBRUARY_2025);
  const withSystem = (code: DeliverySystem): string[] =>
    parsed.counties.filter((c) => c.deliverySystems.includes(code)).map((c) => c.county);
  assert.equal(withSystem('SMHS').length, 51);
  assert.equal(withSystem('DMC_ODS').length, 33);
  assert.deepEqual(withSystem('DMC'), [
    'Butte', 'Del Norte', 'Inyo', 'Kern', 'Kings', 'Lake', 'Mariposa', 'Merced', 'Sierra', 'Sonoma', 'Sutter', 'Yuba',
  ]);
  const smhsOnly = parsed.counties.filter((c) => c.deliverySystems.join() === 'SMHS').map((c) => c.county);
  assert.deepEqual(smhsOnly, ['Amador', 'Calaveras', 'Colusa', 'Glenn', 'Madera', 'Mono', 'San Francisco']);
});

test('the seven counties missing from the February 2025 table', () => {
  const listed = new Set(parseParticipationPage(FEBRUARY_2025).counties.map((c) => c.county));
  const missing = CALIFORNIA_COUNTIES.map((c) => c.name).filter((name) => !listed.has(name));
  assert.deepEqual(missing, ['Alpine', 'Imperial', 'Napa', 'Plumas', 'San Benito', 'Tuolumne', 'Yolo']);
});

test('counties come out sorted by name, and the page read with Windows line endings gives the same result', () => {
  const parsed = parseParticipationPage(FEBRUARY_2025);
  const names = parsed.counties.map((c) => c.county);
  assert.deepEqual(names, [...names].sort());
  assert.deepEqual(parseParticipationPage(FEBRUARY_2025.replace(/\n/g, '\r\n')), parsed);
});

// --- Spelling and layout variants ------------------------------------------------------------------

test('"SMHS only" in lower case means SMHS', () => {
  const parsed = parseParticipationPage(page('1 | Amador | SMHS only |'));
  assert.deepEqual(parsed.counties, [{ county: 'Amador', fips: '06005', deliverySystems: ['SMHS'] }]);
  assert.deepEqual(parsed.warnings, []);
});

test('"DMC - ODS", "and" as separator and the long name of DMC-ODS are all understood', () => {
  for (const cell of ['DMC - ODS & SMHS', 'DMC-ODS and SMHS', 'dmc-ods, smhs', 'Drug Medi-Cal Organized Delivery System & SMHS']) {
    const parsed = parseParticipationPage(page(`1 | Fresno | ${cell} |`));
    assert.deepEqual(parsed.counties, [{ county: 'Fresno', fips: '06019', deliverySystems: ['DMC_ODS', 'SMHS'] }], cell);
    assert.deepEqual(parsed.warnings, [], cell);
  }
});

test('"DMC State Plan" and a bare "DMC" both mean the DMC State Plan', () => {
  const parsed = parseParticipationPage(
    page('1 | Butte | DMC State Plan & SMHS |\n2 | Inyo | DMC and SMHS |', 'As of May 2025, 2 counties include it.'),
  );
  assert.deepEqual(parsed.counties.map((c) => c.deliverySystems), [['DMC', 'SMHS'], ['DMC', 'SMHS']]);
  assert.deepEqual(parsed.warnings, []);
});

test('blank lines, trailing spaces, "|" on its own line and CRLF do not matter', () => {
  const rows = '\r\n\r\n1   \r\n|  Los Angeles \r\n\r\n| DMC-ODS\r\n& SMHS  \r\n|\r\n\r\n2 | Mono |\r\nSMHS Only\r\n|  \r\n';
  const parsed = parseParticipationPage(page(rows, 'As of June 2025, 2 counties include it.'));
  assert.deepEqual(parsed.counties, [
    { county: 'Los Angeles', fips: '06037', deliverySystems: ['DMC_ODS', 'SMHS'] },
    { county: 'Mono', fips: '06051', deliverySystems: ['SMHS'] },
  ]);
  assert.deepEqual(parsed.warnings, []);
});

test('a row whose closing "|" is missing still ends at the next row number, or at the end of the table', () => {
  const parsed = parseParticipationPage(page('1 | Alameda | SMHS\n2 | Amador | SMHS Only', 'As of 2025, 2 counties.'));
  assert.deepEqual(parsed.counties, [
    { county: 'Alameda', fips: '06001', deliverySystems: ['SMHS'] },
    { county: 'Amador', fips: '06005', deliverySystems: ['SMHS'] },
  ]);
  assert.deepEqual(parsed.warnings, []);
});

test('a county written as "Alameda County" or in capitals is still found', () => {
  const parsed = parseParticipationPage(page('1 | Alameda County | SMHS |\n2 | SAN  DIEGO | SMHS |', 'As of 2025, 2 counties.'));
  assert.deepEqual(parsed.counties.map((c) => c.fips), ['06001', '06073']);
});

test('without the sentence stating a count, there is no stated count, and the warning says the list cannot be checked', () => {
  const parsed = parseParticipationPage(page('1 | Alameda | SMHS |', 'Counties can opt in.'));
  assert.equal(parsed.statedCount, null);
  assert.equal(parsed.asOfText, null);
  assert.deepEqual(codesOf(parsed), ['count_mismatch']);
  assert.match(parsed.warnings[0]?.message ?? '', /does not state how many counties/);
});

test('the stated count is read from other wordings of the sentence', () => {
  for (const prose of [
    'As of February 1, 2025, 52 counties include Medi-Cal Peer Support Services.',
    'As of Feb. 2025, 52 counties offer the benefit.',
    'As of February 2025 52 California counties include the benefit.',
  ]) {
    assert.equal(parseParticipationPage(page('1 | Alameda | SMHS |', prose)).statedCount, 52, prose);
  }
});

test('a joint row may join its counties with "/", "&", "and" or a hyphen', () => {
  for (const joint of ['Sutter/Yuba', 'Sutter & Yuba', 'Sutter and Yuba', 'Sutter-Yuba']) {
    const parsed = parseParticipationPage(page(`1/2 | ${joint} | SMHS Only |`, 'As of May 2025, 2 counties take part.'));
    assert.deepEqual(parsed.counties.map((c) => c.county), ['Sutter', 'Yuba'], joint);
    assert.deepEqual(parsed.warnings, [], joint);
  }
});

test('a row with an empty county cell is reported, not mistaken for a county named after its delivery systems', () => {
  const parsed = parseParticipationPage(page('1 | | SMHS Only |\n2 | Amador | SMHS Only |', 'As of May 2025, 1 counties take part.'));
  assert.deepEqual(parsed.counties.map((c) => c.county), ['Amador']);
  assert.deepEqual(codesOf(parsed), ['unrecognized_text']);
  assert.match(parsed.warnings[0]?.message ?? '', /Row 1 has no county/);
});

test('a row whose closing "|" is missing, with the next row on the same line, still splits at the row number', () => {
  const parsed = parseParticipationPage(page('1 | Alameda | SMHS Only 2 | Amador | DMC-ODS & SMHS |', 'As of May 2025, 2 counties take part.'));
  assert.deepEqual(
    parsed.counties.map((c) => [c.county, c.deliverySystems]),
    [
      ['Alameda', ['SMHS']],
      ['Amador', ['DMC_ODS', 'SMHS']],
    ],
  );
  assert.deepEqual(parsed.warnings, []);
});

test('row number 0 is reported', () => {
  const parsed = parseParticipationPage(page('0 | Alameda | SMHS |\n1 | Amador | SMHS |', 'As of May 2025, 2 counties take part.'));
  assert.deepEqual(codesOf(parsed), ['row_number_gap']);
  assert.match(parsed.warnings[0]?.message ?? '', /Row number 0/);
});

// --- Discrepancies become warnings ---------------------------------------------------------------

test('an unknown part of a delivery-system cell is quoted in a warning; the rest of the row still counts', () => {
  const parsed = parseParticipationPage(page('1 | Kern | DMC-ODS & Telehealth |'));
  assert.deepEqual(parsed.counties, [{ county: 'Kern', fips: '06029', deliverySystems: ['DMC_ODS'] }]);
  assert.deepEqual(codesOf(parsed), ['unrecognized_text']);
  assert.match(parsed.warnings[0]?.message ?? '', /"Telehealth"/);
  assert.equal(parsed.warnings[0]?.row, '1');
});

test('a county with no recognizable delivery system is left out, and the warning says so', () => {
  const parsed = parseParticipationPage(page('1 | Kern | Pending |\n2 | Inyo | SMHS |', 'As of 2025, 1 counties.'));
  assert.deepEqual(parsed.counties.map((c) => c.county), ['Inyo']);
  assert.deepEqual(codesOf(parsed), ['unrecognized_text', 'unrecognized_text']);
  assert.equal(parsed.warnings[1]?.county, 'Kern');
  assert.match(parsed.warnings[1]?.message ?? '', /Kern is left out.*"Pending"/);
});

test('text in the table that is not part of a row, and extra cells, are quoted in warnings', () => {
  const parsed = parseParticipationPage(page('| Note: updated monthly |\n1 | Glenn | SMHS | see BHIN 22-026 |'));
  assert.deepEqual(parsed.counties.map((c) => c.county), ['Glenn']);
  assert.deepEqual(codesOf(parsed), ['unrecognized_text', 'unrecognized_text']);
  assert.match(parsed.warnings[0]?.message ?? '', /"Note: updated monthly"/);
  assert.match(parsed.warnings[1]?.message ?? '', /"see BHIN 22-026"/);
});

test('row numbers that skip or repeat are reported', () => {
  const parsed = parseParticipationPage(
    page('1 | Alameda | SMHS |\n2 | Amador | SMHS |\n2 | Butte | SMHS |\n5 | Colusa | SMHS |', 'As of 2025, 4 counties.'),
  );
  assert.equal(parsed.counties.length, 4);
  assert.deepEqual(parsed.warnings.map((w) => w.message), ['Row number 2 appears 2 times.', 'Row numbers 3 to 4 are missing.']);
  assert.deepEqual(codesOf(parsed), ['row_number_gap', 'row_number_gap']);
});

test('a joint row whose numbers do not match its counties is reported', () => {
  const parsed = parseParticipationPage(page('1 | Sutter/Yuba | SMHS |', 'As of 2025, 2 counties.'));
  assert.deepEqual(parsed.counties.map((c) => c.county), ['Sutter', 'Yuba']);
  assert.deepEqual(codesOf(parsed), ['row_number_gap']);
  assert.match(parsed.warnings[0]?.message ?? '', /Row 1 lists 2 counties \(Sutter\/Yuba\) but 1 row number/);
});

test('a county listed twice is reported once, counted once, and keeps the systems of both rows', () => {
  const parsed = parseParticipationPage(page('1 | Lake | SMHS |\n2 | Lake | DMC State Plan |'));
  assert.deepEqual(parsed.counties, [{ county: 'Lake', fips: '06033', deliverySystems: ['DMC', 'SMHS'] }]);
  assert.deepEqual(codesOf(parsed), ['duplicate_county']);
  assert.equal(parsed.warnings[0]?.county, 'Lake');
  assert.match(parsed.warnings[0]?.message ?? '', /Lake is listed more than once \(rows 1, 2\)/);
});

// --- Refusals ------------------------------------------------------------------------------------

function assertRefused(text: string, message: RegExp): void {
  assert.throws(
    () => parseParticipationPage(text),
    (error: unknown) => error instanceof PageFormatError && error.name === 'PageFormatError' && message.test(error.message),
  );
}

test('empty text is refused', () => {
  assertRefused('', /^No county participation table found/);
  assertRefused(' \r\n\n ', /^No county participation table found/);
});

test('a page without the participation table is refused', () => {
  assertRefused('Medi-Cal Peer Support Services\nAs of February 2025, 52 counties include it.', /^No county participation table found.*heading/);
  assertRefused('Counties Participating in Peer Support Services\nSee the attached PDF.', /^No county participation table found.*header row/);
  assertRefused(page(''), /^No county participation table found.*no rows/);
});

test('a row naming a county that is not in California is refused, naming it and its row', () => {
  const rows = Array.from({ length: 11 }, (_, i) => `${i + 1} | ${CALIFORNIA_COUNTIES[i]?.name} | SMHS |`);
  assertRefused(page([...rows, '12 | Gotham | SMHS |'].join('\n')), /^Unknown county "Gotham" in row 12$/);
});

// --- Reference data ------------------------------------------------------------------------------

test('the 58 California counties are alphabetical with FIPS codes 06001, 06003, ... 06115', () => {
  assert.equal(CALIFORNIA_COUNTIES.length, 58);
  const names = CALIFORNIA_COUNTIES.map((c) => c.name);
  assert.deepEqual(names, [...names].sort());
  CALIFORNIA_COUNTIES.forEach((c, i) => assert.equal(c.fips, `06${String(2 * i + 1).padStart(3, '0')}`, c.name));
  assert.equal(findCountyByName('  san   LUIS obispo County ')?.fips, '06079');
  assert.equal(findCountyByName('Alamedá')?.fips, '06001');
  assert.equal(findCountyByName('Gotham'), undefined);
});

// --- Properties ----------------------------------------------------------------------------------

const CODES: DeliverySystem[] = ['DMC', 'DMC_ODS', 'SMHS'];
const SPELLINGS: Record<DeliverySystem, string[]> = {
  DMC: ['DMC State Plan', 'DMC', 'dmc state plan', 'Drug Medi-Cal'],
  DMC_ODS: ['DMC-ODS', 'DMC- ODS', 'DMC - ODS', 'dmc-ods', 'Drug Medi-Cal Organized Delivery System'],
  SMHS: ['SMHS', 'smhs'],
};

/** A delivery-system cell as a person might type it: any order, any separator, "Only" when alone. */
const systemsCell = (codes: DeliverySystem[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.shuffledSubarray(codes, { minLength: codes.length, maxLength: codes.length }),
      fc.array(fc.constantFrom(' & ', ', ', ' and ', ' ,'), { minLength: 2, maxLength: 2 }),
      fc.constantFrom('', ' Only', ' only'),
      fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    )
    .map(([ordered, separators, only, picks]) => {
      const parts = ordered.map((code, i) => {
        const spellings = SPELLINGS[code];
        return spellings[(picks[i] ?? 0) % spellings.length] ?? code;
      });
      return parts.length === 1 ? `${parts[0]}${only}` : parts.reduce((cell, part, i) => `${cell}${separators[i - 1] ?? ' & '}${part}`);
    });

interface GeneratedRow {
  counties: string[];
  codes: DeliverySystem[];
  cell: string;
}

/** Some California counties, grouped into rows (now and then two to a joint row), each row with its systems. */
const generatedRows: fc.Arbitrary<GeneratedRow[]> = fc
  .shuffledSubarray([...CALIFORNIA_COUNTIES], { minLength: 1 })
  .chain((counties) =>
    fc.array(
      fc.subarray(CODES, { minLength: 1 }).chain((codes) => systemsCell(codes).map((cell) => ({ codes, cell }))),
      { minLength: counties.length, maxLength: counties.length },
    ).chain((cells) =>
      fc.array(fc.nat({ max: 7 }), { minLength: counties.length, maxLength: counties.length }).map((joins) => {
        const rows: GeneratedRow[] = [];
        counties.forEach((c, i) => {
          const previous = rows[rows.length - 1];
          if (joins[i] === 0 && previous && previous.counties.length === 1) previous.counties.push(c.name);
          else rows.push({ counties: [c.name], ...(cells[i] ?? { codes: ['SMHS'], cell: 'SMHS' }) });
        });
        return rows;
      }),
    ),
  );

/** Numbers rows 1..N in generation order (a joint row takes "n/n+1"), then puts them on the page shuffled. */
const numberedTable = generatedRows.chain((rows) => {
  let next = 1;
  const lines = rows.map((row) => {
    const numbers = row.counties.map(() => next++);
    const slash = (numbers[0] ?? 0) % 3 === 0 ? ' / ' : '/'; // some joint rows are written "Sutter / Yuba"
    return `${numbers.join('/')} | ${row.counties.join(slash)} | ${row.cell} |`;
  });
  return fc
    .shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length })
    .map((shuffled) => ({ rows, lines: shuffled }));
});

const WRAPS = [' ', '\n', '\n\n', ' \n', '   \n\n  ', '\r\n', '\r\n\r\n ', '\t'];

/** Re-wraps text at word and `|` boundaries, as a browser copy or a careless editor might. */
function rewrap(text: string, choices: number[]): string {
  const atoms = text.split(/(\|)|\s+/).filter((atom): atom is string => atom !== undefined && atom !== '');
  return atoms.reduce((out, atom, i) => {
    const previous = atoms[i - 1] ?? '';
    const choice = choices[i % choices.length] ?? 0;
    // Words need whitespace between them; next to a pipe, nothing at all is also fine.
    const glue = atom === '|' || previous === '|' ? ['', ...WRAPS] : WRAPS;
    return `${out}${glue[choice % glue.length] ?? ' '}${atom}`;
  });
}

const wrapChoices = fc.array(fc.nat({ max: 100 }), { minLength: 1, maxLength: 400 });

function renderPage(table: string, statedCount: number): string {
  return [
    'Medi-Cal Peer Support Services',
    `As of July 2025, ${statedCount} counties include Medi-Cal Peer Support Services as a benefit.`,
    table,
    'Archive: Pre-Implementation Materials',
  ].join('\n');
}

function tableText(lines: string[]): string {
  return ['Counties Participating in Peer Support Services', '| County | Delivery System |', ...lines].join('\n');
}

function expectedCounties(rows: GeneratedRow[]): ParsedCounty[] {
  return rows
    .flatMap((row) =>
      row.counties.map((name) => ({
        county: name,
        fips: findCountyByName(name)?.fips ?? '',
        deliverySystems: CODES.filter((code) => row.codes.includes(code)),
      })),
    )
    .sort((a, b) => a.county.localeCompare(b.county, 'en'));
}

test('property: any table of counties, however numbered, wrapped and ordered, reads back exactly', () => {
  fc.assert(
    fc.property(numberedTable, wrapChoices, ({ rows, lines }, choices) => {
      const expected = expectedCounties(rows);
      const parsed = parseParticipationPage(renderPage(rewrap(tableText(lines), choices), expected.length));
      assert.deepEqual(parsed.counties, expected);
      // The only thing worth a warning here is a county given both DMC and DMC-ODS.
      const bothDmc = expected.filter((c) => c.deliverySystems.includes('DMC') && c.deliverySystems.includes('DMC_ODS'));
      assert.deepEqual(codesOf(parsed), bothDmc.map(() => 'both_dmc_and_dmc_ods'));
      assert.deepEqual(parsed.warnings.map((w) => w.county), bothDmc.map((c) => c.county));
      assert.equal(parsed.statedCount, expected.length);
    }),
    { numRuns: 200 },
  );
});

test('property: re-wrapping the real February 2025 table never changes what is read', () => {
  const start = FEBRUARY_2025.indexOf('Counties Participating in Peer Support Services');
  const end = FEBRUARY_2025.lastIndexOf('|') + 1;
  const before = FEBRUARY_2025.slice(0, start);
  const table = FEBRUARY_2025.slice(start, end);
  const after = FEBRUARY_2025.slice(end);
  const original = parseParticipationPage(FEBRUARY_2025);
  fc.assert(
    fc.property(wrapChoices, (choices) => {
      assert.deepEqual(parseParticipationPage(before + rewrap(table, choices) + after), original);
    }),
    { numRuns: 200 },
  );
});

test('property: the count warning appears exactly when the stated count differs from the counties listed', () => {
  fc.assert(
    fc.property(numberedTable, fc.option(fc.nat({ max: 70 }), { nil: undefined }), ({ rows, lines }, stated) => {
      const listed = expectedCounties(rows).length;
      const statedCount = stated ?? listed;
      const parsed = parseParticipationPage(renderPage(tableText(lines), statedCount));
      const countWarnings = parsed.warnings.filter((w) => w.code === 'count_mismatch');
      if (statedCount === listed) {
        assert.deepEqual(countWarnings, []);
      } else {
        assert.deepEqual(countWarnings.map((w) => w.message), [`The page states ${statedCount} counties but lists ${listed}.`]);
      }
    }),
    { numRuns: 200 },
  );
});
