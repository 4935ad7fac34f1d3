// The alerts' scheduled jobs, run by the database-backed runner (src/jobs/): detect changes, then send webhooks.
import type { ScheduledJob } from '../jobs/job-runner.ts';
import { detectStatusChanges } from './detect-status-changes.ts';
import { deliverWebhooks } from './deliver-webhooks.ts';

export const ALERT_JOB_NAMES = { detect: 'alerts.detect', deliver: 'alerts.deliver' } as const;

const EVERY_MINUTE = 60;
/** A run that dies holds its job this long at most. */
const LEASE_SECONDS = 10 * 60;

export function alertJobs(options: { baseUrl: string }): ScheduledJob[] {
  return [
    {
      name: ALERT_JOB_NAMES.detect,
      description: 'Certification status changes become alerts to the people watching those numbers (email, webhook)',
      intervalSeconds: EVERY_MINUTE,
      leaseSeconds: LEASE_SECONDS,
      run: (db) => detectStatusChanges(db, { baseUrl: options.baseUrl }),
    },
    {
      name: ALERT_JOB_NAMES.deliver,
      description: 'Webhook deliveries that are due are sent; failures are retried with backoff',
      intervalSeconds: EVERY_MINUTE,
      leaseSeconds: LEASE_SECONDS,
      run: (db) => deliverWebhooks(db),
    },
  ];
}
