// The operator's main path through the CLI on the database the suite runs on: the embedded one, or PostgreSQL
// (DATABASE_URL) in the PostgreSQL pass, so the production path is exercised end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import { createTestDatabase } from '../db/testing.ts';
import {
  CHANGED_PAGE,
  LONG_STORY,
  assertSucceeded,
  listCounties,
  pss,
  systemsOf,
  workspace,
  type Workspace,
} from './cli.testing.ts';

test('an operator migrates, imports a changed page once, and lists participation by date', LONG_STORY, async (t) => {
  let ws: Workspace = workspace(t);
  if (loadConfig().testDriver === 'postgres') {
    const database = await createTestDatabase({ prepare: false });
    t.after(() => database.close());
    ws = { ...ws, env: { DATABASE_URL: database.url ?? '' } }; // DATABASE_URL wins over --data-dir
  }

  const migrate = await pss(ws, 'migrate', '--data-dir', ws.dataDir);
  assertSucceeded(migrate);
  assert.match(migrate.stderr, /Opening (PostgreSQL|the embedded database)/);

  const first = await pss(ws, 'counties', 'import', CHANGED_PAGE, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertSucceeded(first);
  assert.match(first.stdout, /Added \(1\):\n {2}Napa \(06055\): none → SMHS/);
  assert.match(first.stdout, /Removed \(1\):\n {2}Amador \(06005\): SMHS → none/);

  const again = await pss(ws, 'counties', 'import', CHANGED_PAGE, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertSucceeded(again);
  assert.match(again.stdout, /No changes: this page is already recorded for that date/);

  const july = await listCounties(ws, '2025-07-01');
  assert.deepEqual(systemsOf(july, 'Mono'), ['DMC_ODS', 'SMHS']);
  assert.deepEqual(systemsOf(july, 'Amador'), []);
  const february = await listCounties(ws, '2025-02-01');
  assert.equal(february.participatingCount, 51);
  assert.deepEqual(systemsOf(february, 'Amador'), ['SMHS']);
});
