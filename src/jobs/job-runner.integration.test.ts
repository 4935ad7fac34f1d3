// The job runner keeps its schedule in the database: a job runs when due, on exactly one instance, records how it
// went, and one failing job does not stop the others.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { searchAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { AppError } from '../lib/errors.ts';
import { ensureJobs, listJobs, runDueJobs, runJobNow, startJobRunner, type ScheduledJob } from './job-runner.ts';
import { scheduledJobs } from './jobs.schema.ts';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase();
  db = database.db;
});
after(() => database.close());
beforeEach(() => db.delete(scheduledJobs));

/** A job that counts its runs and takes `ms` doing it, so a second instance asks while the first still holds it. */
function countingJob(name: string, ms = 0, intervalSeconds = 3600) {
  const runs: string[] = [];
  const job: ScheduledJob = {
    name,
    description: `test job ${name}`,
    intervalSeconds,
    async run(_db, today) {
      runs.push(today);
      if (ms > 0) await sleep(ms);
      return { ran: runs.length };
    },
  };
  return { job, runs };
}

async function rowOf(name: string) {
  const [row] = await db.select().from(scheduledJobs).where(eq(scheduledJobs.name, name));
  assert.ok(row, `${name} has a row`);
  return row;
}

/** Make the job due (or not) and its lease held until `lockedFor` seconds from now (negative: run out). */
async function setRow(name: string, values: { dueInSeconds?: number; lockedFor?: number; lockedBy?: string }) {
  await db
    .update(scheduledJobs)
    .set({
      ...(values.dueInSeconds !== undefined ? { nextRunAt: sql`now() + make_interval(secs => ${values.dueInSeconds})` } : {}),
      ...(values.lockedFor !== undefined ? { lockedUntil: sql`now() + make_interval(secs => ${values.lockedFor})`, lockedBy: values.lockedBy ?? 'another-instance' } : {}),
    })
    .where(eq(scheduledJobs.name, name));
}

describe('the schedule lives in the database', () => {
  test('ensureJobs adds a row per new job, due at once, and leaves an existing row’s schedule alone', async () => {
    const { job } = countingJob('test.first');
    await ensureJobs(db, [job]);
    const fresh = await rowOf('test.first');
    assert.ok(fresh.nextRunAt.getTime() <= Date.now() + 1000, 'a new job is due at once');
    await setRow('test.first', { dueInSeconds: 600 });
    const scheduled = (await rowOf('test.first')).nextRunAt;
    await ensureJobs(db, [job, countingJob('test.second').job]);
    assert.equal((await rowOf('test.first')).nextRunAt.getTime(), scheduled.getTime(), 'a restart does not make it due again');
    assert.equal((await db.select().from(scheduledJobs)).length, 2);
  });

  test('a changed interval in the code replaces the stored one', async () => {
    await ensureJobs(db, [countingJob('test.interval', 0, 3600).job]);
    await ensureJobs(db, [countingJob('test.interval', 0, 900).job]);
    assert.equal((await rowOf('test.interval')).intervalSeconds, 900);
  });

  test('two jobs with one name are a mistake in the code', async () => {
    await assert.rejects(ensureJobs(db, [countingJob('test.twice').job, countingJob('test.twice').job]), /Two scheduled jobs are named test\.twice/);
  });
});

describe('a due job runs once, records its result and is scheduled again', () => {
  test('it runs as of today in California, then waits for its interval', async () => {
    const { job, runs } = countingJob('test.due', 0, 7200);
    await ensureJobs(db, [job]);
    const outcomes = await runDueJobs(db, [job], { instanceId: 'instance-a' });
    assert.deepEqual(outcomes.map((o) => [o.name, o.error, o.result]), [['test.due', null, { ran: 1 }]]);
    assert.match(runs[0] ?? '', /^\d{4}-\d{2}-\d{2}$/);

    const row = await rowOf('test.due');
    assert.deepEqual(row.lastResult, { ran: 1 });
    assert.equal(row.lastError, null);
    assert.equal(row.lockedUntil, null, 'the lease is given back');
    assert.equal(row.lockedBy, null);
    assert.ok(row.lastFinishedAt && row.lastStartedAt && row.lastFinishedAt >= row.lastStartedAt);
    const untilNext = (row.nextRunAt.getTime() - row.lastFinishedAt.getTime()) / 1000;
    assert.ok(Math.abs(untilNext - 7200) < 5, `next run two hours after the last (${untilNext} s)`);

    assert.deepEqual(await runDueJobs(db, [job], { instanceId: 'instance-a' }), [], 'not due again yet');
    assert.equal(runs.length, 1);
  });

  test('two runners racing for the same due job run it exactly once', async () => {
    const { job, runs } = countingJob('test.race', 300);
    await ensureJobs(db, [job]);
    const passes = await Promise.all(['a', 'b', 'c', 'd'].map((id) => runDueJobs(db, [job], { instanceId: `instance-${id}` })));
    assert.equal(runs.length, 1, 'the job ran once');
    assert.equal(passes.flat().length, 1, 'one runner reports the run; the others found the job taken');
    assert.deepEqual((await rowOf('test.race')).lastResult, { ran: 1 });
  });

  test('a job another instance holds is left alone until its lease runs out, then taken over', async () => {
    const { job, runs } = countingJob('test.held');
    await ensureJobs(db, [job]);
    await setRow('test.held', { lockedFor: 600, lockedBy: 'instance-that-holds-it' });
    assert.deepEqual(await runDueJobs(db, [job], { instanceId: 'instance-a' }), []);
    assert.equal(runs.length, 0);

    await setRow('test.held', { lockedFor: -1, lockedBy: 'instance-that-crashed' });
    const outcomes = await runDueJobs(db, [job], { instanceId: 'instance-a' });
    assert.equal(outcomes.length, 1);
    assert.equal(runs.length, 1);
  });
});

