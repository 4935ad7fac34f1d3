// Scheduled work kept in the database. Each job has a row in scheduled_jobs; an instance runs a job only after one
// atomic UPDATE gives it a lease on that row, so with several app instances exactly one runs a job at a time, and a
// crashed instance's lease simply runs out.
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.service.ts';
import type { AuditContext } from '../accounts/users.service.ts';
import type { Db } from '../db/client.ts';
import { loggableError } from '../http/errors.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { scheduledJobs } from './jobs.schema.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JobResult = { [key: string]: JsonValue };

export interface ScheduledJob {
  /** Unique, stable: the row's key (e.g. `certifications.expire`). */
  name: string;
  /** One line for the CLI; the admin page has its own translated text. */
  description: string;
  intervalSeconds: number;
  /** How long a claim holds before another instance may take the job over (default DEFAULT_LEASE_SECONDS). */
  leaseSeconds?: number;
  /** Do the work as of `today` (California). Must be idempotent: a run may be repeated after a crash. */
  run(db: Db, today: string): Promise<JobResult>;
}

/** Longer than any job should take; a job still running then may be started again elsewhere, so jobs are idempotent. */
export const DEFAULT_LEASE_SECONDS = 30 * 60;

/**
 * The counts of a result for people to read: `due` first, `failed` last, the rest by name — one order whether the
 * result comes from a run or from the jsonb column, which keeps no key order (PostgreSQL stores shorter keys first).
 */
