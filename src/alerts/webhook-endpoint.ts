// Use cases of a person's webhook endpoint: register (or change) its address, rotate its signing secret, delete it.
// A new secret is returned once, to be shown once; it is stored as it is, because every delivery is signed with it.
import { and, eq, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import type { Locale } from '../web/i18n.ts';
import { rememberLocale, watcherOf } from './alerts-context.ts';
import { alertDeliveries, alertSubscribers } from './alerts.schema.ts';
import { newWebhookSecret } from './webhook-signature.ts';
import { checkWebhookUrl } from './webhook-url.ts';

export interface WebhookPolicy {
  /** In production only https:// and no literal private, loopback or link-local address. */
  production: boolean;
}

export interface RegisteredWebhook {
  url: string;
  registeredAt: Date;
  /** Only when a secret was made by this call (first registration or rotation): show it once. */
  secret: string | null;
}

/** Register the endpoint, or change its address (the secret stays unless `rotateSecret`). */
export async function registerWebhook(db: Db, input: { url: string; rotateSecret?: boolean; locale?: Locale }, context: UseCaseContext, policy: WebhookPolicy): Promise<RegisteredWebhook> {
  const userId = watcherOf(context, 'alerts.webhook');
  const url = checkWebhookUrl(input.url, policy);
  return db.transaction(async (tx) => {
    // The person's row exists from here on, so two registrations at once wait for each other on its lock.
    await tx.insert(alertSubscribers).values({ userId }).onConflictDoNothing();
    const [existing] = await tx.select().from(alertSubscribers).where(eq(alertSubscribers.userId, userId)).for('update');
    const hadWebhook = existing?.webhookUrl != null && existing.webhookSecret != null;
    const secret = !hadWebhook || input.rotateSecret === true ? newWebhookSecret() : null;
    const now = new Date();
    const values = {
      webhookUrl: url,
      ...(secret !== null ? { webhookSecret: secret, secretRotatedAt: now } : {}),
      ...(hadWebhook ? {} : { webhookRegisteredAt: now }),
      updatedAt: now,
    };
    const [row] = await tx.update(alertSubscribers).set(values).where(eq(alertSubscribers.userId, userId)).returning();
    if (!row?.webhookRegisteredAt) throw new Error('the webhook row was not written');
    const changes = [
      ...(existing?.webhookUrl !== url ? [{ field: 'webhook_url', before: existing?.webhookUrl ?? null, after: url }] : []),
      ...(secret !== null ? [{ field: 'webhook_secret', before: hadWebhook ? '***' : null, after: '***' }] : []),
    ];
    if (changes.length > 0) {
      await recordAudit(tx, { ...auditContext(context), action: hadWebhook ? 'alerts.webhook.update' : 'alerts.webhook.register', entityType: 'alert_webhook', entityId: userId, changes });
    }
    await rememberLocale(tx, userId, input.locale);
    return { url, registeredAt: row.webhookRegisteredAt, secret };
  });
}

/** A new signing secret for the registered endpoint (404 when there is none); the old one stops working at once. */
export async function rotateWebhookSecret(db: Db, context: UseCaseContext): Promise<RegisteredWebhook> {
  const userId = watcherOf(context, 'alerts.webhook');
  return db.transaction(async (tx) => {
    const secret = newWebhookSecret();
    const [row] = await tx
      .update(alertSubscribers)
      .set({ webhookSecret: secret, secretRotatedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(alertSubscribers.userId, userId), sql`${alertSubscribers.webhookUrl} is not null`))
      .returning();
    if (!row?.webhookUrl || !row.webhookRegisteredAt) throw new AppError('not-found', 'You have no webhook registered.');
    await recordAudit(tx, { ...auditContext(context), action: 'alerts.webhook.rotate', entityType: 'alert_webhook', entityId: userId, changes: [{ field: 'webhook_secret', before: '***', after: '***' }] });
    return { url: row.webhookUrl, registeredAt: row.webhookRegisteredAt, secret };
  });
}

/** Delete the endpoint and its secret (404 when there is none); deliveries not yet made are cancelled. */
export async function deleteWebhook(db: Db, context: UseCaseContext): Promise<{ cancelled: number }> {
  const userId = watcherOf(context, 'alerts.webhook');
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ url: alertSubscribers.webhookUrl }).from(alertSubscribers).where(eq(alertSubscribers.userId, userId)).for('update');
    if (!before?.url) throw new AppError('not-found', 'You have no webhook registered.');
    await tx.update(alertSubscribers).set({ webhookUrl: null, webhookSecret: null, webhookRegisteredAt: null, secretRotatedAt: null, updatedAt: sql`now()` }).where(eq(alertSubscribers.userId, userId));
    const cancelled = await tx
      .update(alertDeliveries)
      .set({ status: 'cancelled', nextAttemptAt: null, lockedUntil: null, claimToken: null })
      .where(and(eq(alertDeliveries.userId, userId), eq(alertDeliveries.status, 'pending')))
      .returning({ id: alertDeliveries.id });
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'alerts.webhook.delete',
      entityType: 'alert_webhook',
      entityId: userId,
      changes: [
        { field: 'webhook_url', before: before.url, after: null },
        { field: 'webhook_secret', before: '***', after: null },
      ],
      reason: cancelled.length > 0 ? `${cancelled.length} pending deliveries cancelled` : null,
    });
    return { cancelled: cancelled.length };
  });
}
