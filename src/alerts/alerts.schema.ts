// Tables of certification status alerts: each person's watch list and webhook endpoint, the detector's cursor over
// certification_status_changes, one notification per watcher per change, and the webhook deliveries with every
// attempt. A watch removed stays as history (removed_at), so the notifications and deliveries it produced stay
// readable.
import { sql } from 'drizzle-orm';
import { char, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { certifications, certificationStatusChanges } from '../certification/certification.schema.ts';

/** One certification number on one person's watch list. At most one active (not removed) row per person and number. */
export const alertWatches = pgTable(
  'alert_watches',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    certificationId: uuid('certification_id')
      .notNull()
      .references(() => certifications.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alert_watches_active').on(t.userId, t.certificationId).where(sql`removed_at is null`),
    index('alert_watches_certification').on(t.certificationId).where(sql`removed_at is null`),
  ],
);

/**
 * A person's alert settings: the language of their alert email (the language they last managed their list in) and
 * their webhook endpoint. The signing secret is stored as it is (it must be recoverable to sign each delivery), like
 * a password to another system: only this row holds it, it is never logged, audited or shown again after
 * registration or rotation.
 */
export const alertSubscribers = pgTable('alert_subscribers', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  locale: text('locale').notNull().default('en'),
  webhookUrl: text('webhook_url'),
  webhookSecret: text('webhook_secret'),
  webhookRegisteredAt: timestamp('webhook_registered_at', { withTimezone: true }),
  secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** How far the detector has read certification_status_changes, ordered by (recorded_at, id). One row per reader. */
export const alertCursors = pgTable('alert_cursors', {
  name: text('name').primaryKey(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  changeId: uuid('change_id').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One status change told to one watcher. Its id is the event id of the webhook. `payload` is the webhook body,
 * exactly as sent (public registry facts only), kept as text so every retry sends the same bytes.
 */
export const alertNotifications = pgTable(
  'alert_notifications',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    watchId: uuid('watch_id')
      .notNull()
      .references(() => alertWatches.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    changeId: uuid('change_id')
      .notNull()
      .references(() => certificationStatusChanges.id),
    number: text('number').notNull(),
    statusBefore: text('status_before'),
    statusAfter: text('status_after').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    changeRecordedAt: timestamp('change_recorded_at', { withTimezone: true }).notNull(),
    payload: text('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alert_notifications_once').on(t.watchId, t.changeId),
    index('alert_notifications_change').on(t.changeId),
    index('alert_notifications_user').on(t.userId, t.createdAt),
  ],
);

/** The webhook delivery of one notification: pending until a 2xx answer (delivered) or the last attempt (failed). */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => alertNotifications.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** pending | delivered | failed | cancelled (the webhook was deleted before it was delivered). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** A sender's claim: until then no other sender takes this delivery. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    claimToken: char('claim_token', { length: 32 }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alert_deliveries_notification').on(t.notificationId),
    index('alert_deliveries_due').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('alert_deliveries_user').on(t.userId, t.createdAt),
  ],
);

/** Every attempt of a delivery: when, where, the HTTP status or the error, and how long it took. */
export const alertDeliveryAttempts = pgTable(
  'alert_delivery_attempts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => alertDeliveries.id),
    attemptNumber: integer('attempt_number').notNull(),
    url: text('url').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
  },
  (t) => [uniqueIndex('alert_delivery_attempts_number').on(t.deliveryId, t.attemptNumber)],
);
