// An operator moves the old system's certified peers over with `pss certification import`: a dry run first, then
// the import; a file with problems is refused whole (exit 1) with its report, and the same file never lands twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import { createTestDatabase } from '../db/testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { peerCsv, type CsvRow } from '../certification/import-peers.testing.ts';
import { LONG_STORY, assertRefused, assertSucceeded, describeRun, jsonOf, pss, workspace, writePage, type Workspace } from './cli.testing.ts';

interface ImportJson {
  id?: string;
  status: string;
  totalRows: number;
  imported?: number;
  rejections: Array<{ row: number; column: string; reason: string }>;
}

function rows(base: number, n: number): CsvRow[] {
  const issuedOn = addDays(todayInCalifornia(), -60);
  return Array.from({ length: n }, (_, i) => ({
    certification_number: `PSS-${base + i}`,
    legal_first_name: `Peer${i}`,
    legal_last_name: 'Operator',
    pathway: 'initial',
    first_issued_on: issuedOn,
    issued_on: issuedOn,
    expires_on: addYears(issuedOn, 2),
    status: 'active',
  }));
}

test('an operator checks, imports and re-imports certified peers from a CSV file', LONG_STORY, async (t) => {
  let ws: Workspace = workspace(t);
  if (loadConfig().testDriver === 'postgres') {
    const database = await createTestDatabase({ prepare: false });
    t.after(() => database.close());
    ws = { ...ws, env: { DATABASE_URL: database.url ?? '' } };
  }
  const clean = writePage(ws, 'peers.csv', peerCsv(rows(710000, 3)));
  const broken = rows(720000, 4);
  broken[1] = { ...broken[1], pathway: 'renewal' };
  const withProblem = writePage(ws, 'problem.csv', peerCsv(broken));

  // A dry run of the clean file: every row could be imported, and nothing is written (the real import below works).
  const dry = await pss(ws, 'certification', 'import', clean, '--dry-run', '--data-dir', ws.dataDir);
  assertSucceeded(dry);
  assert.match(dry.stdout, /Rows checked: 3; all can be imported\. Nothing was written \(dry run\)\./);

  // A dry run of the file with a problem: exit 1 and the report, as JSON for a script.
  const dryProblem = await pss(ws, 'certification', 'import', withProblem, '--dry-run', '--json', '--data-dir', ws.dataDir);
  assert.equal(dryProblem.code, 1, describeRun(dryProblem));
  const dryReport = JSON.parse(dryProblem.stdout) as ImportJson;
  assert.equal(dryReport.status, 'rejected');
  assert.deepEqual(dryReport.rejections.map((r) => [r.row, r.column]), [[3, 'pathway']]);

  const imported = jsonOf<ImportJson>(await pss(ws, 'certification', 'import', clean, '--json', '--data-dir', ws.dataDir));
  assert.equal(imported.status, 'imported');
  assert.deepEqual([imported.totalRows, imported.imported, imported.rejections], [3, 3, []]);

  // The same bytes again: refused, with the reason on stderr.
  const again = await pss(ws, 'certification', 'import', clean, '--data-dir', ws.dataDir);
  assertRefused(again, /This file was already imported on \d{4}-\d{2}-\d{2}/);

  // The file with a problem, for real and for a person: exit 1, the report on stdout, no progress bar off a terminal.
  const refused = await pss(ws, 'certification', 'import', withProblem, '--data-dir', ws.dataDir);
  assert.equal(refused.code, 1, describeRun(refused));
  assert.match(refused.stdout, /Problems in problem\.csv: 1; nothing was imported \(import [0-9a-f-]{36}, rejected\):\n {2}row 3, pathway: "renewal" is not a pathway/);
  assert.doesNotMatch(refused.stderr, /Checking|Importing \|/);
});

test('a file that cannot be read is refused before the database is opened', LONG_STORY, async (t) => {
  const ws = workspace(t);
  assertRefused(await pss(ws, 'certification', 'import', 'missing.csv', '--data-dir', ws.dataDir), /Cannot read missing\.csv/);
});