describe('a failing job', () => {
  test('records its error without the data it failed on, and the next job still runs', async () => {
    const failing: ScheduledJob = {
      name: 'test.failing',
      description: 'fails on a bad value',
      intervalSeconds: 600,
      async run(db) {
        await db.execute(sql`select ${'Rosa Martinez 1990-04-12'}::date`);
        return {};
      },
    };
    const { job: next, runs } = countingJob('test.after-failing');
    await ensureJobs(db, [failing, next]);
    const reported: string[] = [];
    const outcomes = await runDueJobs(db, [failing, next], { instanceId: 'instance-a', onError: (_err, name) => reported.push(name) });

    assert.deepEqual(reported, ['test.failing']);
    assert.equal(runs.length, 1, 'the job after it ran');
    assert.equal(outcomes.length, 2);
    const row = await rowOf('test.failing');
    assert.ok(row.lastError, 'the error is recorded');
    assert.match(row.lastError, /database error 22007/);
    assert.doesNotMatch(row.lastError, /Rosa|1990/, `no data values in "${row.lastError}"`);
    assert.equal(row.lastResult, null);
    assert.equal(row.lockedUntil, null, 'the lease is given back after a failure too');
    assert.ok(row.nextRunAt.getTime() > Date.now() + 500 * 1000, 'and it waits for its interval like any run');
  });
});

describe('running a job now (CLI, admin page)', () => {
  test('runs it whether due or not, as of the date given, and the audit log says who asked', async () => {
    const { job, runs } = countingJob('test.now');
    await ensureJobs(db, [job]);
    await setRow('test.now', { dueInSeconds: 3000 });
    const outcome = await runJobNow(db, 'test.now', {
      jobs: [job],
      today: '2027-03-01',
      instanceId: 'cli',
      requestedBy: { actor: { role: 'cli' }, userAgent: 'pss jobs run' },
    });
    assert.deepEqual(outcome.result, { ran: 1 });
    assert.deepEqual(runs, ['2027-03-01']);
    const { rows } = await searchAudit(db, { action: 'job.run', entityId: 'test.now' });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actorRole, 'cli');
  });

  test('a job with no row yet gets one', async () => {
    const { job, runs } = countingJob('test.unseen');
    await runJobNow(db, 'test.unseen', { jobs: [job], instanceId: 'cli' });
    assert.equal(runs.length, 1);
    assert.deepEqual((await rowOf('test.unseen')).lastResult, { ran: 1 });
  });

  test('is refused with 409 while another instance holds the job, and nothing runs', async () => {
    const { job, runs } = countingJob('test.busy');
    await ensureJobs(db, [job]);
    await setRow('test.busy', { lockedFor: 600, lockedBy: 'instance-b' });
    await assert.rejects(runJobNow(db, 'test.busy', { jobs: [job], instanceId: 'cli' }), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 409);
      assert.match(err.message, /already running on instance-b/);
      return true;
    });
    assert.equal(runs.length, 0);
  });

  test('an unknown name is a 404 naming the jobs there are', async () => {
    const { job } = countingJob('test.known');
    await assert.rejects(runJobNow(db, 'test.unknown', { jobs: [job], instanceId: 'cli' }), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 404);
      assert.match(err.message, /test\.known/);
      return true;
    });
  });
});

describe('the background runner', () => {
  test('writes the rows, runs what is due, lists it, and stop() waits for a run in progress', async () => {
    const { job, runs } = countingJob('test.background', 150);
    assert.deepEqual((await listJobs(db, [job])).map((j) => [j.name, j.nextRunAt, j.lastResult]), [['test.background', null, null]]);
    const stop = startJobRunner(db, { jobs: [job], everyMs: 20, firstAfterMs: 0, instanceId: 'instance-a', onError: (err) => assert.fail(String(err)) });
    for (let waited = 0; runs.length === 0 && waited < 10_000; waited += 10) await sleep(10);
    await stop();
    assert.equal(runs.length, 1, 'ran once: not due again for an hour');
    const [status] = await listJobs(db, [job]);
    assert.deepEqual(status?.lastResult, { ran: 1 }, 'stop() returned after the run was recorded');
    assert.equal(status?.running, false);
  });
});
