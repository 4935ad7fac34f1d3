// A county billing clerk uploads a spreadsheet of the peers on this month's claims: every row gets an answer, bad
// rows say what is wrong with them, and only a file that is not a CSV at all is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { AppError } from '../lib/errors.ts';
import { BULK_RESULT_COLUMNS, BULK_VERIFY_MAX_ROWS, bulkResultsCsv, bulkVerify } from './bulk-verify.ts';

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await certifyPeer(db, { first: 'Rosa', middle: 'María', last: 'Martínez', number: 'PSS-700001', issuedOn: '2025-01-10', expiresOn: '2027-01-10' });
  await certifyPeer(db, { first: 'Ana', last: 'Nguyen', number: 'PSS-700002', issuedOn: '2024-05-01', expiresOn: '2026-05-01', later: { to: 'suspended', effectiveOn: '2025-09-01' } });
  await certifyPeer(db, { first: 'John', last: 'Smith', number: 'PSS-700003', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
  await certifyPeer(db, { first: 'John', last: 'Smith', number: 'PSS-700004', issuedOn: '2025-02-01', expiresOn: '2027-02-01' });
});
after(() => database.close());

const verifyCsv = async (csv: string, asOf = '2025-06-01') => {
  const out = bulkResultsCsv(await bulkVerify(database.db, { csv, asOf }));
  return parse(out, { columns: true }) as Array<Record<string, string>>;
};

describe('bulk verification', () => {
  test('numbers, names and per-row dates; every row answered in order with its as-of date', async () => {
    const rows = await verifyCsv(
      ['Certification Number,Name,As_Of', 'pss-700001,,', 'PSS-700002,,2025-10-01', ',"Martinez, Rosa",2024-12-31', ',rosa maria martinez,', 'PSS-700001,Ana Nguyen,'].join('\n'),
    );
    assert.deepEqual(
      rows.map((r) => [r.row, r.as_of, r.outcome, r.certified, r.status_on_date, r.number]),
      [
        ['2', '2025-06-01', 'verified', 'yes', 'active', 'PSS-700001'],
        ['3', '2025-10-01', 'verified', 'no', 'suspended', 'PSS-700002'],
        ['4', '2024-12-31', 'verified', 'no', 'not_issued', 'PSS-700001'],
        ['5', '2025-06-01', 'verified', 'yes', 'active', 'PSS-700001'],
        ['6', '2025-06-01', 'name_mismatch', 'yes', 'active', 'PSS-700001'],
      ],
    );
    assert.equal(rows[0]?.term_valid_through, '2027-01-09');
    assert.match(rows[4]?.message ?? '', /belongs to Rosa María Martínez/);
  });

  test('malformed rows are reported per row and the rest still verify', async () => {
    const rows = await verifyCsv(['number,name,as_of', 'PSS-70000X,,', ',,', 'PSS-700001,,31/12/2025', 'PSS-999999,,', ',John Smith,', ',Nobody Atall,', 'PSS-700001,,'].join('\n'));
    assert.deepEqual(
      rows.map((r) => r.outcome),
      ['invalid', 'invalid', 'invalid', 'not_found', 'ambiguous', 'not_found', 'verified'],
    );
    assert.match(rows[4]?.message ?? '', /PSS-700003, PSS-700004/);
    assert.match(rows[2]?.message ?? '', /not a date/);
  });

  test('a cell that a spreadsheet would run as a formula comes back inert', async () => {
    const rows = await verifyCsv('number,name\n,"=HYPERLINK(""http://evil.example"")"\n');
    assert.equal(rows[0]?.input_name, `'=HYPERLINK("http://evil.example")`);
  });

  test('the results file has its columns in a fixed order', async () => {
    const out = bulkResultsCsv(await bulkVerify(database.db, { csv: 'number\nPSS-700001\n', asOf: '2025-06-01' }));
    assert.equal(out.split('\n')[0], BULK_RESULT_COLUMNS.join(','));
  });

  test('files that cannot be verified at all are refused with the reason', async () => {
    const refused = async (csv: string, asOf = '2025-06-01') => {
      await assert.rejects(bulkVerify(database.db, { csv, asOf }), (err: unknown) => err instanceof AppError && err.status === 400);
    };
    await refused('');
    await refused('phone,email\n555,a@b.c\n');
    await refused('number\n"PSS-700001\n');
    await refused('number\nPSS-700001\n', '2025-02-30');
    await refused(['number', ...Array.from({ length: BULK_VERIFY_MAX_ROWS + 1 }, () => 'PSS-700001')].join('\n'));
  });

  test(`${BULK_VERIFY_MAX_ROWS.toLocaleString('en-US')} rows are verified in one go`, async () => {
    const rows = await verifyCsv(['number', ...Array.from({ length: BULK_VERIFY_MAX_ROWS }, (_, i) => (i % 2 ? 'PSS-700001' : 'PSS-700002'))].join('\n'));
    assert.equal(rows.length, BULK_VERIFY_MAX_ROWS);
    assert.ok(rows.every((r) => r.outcome === 'verified'));
  });
});
