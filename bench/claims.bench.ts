// Claiming at program scale on PostgreSQL: 1,000,000 billable services across 50 counties (bench/claims-data.ts),
// then every organization's batch built and edited, every batch's 837P written to disk (streamed from a cursor and
// read back with node-x12 before it counts), and one 835 covering every line ingested (streamed, staged, posted
// set-based). Each phase runs in a child process of its own, so its peak RSS is its own. Beside them, baselines
// from the same run on the same rows: COPY of the 837P's rows out of PostgreSQL, COPY of the built claims and lines
// into tables shaped like them (indexes included), and COPY of the 835's rows in — the floor for each phase.
// Usage: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:claims
//          [-- --encounters 1000000 --counties 50 --concurrency 2 --keep]
// Not a timed test: it reports figures and whether the targets were met; it fails only if something broke.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { systemContext } from '../src/access/context.ts';
import { recordedEligibility } from '../src/beneficiaries/eligibility.service.ts';
import { write837File } from '../src/claims/batch-837.ts';
import { buildClaimBatch } from '../src/claims/build-claims.ts';
import { ingest835 } from '../src/claims/ingest-835.ts';
import { x12Amount } from '../src/claims/x12-837p.ts';
import { openDb } from '../src/db/client.ts';
import { benchFieldCipher, loadClaimsScale, openClaimsBenchDatabase, type ClaimsScale } from './claims-data.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const ENCOUNTERS = Number(arg('encounters', '1000000'));
const COUNTIES = Number(arg('counties', '50'));
const CONCURRENCY = Number(arg('concurrency', '2'));
const FROM = '2026-01-01';
const TO = '2026-09-30';
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 512;

