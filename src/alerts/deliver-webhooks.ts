// The webhook sender: claims due deliveries (FOR UPDATE SKIP LOCKED, then a lease, so two instances never send one
// at once), POSTs each signed payload with a timeout, logs every attempt, and schedules the next with exponential
// backoff — delivered on a 2xx answer, failed after the last attempt. A lease that runs out (a sender that died
// mid-request) lets another take the delivery again, so a receiver may see an event twice: it de-duplicates by
// X-PSS-Event-Id.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.ts';
import type { JobResult } from '../jobs/job-runner.ts';
import { alertDeliveries, alertDeliveryAttempts, alertNotifications, alertSubscribers } from './alerts.schema.ts';
import { signatureHeader } from './webhook-signature.ts';

/** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery has failed. Six attempts in all. */
export const RETRY_DELAYS_SECONDS: readonly number[] = [60, 5 * 60, 30 * 60, 2 * 60 * 60, 12 * 60 * 60];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
export const DEFAULT_TIMEOUT_MS = 5000;
/** How long a claim holds: well over the timeout, so a live sender always finishes first. */
const LEASE_SECONDS = 120;
const BATCH = 10;

export interface DeliverOptions {
  /** The time of this run (tests pass one): what is due, and when the next attempt comes. */
  now?: Date;
  timeoutMs?: number;
  /** At most this many deliveries in one run. */
  max?: number;
}

interface Claimed {
  id: string;
  attempts: number;
  payload: string;
  eventId: string;
  url: string | null;
  secret: string | null;
}

/** Take up to `limit` due deliveries for this sender. */
async function claimDue(db: Db, now: Date, token: string, limit: number): Promise<Claimed[]> {
  const nowText = now.toISOString();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update alert_deliveries set locked_until = ${nowText}::timestamptz + make_interval(secs => ${LEASE_SECONDS}), claim_token = ${token}
        where id in (
          select id from alert_deliveries
          where status = 'pending' and next_attempt_at <= ${nowText}::timestamptz and (locked_until is null or locked_until < ${nowText}::timestamptz)
          order by next_attempt_at, id
          limit ${limit}
          for update skip locked)
        returning id`,
  );
  if (rows.length === 0) return [];
  return db
    .select({
      id: alertDeliveries.id,
      attempts: alertDeliveries.attempts,
      payload: alertNotifications.payload,
      eventId: alertNotifications.id,
      url: alertSubscribers.webhookUrl,
      secret: alertSubscribers.webhookSecret,
    })
    .from(alertDeliveries)
    .innerJoin(alertNotifications, eq(alertNotifications.id, alertDeliveries.notificationId))
    .leftJoin(alertSubscribers, eq(alertSubscribers.userId, alertDeliveries.userId))
    .where(and(inArray(alertDeliveries.id, rows.map((r) => r.id)), eq(alertDeliveries.claimToken, token)));
}

interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Why a request failed, in a few words (never the response body). */
function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return `request failed: ${detail}`.slice(0, 300);
}

/** POST one delivery. Redirects are not followed (a 3xx is a failed attempt): the address registered is the one called. */
async function post(delivery: Claimed & { url: string; secret: string }, now: Date, timeoutMs: number): Promise<AttemptOutcome> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const started = performance.now();
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Medi-Cal-PSS-Alerts/1',
        'x-pss-event-id': delivery.eventId,
        'x-pss-timestamp': String(timestamp),
        'x-pss-signature': signatureHeader(delivery.secret, timestamp, delivery.payload),
      },
      body: delivery.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined);
    const durationMs = Math.round(performance.now() - started);
    return { statusCode: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`, durationMs };
  } catch (err) {
    return { statusCode: null, error: describeFailure(err, timeoutMs), durationMs: Math.round(performance.now() - started) };
  }
}

type Result = 'delivered' | 'retrying' | 'failed' | 'cancelled' | 'leaseLost';

/** Log the attempt and move the delivery on, if this sender still holds it. */
async function record(db: Db, delivery: Claimed, url: string, outcome: AttemptOutcome, now: Date, token: string): Promise<Result> {
  const attempt = delivery.attempts + 1;
  const delivered = outcome.error === null;
  const delay = RETRY_DELAYS_SECONDS[attempt - 1];
  const status = delivered ? 'delivered' : delay === undefined ? 'failed' : 'pending';
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertDeliveries)
      .set({
        status,
        attempts: attempt,
        lastAttemptAt: now,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        deliveredAt: delivered ? now : null,
        nextAttemptAt: status === 'pending' && delay !== undefined ? new Date(now.getTime() + delay * 1000) : null,
        lockedUntil: null,
        claimToken: null,
      })
      .where(and(eq(alertDeliveries.id, delivery.id), eq(alertDeliveries.claimToken, token), eq(alertDeliveries.status, 'pending')))
      .returning({ id: alertDeliveries.id });
    if (!row) return 'leaseLost';
    await tx.insert(alertDeliveryAttempts).values({ deliveryId: delivery.id, attemptNumber: attempt, url, attemptedAt: now, durationMs: outcome.durationMs, statusCode: outcome.statusCode, error: outcome.error });
    return delivered ? 'delivered' : status === 'failed' ? 'failed' : 'retrying';
  });
}

async function deliverOne(db: Db, delivery: Claimed, now: Date, timeoutMs: number, token: string): Promise<Result> {
  const { url, secret } = delivery;
  if (url === null || secret === null) {
    // The webhook was deleted after this delivery was made.
    await db
      .update(alertDeliveries)
      .set({ status: 'cancelled', nextAttemptAt: null, lockedUntil: null, claimToken: null })
      .where(and(eq(alertDeliveries.id, delivery.id), eq(alertDeliveries.claimToken, token)));
    return 'cancelled';
  }
  const outcome = await post({ ...delivery, url, secret }, now, timeoutMs);
  return record(db, delivery, url, outcome, now, token);
}

/** One run of the sender: every due delivery (up to `max`), a few at a time. */
export async function deliverWebhooks(db: Db, options: DeliverOptions = {}): Promise<JobResult> {
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const max = options.max ?? 200;
  const counts: Record<Result, number> = { delivered: 0, retrying: 0, failed: 0, cancelled: 0, leaseLost: 0 };
  let taken = 0;
  const token = randomBytes(16).toString('hex');
  while (taken < max) {
    const batch = await claimDue(db, now, token, Math.min(BATCH, max - taken));
    if (batch.length === 0) break;
    taken += batch.length;
    const results = await Promise.all(batch.map((d) => deliverOne(db, d, now, timeoutMs, token)));
    for (const r of results) counts[r]++;
  }
  return { due: taken, ...counts };
}
