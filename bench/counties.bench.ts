// County participation "as of a date" at program scale and beyond.
// Reports each figure beside a baseline from the same run: the raw SQL the use case wraps, run on the same driver.
// Usage: npm run bench [-- --history 120] (TEST_DATABASE_URL set → also on PostgreSQL). Not a timed test: it reports.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { participationChanges } from '../src/counties/counties.schema.ts';
import { listCountyParticipation } from '../src/counties/counties.service.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/testing.ts';
import { CALIFORNIA_COUNTIES } from '../src/counties/california-counties.ts';
import { DELIVERY_SYSTEM_CODES } from '../src/counties/reference-data.ts';

const historyArg = process.argv.indexOf('--history');
const HISTORY_SIZES = historyArg > 0 ? [Number(process.argv[historyArg + 1])] : [1, 120, 2000];
const ITERATIONS = 200;

/** Median milliseconds of `fn` over `n` runs after a short warm-up. */
async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** Synthetic history: each county and system flips in and out monthly, `changesPer` times, before the real page. */
async function addHistory(database: TestDatabase, changesPer: number): Promise<number> {
  let rows = 0;
  for (const county of CALIFORNIA_COUNTIES) {
    const batch = [];
    for (const system of DELIVERY_SYSTEM_CODES) {
      for (let i = 0; i < changesPer; i++) {
        const day = new Date(Date.UTC(2024, 11, 1) - i * 86_400_000 * 3).toISOString().slice(0, 10);
        batch.push({ countyFips: county.fips, deliverySystem: system, effectiveOn: day, participating: i % 2 === 0, source: 'bench', reason: 'synthetic history' });
      }
    }
    for (let i = 0; i < batch.length; i += 5000) await database.db.insert(participationChanges).values(batch.slice(i, i + 5000));
    rows += batch.length;
  }
  return rows;
}

/** The query participationAsOf() builds, written by hand: the baseline for the layers above it. */
const RAW_AS_OF = (asOf: string) => sql`
  select c.fips, d.code, latest.participating
  from counties c cross join delivery_systems d
  join lateral (
    select p.participating from participation_changes p
    where p.county_fips = c.fips and p.delivery_system = d.code and p.effective_on <= ${asOf}
    order by p.effective_on desc, p.recorded_at desc limit 1
  ) latest on true`;

/** The obvious alternative, for comparison: one pass over every change row. */
const DISTINCT_ON_AS_OF = (asOf: string) => sql`
  select distinct on (county_fips, delivery_system) county_fips, delivery_system, participating
  from participation_changes where effective_on <= ${asOf}
  order by county_fips, delivery_system, effective_on desc, recorded_at desc`;

async function benchDriver(label: string, changesPer: number): Promise<void> {
  const database = await createTestDatabase();
  try {
    const extra = changesPer > 1 ? await addHistory(database, changesPer) : 0;
    await database.db.execute(sql`analyze`);
    const app = await buildApp({ config: { env: 'test', logLevel: 'silent' }, database, logger: false });
    const asOf = '2025-02-01';
    const baseline = await median(ITERATIONS, () => database.db.execute(RAW_AS_OF(asOf)));
    const distinctOn = await median(ITERATIONS / 4, () => database.db.execute(DISTINCT_ON_AS_OF(asOf)));
    const useCase = await median(ITERATIONS, () => listCountyParticipation(database.db, asOf));
    const api = await median(ITERATIONS, () => app.inject({ url: `/api/v1/counties?asOf=${asOf}` }));
    const page = await median(ITERATIONS / 4, () => app.inject({ url: `/counties?asOf=${asOf}`, headers: { accept: 'text/html' } }));
    await app.close();
    const f = (ms: number) => `${ms.toFixed(2)} ms (${(ms / baseline).toFixed(1)}×)`;
    console.log(
      [
        `${label}, ${(extra + 174).toLocaleString('en-US')} change rows:`,
        `  baseline raw as-of query  ${baseline.toFixed(2)} ms (lateral index probes)`,
        `  DISTINCT ON alternative   ${f(distinctOn)}`,
        `  listCountyParticipation   ${f(useCase)}`,
        `  GET /api/v1/counties      ${f(api)}`,
        `  GET /counties (HTML+map)  ${f(page)}`,
      ].join('\n'),
    );
  } finally {
    await database.close();
  }
}

const config = loadConfig();
for (const size of HISTORY_SIZES) {
  await benchDriver('PGlite', size);
  if (config.testDatabaseUrl) {
    process.env.PSS_TEST_DRIVER = 'postgres';
    await benchDriver('PostgreSQL', size);
    delete process.env.PSS_TEST_DRIVER;
  }
}
