// The detector: reads certification_status_changes (written only by changeCertificationStatus) from its cursor and
// makes one notification per watcher per change — an email through the outbox in the watcher's language and, when
// they registered a webhook, a delivery for the sender (deliver-webhooks.ts).
//
// History rows carry recorded_at = the start of the transaction that wrote them, so a long transaction can commit a
// row older than rows already read. Each run therefore reads again from `overlap` before its cursor; the unique
// (watch, change) notification makes a row read twice notify nobody twice. A watch only hears of changes recorded
// after it was added.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { can } from '../access/can.ts';
import { toRoleGrants } from '../access/roles.ts';
import { queueEmail } from '../accounts/outbox.ts';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import { registryUrl } from '../certification/certificate-pdf.ts';
import { fullLegalName } from '../certification/certificate-data.ts';
import { certifications, certificationStatusChanges, peers } from '../certification/certification.schema.ts';
import { queryRows, type Db } from '../db/client.ts';
import type { JobResult } from '../jobs/job-runner.ts';
import { errorMessage } from '../jobs/job-runner.ts';
import { isLocale, type Locale } from '../web/i18n.ts';
import { statusChangeEmail } from './alert-email.ts';
import { alertCursors, alertDeliveries, alertNotifications, alertSubscribers, alertWatches } from './alerts.schema.ts';

export const CURSOR_NAME = 'certification_status_changes';
export const EVENT_TYPE = 'certification.status_changed';
/** How far before its cursor each run reads again, for rows committed after newer ones were read. */
export const DEFAULT_OVERLAP_SECONDS = 15 * 60;
const PAGE_SIZE = 200;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The webhook body: public registry facts about the change, nothing else (no contact details, dates of birth, county, applications or fees). */
export interface StatusChangedEvent {
  id: string;
  type: typeof EVENT_TYPE;
  certificationNumber: string;
  fullName: string;
  /** Null when the change is the first issue. */
  statusBefore: string | null;
  statusAfter: string;
  effectiveOn: string;
  recordedAt: string;
  registryUrl: string;
}

export interface DetectOptions {
  /** The address people use: the registry link in the payload and the email. */
  baseUrl: string;
  /** When the run happens (tests pass one): new deliveries are due from then. */
  now?: Date;
  overlapSeconds?: number;
}

interface ChangeRow {
  id: string;
  certificationId: string;
  status: string;
  effectiveOn: string;
  recordedAt: Date;
  /** recorded_at to the microsecond, as PostgreSQL writes it (a Date keeps milliseconds only). */
  recordedAtText: string;
  number: string;
  first: string;
  middle: string | null;
  last: string;
}

/**
 * The status in force just before this change, as the history recorded it before this change was written — and, as
 * the registry derives it, `expired` for a recorded `active` that no term covered (a term created in the change's own
 * transaction, as a late renewal makes, does not count).
 */
async function statusBefore(tx: Db, change: ChangeRow): Promise<string | null> {
  const [row] = await queryRows<{ status: string; covered: boolean }>(
    tx,
    sql`select s.status,
          exists (select 1 from certification_cycles y
                  where y.certification_id = s.certification_id and y.issued_on <= ${change.effectiveOn}::date
                    and y.expires_on > ${change.effectiveOn}::date and y.created_at < ${change.recordedAtText}::timestamptz) as covered
        from certification_status_changes s
        where s.certification_id = ${change.certificationId}::uuid and s.id <> ${change.id}::uuid
          and s.effective_on <= ${change.effectiveOn}::date and s.recorded_at <= ${change.recordedAtText}::timestamptz
        order by s.effective_on desc, s.recorded_at desc
        limit 1`,
  );
  if (!row) return null;
  if (row.status === 'active' && change.status !== 'expired' && !row.covered) return 'expired';
  return row.status;
}

class Counts {
  changes = 0;
  notified = 0;
  emails = 0;
  webhooks = 0;
  failed = 0;
  failures: Array<{ record: string; error: string }> = [];
  result(): JobResult {
    return { changes: this.changes, notified: this.notified, emails: this.emails, webhooks: this.webhooks, failed: this.failed, failures: this.failures.slice(0, 20) };
  }
}

