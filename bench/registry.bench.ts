// The public registry at program scale: 100,000 certified peers on PostgreSQL, measured over HTTP on loopback with
// autocannon (the app in its own process, logger off, rate limit raised) beside baselines from the same run: the
// use case called without HTTP, and the same SQL sent straight through a pg.Pool at the same concurrency.
// Usage: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:registry
//          [-- --peers 100000 --duration 10 --connections 10 --explain --pglite]
// Not a timed test: it reports figures and whether the issue's targets were met; it fails only if something broke.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import autocannon from 'autocannon';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import type { Database, Db } from '../src/db/client.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import * as schema from '../src/db/schema.ts';
import { createTestDatabase } from '../src/db/testing.ts';
import { addDays, daysBetween, todayInCalifornia } from '../src/lib/dates.ts';
import { foldSearchName } from '../src/lib/search-name.ts';
import { bulkResultsCsv, bulkVerify } from '../src/registry/bulk-verify.ts';
import { registryEntry } from '../src/registry/registry.service.ts';
import { searchRegistry } from '../src/registry/search-registry.ts';
import { numbersForNames, verifyNumbersOn } from '../src/registry/verification.ts';
import { loadRegistry, misspell, prng, type SyntheticPeer } from './registry-data.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const PEERS = arg('peers', 100_000);
const SECONDS = arg('duration', 10);
const CONNECTIONS = arg('connections', 10);
const BULK_ROWS = 10_000;
const BULK_RUNS = 5;
const EXPLAIN = process.argv.includes('--explain');
const PGLITE = process.argv.includes('--pglite');

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  count: number;
  failures: number;
}

function figures(latencies: number[], seconds: number, failures: number): Figures {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), count: latencies.length, failures };
}

/** `concurrency` callers, each awaiting `op` in a loop for `seconds`: the same closed loop autocannon runs. */
async function closedLoop(seconds: number, op: () => Promise<unknown>, connections = CONNECTIONS): Promise<Figures> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await op();
          latencies.push(performance.now() - t0);
        } catch (err) {
          if (failures++ === 0) console.error(err);
        }
      }
    }),
  );
  return figures(latencies, (performance.now() - started) / 1000, failures);
}

/** autocannon against the app, a new path per request; latencies taken from its response events (µs precision). */
async function overHttp(base: string, seconds: number, nextPath: () => string, connections = CONNECTIONS): Promise<Figures> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const instance = autocannon({ url: base, connections, duration: seconds, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }] }, () => undefined);
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode === 200) latencies.push(ms);
    else failures++;
  });
  const [result] = (await once(instance, 'done')) as [autocannon.Result];
  if (result.errors > 0 || result.timeouts > 0) failures += result.errors + result.timeouts;
  return figures(latencies, (performance.now() - started) / 1000, failures);
}

interface Statement {
  text: string;
  params: unknown[];
}

/** A Db over its own pool whose every statement is captured: "the same SQL" for the raw baselines. */
function capturingDb(url: string): { db: Db; statements: Statement[]; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  const statements: Statement[] = [];
  const db = drizzlePg(pool, { schema, logger: { logQuery: (text, params) => void statements.push({ text, params }) } }) as unknown as Db;
  return { db, statements, close: () => pool.end() };
}

/** A captured statement's parameters with the sample's values replaced (every occurrence) by another request's. */
const substitute = (params: unknown[], replace: Map<unknown, unknown>) => params.map((p) => (replace.has(p) ? replace.get(p) : p));

