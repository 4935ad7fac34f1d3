// End-to-end stories for the `pss` command: each spawns the real CLI (bin/pss.mjs) against a fresh
// embedded database in a temporary directory, the way an operator would run it.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CountyDetail,
  DryRun} from './cli.testing.ts';
import {
  CHANGED_PAGE,
  LONG_STORY,
  REAL_PAGE,
  STORY,
  assertRefused,
  assertSucceeded,
  describeRun,
  jsonOf,
  listCounties,
  pss,
  snapshot,
  startServer,
  systemsOf,
  workspace,
  writePage,
} from './cli.testing.ts';

// ---------------------------------------------------------------------------------------------
// Stories

test('a dry run of the real DHCS page prints every county as JSON and writes nothing', STORY, async (t) => {
  const ws = workspace(t);

  const run = await pss(ws, 'counties', 'import', REAL_PAGE, '--dry-run', '--json', '--data-dir', ws.dataDir);
  const page = jsonOf<DryRun>(run);

  assert.deepEqual(Object.keys(page), ['counties', 'warnings']);
  assert.equal(page.counties.length, 51);
  for (const c of page.counties) assert.deepEqual(Object.keys(c), ['county', 'fips', 'deliverySystems']);
  const names = page.counties.map((c) => c.county);
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')), 'counties are sorted by name');
  assert.deepEqual(page.counties[0], { county: 'Alameda', fips: '06001', deliverySystems: ['DMC_ODS', 'SMHS'] });
  const byName = new Map(page.counties.map((c) => [c.county, c]));
  assert.deepEqual(byName.get('Sutter'), { county: 'Sutter', fips: '06101', deliverySystems: ['DMC', 'SMHS'] });
  assert.deepEqual(byName.get('Yuba'), { county: 'Yuba', fips: '06115', deliverySystems: ['DMC', 'SMHS'] });
  assert.deepEqual(byName.get('Kern')?.deliverySystems, ['DMC', 'DMC_ODS', 'SMHS']);

  const messages = page.warnings.map((w) => w.message);
  assert.ok(messages.includes('The page states 52 counties but lists 51.'), messages.join('\n'));
  assert.ok(messages.some((m) => /Kern/.test(m) && /DMC State Plan and DMC-ODS/.test(m)), messages.join('\n'));

  assert.deepEqual(fs.readdirSync(ws.root), [], 'a dry run creates no data directory (neither --data-dir, PSS_DATA_DIR nor ./.data)');
});

