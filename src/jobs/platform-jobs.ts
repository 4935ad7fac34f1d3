// Every scheduled job of the platform, in the order a pass of the runner takes them.
import { alertJobs } from '../alerts/alerts.jobs.ts';
import { certificationJobs } from '../certification/scheduled-work.ts';
import { enforcementJobs } from '../enforcement/enforcement.jobs.ts';
import type { ScheduledJob } from './job-runner.ts';

/** `baseUrl`: the address people use, for links in the email the jobs send. */
export function platformJobs(options: { baseUrl: string }): ScheduledJob[] {
  return [...certificationJobs(options), ...alertJobs(options), ...enforcementJobs(options)];
}
