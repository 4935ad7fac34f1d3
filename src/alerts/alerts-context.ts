// Who keeps the watch list a use case acts on: always the signed-in person asking, never anyone else, never a token
// (tokens are made by administrators for integrations; a watch list and its webhook belong to a person).
import { requireCan, type UseCaseContext } from '../access/context.ts';
import type { Action } from '../access/can.ts';
import type { Db } from '../db/client.ts';
import type { Locale } from '../web/i18n.ts';
import { alertSubscribers } from './alerts.schema.ts';
import { sql } from 'drizzle-orm';

/** The keeper's user id, or 401 (signed out) / 403 (a token, or a person without an employer, county or DHCS role). */
export function watcherOf(context: UseCaseContext, action: Action): string {
  const userId = context.actor.kind === 'user' ? context.actor.userId : undefined;
  requireCan(context, action, action === 'alerts.webhook' ? 'register a webhook for certification alerts' : 'keep a watch list of certifications', userId === undefined ? undefined : { userId });
  if (userId === undefined) throw new Error('unreachable: can() admits people only');
  return userId;
}

/** Remember the language the person manages their alerts in: their alert email is written in it. */
export async function rememberLocale(tx: Db, userId: string, locale: Locale | undefined): Promise<void> {
  if (!locale) return;
  await tx
    .insert(alertSubscribers)
    .values({ userId, locale })
    .onConflictDoUpdate({ target: alertSubscribers.userId, set: { locale, updatedAt: sql`now()` }, setWhere: sql`${alertSubscribers.locale} <> excluded.locale` });
}