interface PhaseResult {
  seconds: number;
  maxRssMb: number;
  figures: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------------------------
// Phases, each in its own process (`--phase NAME --url URL --work DIR`)

/** Build every organization's batch over the period, `CONCURRENCY` at a time (each build is one transaction). */
async function phaseBuild(url: string, work: string): Promise<PhaseResult['figures']> {
  const scale = JSON.parse(await readFile(join(work, 'scale.json'), 'utf8')) as ClaimsScale;
  const database = await openDb({ databaseUrl: url });
  const queue = [...scale.organizations].sort((a, b) => b.lines - a.lines);
  let ready = 0;
  let held = 0;
  const batches: string[] = [];
  const worker = async () => {
    for (let org = queue.shift(); org; org = queue.shift()) {
      const built = await buildClaimBatch(database.db, recordedEligibility, { organizationId: org.id, from: scale.from, to: scale.to }, systemContext('bench', scale.buildOn.earliest));
      ready += built.ready;
      held += built.held;
      batches.push(built.batch.id);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await writeFile(join(work, 'batches.json'), JSON.stringify(batches));
  await database.close();
  return { batches: batches.length, ready, held };
}

/** Every batch's 837P written to disk, one after another, each read back and checked before it counts. */
async function phase837(url: string, work: string): Promise<PhaseResult['figures']> {
  const batches = JSON.parse(await readFile(join(work, 'batches.json'), 'utf8')) as string[];
  const database = await openDb({ databaseUrl: url });
  let claims = 0;
  let lines = 0;
  let bytes = 0;
  for (const id of batches) {
    const written = await write837File(database.db, benchFieldCipher(), id, join(work, `837-${id}.txt`), systemContext('bench'));
    claims += written.claims;
    lines += written.lines;
    bytes += written.bytes;
  }
  await database.close();
  return { files: batches.length, claims, lines, megabytes: Math.round(bytes / 1e6) };
}

/** The 835 covering every line, posted from disk. */
async function phase835(url: string, work: string): Promise<PhaseResult['figures']> {
  const database = await openDb({ databaseUrl: url });
  const posted = await ingest835(database.db, { path: join(work, 'remit.835'), fileName: 'bench.835' }, systemContext('bench'));
  await database.close();
  return { claims: posted.claimsMatched, lines: posted.linesPosted, unmatched: posted.unmatched.length };
}

const PHASES: Record<string, (url: string, work: string) => Promise<PhaseResult['figures']>> = { build: phaseBuild, '837': phase837, '835': phase835 };

async function runPhaseInChild(name: string, url: string, work: string): Promise<PhaseResult> {
  console.log(`  phase ${name} …`);
  const child = fork(fileURLToPath(import.meta.url), ['--phase', name, '--url', url, '--work', work, '--concurrency', String(CONCURRENCY)], { execArgv: ['--import', 'tsx'], stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await once(child, 'message')) as [PhaseResult | { error: string }];
  await once(child, 'exit');
  if ('error' in message) throw new Error(`phase ${name}: ${message.error}`);
  console.log(`  phase ${name}: ${message.seconds.toFixed(1)} s, peak RSS ${message.maxRssMb} MB, ${JSON.stringify(message.figures)}`);
  return message;
}

// ---------------------------------------------------------------------------------------------------------------
// Baselines: COPY of the same rows, on the same server, in the same run

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The rows an 837P is made of (claims, lines, services, peers, members), as the writer's cursor reads them. */
const ROWS_837 = `select c.id, c.control_number, c.frequency, c.payer_control_number, c.place_of_service, c.total_cents, b.cin_encrypted, b.birth_date_encrypted, b.first_name, b.last_name, b.street, b.city, b.zip,
  l.procedure_code, l.modifiers, l.charge_cents, l.units, l.control_number, l.rendering_npi, e.service_date, e.diagnosis_code, p.legal_first_name, p.legal_last_name
  from claims c join claim_lines l on l.claim_id = c.id join encounters e on e.id = l.encounter_id join peers p on p.id = e.peer_id join beneficiaries b on b.id = c.beneficiary_id
  where c.state <> 'held' order by length(c.control_number), c.control_number, l.line_number`;

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = performance.now();
  const value = await run();
  return { seconds: (performance.now() - t) / 1000, value };
}

async function copyOut(client: pg.Client, query: string, file: string): Promise<void> {
  await pipeline(client.query(copyTo(`copy (${query}) to stdout`)), createWriteStream(file));
}

async function copyIn(client: pg.Client, table: string, file: string): Promise<void> {
  await pipeline(createReadStream(file), client.query(copyFrom(`copy ${table} from stdin`)));
}

/** COPY of the built claims and lines out (untimed) and back into tables like them, indexes included (timed). */
async function baselineBuild(url: string, work: string) {
  return withClient(url, async (client) => {
    await copyOut(client, 'select * from claims', join(work, 'claims.copy'));
    await copyOut(client, 'select * from claim_lines', join(work, 'lines.copy'));
    await client.query('create table bench_claims (like claims including all); create table bench_lines (like claim_lines including all)');
    const { seconds } = await timed(async () => {
      await copyIn(client, 'bench_claims', join(work, 'claims.copy'));
      await copyIn(client, 'bench_lines', join(work, 'lines.copy'));
    });
    await client.query('drop table bench_claims; drop table bench_lines');
    return seconds;
  });
}

/** COPY of the 837P's rows out of PostgreSQL to a file. */
const baseline837 = (url: string, work: string) => withClient(url, async (client) => (await timed(() => copyOut(client, ROWS_837, join(work, 'rows837.copy')))).seconds);

/** COPY of the 835's rows (claim and line control numbers, amounts, adjustments) into a table. */
async function baseline835(url: string, work: string) {
  return withClient(url, async (client) => {
    await copyOut(client, `select c.control_number, l.control_number, l.procedure_code, e.service_date, l.charge_cents, l.charge_cents, '[]'::jsonb from claim_lines l join claims c on c.id = l.claim_id join encounters e on e.id = l.encounter_id where c.state = 'submitted'`, join(work, 'rows835.copy'));
    await client.query('create table bench_remit (claim_cn text, line_cn text, code text, service_date date, charge int, paid int, adjustments jsonb)');
    const { seconds } = await timed(() => copyIn(client, 'bench_remit', join(work, 'rows835.copy')));
    await client.query('drop table bench_remit');
    return seconds;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The 835 the payer would send: most lines paid in full, some in part (CO 45), some denied (CO 16)

export async function write835(url: string, work: string): Promise<{ claims: number; lines: number }> {
  return withClient(url, async (client) => {
    const out = createWriteStream(join(work, 'remit.835'));
    const segments: string[] = [];
    let count = 0;
    let paidTotal = 0;
    const body: string[] = [];
    const emit = (s: string) => {
      body.push(`${s}~\n`);
      count++;
    };
    await client.query('begin');
    await client.query(`declare r835 no scroll cursor for
      select c.control_number as cn, c.total_cents, l.procedure_code, l.modifiers, l.charge_cents, l.units, l.control_number as lcn, to_char(e.service_date, 'YYYYMMDD') as d
      from claims c join claim_lines l on l.claim_id = c.id join encounters e on e.id = l.encounter_id
      where c.state = 'submitted' order by c.control_number, l.line_number`);
    // The body is written after the header, whose BPR needs the total: it goes to its own file first.
    const bodyFile = createWriteStream(join(work, 'remit.body'));
    let claims = 0;
    let lines = 0;
    let current: { cn: string; total: number; rows: Array<Record<string, string | number>> } | null = null;
    const flushClaim = async () => {
      if (!current) return;
      claims++;
      const n = claims % 100;
      const kind = n < 3 ? 'denied' : n < 10 ? 'partial' : 'paid';
      const paidOf = (charge: number) => (kind === 'denied' ? 0 : kind === 'partial' ? Math.floor(charge * 0.8) : charge);
      const paid = current.rows.reduce((t, r) => t + paidOf(Number(r.charge_cents)), 0);
      paidTotal += paid;
      emit(`CLP*${current.cn}*${kind === 'denied' ? '4' : '1'}*${x12Amount(current.total)}*${x12Amount(paid)}**MC*P${current.cn}`);
      for (const r of current.rows) {
        lines++;
        const charge = Number(r.charge_cents);
        const code = ['HC', String(r.procedure_code), ...String(r.modifiers).split(':').filter(Boolean)].join(':');
        emit(`SVC*${code}*${x12Amount(charge)}*${x12Amount(paidOf(charge))}**${r.units}`);
        emit(`DTM*472*${r.d}`);
        if (charge !== paidOf(charge)) emit(`CAS*CO*${kind === 'denied' ? '16' : '45'}*${x12Amount(charge - paidOf(charge))}`);
        emit(`REF*6R*${r.lcn}`);
      }
      if (!bodyFile.write(body.join(''))) await once(bodyFile, 'drain');
      body.length = 0;
      current = null;
    };
    for (;;) {
      const { rows } = await client.query('fetch 10000 from r835');
      if (rows.length === 0) break;
      for (const row of rows as Array<Record<string, string | number>>) {
        if (current && current.cn !== row.cn) await flushClaim();
        current ??= { cn: String(row.cn), total: Number(row.total_cents), rows: [] };
        current.rows.push(row);
      }
    }
    await flushClaim();
    await client.query('commit');
    bodyFile.end();
    await once(bodyFile, 'finish');
    segments.push(
      'ISA*00*          *00*          *ZZ*SDMC           *ZZ*BENCH          *261101*1200*^*00501*000000777*0*T*:~\n',
      'GS*HP*SDMC*BENCH*20261101*1200*777*X*005010X221A1~\n',
      'ST*835*0001~\n',
      `BPR*I*${x12Amount(paidTotal)}*C*ACH************20261101~\n`,
      'TRN*1*BENCH0001*1941234567~\n',
      'N1*PR*MEDI-CAL SDMC~\n',
      'LX*1~\n',
    );
    out.write(segments.join(''));
    await pipeline(createReadStream(join(work, 'remit.body')), out, { end: false });
    out.end(`SE*${count + 6}*0001~\nGE*1*777~\nIEA*1*000000777~\n`);
    await once(out, 'finish');
    await rm(join(work, 'remit.body'));
    return { claims, lines };
  });
}

// ---------------------------------------------------------------------------------------------------------------

const perSecond = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function main(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    console.error('Set TEST_DATABASE_URL to a PostgreSQL server where the bench may create and drop a database (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
    process.exit(2);
  }
  const work = await mkdtemp(join(tmpdir(), 'pss-claims-bench-'));
  const bench = await openClaimsBenchDatabase(serverUrl);
  try {
    console.log(`Loading ${ENCOUNTERS.toLocaleString('en-US')} billable services across ${COUNTIES} counties …`);
    const scale = await loadClaimsScale(bench.database, { encounters: ENCOUNTERS, counties: COUNTIES, from: FROM, to: TO });
    await writeFile(join(work, 'scale.json'), JSON.stringify(scale));
    console.log(`  ${scale.counts.organizations} organizations, ${scale.counts.peers} peers, ${scale.counts.members} members; expect ${scale.expected.lines.toLocaleString('en-US')} lines in ${scale.expected.claims.toLocaleString('en-US')} claims (${scale.expected.heldClaims} held) — loaded in ${scale.seconds.toFixed(1)} s`);

    const build = await runPhaseInChild('build', bench.url, work);
    const buildBase = await baselineBuild(bench.url, work);
    const copy837 = await baseline837(bench.url, work);
    const file837 = await runPhaseInChild('837', bench.url, work);
    const remit = await write835(bench.url, work);
    const copy835 = await baseline835(bench.url, work);
    const post835 = await runPhaseInChild('835', bench.url, work);

    const lines = scale.expected.lines;
    const sent = file837.figures.lines!;
    const rows = [
      ['build + edit (every batch)', build.seconds, lines, build.maxRssMb, buildBase, 'COPY of the claims and lines in'],
      ['837P written and read back', file837.seconds, sent, file837.maxRssMb, copy837, 'COPY of its rows out'],
      ['835 ingested and posted', post835.seconds, post835.figures.lines!, post835.maxRssMb, copy835, 'COPY of its rows in'],
    ] as const;
    console.log('\n| phase | seconds | lines | lines/s | peak RSS | baseline (same run) | ratio |');
    console.log('|---|---:|---:|---:|---:|---|---:|');
    for (const [name, seconds, n, rss, base, what] of rows) console.log(`| ${name} | ${seconds.toFixed(1)} | ${n.toLocaleString('en-US')} | ${perSecond(n, seconds)} | ${rss} MB | ${what}: ${base.toFixed(1)} s | ${(seconds / base).toFixed(1)}× |`);
    console.log(`\nBuilt ${build.figures.batches} batches: ${build.figures.ready} ready, ${build.figures.held} held (expected ${scale.expected.readyClaims} and ${scale.expected.heldClaims}).`);
    console.log(`Wrote ${file837.figures.files} 837P files, ${file837.figures.claims} claims, ${file837.figures.megabytes} MB. The 835: ${remit.claims} claims, ${remit.lines} lines; posted ${post835.figures.claims} claims and ${post835.figures.lines} lines, ${post835.figures.unmatched} unmatched.`);
    console.log(`\nTargets: 837P for 1M lines in ≤ ${TARGET_SECONDS} s — ${verdict(file837.seconds <= TARGET_SECONDS)} (${file837.seconds.toFixed(1)} s; with the build ${(build.seconds + file837.seconds).toFixed(1)} s — ${verdict(build.seconds + file837.seconds <= TARGET_SECONDS)});`);
    console.log(`         peak RSS ≤ ${TARGET_RSS_MB} MB while writing — ${verdict(file837.maxRssMb <= TARGET_RSS_MB)} (${file837.maxRssMb} MB); 835 of 1M lines in ≤ ${TARGET_SECONDS} s — ${verdict(post835.seconds <= TARGET_SECONDS)} (${post835.seconds.toFixed(1)} s).`);
    const broken = build.figures.ready !== scale.expected.readyClaims || build.figures.held !== scale.expected.heldClaims || sent !== lines - scale.expected.heldLines || post835.figures.lines !== remit.lines || post835.figures.unmatched !== 0;
    if (broken) {
      console.error('Something broke: the counts above do not agree.');
      process.exitCode = 1;
    }
  } finally {
    if (!process.argv.includes('--keep')) await bench.drop();
    await rm(work, { recursive: true, force: true });
  }
}

const phase = arg('phase', '');
if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // Imported (to reuse the 835 writer): run nothing.
} else if (phase) {
  const started = performance.now();
  PHASES[phase]!(arg('url', ''), arg('work', ''))
    .then((figures) => process.send!({ seconds: (performance.now() - started) / 1000, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), figures } satisfies PhaseResult))
    .catch((err: Error) => process.send!({ error: err.stack ?? err.message }))
    .finally(() => process.disconnect());
} else {
  await main();
}
