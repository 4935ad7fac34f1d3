// The certified-peer CSV on its own: what a clean file gives, and each check a row must pass before anything is written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../lib/dates.ts';
import { PEER_IMPORT_COLUMNS, parsePeerFile, statusDateProblem } from './import-peers.parse.ts';
import { IMPORT_DAY, certifiedPeers, peerCsv, type CsvRow } from './import-peers.testing.ts';

const clean = certifiedPeers(100000);

/** The file with row `index` (0-based, data rows) changed. */
function withRow(index: number, change: CsvRow): string {
  return peerCsv(clean.map((row, i) => (i === index ? { ...row, ...change } : row)));
}

describe('a clean file', () => {
  test('gives every row, typed, with the spreadsheet’s quirks undone', () => {
    const parsed = parsePeerFile(peerCsv(clean), IMPORT_DAY);
    assert.deepEqual(parsed.rejections, []);
    assert.equal(parsed.totalRows, 5);
    const [ana, ben, , dana] = parsed.rows;
    assert.deepEqual(ana, {
      row: 2,
      number: 'PSS-100001',
      legalFirstName: 'Ana',
      legalMiddleName: 'María',
      legalLastName: 'López',
      email: 'ana.100000@example.org',
      dateOfBirth: '1985-03-04',
      countyFips: '06037',
      pathway: 'initial',
      firstIssuedOn: '2022-11-20',
      issuedOn: '2026-11-20',
      expiresOn: '2028-11-20',
      status: 'active',
      statusEffectiveOn: null,
      specializations: [
        { code: 'crisis_care', completedOn: '2023-04-01' },
        { code: 'unhoused', completedOn: null },
      ],
    });
    assert.equal(ben?.legalMiddleName, null);
    assert.equal(ben?.email, null);
    assert.equal(ben?.statusEffectiveOn, '2026-09-15');
    assert.equal(dana?.countyFips, '06001', 'a county code that lost its leading zero');
  });

  test('may leave out the optional columns, put the columns in any order, and carry a byte-order mark and blank lines', () => {
    const columns = [...PEER_IMPORT_COLUMNS].filter((c) => !['legal_middle_name', 'email', 'date_of_birth', 'county_fips', 'specializations'].includes(c)).reverse();
    const text = `\ufeff${peerCsv([clean[1] ?? {}], columns)}\n${peerCsv([{ ...clean[4], certification_number: 'pss-100005' }], columns).split('\n').slice(1).join('\n')}`;
    const parsed = parsePeerFile(text, IMPORT_DAY);
    assert.deepEqual(parsed.rejections, []);
    assert.deepEqual(
      parsed.rows.map((r) => [r.row, r.number]),
      [
        [2, 'PSS-100002'],
        [4, 'PSS-100005'],
      ],
      'the blank line is row 3 in a spreadsheet; numbers are upper-cased',
    );
  });
});