async function startServer(url: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const child = fork(new URL('./registry-server.ts', import.meta.url), [url], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => Promise.reject(new Error('the app did not start')))])) as [{ port: number }];
  return {
    base: `http://127.0.0.1:${message.port}`,
    async stop() {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

interface Line {
  scenario: string;
  side: string;
  f: Figures;
  ratioTo?: Figures;
}

function printTable(lines: Line[]): void {
  const head = ['scenario', 'measured', 'req/s', 'p50 ms', 'p99 ms', 'HTTP/this'];
  const rows = lines.map((l) => [l.scenario, l.side, l.f.rps.toFixed(0), ms(l.f.p50), ms(l.f.p99), l.ratioTo ? pct(l.ratioTo.rps / l.f.rps) : '']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(['', fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n'));
}

/** A 10,000-row bulk file: numbers (some with the name, a few of those wrong), names alone, and a few bad rows. */
function bulkCsv(rand: () => number, peers: SyntheticPeer[], today: string): string {
  const lines = ['number,name,as_of'];
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const fullName = (p: SyntheticPeer) => [p.first, p.middle, p.last].filter(Boolean).join(' ');
  for (let i = 0; i < BULK_ROWS; i++) {
    const p = peers[Math.floor(rand() * peers.length)]!;
    const asOf = addDays('2023-01-01', Math.floor(rand() * daysBetween('2023-01-01', today)));
    const r = rand();
    if (r < 0.015) lines.push(`PSS-12,${quote(fullName(p))},${asOf}`);
    else if (r < 0.025) lines.push(`${p.number},,2025-13-0${1 + (i % 9)}`);
    else if (r < 0.03) lines.push(',,');
    else if (r < 0.7) lines.push(`${p.number},,${asOf}`);
    else if (r < 0.85) lines.push(`${p.number.toLowerCase()},${quote(rand() < 0.1 ? `${p.first} Smithson` : `${p.first} ${p.last}`)},${asOf}`);
    else lines.push(`,${quote(rand() < 0.5 ? fullName(p) : `${p.last}, ${p.first}`)},${rand() < 0.5 ? asOf : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** EXPLAIN ANALYZE of a statement, after `settings` (as the app sets them for it) on the same connection. */
async function explain(pool: pg.Pool, label: string, s: Statement, settings: string[] = []): Promise<void> {
  const client = await pool.connect();
  let rows: Array<{ 'QUERY PLAN': string }>;
  try {
    await client.query('begin');
    for (const setting of settings) await client.query(setting);
    ({ rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.text}`, s.params));
    await client.query('commit');
  } finally {
    client.release();
  }
  console.log(`\nEXPLAIN ANALYZE — ${label}\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds;
}

async function benchPostgres(): Promise<void> {
  process.env.PSS_TEST_DRIVER = 'postgres';
  const database = await createTestDatabase();
  delete process.env.PSS_TEST_DRIVER;
  const url = database.url!;
  const rawPool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
  // Dropping the database at the end ends every session on it; an idle client's error then is expected.
  rawPool.on('error', () => undefined);
  const capture = capturingDb(url);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const today = todayInCalifornia();
    const loader = new pg.Client({ connectionString: url });
    await loader.connect();
    const loaded = await loadRegistry(loader, PEERS, today);
    await loader.end();
    const { peers, counts } = loaded;
    const statusCounts = peers.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.status]: (acc[p.status] ?? 0) + 1 }), {});
    console.log(
      `PostgreSQL: loaded ${counts.peers.toLocaleString('en-US')} peers, ${counts.cycles.toLocaleString('en-US')} cycles, ${counts.statusChanges.toLocaleString('en-US')} status changes, ` +
        `${counts.specializations.toLocaleString('en-US')} specializations in ${loaded.seconds.toFixed(1)} s; today ${today}: ` +
        Object.entries(statusCounts)
          .map(([s, n]) => `${s} ${pct(n / peers.length)}`)
          .join(', '),
    );
    server = await startServer(url);
    const { base } = server;
    const rand = prng(42);
    const anyPeer = () => peers[Math.floor(rand() * peers.length)]!;
    const names = Array.from({ length: 5000 }, () => misspell(rand, anyPeer()));
    const anyDate = () => addDays('2022-06-01', Math.floor(rand() * daysBetween('2022-06-01', today)));
    const sample = peers[123]!;
    const lines: Line[] = [];

    // Sanity: the app answers what the use case answers.
    const sampleBody = (await (await fetch(`${base}/api/v1/registry/peers/${sample.number}`)).json()) as { fullName?: string };
    const direct = { ...(await registryEntry(database.db, sample.number, { today })), asOf: undefined }; // the route leaves asOf out
    if (JSON.stringify(sampleBody) !== JSON.stringify(direct)) throw new Error(`GET peers/${sample.number} differs from registryEntry: ${JSON.stringify(sampleBody)}`);

    // (a) One certification by number.
    await registryEntry(capture.db, sample.number, { today });
    const entryStatements = capture.statements.splice(0);
    const forPeer = (p: SyntheticPeer) =>
      new Map<unknown, unknown>([
        [sample.number, p.number],
        [sample.certificationId, p.certificationId],
        [sample.peerId, p.peerId],
      ]);
    console.log(`\n(a) registryEntry sends ${entryStatements.length} statements one after another:\n${entryStatements.map((s) => `    ${s.text.replace(/\s+/g, ' ').slice(0, 150)}`).join('\n')}`);
    await overHttp(base, 2, () => `/api/v1/registry/peers/${anyPeer().number}`);
    const aHttp = await overHttp(base, SECONDS, () => `/api/v1/registry/peers/${anyPeer().number}`);
    const aUseCase = await closedLoop(SECONDS, () => registryEntry(database.db, anyPeer().number));
    // The app prepares its statement (PostgreSQL plans it once per connection); the baseline does the same, and
    // the same text sent unprepared shows what planning costs.
    const aRawAll = await closedLoop(SECONDS, async () => {
      const replace = forPeer(anyPeer());
      for (const [i, s] of entryStatements.entries()) await rawPool.query({ name: `raw_entry_${i}`, text: s.text, values: substitute(s.params, replace) });
    });
    const aRawUnprepared = await closedLoop(SECONDS, async () => {
      const replace = forPeer(anyPeer());
      for (const s of entryStatements) await rawPool.query(s.text, substitute(s.params, replace));
    });
    const MAIN_LOOKUP = `select c.id, c.number, c.first_issued_on, c.issued_on, c.expires_on, p.id as peer_id, p.legal_first_name, p.legal_middle_name, p.legal_last_name
                         from certifications c join peers p on p.id = c.peer_id where c.number = $1`;
    const aRawMain = await closedLoop(SECONDS, () => rawPool.query(MAIN_LOOKUP, [anyPeer().number]));
    lines.push(
      { scenario: '(a) GET /peers/:number', side: 'HTTP (autocannon)', f: aHttp },
      { scenario: '', side: 'registryEntry() without HTTP', f: aUseCase, ratioTo: aHttp },
      { scenario: '', side: `raw pg: its ${entryStatements.length} statement, prepared`, f: aRawAll, ratioTo: aHttp },
      { scenario: '', side: '… the same, unprepared (planned each time)', f: aRawUnprepared, ratioTo: aHttp },
      { scenario: '', side: 'raw pg: 1 statement (cert ⋈ peer)', f: aRawMain, ratioTo: aHttp },
    );

    // (b) Name search, misspelled.
    const sampleName = names[0]!;
    await searchRegistry(capture.db, { name: sampleName }, today);
    // A name search is a transaction (begin; set local enable_seqscan = off; the search; commit): the raw
    // baseline sends the same statements on one connection, and "the search statement" alone beside it.
    const searchStatements = capture.statements.splice(0);
    const searchMain = searchStatements.find((s) => s.text.trimStart().startsWith('with page'))!;
    const searchFor = (name: string) => new Map<unknown, unknown>([[foldSearchName(sampleName), foldSearchName(name)]]);
    const rawSearch = async (name: string) => {
      const client = await rawPool.connect();
      try {
        for (const s of searchStatements) await client.query(s.text, substitute(s.params, searchFor(name)));
      } finally {
        client.release();
      }
    };
    console.log(`\n(b) searchRegistry sends ${searchStatements.length} statements:\n${searchStatements.map((s) => `    ${s.text.replace(/\s+/g, ' ').slice(0, 150)}`).join('\n')}`);
    let nameAt = 0;
    const nextName = () => names[nameAt++ % names.length]!;
    await overHttp(base, 2, () => `/api/v1/registry/peers?name=${encodeURIComponent(nextName())}`);
    const bHttp = await overHttp(base, SECONDS, () => `/api/v1/registry/peers?name=${encodeURIComponent(nextName())}`);
    const bUseCase = await closedLoop(SECONDS, () => searchRegistry(database.db, { name: nextName() }, today));
    const bRaw = await closedLoop(SECONDS, () => rawSearch(nextName()));
    const bRawMain = await closedLoop(SECONDS, () => rawPool.query(searchMain.text, substitute(searchMain.params, searchFor(nextName()))));
    // The same at one connection: the latency one searcher sees, without nine others queued on two cores.
    const bHttp1 = await overHttp(base, SECONDS, () => `/api/v1/registry/peers?name=${encodeURIComponent(nextName())}`, 1);
    const bRaw1 = await closedLoop(SECONDS, () => rawSearch(nextName()), 1);
    lines.push(
      { scenario: '(b) GET /peers?name=…', side: 'HTTP (autocannon)', f: bHttp },
      { scenario: '', side: 'searchRegistry() without HTTP', f: bUseCase, ratioTo: bHttp },
      { scenario: '', side: `raw pg: its ${searchStatements.length} statements`, f: bRaw, ratioTo: bHttp },
      { scenario: '', side: 'raw pg: the search statement alone', f: bRawMain, ratioTo: bHttp },
      { scenario: '    … 1 connection', side: 'HTTP (autocannon)', f: bHttp1 },
      { scenario: '', side: `raw pg: its ${searchStatements.length} statements`, f: bRaw1, ratioTo: bHttp1 },
    );

    // (c) Verification on a date (the app also signs an Ed25519 receipt).
    await verifyNumbersOn(capture.db, [{ number: sample.number, asOf: today }]);
    const verifyStatement = capture.statements.splice(0)[0]!;
    const verifyParams = (number: string, asOf: string) => [JSON.stringify([{ idx: 0, number, as_of: asOf }])];
    await overHttp(base, 2, () => `/api/v1/registry/verify?number=${anyPeer().number}&asOf=${anyDate()}`);
    const cHttp = await overHttp(base, SECONDS, () => `/api/v1/registry/verify?number=${anyPeer().number}&asOf=${anyDate()}`);
    const cUseCase = await closedLoop(SECONDS, () => verifyNumbersOn(database.db, [{ number: anyPeer().number, asOf: anyDate() }]));
    const cRaw = await closedLoop(SECONDS, () => rawPool.query(verifyStatement.text, verifyParams(anyPeer().number, anyDate())));
    lines.push(
      { scenario: '(c) GET /verify?number&asOf', side: 'HTTP (autocannon, signed receipt)', f: cHttp },
      { scenario: '', side: 'verifyNumbersOn() without HTTP', f: cUseCase, ratioTo: cHttp },
      { scenario: '', side: 'raw pg: its 1 statement', f: cRaw, ratioTo: cHttp },
    );

    // (d) Bulk verification of 10,000 rows.
    const csv = bulkCsv(prng(7), peers, today);
    const bulkHttp = await timeRuns(BULK_RUNS, async () => {
      const res = await fetch(`${base}/api/v1/registry/verify/bulk?asOf=${today}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      const text = await res.text();
      if (res.status !== 200 || text.trim().split('\n').length !== BULK_ROWS + 1) throw new Error(`bulk verify answered ${res.status}: ${text.slice(0, 300)}`);
    });
    let outcomes: Record<string, number> = {};
    const bulkUseCase = await timeRuns(BULK_RUNS, async () => {
      const results = await bulkVerify(database.db, { csv, asOf: today });
      bulkResultsCsv(results);
      outcomes = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
    });
    // Its two statements on their own: names to numbers, then every (number, date).
    const bulkRows = csv.trim().split('\n').slice(1);
    const nameOnly = bulkRows.filter((l) => l.startsWith(',') && l !== ',,').map((l) => l.slice(1).replace(/,[^,]*$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    const namesTime = await timeRuns(3, () => numbersForNames(database.db, nameOnly));
    const numbered = bulkRows.filter((l) => /^pss-\d{6}/i.test(l)).map((l) => ({ number: l.split(',')[0]!, asOf: today }));
    const numbersTime = await timeRuns(3, () => verifyNumbersOn(database.db, numbered));

    printTable(lines);
    const s = (xs: number[]) => `${Math.min(...xs).toFixed(2)} / ${median(xs).toFixed(2)} / ${Math.max(...xs).toFixed(2)} s`;
    console.log(
      [
        '',
        `(d) POST /verify/bulk, ${BULK_ROWS.toLocaleString('en-US')} rows (${Object.entries(outcomes)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}), ${BULK_RUNS} runs, min / median / max:`,
        `    HTTP                       ${s(bulkHttp)}`,
        `    bulkVerify() without HTTP  ${s(bulkUseCase)}`,
        `    of which numbersForNames(${nameOnly.length} names)      median ${median(namesTime).toFixed(2)} s`,
        `    of which verifyNumbersOn(${numbered.length} numbers)   median ${median(numbersTime).toFixed(2)} s`,
      ].join('\n'),
    );
    const verdict = (ok: boolean) => (ok ? 'MET   ' : 'MISSED');
    console.log(
      [
        '',
        'Targets (PostgreSQL):',
        `  ${verdict(aHttp.rps >= 0.5 * aRawAll.rps)} number lookup ≥ 50% of the raw SQL's throughput: ${pct(aHttp.rps / aRawAll.rps)} of the same prepared statement through pg`,
        `  ${verdict(aHttp.rps >= 0.5 * aRawMain.rps)}   (stricter reading) ≥ 50% of one cert ⋈ peer statement through pg: ${pct(aHttp.rps / aRawMain.rps)}`,
        `  ${verdict(bHttp.p99 < 50)} name search p99 < 50 ms over HTTP, ${CONNECTIONS} connections: ${ms(bHttp.p99)} ms`,
        `  ${verdict(bHttp1.p99 < 50)}   at 1 connection: ${ms(bHttp1.p99)} ms`,
        `  ${verdict(Math.max(...bulkHttp) < 3)} bulk verify of ${BULK_ROWS.toLocaleString('en-US')} rows < 3 s over HTTP: max ${Math.max(...bulkHttp).toFixed(2)} s (median ${median(bulkHttp).toFixed(2)} s)`,
      ].join('\n'),
    );
    const failed = [...lines.map((l) => l.f.failures)].reduce((a, b) => a + b, 0);
    if (failed > 0) console.log(`\n${failed} requests or queries failed (see above): the figures are not to be trusted.`);
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each; app in its own process on 127.0.0.1; raw pg.Pool of ${CONNECTIONS} in the bench process.`);

    if (EXPLAIN) {
      await explain(rawPool, `search statement for "${names[1]}"`, { text: searchMain.text, params: substitute(searchMain.params, searchFor(names[1]!)) }, ['set local enable_seqscan = off']);
      await explain(rawPool, 'verify statement, one number', { text: verifyStatement.text, params: verifyParams(peers[9]!.number, '2025-03-01') });
      await numbersForNames(capture.db, nameOnly);
      const namesStatement = capture.statements.splice(0)[0]!;
      await explain(rawPool, `numbersForNames, ${nameOnly.length} names`, namesStatement);
      await verifyNumbersOn(capture.db, numbered);
      await explain(rawPool, `verifyNumbersOn, ${numbered.length} numbers`, capture.statements.splice(0)[0]!);
    }
  } finally {
    await server?.stop();
    await capture.close();
    await rawPool.end();
    await database.close();
  }
}

/** PGlite (one connection, in process): the load, and the use cases one call at a time; no HTTP and no pg. */
async function benchPglite(): Promise<void> {
  const client = await PGlite.create({ extensions: { pg_trgm } });
  const database: Database = { db: drizzlePglite(client, { schema }) as unknown as Db, driver: 'pglite', location: 'memory', exclusive: (work) => work(), close: () => client.close() };
  try {
    await prepareDatabase(database);
    const today = todayInCalifornia();
    const loaded = await loadRegistry(client, PEERS, today);
    console.log(`\nPGlite: loaded ${loaded.counts.peers.toLocaleString('en-US')} peers in ${loaded.seconds.toFixed(1)} s`);
    const rand = prng(42);
    const anyPeer = () => loaded.peers[Math.floor(rand() * loaded.peers.length)]!;
    const time = async (n: number, fn: () => Promise<unknown>) => figures(await timeRuns(n, fn).then((xs) => xs.map((x) => x * 1000)), 1, 0);
    const entry = await time(500, () => registryEntry(database.db, anyPeer().number));
    const search = await time(200, () => searchRegistry(database.db, { name: misspell(rand, anyPeer()) }, today));
    const verify = await time(500, () => verifyNumbersOn(database.db, [{ number: anyPeer().number, asOf: today }]));
    const bulk = await timeRuns(3, () => bulkVerify(database.db, { csv: bulkCsv(prng(7), loaded.peers, today), asOf: today }));
    console.log(
      [
        'PGlite, one call at a time (p50 / p99 ms):',
        `  registryEntry    ${ms(entry.p50)} / ${ms(entry.p99)}`,
        `  searchRegistry   ${ms(search.p50)} / ${ms(search.p99)}`,
        `  verifyNumbersOn  ${ms(verify.p50)} / ${ms(verify.p99)}`,
        `  bulkVerify ${BULK_ROWS} rows: median ${median(bulk).toFixed(2)} s`,
      ].join('\n'),
    );
  } finally {
    await database.close();
  }
}

const config = loadConfig();
if (!config.testDatabaseUrl) {
  console.error('Set TEST_DATABASE_URL to a PostgreSQL server where the bench may create and drop a database (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
  process.exit(2);
}
await benchPostgres();
if (PGLITE) await benchPglite();
