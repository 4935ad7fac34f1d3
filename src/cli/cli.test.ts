// End-to-end stories for the `pss` command: each spawns the real CLI (bin/pss.mjs) against a fresh
// embedded database in a temporary directory, the way an operator would run it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PSS = path.join(ROOT, 'bin', 'pss.mjs');
/** The DHCS page as of February 2025: also what `pss migrate` loads as reference data. */
const REAL_PAGE = path.join(ROOT, 'src', 'counties', 'data', 'dhcs-2025-02.txt');
/** The real page with Amador's row removed, Mono changed to DMC-ODS & SMHS, and Napa added as SMHS Only (rows renumbered). */
const CHANGED_PAGE = fileURLToPath(new URL('./fixtures/dhcs-2025-07-changed.txt', import.meta.url));

const STORY = { timeout: 60_000 };
/** The import story spawns the CLI eight times; on a loaded machine that can approach a minute. */
const LONG_STORY = { timeout: 120_000 };
const SPAWN_TIMEOUT_MS = 45_000;

// ---------------------------------------------------------------------------------------------
// Helpers

interface Workspace {
  /** A fresh temporary directory; the CLI runs with it as its working directory. */
  root: string;
  /** Where `--data-dir` points. Not created until the CLI creates it. */
  dataDir: string;
  /** Variables to set for the CLI on top of the operator environment below. */
  env?: Record<string, string>;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface ParticipationList {
  asOf: string;
  participatingCount: number;
  counties: Array<{ fips: string; name: string; deliverySystems: string[] }>;
}

interface CountyDetail {
  fips: string;
  name: string;
  history: Array<{ deliverySystem: string; from: string; to: string | null }>;
}

interface DryRun {
  counties: Array<{ county: string; fips: string; deliverySystems: string[] }>;
  warnings: Array<{ code: string; message: string }>;
}

/** A fresh temp directory for one story, removed when the story ends. */
function workspace(t: TestContext): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-cli-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return { root, dataDir: path.join(root, 'data') };
}

/** The environment of an operator without PostgreSQL: no DATABASE_URL, so the embedded database is used. */
function cliEnv(ws: Workspace): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.NODE_TEST_CONTEXT;
  // Should a command ignore --data-dir, it lands here (inside the workspace), never in the repository.
  env.PSS_DATA_DIR = path.join(ws.root, 'env-data-dir');
  return { ...env, ...ws.env };
}

function spawnPss(ws: Workspace, args: string[]): ChildProcess {
  return spawn(process.execPath, [PSS, ...args], { cwd: ws.root, env: cliEnv(ws), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run `pss ARGS…` to completion. */
function pss(ws: Workspace, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnPss(ws, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function describeRun(run: Run): string {
  return `exit ${run.code ?? run.signal}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

function assertSucceeded(run: Run): void {
  assert.equal(run.code, 0, `expected success, got ${describeRun(run)}`);
}

/** The command failed, and its error message (on stderr) matches. */
function assertRefused(run: Run, message: RegExp): void {
  assert.notEqual(run.code, 0, `expected failure, got ${describeRun(run)}`);
  assert.equal(run.signal, null, `expected an exit, not a signal: ${describeRun(run)}`);
  assert.match(run.stderr, message, describeRun(run));
  assert.doesNotMatch(run.stderr, /unexpected error/, `a user error was reported as a crash: ${describeRun(run)}`);
}

function jsonOf<T>(run: Run): T {
  assertSucceeded(run);
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    assert.fail(`stdout is not JSON: ${describeRun(run)}`);
  }
}

async function listCounties(ws: Workspace, asOf: string): Promise<ParticipationList> {
  return jsonOf<ParticipationList>(await pss(ws, 'counties', 'list', '--as-of', asOf, '--json', '--data-dir', ws.dataDir));
}

function systemsOf(list: ParticipationList, name: string): string[] {
  const county = list.counties.find((c) => c.name === name);
  assert.ok(county, `${name} is missing from the list`);
  return county.deliverySystems;
}

/** Write a page into the workspace and return its path. */
function writePage(ws: Workspace, name: string, text: string): string {
  const file = path.join(ws.root, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Every file under a directory with its size and mtime, to show nothing was written. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file);
    files.set(path.relative(dir, file), `${stat.size}@${stat.mtimeMs}`);
  }
  return files;
}

interface Server {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then wait for the process to exit; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/** Start `pss serve …` and wait until it says it is running; killed when the story ends, whatever happens. */
function startServer(t: TestContext, ws: Workspace, ...args: string[]): Promise<Server> {
  const child = spawnPss(ws, ['serve', ...args]);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stderr = '';
  child.stdout?.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), SPAWN_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const running = /is running at (\S+)/.exec(stderr);
      if (!running?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: running[1],
        child,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it started:\n${stderr}`));
    });
  });
}

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