describe('each row is checked', () => {
  const cases: Array<[string, number, CsvRow, string, RegExp]> = [
    ['a malformed number', 0, { certification_number: 'PSS-12' }, 'certification_number', /not a certification number/],
    ['a missing last name', 1, { legal_last_name: '' }, 'legal_last_name', /required/],
    ['an email without a domain', 0, { email: 'ana@' }, 'email', /not an email address/],
    ['a date that does not exist', 0, { date_of_birth: '1990-02-30' }, 'date_of_birth', /not a date written YYYY-MM-DD/],
    ['a person under 18 at the first issue', 0, { date_of_birth: '2005-01-01' }, 'date_of_birth', /under 18/],
    ['a county California does not have', 0, { county_fips: '06999' }, 'county_fips', /not the FIPS code of a California county/],
    ['a pathway that is not a first certification', 1, { pathway: 'renewal' }, 'pathway', /not a pathway/],
    ['a first issue after this term’s issue', 0, { first_issued_on: '2026-12-01' }, 'first_issued_on', /after issued_on/],
    ['a term that ends when it starts', 4, { expires_on: '2025-06-01' }, 'expires_on', /must be after issued_on/],
    ['an issue date after the import', 4, { issued_on: '2027-03-02', expires_on: '2029-03-02' }, 'issued_on', /after the import date/],
    ['an unknown status', 0, { status: 'probation' }, 'status', /not a certification status/],
    ['an active certification whose term ran out', 0, { expires_on: IMPORT_DAY }, 'status', /cannot have expired/],
    ['an active certification with a status date', 0, { status_effective_on: '2026-11-20' }, 'status_effective_on', /Leave status_effective_on empty/],
    ['an expired certification without its date', 1, { status_effective_on: '' }, 'status_effective_on', /required for a expired/],
    ['an expiry after the term ended', 1, { status_effective_on: '2026-09-16' }, 'status_effective_on', /at the latest on expires_on/],
    ['a suspension outside the current term', 2, { status_effective_on: '2025-08-31' }, 'status_effective_on', /Only an active certification can be suspended/],
    ['a revocation before the current term', 3, { status_effective_on: '2022-12-31' }, 'status_effective_on', /before the current term began/],
    ['vacating a certification that has not expired', 3, { status: 'vacated', status_effective_on: '2024-06-30' }, 'status_effective_on', /Only an expired certification can be vacated/],
    ['a status that starts after the import', 2, { status_effective_on: '2027-03-02' }, 'status_effective_on', /only a status already in force/],
    ['an unknown specialization', 0, { specializations: 'crisis_care;veterans' }, 'specializations', /"veterans" is not a specialization/],
    ['a specialization with a bad date', 0, { specializations: 'unhoused@2023-13-01' }, 'specializations', /code@YYYY-MM-DD/],
    ['a specialization listed twice', 0, { specializations: 'unhoused;unhoused@2024-01-01' }, 'specializations', /listed twice/],
  ];
  for (const [what, index, change, column, reason] of cases) {
    test(`refuses ${what}, naming the row and column`, () => {
      const parsed = parsePeerFile(withRow(index, change), IMPORT_DAY);
      assert.equal(parsed.rejections.length, 1, JSON.stringify(parsed.rejections));
      const [rejection] = parsed.rejections;
      assert.equal(rejection?.row, index + 2);
      assert.equal(rejection?.column, column);
      assert.match(rejection?.reason ?? '', reason);
      assert.equal(parsed.rows.length, clean.length - 1, 'the refused row is not among the rows to write');
    });
  }

  test('the status dates follow the certification machine', () => {
    assert.equal(statusDateProblem('expired', '2024-12-15', '2022-12-15', '2024-12-15'), null, 'an expiry on the expiry date');
    assert.equal(statusDateProblem('suspended', '2024-12-14', '2022-12-15', '2024-12-15'), null, 'the term’s last day');
    assert.match(statusDateProblem('suspended', '2024-12-15', '2022-12-15', '2024-12-15') ?? '', /suspended/, 'the term is half-open');
    assert.equal(statusDateProblem('vacated', '2024-12-15', '2022-12-15', '2024-12-15'), null);
    assert.equal(statusDateProblem('revoked', '2026-01-01', '2022-12-15', '2024-12-15'), null, 'an expired certification may be revoked');
  });
});

