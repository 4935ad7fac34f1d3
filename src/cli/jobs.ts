// `pss jobs`: the scheduled jobs (list, run one now).
import type { Command } from 'commander';

export function registerJobs(program: Command): void {
  program.command('jobs').description('Scheduled jobs: expiry, vacating, renewal reminders, stale approvals');
}