export function resultCounts(result: JobResult): Array<[string, number]> {
  const rank = (key: string) => (key === 'due' ? 0 : key === 'failed' ? 2 : 1);
  return Object.entries(result)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface JobOutcome {
  name: string;
  startedAt: Date;
  result: JobResult | null;
  /** The error's message (never a failed query's parameters), when the run threw. */
  error: string | null;
  /** The lease ran out during the run and another instance took the job: this run's record was not written. */
  leaseLost: boolean;
}

/**
 * An error as it may be stored and shown to administrators: the message only, bounded. A database error keeps its
 * SQL state and the driver's message without a failed query's parameters, and with the quoted parts masked, since
 * PostgreSQL quotes the offending value there (`invalid input syntax for type uuid: "…"`). The log keeps more.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof AppError) return err.message.slice(0, 500);
  const info = loggableError(err);
  const message = String(info.message ?? 'unknown error');
  const code = err instanceof Error && 'code' in err ? String(err.code) : undefined;
  const sqlState = info.sqlState ?? (code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined);
  return (sqlState === undefined ? message : `database error ${String(sqlState)}: ${message.replace(/"[^"]*"/g, '"…"')}`).slice(0, 500);
}

function checkRegistry(jobs: readonly ScheduledJob[]): void {
  const names = new Set<string>();
  for (const job of jobs) {
    if (names.has(job.name)) throw new Error(`Two scheduled jobs are named ${job.name}.`);
    if (!Number.isInteger(job.intervalSeconds) || job.intervalSeconds < 1) throw new Error(`Scheduled job ${job.name} needs a whole number of seconds between runs.`);
    names.add(job.name);
  }
}

/** Insert the row of every job that has none (due at once); a changed interval in the code replaces the stored one. */
export async function ensureJobs(db: Db, jobs: readonly ScheduledJob[]): Promise<void> {
  checkRegistry(jobs);
  if (jobs.length === 0) return;
  await db
    .insert(scheduledJobs)
    .values(jobs.map((job) => ({ name: job.name, intervalSeconds: job.intervalSeconds })))
    .onConflictDoUpdate({
      target: scheduledJobs.name,
      set: { intervalSeconds: sql`excluded.interval_seconds` },
      setWhere: sql`${scheduledJobs.intervalSeconds} <> excluded.interval_seconds`,
    });
}

/**
 * Take the lease on a job: one UPDATE, so of several instances asking at once exactly one gets the row back.
 * `due` also requires next_run_at to have come (the runner); without it the job runs now unless someone holds it.
 * last_started_at is kept to the millisecond so the finishing UPDATE can match it exactly (JavaScript dates hold
 * no microseconds).
 */
async function claim(db: Db, job: ScheduledJob, instanceId: string, due: boolean): Promise<Date | null> {
  const free = or(isNull(scheduledJobs.lockedUntil), lt(scheduledJobs.lockedUntil, sql`now()`));
  const [row] = await db
    .update(scheduledJobs)
    .set({
      lockedUntil: sql`now() + make_interval(secs => ${job.leaseSeconds ?? DEFAULT_LEASE_SECONDS})`,
      lockedBy: instanceId,
      lastStartedAt: sql`date_trunc('milliseconds', now())`,
    })
    .where(and(eq(scheduledJobs.name, job.name), due ? lte(scheduledJobs.nextRunAt, sql`now()`) : undefined, free))
    .returning({ startedAt: scheduledJobs.lastStartedAt });
  return row?.startedAt ?? null;
}

/** Run a claimed job, record how it went, schedule the next run and give the lease back. */
async function runClaimed(db: Db, job: ScheduledJob, instanceId: string, startedAt: Date, today: string): Promise<JobOutcome> {
  let result: JobResult | null = null;
  let error: string | null = null;
  try {
    result = await job.run(db, today);
  } catch (err) {
    error = errorMessage(err);
  }
  // Only this claim's row: if the lease ran out and another instance took the job, its record stands.
  const finished = await db
    .update(scheduledJobs)
    .set({
      lastFinishedAt: sql`now()`,
      lastResult: result,
      lastError: error,
      nextRunAt: sql`now() + make_interval(secs => ${job.intervalSeconds})`,
      lockedUntil: null,
      lockedBy: null,
    })
    .where(and(eq(scheduledJobs.name, job.name), eq(scheduledJobs.lockedBy, instanceId), eq(scheduledJobs.lastStartedAt, startedAt)))
    .returning({ name: scheduledJobs.name });
  return { name: job.name, startedAt, result, error, leaseLost: finished.length === 0 };
}

export interface RunDueOptions {
  instanceId: string;
  /** Told of each job that failed (and of a lease lost), for the log. */
  onError?: (err: unknown, jobName: string) => void;
  /** Told of each run, for the log. */
  onRun?: (outcome: JobOutcome) => void;
  /** Asked before each job: stop between jobs when the server shuts down. */
  stopping?: () => boolean;
}

/** One pass: every job that is due and free runs, one after another; a failing job does not stop the others. */
export async function runDueJobs(db: Db, jobs: readonly ScheduledJob[], options: RunDueOptions): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    if (options.stopping?.()) break;
    const startedAt = await claim(db, job, options.instanceId, true);
    if (!startedAt) continue;
    const outcome = await runClaimed(db, job, options.instanceId, startedAt, todayInCalifornia());
    if (outcome.error !== null) options.onError?.(new Error(outcome.error), job.name);
    if (outcome.leaseLost) options.onError?.(new Error(`the lease on ${job.name} ran out before the job finished`), job.name);
    options.onRun?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

export interface RunNowOptions {
  jobs: readonly ScheduledJob[];
  instanceId: string;
  /** Run as of this date (default: today in California). */
  today?: string | undefined;
  /** Who asked (an administrator, the CLI): recorded in the audit log with the outcome. */
  requestedBy?: AuditContext;
}

function findJob(jobs: readonly ScheduledJob[], name: string): ScheduledJob {
  const job = jobs.find((j) => j.name === name);
  if (!job) throw new AppError('not-found', `There is no scheduled job named "${name}". The jobs are: ${jobs.map((j) => j.name).join(', ')}.`);
  return job;
}

/** Run one job now, whether due or not; refused (409) while another run holds it. The outcome says if it failed. */
export async function runJobNow(db: Db, name: string, options: RunNowOptions): Promise<JobOutcome> {
  const job = findJob(options.jobs, name);
  await db.insert(scheduledJobs).values({ name: job.name, intervalSeconds: job.intervalSeconds }).onConflictDoNothing();
  const startedAt = await claim(db, job, options.instanceId, false);
  if (!startedAt) {
    const [row] = await db.select().from(scheduledJobs).where(eq(scheduledJobs.name, job.name));
    const holder = row?.lockedBy ? ` on ${row.lockedBy}` : '';
    throw new AppError('conflict', `The job ${job.name} is already running${holder}; try again when it has finished.`, [], 'jobs.running');
  }
  const outcome = await runClaimed(db, job, options.instanceId, startedAt, options.today ?? todayInCalifornia());
  const { requestedBy } = options;
  if (requestedBy) {
    await db.transaction((tx) =>
      recordAudit(tx, {
        ...requestedBy,
        action: 'job.run',
        entityType: 'scheduled_job',
        entityId: job.name,
        changes: [{ field: 'outcome', before: null, after: outcome.error === null ? 'completed' : 'failed' }],
        reason: options.today ? `run as of ${options.today}` : null,
      }),
    );
  }
  return outcome;
}

export interface JobRunnerOptions {
  jobs: readonly ScheduledJob[];
  /** How often to look for due jobs. */
  everyMs: number;
  /** Names this process in locked_by (host and pid). */
  instanceId: string;
  onError: (err: unknown, jobName?: string) => void;
  onRun?: (outcome: JobOutcome) => void;
  /** The first look comes this soon after start rather than a whole interval later. */
  firstAfterMs?: number;
}

/** Look for due jobs every `everyMs` while the server runs. stop() waits for a job in progress to finish. */
export function startJobRunner(db: Db, options: JobRunnerOptions): () => Promise<void> {
  checkRegistry(options.jobs);
  let stopped = false;
  let ensured = false;
  let current: Promise<void> | null = null;
  const tick = () => {
    if (current || stopped) return;
    current = (async () => {
      if (!ensured) {
        await ensureJobs(db, options.jobs);
        ensured = true;
      }
      await runDueJobs(db, options.jobs, { instanceId: options.instanceId, onError: options.onError, stopping: () => stopped, ...(options.onRun ? { onRun: options.onRun } : {}) });
    })()
      .catch((err: unknown) => options.onError(err))
      .finally(() => {
        current = null;
      });
  };
  const first = setTimeout(tick, Math.min(options.firstAfterMs ?? 5000, options.everyMs));
  const timer = setInterval(tick, options.everyMs);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await current;
  };
}