describe('the file as a whole', () => {
  test('a number or an email used twice is refused on the later row, naming the earlier one', () => {
    const text = peerCsv([...clean, { ...clean[4], certification_number: 'pss-100001', email: 'CHEN.100000@example.org' }]);
    const parsed = parsePeerFile(text, IMPORT_DAY);
    assert.deepEqual(
      parsed.rejections.map((r) => [r.row, r.column]),
      [
        [7, 'certification_number'],
        [7, 'email'],
      ],
    );
    assert.match(parsed.rejections[0]?.reason ?? '', /PSS-100001 is also on row 2/);
    assert.match(parsed.rejections[1]?.reason ?? '', /also on row 4/);
  });

  test('a header without a required column, with an unknown or a repeated one, is refused before any row', () => {
    const missing = parsePeerFile(peerCsv(clean, PEER_IMPORT_COLUMNS.filter((c) => c !== 'expires_on')), IMPORT_DAY);
    assert.deepEqual(missing.rejections, [{ row: 1, column: 'expires_on', reason: 'The header has no expires_on column.' }]);
    const unknown = parsePeerFile(peerCsv(clean, [...PEER_IMPORT_COLUMNS, 'specialisations']), IMPORT_DAY);
    assert.deepEqual(unknown.rejections.map((r) => [r.row, r.column]), [[1, 'specialisations']]);
    const twice = parsePeerFile(peerCsv(clean, [...PEER_IMPORT_COLUMNS, 'email']), IMPORT_DAY);
    assert.match(twice.rejections[0]?.reason ?? '', /email appears twice/);
    assert.equal(missing.rows.length + unknown.rows.length + twice.rows.length, 0);
  });

  test('a row with too few fields, a broken quote, and a file with no rows are reported too', () => {
    const short = parsePeerFile(`${peerCsv(clean.slice(0, 1))}PSS-100009,Zoe\n`, IMPORT_DAY);
    assert.deepEqual(short.rejections.map((r) => [r.row, r.column]), [[3, '']]);
    assert.match(short.rejections[0]?.reason ?? '', /2 fields; the header has 14/);
    const broken = parsePeerFile(`${peerCsv(clean.slice(0, 2))}PSS-100009,"Zoe\n`, IMPORT_DAY);
    assert.equal(broken.rejections[0]?.row, 4);
    assert.match(broken.rejections[0]?.reason ?? '', /not readable CSV/);
    const empty = parsePeerFile(peerCsv([]), IMPORT_DAY);
    assert.match(empty.rejections[0]?.reason ?? '', /no rows/);
  });
});

describe('any file of valid rows', () => {
  const name = fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' ,"-]{0,20}[A-Za-zÀ-ÿ]$/);
  const row = fc.record({
    first: name,
    last: name,
    middle: fc.option(name, { nil: undefined }),
    issuedOffset: fc.integer({ min: 0, max: 800 }), // issued by 2025-03-12, before the import day
    status: fc.constantFrom('active', 'expired', 'suspended', 'revoked'),
    specializations: fc.subarray(['parent_caregiver_family', 'crisis_care', 'unhoused', 'justice_involved']),
  });

  /** A row that passes every check: its dates chosen from the status. */
  function validRow(r: { first: string; last: string; middle: string | undefined; issuedOffset: number; status: string; specializations: string[] }, i: number): CsvRow {
    const issuedOn = addDays('2023-01-01', r.issuedOffset);
    const active = r.status === 'active' || r.status === 'suspended';
    const expiresOn = active ? '2028-12-01' : addDays(issuedOn, 30);
    const effective = r.status === 'active' ? '' : r.status === 'suspended' ? IMPORT_DAY : expiresOn;
    return {
      certification_number: `PSS-${300000 + i}`,
      legal_first_name: r.first,
      legal_middle_name: r.middle ?? '',
      legal_last_name: r.last,
      pathway: 'initial',
      first_issued_on: issuedOn,
      issued_on: issuedOn,
      expires_on: expiresOn,
      status: r.status,
      status_effective_on: effective,
      specializations: r.specializations.join(';'),
    };
  }

  test('is read back exactly, and one bad number among them is the only thing refused', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.nat(), (records, pick) => {
        const rows = records.map((r, i) => validRow(r, i));
        const parsed = parsePeerFile(peerCsv(rows), IMPORT_DAY);
        assert.deepEqual(parsed.rejections, []);
        assert.deepEqual(
          parsed.rows.map((p) => [p.legalFirstName, p.legalMiddleName ?? '', p.legalLastName, p.status, p.specializations.map((s) => s.code).join(';')]),
          rows.map((r) => [r.legal_first_name, r.legal_middle_name, r.legal_last_name, r.status, r.specializations]),
        );
        const bad = pick % rows.length;
        const refused = parsePeerFile(peerCsv(rows.map((r, i) => (i === bad ? { ...r, certification_number: 'PSS-1' } : r))), IMPORT_DAY);
        assert.deepEqual(refused.rejections.map((r) => [r.row, r.column]), [[bad + 2, 'certification_number']]);
      }),
      { numRuns: 60 },
    );
  });
});
