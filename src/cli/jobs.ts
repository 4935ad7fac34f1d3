// `pss jobs`: the scheduled jobs (list, run one now).
import os from 'node:os';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { listJobs, resultCounts, runJobNow, type JobResult } from '../jobs/job-runner.ts';
import { platformJobs } from '../jobs/platform-jobs.ts';
import { isIsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { configFrom, progress, withDatabase } from './context.ts';

function jobsOf(config: Config) {
  return platformJobs({ baseUrl: config.publicUrl ?? `http://localhost:${config.port}` });
}

function every(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

function summary(result: JobResult | null): string {
  if (!result) return '-';
  return resultCounts(result)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('Scheduled jobs: expiry, vacating, renewal reminders, stale approvals');

  jobs
    .command('list')
    .description('Each job: interval, last run, result, error, next run')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { json?: boolean; dataDir?: string }) => {
      const config = configFrom(flags);
      await withDatabase(config, async ({ db }) => {
        const list = await listJobs(db, jobsOf(config));
        if (flags.json) {
          const rows = list.map((j) => ({
            name: j.name,
            description: j.description,
            intervalSeconds: j.intervalSeconds,
            running: j.running,
            lockedBy: j.lockedBy,
            lastStartedAt: iso(j.lastStartedAt),
            lastFinishedAt: iso(j.lastFinishedAt),
            lastResult: j.lastResult,
            lastError: j.lastError,
            nextRunAt: iso(j.nextRunAt),
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const j of list) {
          const last = j.running ? `running since ${iso(j.lastStartedAt)} on ${j.lockedBy}` : j.lastFinishedAt ? `last run ${iso(j.lastFinishedAt)}` : 'never run';
          // A job never run has no row yet: the runner's first pass inserts it, due at once.
          const next = j.nextRunAt && j.lastStartedAt ? iso(j.nextRunAt) : 'at the next check';
          process.stdout.write(`${j.name}  (${every(j.intervalSeconds)})  ${j.description}\n`);
          process.stdout.write(`  ${last}; next run ${next}\n`);
          if (j.lastResult) process.stdout.write(`  result: ${summary(j.lastResult)}\n`);
          if (j.lastError) process.stdout.write(`  error: ${j.lastError}\n`);
        }
      });
    });

  jobs
    .command('run')
    .description('Run one job now, as of today or --today, and print its result as JSON')
    .argument('<name>', 'the job, e.g. certifications.expire (see `pss jobs list`)')
    .option('--today <date>', 'run as of this date, YYYY-MM-DD (default: today in California)')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (name: string, flags: { today?: string; dataDir?: string }) => {
      // Refuse a bad date or an unknown job before opening the database.
      if (flags.today !== undefined && !isIsoDate(flags.today)) throw new AppError('bad-request', `--today must be a date written YYYY-MM-DD, not "${flags.today}".`);
      const config = configFrom(flags);
      const registry = jobsOf(config);
      if (!registry.some((j) => j.name === name)) {
        throw new AppError('not-found', `There is no scheduled job named "${name}". The jobs are: ${registry.map((j) => j.name).join(', ')}.`);
      }
      await withDatabase(config, async ({ db }) => {
        const outcome = await runJobNow(db, name, {
          jobs: registry,
          today: flags.today,
          instanceId: `${os.hostname()}:${process.pid} (cli)`,
          requestedBy: { actor: { role: 'cli' }, userAgent: 'pss jobs run' },
        });
        if (outcome.error !== null) {
          process.stderr.write(`error: ${name} failed: ${outcome.error}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
        progress(`${name} ran${flags.today ? ` as of ${flags.today}` : ''}: ${summary(outcome.result)}.`);
      });
    });
}