export interface JobStatus {
  name: string;
  description: string;
  intervalSeconds: number;
  /** Null until the first pass of a runner has written the row: due then. */
  nextRunAt: Date | null;
  running: boolean;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastResult: JobResult | null;
  lastError: string | null;
}

/** The registered jobs in registry order, with what their rows say (a job never run has no row yet). */
export async function listJobs(db: Db, jobs: readonly ScheduledJob[]): Promise<JobStatus[]> {
  const rows = jobs.length === 0 ? [] : await db.select().from(scheduledJobs).where(inArray(scheduledJobs.name, jobs.map((j) => j.name)));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const now = Date.now();
  return jobs.map((job) => {
    const row = byName.get(job.name);
    return {
      name: job.name,
      description: job.description,
      intervalSeconds: job.intervalSeconds,
      nextRunAt: row?.nextRunAt ?? null,
      running: row?.lockedUntil != null && row.lockedUntil.getTime() > now,
      lockedBy: row?.lockedBy ?? null,
      lockedUntil: row?.lockedUntil ?? null,
      lastStartedAt: row?.lastStartedAt ?? null,
      lastFinishedAt: row?.lastFinishedAt ?? null,
      lastResult: (row?.lastResult as JobResult | null | undefined) ?? null,
      lastError: row?.lastError ?? null,
    };
  });
}
