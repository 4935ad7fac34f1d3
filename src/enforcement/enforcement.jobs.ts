// Clock reminders (PROGRAM.md §10.2): the assigned investigator (or, for an unassigned case, every investigator) is
// emailed as an open case's acknowledgement or decision comes due — on the configured days before — and once more
// the day after it is missed. One row per case, clock, due date and offset makes a second run send nothing.
import { and, eq, isNull } from 'drizzle-orm';
import { queueEmail } from '../accounts/outbox.ts';
import { users } from '../accounts/accounts.schema.ts';
import type { Db } from '../db/client.ts';
import type { JobResult, ScheduledJob } from '../jobs/job-runner.ts';
import { daysBetween } from '../lib/dates.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { translator } from '../web/i18n.ts';
import { decisionDueOn } from './clocks.ts';
import { caseReminders, enforcementCases } from './enforcement.schema.ts';
import { investigators } from './work-case.ts';

export const ENFORCEMENT_JOB_NAMES = { remind: 'enforcement.remind' } as const;

/** The offset stored for the reminder sent once a clock has been missed. */
const OVERDUE = -1;

/** Which reminder is due today for a clock: the nearest configured offset reached, or OVERDUE; null for none. */
export function reminderOffset(dueOn: string, today: string, offsets: readonly number[]): number | null {
  const daysLeft = daysBetween(today, dueOn);
  if (daysLeft < 0) return OVERDUE;
  const reached = [...offsets].sort((a, b) => a - b).find((o) => o >= daysLeft);
  return reached ?? null;
}

export async function sendCaseReminders(db: Db, today: string, options: { baseUrl: string }): Promise<JobResult> {
  const offsets = (await rulesAsOf(db, today))['enforcement.reminder_offsets_days'];
  const open = await db
    .select({ c: enforcementCases, email: users.email })
    .from(enforcementCases)
    .leftJoin(users, eq(users.id, enforcementCases.assignedTo))
    .where(eq(enforcementCases.status, 'open'));
  const everyone = await investigators(db);
  const emails = await db.select({ id: users.id, email: users.email }).from(users).where(isNull(users.deactivatedAt));
  const staffEmails = emails.filter((u) => everyone.some((i) => i.id === u.id)).map((u) => u.email);
  let due = 0;
  let sent = 0;
  const t = translator('en');
  for (const { c, email } of open) {
    const clocks = [
      { clock: 'acknowledgement', dueOn: c.acknowledgeBy, done: c.acknowledgedOn !== null },
      { clock: 'decision', dueOn: decisionDueOn(c), done: false },
    ];
    for (const { clock, dueOn, done } of clocks) {
      if (done) continue;
      const offset = reminderOffset(dueOn, today, offsets);
      if (offset === null) continue;
      due++;
      const recipients = email ? [email] : staffEmails;
      const wrote = await db.transaction(async (tx) => {
        // A reminder for this offset or a nearer one (or the overdue one) already went out for this due date.
        const earlier = await tx.select({ offset: caseReminders.offsetDays }).from(caseReminders).where(and(eq(caseReminders.caseId, c.id), eq(caseReminders.clock, clock), eq(caseReminders.dueOn, dueOn)));
        if (earlier.some((r) => r.offset <= offset)) return false;
        const [row] = await tx.insert(caseReminders).values({ caseId: c.id, clock, dueOn, offsetDays: offset }).onConflictDoNothing().returning();
        if (!row) return false;
        for (const to of recipients) {
          await queueEmail(tx, {
            to,
            subject: t(offset === OVERDUE ? 'enforcement.reminderEmail.overdueSubject' : 'enforcement.reminderEmail.subject', { number: c.number, clock: t(`enforcement.clock.${clock}`), due: dueOn }),
            text: t('enforcement.reminderEmail.body', { number: c.number, clock: t(`enforcement.clock.${clock}`), due: dueOn, link: `${options.baseUrl.replace(/\/$/, '')}/enforcement/cases/${c.id}` }),
          });
        }
        return true;
      });
      if (wrote) sent++;
    }
  }
  return { due, reminders: sent };
}

export function enforcementJobs(options: { baseUrl: string }): ScheduledJob[] {
  return [
    {
      name: ENFORCEMENT_JOB_NAMES.remind,
      description: 'Investigators are reminded of case clocks coming due, and of those missed',
      intervalSeconds: 60 * 60,
      run: (db, today) => sendCaseReminders(db, today, options),
    },
  ];
}
