// Withdrawing an application: the applicant's own decision to stop, from any status the machine lets end that way.
// The application closes (it leaves the review queue and no longer blocks a new one); its fees stay as charged —
// there is no notion of voiding a fee, and settling or waiving one is staff's business.
import type { UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { loadOwnApplication } from './application-access.ts';
import { APPLICATION_TRANSITIONS, transitionApplication, type ApplicationRow } from './application-status.ts';
import type { ApplicationStatus } from './vocabulary.ts';

export const WITHDRAWAL_REASON_MAX_LENGTH = 500;

/** Whether an application in this status may still be withdrawn. */
export function isWithdrawable(status: string): boolean {
  return APPLICATION_TRANSITIONS[status as ApplicationStatus]?.includes('withdrawn') ?? false;
}

export async function withdrawApplication(db: Db, input: { applicationId: string; reason?: string | undefined }, context: UseCaseContext): Promise<ApplicationRow> {
  const reason = input.reason?.trim() ?? '';
  if (reason.length > WITHDRAWAL_REASON_MAX_LENGTH) {
    const message = `Keep the reason to ${WITHDRAWAL_REASON_MAX_LENGTH} characters or fewer.`;
    throw new AppError('bad-request', message, [{ path: 'reason', message }]);
  }
  return db.transaction(async (tx) => {
    const { application } = await loadOwnApplication(tx, input.applicationId, context);
    return transitionApplication(tx, application, 'withdrawn', context, { reason: reason === '' ? null : reason });
  });
}