test('importing a changed page records the differences once and keeps history', LONG_STORY, async (t) => {
  const ws = workspace(t);

  // Migrating loads the February 2025 page as reference data.
  assertSucceeded(await pss(ws, 'migrate', '--data-dir', ws.dataDir));
  const february = await listCounties(ws, '2025-02-01');
  assert.deepEqual(systemsOf(february, 'Amador'), ['SMHS']);

  const first = await pss(ws, 'counties', 'import', CHANGED_PAGE, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertSucceeded(first);
  assert.match(first.stdout, /^Added \(1\):\n {2}Napa \(06055\): none → SMHS$/m, describeRun(first));
  assert.match(first.stdout, /^Removed \(1\):\n {2}Amador \(06005\): SMHS → none$/m, describeRun(first));
  assert.match(first.stdout, /^Changed \(1\):\n {2}Mono \(06051\): SMHS → DMC_ODS, SMHS$/m, describeRun(first));
  const july = await listCounties(ws, '2025-07-01');
  assert.deepEqual(systemsOf(july, 'Napa'), ['SMHS']);
  assert.deepEqual(systemsOf(july, 'Amador'), []);
  assert.deepEqual(systemsOf(july, 'Mono'), ['DMC_ODS', 'SMHS']);

  const again = await pss(ws, 'counties', 'import', CHANGED_PAGE, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertSucceeded(again);
  assert.match(again.stdout, /No changes/);
  assert.doesNotMatch(again.stdout, /Added|Removed|Changed/);
  assert.deepEqual(await listCounties(ws, '2025-07-01'), july, 'the repeated import wrote nothing');

  // History was kept: February still reads as February.
  assert.deepEqual(await listCounties(ws, '2025-02-01'), february);
  assert.deepEqual(systemsOf(february, 'Napa'), []);
  assert.deepEqual(systemsOf(february, 'Mono'), ['SMHS']);

  const amador = jsonOf<CountyDetail>(await pss(ws, 'counties', 'show', '06005', '--data-dir', ws.dataDir));
  assert.equal(amador.name, 'Amador');
  assert.deepEqual(
    amador.history.map(({ deliverySystem, from, to }) => ({ deliverySystem, from, to })),
    [{ deliverySystem: 'SMHS', from: '2025-02-01', to: '2025-07-01' }],
  );
});

test(
  'a correction effective on the reference page\'s own date survives the next command',
  STORY,
  async (t) => {
    const ws = workspace(t);
    assertSucceeded(await pss(ws, 'migrate', '--data-dir', ws.dataDir));

    const correction = await pss(ws, 'counties', 'import', CHANGED_PAGE, '--effective', '2025-02-01', '--data-dir', ws.dataDir);
    assertSucceeded(correction);
    assert.match(correction.stdout, /Napa \(06055\): none → SMHS/);

    const corrected = await listCounties(ws, '2025-02-01');
    assert.deepEqual(systemsOf(corrected, 'Napa'), ['SMHS']);
    assert.deepEqual(systemsOf(corrected, 'Amador'), []);
  },
);

test('applying an import needs a real --effective date', STORY, async (t) => {
  const ws = workspace(t);

  const missing = await pss(ws, 'counties', 'import', REAL_PAGE, '--data-dir', ws.dataDir);
  assertRefused(missing, /--effective/);

  const impossible = await pss(ws, 'counties', 'import', REAL_PAGE, '--effective', '2025-02-30', '--data-dir', ws.dataDir);
  assertRefused(impossible, /--effective must be a date written YYYY-MM-DD, not "2025-02-30"/);

  assert.equal(fs.existsSync(ws.dataDir), false, 'a refused import opens no database');
});

test('pages that cannot be imported are refused and write nothing', STORY, async (t) => {
  const ws = workspace(t);
  const before = await listCounties(ws, '2025-07-01');
  const files = snapshot(ws.dataDir);
  const realText = fs.readFileSync(REAL_PAGE, 'utf8');

  const prose = writePage(ws, 'prose.txt', 'Peer support helps people in recovery.\nThis text has no table at all.\n');
  const notAPage = await pss(ws, 'counties', 'import', prose, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertRefused(notAPage, /^error: No county participation table found/m);

  const gotham = writePage(ws, 'gotham.txt', realText.replace('| Alameda | DMC-ODS & SMHS |', '| Gotham | SMHS Only |'));
  assert.notEqual(fs.readFileSync(gotham, 'utf8'), realText, 'the Gotham fixture differs from the real page');
  const unknownCounty = await pss(ws, 'counties', 'import', gotham, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertRefused(unknownCounty, /Gotham/);

  const absent = path.join(ws.root, 'no-such-page.txt');
  const missingFile = await pss(ws, 'counties', 'import', absent, '--effective', '2025-07-01', '--data-dir', ws.dataDir);
  assertRefused(missingFile, new RegExp(absent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  assert.deepEqual(snapshot(ws.dataDir), files, 'refused imports touch no file of the database');
  assert.deepEqual(await listCounties(ws, '2025-07-01'), before);
});

test('listing participation as CSV, and refusing a date that is not one', STORY, async (t) => {
  const ws = workspace(t);

  const csv = await pss(ws, 'counties', 'list', '--as-of', '2025-02-01', '--csv', '--data-dir', ws.dataDir);
  assertSucceeded(csv);
  const [header, ...rows] = csv.stdout.trimEnd().split('\n');
  assert.equal(header, 'as_of,fips,county,plan,SMHS,DMC,DMC_ODS,delivery_systems');
  assert.equal(rows.length, 58, 'one row per California county');
  assert.ok(rows.every((r) => r.startsWith('2025-02-01,06')));
  assert.ok(rows.includes('2025-02-01,06001,Alameda,Alameda County Behavioral Health,yes,no,yes,DMC_ODS SMHS'), rows.join('\n'));
  assert.equal(rows.filter((r) => !r.endsWith(',')).length, 51, '51 counties take part on 2025-02-01');

  const nonsense = await pss(ws, 'counties', 'list', '--as-of', 'nonsense', '--data-dir', ws.dataDir);
  assertRefused(nonsense, /--as-of must be a date written YYYY-MM-DD, not "nonsense"/);
});

test('a running server holds the lock on its data directory until it stops', STORY, async (t) => {
  const ws = workspace(t);

  const server = await startServer(t, ws, '--port', '0', '--data-dir', ws.dataDir);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(new URL(server.url).port, '0');
  const health = await fetch(new URL('health', server.url));
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });

  const locked = await pss(ws, 'counties', 'list', '--data-dir', ws.dataDir);
  assertRefused(locked, /in use by another process/);

  assert.equal(await server.stop(), 0, `the server shuts down cleanly on SIGTERM:\n${server.stderr()}`);
  assert.equal(fs.existsSync(path.join(ws.dataDir, 'pss.lock')), false, 'the lock is released');
  const unlocked = await pss(ws, 'counties', 'list', '--data-dir', ws.dataDir);
  assertSucceeded(unlocked);
  assert.match(unlocked.stdout, /counties participating as of/);
});

test('help lists the commands, and an unknown command is an error', STORY, async (t) => {
  const ws = workspace(t);

  const help = await pss(ws, '--help');
  assertSucceeded(help);
  for (const command of ['serve', 'migrate', 'seed', 'counties']) assert.match(help.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));

  const unknown = await pss(ws, 'frobnicate');
  assertRefused(unknown, /unknown command 'frobnicate'/);

  const badPort = await pss(ws, 'serve', '--port', 'abc', '--data-dir', ws.dataDir);
  assertRefused(badPort, /Invalid --port: "abc"/);
});

test('seeding demo data into a fresh data directory', STORY, async (t) => {
  const ws = workspace(t);

  const seed = await pss(ws, 'seed', '--demo', '--data-dir', ws.dataDir);
  assertSucceeded(seed);
  assert.match(seed.stderr, /Seed complete\./);
  assert.ok(fs.existsSync(path.join(ws.dataDir, 'pglite')), 'the embedded database was created in --data-dir');
  assert.equal(fs.existsSync(path.join(ws.dataDir, 'pss.lock')), false, 'the lock is released on exit');
});

test('operator mistakes are reported plainly, without a stack trace', STORY, async (t) => {
  const ws = workspace(t);
  const occupier = net.createServer();
  await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
  t.after(() => occupier.close());
  const { port } = occupier.address() as net.AddressInfo;

  const busy = await pss(ws, 'serve', '--port', String(port), '--data-dir', ws.dataDir);
  assertRefused(busy, new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
  assert.doesNotMatch(busy.stderr, /unexpected error|\n\s+at /);

  const unreachable = await pss({ ...ws, env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pss' } }, 'counties', 'list');
  assertRefused(unreachable, /Cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/pss/);
  assert.doesNotMatch(unreachable.stderr, /unexpected error|\n\s+at /);

  const yearZero = await pss(ws, 'counties', 'list', '--as-of', '0000-01-01', '--data-dir', ws.dataDir);
  assertRefused(yearZero, /--as-of must be a date written YYYY-MM-DD/);
});