/** Notify every current watcher of one change, in one transaction. Returns how many were notified. */
async function notifyWatchers(db: Db, change: ChangeRow, options: Required<Pick<DetectOptions, 'baseUrl'>> & { now: Date }, counts: Counts): Promise<void> {
  await db.transaction(async (tx) => {
    const watchers = await tx
      .select({ watchId: alertWatches.id, userId: alertWatches.userId, email: users.email, displayName: users.displayName, locale: alertSubscribers.locale, webhookUrl: alertSubscribers.webhookUrl })
      .from(alertWatches)
      .innerJoin(users, eq(users.id, alertWatches.userId))
      .leftJoin(alertSubscribers, eq(alertSubscribers.userId, alertWatches.userId))
      .where(and(eq(alertWatches.certificationId, change.certificationId), isNull(alertWatches.removedAt), lte(alertWatches.createdAt, sql`${change.recordedAtText}::timestamptz`), isNull(users.deactivatedAt)));
    if (watchers.length === 0) return;
    // Only people who still hold a role that keeps a watch list hear of it (the same rule as the pages).
    const grants = await tx
      .select({ userId: roleAssignments.userId, role: roleAssignments.role, countyFips: roleAssignments.countyFips })
      .from(roleAssignments)
      .where(and(inArray(roleAssignments.userId, watchers.map((w) => w.userId)), isNull(roleAssignments.revokedAt)));
    const allowed = watchers.filter((w) => {
      const roles = toRoleGrants(grants.filter((g) => g.userId === w.userId));
      return can({ kind: 'user', userId: w.userId, roles }, 'alerts.watch', { userId: w.userId });
    });
    if (allowed.length === 0) return;
    const before = await statusBefore(tx, change);
    const fullName = fullLegalName({ first: change.first, middle: change.middle, last: change.last });
    const registry = registryUrl(options.baseUrl, change.number);
    for (const watcher of allowed) {
      const id = randomUUID();
      const event: StatusChangedEvent = {
        id,
        type: EVENT_TYPE,
        certificationNumber: change.number,
        fullName,
        statusBefore: before,
        statusAfter: change.status,
        effectiveOn: change.effectiveOn,
        recordedAt: change.recordedAt.toISOString(),
        registryUrl: registry,
      };
      const [created] = await tx
        .insert(alertNotifications)
        .values({
          id,
          watchId: watcher.watchId,
          userId: watcher.userId,
          changeId: change.id,
          number: change.number,
          statusBefore: before,
          statusAfter: change.status,
          effectiveOn: change.effectiveOn,
          changeRecordedAt: change.recordedAt,
          payload: JSON.stringify(event),
        })
        .onConflictDoNothing()
        .returning({ id: alertNotifications.id });
      if (!created) continue; // told already (a run that read this row before)
      counts.notified++;
      const locale: Locale = isLocale(watcher.locale) ? watcher.locale : 'en';
      await queueEmail(tx, {
        to: watcher.email,
        ...statusChangeEmail({ locale, name: watcher.displayName, number: change.number, fullName, before, after: change.status, effectiveOn: change.effectiveOn, registryUrl: registry, alertsUrl: `${options.baseUrl.replace(/\/+$/, '')}/alerts` }),
      });
      counts.emails++;
      if (watcher.webhookUrl) {
        await tx.insert(alertDeliveries).values({ notificationId: id, userId: watcher.userId, nextAttemptAt: options.now });
        counts.webhooks++;
      }
    }
  });
}

