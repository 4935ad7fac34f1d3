// Browser sessions: an opaque random id in a cookie, only its hash in the database, with idle and absolute expiry.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from './accounts.schema.ts';
import { hashSecret, newSecret } from './secrets.ts';

export const SESSION_COOKIE = 'pss_session';
/** Signed out after this long without a request. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** Signed out after this long whatever happens. */
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often, so every request is not a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface SessionUser {
  userId: string;
  email: string;
  displayName: string;
}

export async function createSession(db: Db, userId: string, client: { ip?: string | null; userAgent?: string | null }, now = new Date()) {
  const id = newSecret();
  await db.insert(sessions).values({
    idHash: hashSecret(id),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
    ip: client.ip ?? null,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  return id;
}

/** The signed-in person for a cookie value, or null when the session is unknown, revoked, idle or expired. */
export async function resolveSession(db: Db, id: string, now = new Date()): Promise<SessionUser | null> {
  const idHash = hashSecret(id);
  const [row] = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.deactivatedAt)))
    .limit(1);
  if (!row || now.getTime() - row.lastSeenAt.getTime() > IDLE_TIMEOUT_MS) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  }
  return { userId: row.userId, email: row.email, displayName: row.displayName };
}

export async function endSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.idHash, hashSecret(id)), isNull(sessions.revokedAt)));
}

/** Sign out everywhere: every session of the person ends. Returns how many were open. */
export async function endAllSessions(db: Db, userId: string, now = new Date()): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ idHash: sessions.idHash });
  return ended.length;
}
