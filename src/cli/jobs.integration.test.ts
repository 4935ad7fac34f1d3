// An operator lists the scheduled jobs and runs one from the command line; `pss serve` runs them by itself.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { applications, peers } from '../certification/certification.schema.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/client.ts';
import { createTestDatabase } from '../db/testing.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { LONG_STORY, SPAWN_TIMEOUT_MS, assertRefused, assertSucceeded, jsonOf, pss, startServer, workspace, type Workspace } from './cli.testing.ts';

interface ListedJob {
  name: string;
  intervalSeconds: number;
  lastFinishedAt: string | null;
  lastResult: Record<string, unknown> | null;
  lastError: string | null;
  nextRunAt: string | null;
}

/** A workspace on the suite's database: embedded in the workspace, or a fresh PostgreSQL database. */
async function jobsWorkspace(t: TestContext): Promise<Workspace> {
  const ws = workspace(t);
  if (loadConfig().testDriver !== 'postgres') return ws;
  const database = await createTestDatabase({ prepare: false });
  t.after(() => database.close());
  return { ...ws, env: { DATABASE_URL: database.url ?? '' } };
}

/** Write through the same database the CLI uses (only while no `pss` holds the embedded one). */
async function withDb(ws: Workspace, work: (db: Awaited<ReturnType<typeof openDb>>['db']) => Promise<void>) {
  const database = await openDb({ databaseUrl: ws.env?.DATABASE_URL || undefined, dataDir: ws.dataDir });
  try {
    await work(database.db);
  } finally {
    await database.close();
  }
}

async function staleApproval(ws: Workspace, number: string, validThrough: string) {
  await withDb(ws, async (db) => {
    const [peer] = await db.insert(peers).values({ legalFirstName: 'Lupe', legalLastName: number }).returning();
    if (!peer) throw new Error('no peer');
    await db.insert(applications).values({ number, peerId: peer.id, pathway: 'initial', status: 'approved', validThrough });
  });
}

async function statusOf(ws: Workspace, number: string): Promise<string | undefined> {
  let status: string | undefined;
  await withDb(ws, async (db) => {
    status = (await db.select({ status: applications.status }).from(applications).where(eq(applications.number, number)))[0]?.status;
  });
  return status;
}

test('an operator lists the jobs, runs one as of a date, and sees its result in the list', LONG_STORY, async (t) => {
  const ws = await jobsWorkspace(t);

  const unknown = await pss(ws, 'jobs', 'run', 'certifications.purge', '--data-dir', ws.dataDir);
  assertRefused(unknown, /There is no scheduled job named "certifications\.purge"\. The jobs are: certifications\.apply_dated, certifications\.expire, /);
  assertRefused(await pss(ws, 'jobs', 'run', 'certifications.expire', '--today', '2026-02-30', '--data-dir', ws.dataDir), /--today must be a date written YYYY-MM-DD/);

  const before = jsonOf<ListedJob[]>(await pss(ws, 'jobs', 'list', '--json', '--data-dir', ws.dataDir));
  assert.deepEqual(
    before.map((j) => [j.name, j.intervalSeconds, j.lastFinishedAt]),
    [
      ['certifications.apply_dated', 3600, null],
      ['certifications.expire', 3600, null],
      ['certifications.vacate', 3600, null],
      ['certifications.remind', 3600, null],
      ['applications.expire_approvals', 3600, null],
      ['alerts.detect', 60, null],
      ['alerts.deliver', 60, null],
      ['enforcement.remind', 3600, null],
    ],
  );

  await staleApproval(ws, 'APP-CLI-1', '2026-05-31');
  const ran = await pss(ws, 'jobs', 'run', 'applications.expire_approvals', '--today', '2026-06-01', '--data-dir', ws.dataDir);
  assert.deepEqual(jsonOf(ran), { due: 1, expired: 1, failed: 0, failures: [] });
  assert.match(ran.stderr, /applications\.expire_approvals ran as of 2026-06-01: due 1, expired 1, failed 0\./);
  assert.equal(await statusOf(ws, 'APP-CLI-1'), 'application_expired');

  const after = jsonOf<ListedJob[]>(await pss(ws, 'jobs', 'list', '--json', '--data-dir', ws.dataDir));
  const job = after.find((j) => j.name === 'applications.expire_approvals');
  assert.deepEqual(job?.lastResult, { due: 1, expired: 1, failed: 0, failures: [] });
  assert.equal(job?.lastError, null);
  assert.ok(job?.lastFinishedAt && job.nextRunAt && Date.parse(job.nextRunAt) - Date.parse(job.lastFinishedAt) >= 3599_000, 'next run an hour after the last');

  const text = await pss(ws, 'jobs', 'list', '--data-dir', ws.dataDir);
  assertSucceeded(text);
  assert.match(text.stdout, /applications\.expire_approvals {2}\(every 1 h\) {2}Approvals past their valid-through date end\n {2}last run \S+; next run \S+\n {2}result: due 1, expired 1, failed 0\n/);
  assert.match(text.stdout, /certifications\.vacate {2}\(every 1 h\).*\n {2}never run; next run at the next check\n/);
});

test('pss serve runs due jobs by itself and stops cleanly', LONG_STORY, async (t) => {
  const ws = await jobsWorkspace(t);
  assertSucceeded(await pss(ws, 'migrate', '--data-dir', ws.dataDir));
  await staleApproval(ws, 'APP-SERVE-1', addDays(todayInCalifornia(), -1));

  const server = await startServer(t, { ...ws, env: { ...ws.env, LOG_LEVEL: 'info' } }, '--port', '0', '--data-dir', ws.dataDir);
  let log = '';
  server.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const ranApprovals = () => log.split('\n').some((line) => line.includes('"job":"applications.expire_approvals"') && line.includes('scheduled job ran'));
  for (let waited = 0; !ranApprovals() && waited < SPAWN_TIMEOUT_MS; waited += 100) await new Promise((r) => setTimeout(r, 100));
  assert.ok(ranApprovals(), `the runner ran the job:\n${log}\n${server.stderr()}`);
  assert.equal(await server.stop(), 0);

  assert.equal(await statusOf(ws, 'APP-SERVE-1'), 'application_expired');
});
