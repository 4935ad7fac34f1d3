// What the platform does by itself as days pass (PROGRAM.md §5–7): terms that ran out become expired, long-expired
// certifications are vacated, peers are reminded to renew, and approvals past their valid-through date end.
// Each job is idempotent and works on one certification or application per transaction, so one failure is
// reported in the job's result and the rest proceed.
import { and, asc, eq, gt, inArray, isNotNull, lt, lte } from 'drizzle-orm';
import { systemContext, type UseCaseContext } from '../access/context.ts';
import { queueEmail } from '../accounts/outbox.ts';
import type { Db } from '../db/client.ts';
import type { JobResult, ScheduledJob } from '../jobs/job-runner.ts';
import { errorMessage } from '../jobs/job-runner.ts';
import { addDays, addYears, daysBetween } from '../lib/dates.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import type { ProgramRules } from '../rules/rule-definitions.ts';
import { translator, type Locale } from '../web/i18n.ts';
import { OPEN_APPROVAL_STATUSES, transitionApplication } from './application-status.ts';
import { changeCertificationStatus, refreshCurrentStatus } from './certification-status.ts';
import { applications, certifications, certificationStatusChanges, peers, renewalReminders } from './certification.schema.ts';

export const JOB_NAMES = {
  applyDated: 'certifications.apply_dated',
  expire: 'certifications.expire',
  vacate: 'certifications.vacate',
  remind: 'certifications.remind',
  expireApprovals: 'applications.expire_approvals',
} as const;

/** At most this many failures are listed in a result (the count is always whole). */
const LISTED_FAILURES = 20;

interface Failure {
  record: string;
  error: string;
}

/** Counts of a run, and the failures it met, as a job result. */
class Tally {
  readonly counts: Record<string, number>;
  private readonly failures: Failure[] = [];
  private failedCount = 0;

  constructor(...names: string[]) {
    this.counts = Object.fromEntries(names.map((n) => [n, 0]));
  }