/** One run of the detector: every change recorded since the cursor (and the overlap before it), in order. */
export async function detectStatusChanges(db: Db, options: DetectOptions): Promise<JobResult> {
  const now = options.now ?? new Date();
  const overlapMs = (options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000;
  const counts = new Counts();
  const [cursor] = await db.select().from(alertCursors).where(eq(alertCursors.name, CURSOR_NAME));
  // Read before the scan, so every row visible now is examined before the cursor passes it.
  const newest = await newestChange(db);
  let from: Date;
  if (cursor) {
    // A millisecond less than the cursor at most: the overlap is far wider than what a Date drops.
    from = new Date(cursor.recordedAt.getTime() - overlapMs);
  } else {
    // First run: nothing before the oldest watch can concern anyone.
    const [oldest] = await queryRows<{ at: Date | string | null }>(db, sql`select min(created_at) as at from alert_watches`);
    if (!oldest?.at) {
      await advanceCursor(db, newest);
      return counts.result();
    }
    from = new Date(new Date(oldest.at).getTime() - overlapMs);
  }
  let after: Position = { recordedAt: from.toISOString(), id: ZERO_UUID };
  for (;;) {
    const page: ChangeRow[] = await db
      .select({
        id: certificationStatusChanges.id,
        certificationId: certificationStatusChanges.certificationId,
        status: certificationStatusChanges.status,
        effectiveOn: certificationStatusChanges.effectiveOn,
        recordedAt: certificationStatusChanges.recordedAt,
        recordedAtText: sql<string>`${certificationStatusChanges.recordedAt}::text`,
        number: certifications.number,
        first: peers.legalFirstName,
        middle: peers.legalMiddleName,
        last: peers.legalLastName,
      })
      .from(certificationStatusChanges)
      .innerJoin(certifications, eq(certifications.id, certificationStatusChanges.certificationId))
      .innerJoin(peers, eq(peers.id, certifications.peerId))
      .where(
        sql`(${certificationStatusChanges.recordedAt}, ${certificationStatusChanges.id}) > (${after.recordedAt}::timestamptz, ${after.id}::uuid)
          and exists (select 1 from alert_watches w where w.certification_id = ${certificationStatusChanges.certificationId} and w.removed_at is null and w.created_at <= ${certificationStatusChanges.recordedAt})
          and not exists (select 1 from alert_notifications n where n.change_id = ${certificationStatusChanges.id})`,
      )
      .orderBy(certificationStatusChanges.recordedAt, certificationStatusChanges.id)
      .limit(PAGE_SIZE);
    // Only changes someone watches and nobody has been told of yet: a re-read of the overlap costs little.
    for (const change of page) {
      counts.changes++;
      try {
        await notifyWatchers(db, change, { baseUrl: options.baseUrl, now }, counts);
      } catch (err) {
        // Left for the next run (the cursor stops before it): it is read again until it goes through.
        counts.failed++;
        counts.failures.push({ record: change.number, error: errorMessage(err) });
        return counts.result();
      }
      after = { recordedAt: change.recordedAtText, id: change.id };
      await advanceCursor(db, after);
    }
    if (page.length < PAGE_SIZE) break;
  }
  // Changes nobody watches moved nothing above; the cursor still passes them, so the next run reads little.
  await advanceCursor(db, newest);
  return counts.result();
}

/** A place in the history's order: recorded_at (as text, to the microsecond) and id. */
interface Position {
  recordedAt: string;
  id: string;
}

async function newestChange(db: Db): Promise<Position | undefined> {
  const [row] = await db
    .select({ recordedAt: sql<string>`${certificationStatusChanges.recordedAt}::text`, id: certificationStatusChanges.id })
    .from(certificationStatusChanges)
    .orderBy(sql`${certificationStatusChanges.recordedAt} desc, ${certificationStatusChanges.id} desc`)
    .limit(1);
  return row;
}

/** Move the cursor forward to this change (never back: a re-read of the overlap leaves it where it was). */
async function advanceCursor(db: Db, to: Position | undefined): Promise<void> {
  if (!to) return;
  await db
    .insert(alertCursors)
    .values({ name: CURSOR_NAME, recordedAt: sql`${to.recordedAt}::timestamptz`, changeId: to.id })
    .onConflictDoUpdate({
      target: alertCursors.name,
      set: { recordedAt: sql`excluded.recorded_at`, changeId: sql`excluded.change_id`, updatedAt: sql`now()` },
      setWhere: sql`(${alertCursors.recordedAt}, ${alertCursors.changeId}) < (excluded.recorded_at, excluded.change_id)`,
    });
}
