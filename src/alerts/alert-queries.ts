// What a person reads about their own alerts: the watch list with each number's registry status today, the recent
// notifications, their webhook (never its secret) and the delivery log. Always the asking person's rows only.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { todayOf, type UseCaseContext } from '../access/context.ts';
import { fullLegalName } from '../certification/certificate-data.ts';
import { statusOnSql } from '../certification/certification-status.ts';
import { certifications, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { watcherOf } from './alerts-context.ts';
import { alertDeliveries, alertDeliveryAttempts, alertNotifications, alertSubscribers, alertWatches } from './alerts.schema.ts';

export interface WatchedCertification {
  number: string;
  fullName: string;
  /** The registry's status today (null before the first issue). */
  statusToday: string | null;
  addedAt: Date;
}

export async function myWatchList(db: Db, context: UseCaseContext): Promise<{ today: string; watches: WatchedCertification[] }> {
  const userId = watcherOf(context, 'alerts.watch');
  const today = todayOf(context);
  const rows = await db
    .select({
      number: certifications.number,
      first: peers.legalFirstName,
      middle: peers.legalMiddleName,
      last: peers.legalLastName,
      statusToday: statusOnSql(certifications.id, sql`${today}::date`),
      addedAt: alertWatches.createdAt,
    })
    .from(alertWatches)
    .innerJoin(certifications, eq(certifications.id, alertWatches.certificationId))
    .innerJoin(peers, eq(peers.id, certifications.peerId))
    .where(and(eq(alertWatches.userId, userId), isNull(alertWatches.removedAt)))
    .orderBy(asc(certifications.number));
  return { today, watches: rows.map((r) => ({ number: r.number, fullName: fullLegalName(r), statusToday: r.statusToday, addedAt: r.addedAt })) };
}

export interface NotificationView {
  id: string;
  number: string;
  statusBefore: string | null;
  statusAfter: string;
  effectiveOn: string;
  createdAt: Date;
}

export async function myNotifications(db: Db, context: UseCaseContext, limit = 50): Promise<NotificationView[]> {
  const userId = watcherOf(context, 'alerts.watch');
  return db
    .select({
      id: alertNotifications.id,
      number: alertNotifications.number,
      statusBefore: alertNotifications.statusBefore,
      statusAfter: alertNotifications.statusAfter,
      effectiveOn: alertNotifications.effectiveOn,
      createdAt: alertNotifications.createdAt,
    })
    .from(alertNotifications)
    .where(eq(alertNotifications.userId, userId))
    .orderBy(desc(alertNotifications.createdAt), desc(alertNotifications.id))
    .limit(limit);
}

export interface WebhookView {
  url: string;
  registeredAt: Date;
  secretRotatedAt: Date | null;
}

export async function myWebhook(db: Db, context: UseCaseContext): Promise<WebhookView | null> {
  const userId = watcherOf(context, 'alerts.webhook');
  const [row] = await db
    .select({ url: alertSubscribers.webhookUrl, registeredAt: alertSubscribers.webhookRegisteredAt, secretRotatedAt: alertSubscribers.secretRotatedAt })
    .from(alertSubscribers)
    .where(eq(alertSubscribers.userId, userId));
  return row?.url && row.registeredAt ? { url: row.url, registeredAt: row.registeredAt, secretRotatedAt: row.secretRotatedAt } : null;
}

export interface AttemptView {
  attemptNumber: number;
  url: string;
  attemptedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  number: string;
  statusAfter: string;
  status: string;
  attempts: number;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attemptLog: AttemptView[];
}

/** The person's webhook deliveries, newest first, each with its attempts. */
export async function myDeliveries(db: Db, context: UseCaseContext, limit = 100): Promise<DeliveryView[]> {
  const userId = watcherOf(context, 'alerts.webhook');
  const rows = await db
    .select({
      id: alertDeliveries.id,
      eventId: alertNotifications.id,
      number: alertNotifications.number,
      statusAfter: alertNotifications.statusAfter,
      status: alertDeliveries.status,
      attempts: alertDeliveries.attempts,
      lastAttemptAt: alertDeliveries.lastAttemptAt,
      lastStatusCode: alertDeliveries.lastStatusCode,
      lastError: alertDeliveries.lastError,
      nextAttemptAt: alertDeliveries.nextAttemptAt,
      deliveredAt: alertDeliveries.deliveredAt,
      createdAt: alertDeliveries.createdAt,
    })
    .from(alertDeliveries)
    .innerJoin(alertNotifications, eq(alertNotifications.id, alertDeliveries.notificationId))
    .where(eq(alertDeliveries.userId, userId))
    .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.id))
    .limit(limit);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(alertDeliveryAttempts)
          .where(inArray(alertDeliveryAttempts.deliveryId, rows.map((r) => r.id)))
          .orderBy(asc(alertDeliveryAttempts.attemptNumber));
  return rows.map((r) => ({
    ...r,
    attemptLog: attempts
      .filter((a) => a.deliveryId === r.id)
      .map((a) => ({ attemptNumber: a.attemptNumber, url: a.url, attemptedAt: a.attemptedAt, durationMs: a.durationMs, statusCode: a.statusCode, error: a.error })),
  }));
}