  add(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  fail(record: string, err: unknown): void {
    this.failedCount++;
    if (this.failures.length < LISTED_FAILURES) this.failures.push({ record, error: errorMessage(err) });
  }

  /** Run `work` in its own transaction; its error is counted against `record` and does not stop the job. */
  async each<T>(db: Db, record: string, work: (tx: Db) => Promise<T>): Promise<T | undefined> {
    try {
      return await db.transaction(work);
    } catch (err) {
      this.fail(record, err);
      return undefined;
    }
  }

  result(): JobResult {
    return { ...this.counts, failed: this.failedCount, failures: this.failures.map((f) => ({ ...f })) };
  }
}

/** How far back the dated-change job looks: a week of missed runs is caught up. */
const DATED_LOOKBACK_DAYS = 7;

/**
 * Changes recorded ahead of their date (the end of a suspension, recorded when it was decided) take effect: the
 * status-today column follows the history. Verification never depends on this (it reads the history by date); the
 * jobs that read the column (expiry) do.
 */
export async function applyDatedChanges(db: Db, today: string): Promise<JobResult> {
  const tally = new Tally('due', 'updated');
  const due = await db
    .selectDistinct({ id: certifications.id, number: certifications.number, status: certifications.status })
    .from(certificationStatusChanges)
    .innerJoin(certifications, eq(certifications.id, certificationStatusChanges.certificationId))
    .where(and(gt(certificationStatusChanges.effectiveOn, addDays(today, -DATED_LOOKBACK_DAYS)), lte(certificationStatusChanges.effectiveOn, today)))
    .orderBy(asc(certifications.number));
  tally.add('due', due.length);
  for (const cert of due) {
    const changed = await tally.each(db, cert.number, async (tx) => {
      await refreshCurrentStatus(tx, cert.id, today);
      const [after] = await tx.select({ status: certifications.status }).from(certifications).where(eq(certifications.id, cert.id));
      return after?.status !== cert.status;
    });
    if (changed) tally.add('updated');
  }
  return tally.result();
}

/** Active certifications whose term has ended become expired from their expiry date. */
export async function expireCertifications(db: Db, today: string): Promise<JobResult> {
  const context = systemContext(JOB_NAMES.expire, today);
  const tally = new Tally('due', 'expired');
  const due = await db
    .select({ id: certifications.id, number: certifications.number })
    .from(certifications)
    .where(and(eq(certifications.status, 'active'), lte(certifications.expiresOn, today)))
    .orderBy(asc(certifications.expiresOn), asc(certifications.number));
  tally.add('due', due.length);
  for (const { id, number } of due) {
    const expired = await tally.each(db, number, async (tx) => {
      const [cert] = await tx.select().from(certifications).where(eq(certifications.id, id)).for('update');
      // Looked at again under the lock: a renewal or another run may have come in between.
      if (!cert || cert.status !== 'active' || cert.expiresOn > today) return false;
      await changeCertificationStatus(tx, { certificationId: id, to: 'expired', effectiveOn: cert.expiresOn, reasonCode: 'expired', reason: `term ended on ${cert.expiresOn}` }, context);
      return true;
    });
    if (expired) tally.add('expired');
  }
  return tally.result();
}

/** The rules in force on each date asked about, read once per run. */
function rulesCache(db: Db): (date: string) => Promise<ProgramRules> {
  const cache = new Map<string, Promise<ProgramRules>>();
  return (date) => {
    let rules = cache.get(date);
    if (!rules) {
      rules = rulesAsOf(db, date);
      cache.set(date, rules);
    }
    return rules;
  };
}

/**
 * Expired certifications not restored within `expiry.vacate_after_years` (the rule in force on the renewal due
 * date, which is the expiry date) are vacated from the day that period ends.
 */
export async function vacateCertifications(db: Db, today: string): Promise<JobResult> {
  const context = systemContext(JOB_NAMES.vacate, today);
  const tally = new Tally('due', 'vacated');
  const rulesOn = rulesCache(db);
  const expired = await db
    .select({ id: certifications.id, number: certifications.number, expiresOn: certifications.expiresOn })
    .from(certifications)
    .where(and(eq(certifications.status, 'expired'), lte(certifications.expiresOn, today)))
    .orderBy(asc(certifications.expiresOn), asc(certifications.number));
  for (const { id, number, expiresOn } of expired) {
    let years: number;
    try {
      years = (await rulesOn(expiresOn))['expiry.vacate_after_years'];
    } catch (err) {
      tally.fail(number, err);
      continue;
    }
    const vacateOn = addYears(expiresOn, years);
    if (vacateOn > today) continue;
    tally.add('due');
    const vacated = await tally.each(db, number, async (tx) => {
      const [cert] = await tx.select().from(certifications).where(eq(certifications.id, id)).for('update');
      if (!cert || cert.status !== 'expired' || cert.expiresOn !== expiresOn) return false;
      await changeCertificationStatus(
        tx,
        { certificationId: id, to: 'vacated', effectiveOn: vacateOn, reasonCode: 'vacated', reason: `not restored within ${years} years of the renewal due date ${expiresOn}` },
        context,
      );
      return true;
    });
    if (vacated) tally.add('vacated');
  }
  return tally.result();
}

/** A date as people read it in an email. */
function longDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

function dollars(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

export interface ReminderEmailInput {
  locale: Locale;
  firstName: string;
  number: string;
  expiresOn: string;
  /** The first day a renewal may be submitted. */
  windowOpensOn: string;
  ceHours: number;
  lawEthicsHours: number;
  feeCents: number;
  /** The absolute address of /my-certification. */
  link: string;
}

/** The renewal reminder in the peer's language. */
export function renewalReminderEmail(input: ReminderEmailInput): { subject: string; text: string } {
  const t = translator(input.locale);
  const values = {
    name: input.firstName,
    number: input.number,
    expiresOn: longDate(input.expiresOn, input.locale),
    opensOn: longDate(input.windowOpensOn, input.locale),
    ceHours: input.ceHours,
    lawEthicsHours: input.lawEthicsHours,
    fee: dollars(input.feeCents, input.locale),
    link: input.link,
  };
  return { subject: t('jobs.reminder.subject', values), text: t('jobs.reminder.text', values) };
}

/**
 * Renewal reminders: for a certification inside `renewal.reminder_offsets_days` of its expiry, one email per term
 * and offset. Only the nearest offset that has come counts, so a certification first seen 20 days before expiry
 * gets the 30-day reminder alone, not the 90- and 30-day ones at once.
 */
export async function sendRenewalReminders(db: Db, today: string, options: { baseUrl: string }): Promise<JobResult> {
  const tally = new Tally('due', 'sent', 'alreadySent', 'noEmail');
  const rules = await rulesAsOf(db, today);
  const offsets = [...new Set(rules['renewal.reminder_offsets_days'])].sort((a, b) => a - b);
  const widest = offsets.at(-1);
  if (widest === undefined) return tally.result();
  const inReach = and(eq(certifications.status, 'active'), gt(certifications.expiresOn, today), lte(certifications.expiresOn, addDays(today, widest)));
  const candidates = await db
    .select({
      id: certifications.id,
      number: certifications.number,
      expiresOn: certifications.expiresOn,
      email: peers.email,
      firstName: peers.legalFirstName,
      language: peers.preferredLanguage,
    })
    .from(certifications)
    .innerJoin(peers, eq(peers.id, certifications.peerId))
    .where(inReach)
    .orderBy(asc(certifications.expiresOn), asc(certifications.number));
  const sent = await db
    .select({ certificationId: renewalReminders.certificationId, offsetDays: renewalReminders.offsetDays })
    .from(renewalReminders)
    .innerJoin(certifications, and(eq(certifications.id, renewalReminders.certificationId), eq(certifications.expiresOn, renewalReminders.expiresOn)))
    .where(inReach);
  const sentOffsets = new Map<string, number[]>();
  for (const s of sent) sentOffsets.set(s.certificationId, [...(sentOffsets.get(s.certificationId) ?? []), s.offsetDays]);
  const link = `${options.baseUrl.replace(/\/$/, '')}/my-certification`;

  for (const cert of candidates) {
    const daysLeft = daysBetween(today, cert.expiresOn);
    const nearest = offsets.find((o) => o >= daysLeft);
    if (nearest === undefined) continue;
    tally.add('due');
    // A reminder for this offset or a nearer one already went out this term.
    if ((sentOffsets.get(cert.id) ?? []).some((o) => o <= nearest)) {
      tally.add('alreadySent');
      continue;
    }
    if (!cert.email) {
      tally.add('noEmail');
      continue;
    }
    const email = cert.email;
    const outcome = await tally.each(db, cert.number, async (tx) => {
      const [current] = await tx.select({ status: certifications.status, expiresOn: certifications.expiresOn }).from(certifications).where(eq(certifications.id, cert.id)).for('update');
      if (!current || current.status !== 'active' || current.expiresOn !== cert.expiresOn) return 'changed' as const;
      // The unique row is the promise to send once: a second run (or instance) inserts nothing and sends nothing.
      const [row] = await tx.insert(renewalReminders).values({ certificationId: cert.id, expiresOn: cert.expiresOn, offsetDays: nearest }).onConflictDoNothing().returning();
      if (!row) return 'alreadySent' as const;
      const locale: Locale = cert.language === 'es' ? 'es' : 'en';
      const message = renewalReminderEmail({
        locale,
        firstName: cert.firstName,
        number: cert.number,
        expiresOn: cert.expiresOn,
        windowOpensOn: addDays(cert.expiresOn, -rules['renewal.window_days']),
        ceHours: rules['renewal.ce_hours'],
        lawEthicsHours: rules['renewal.law_ethics_hours'],
        feeCents: rules['fee.renewal'],
        link,
      });
      await queueEmail(tx, { to: email, ...message });
      return 'sent' as const;
    });
    if (outcome === 'sent' || outcome === 'alreadySent') tally.add(outcome);
  }
  return tally.result();
}

/** Approvals whose valid-through date has passed end as application_expired (PROGRAM.md §4.5). */
export async function expireStaleApprovals(db: Db, today: string): Promise<JobResult> {
  const context: UseCaseContext = systemContext(JOB_NAMES.expireApprovals, today);
  const tally = new Tally('due', 'expired');
  const stale = and(inArray(applications.status, [...OPEN_APPROVAL_STATUSES]), isNotNull(applications.validThrough), lt(applications.validThrough, today));
  const due = await db.select({ id: applications.id, number: applications.number }).from(applications).where(stale).orderBy(asc(applications.validThrough), asc(applications.number));
  tally.add('due', due.length);
  for (const { id, number } of due) {
    const expired = await tally.each(db, number, async (tx) => {
      const [row] = await tx.select().from(applications).where(and(eq(applications.id, id), stale)).for('update');
      if (!row) return false;
      await transitionApplication(tx, row, 'application_expired', context, { reason: 'approval validity ended' });
      return true;
    });
    if (expired) tally.add('expired');
  }
  return tally.result();
}

const HOURLY = 60 * 60;

/** The certification domain's scheduled jobs, in the order a pass runs them (dated changes, then expiry, then vacating). */
export function certificationJobs(options: { baseUrl: string }): ScheduledJob[] {
  return [
    { name: JOB_NAMES.applyDated, description: 'Status changes recorded ahead of their date take effect (a suspension lifts)', intervalSeconds: HOURLY, run: applyDatedChanges },
    { name: JOB_NAMES.expire, description: 'Active certifications whose term ended become expired', intervalSeconds: HOURLY, run: expireCertifications },
    { name: JOB_NAMES.vacate, description: 'Certifications expired longer than the vacate rule become vacated', intervalSeconds: HOURLY, run: vacateCertifications },
    { name: JOB_NAMES.remind, description: 'Renewal reminders by email before expiry', intervalSeconds: HOURLY, run: (db, today) => sendRenewalReminders(db, today, options) },
    { name: JOB_NAMES.expireApprovals, description: 'Approvals past their valid-through date end', intervalSeconds: HOURLY, run: expireStaleApprovals },
  ];
}
