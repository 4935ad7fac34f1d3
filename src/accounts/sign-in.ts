// Sign-in with throttling per account and per address, a temporary lockout, and an audit row for every attempt.
// Messages never say whether an account exists.
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { signInAttempts, users } from './accounts.schema.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { createSession, type SessionUser } from './sessions.ts';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures for one email within the window before it is locked for the rest of the window. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failures from one address within the window (many accounts tried from one place). */
export const MAX_FAILURES_PER_ADDRESS = 30;

export const GENERIC_FAILURE = 'The email or password is not right, or the account cannot sign in.';

export interface SignInInput {
  email: string;
  password: string;
  ip: string;
  userAgent?: string | null | undefined;
}

async function recentFailures(db: Db, column: typeof signInAttempts.emailLower | typeof signInAttempts.ip, value: string, now: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(signInAttempts)
    .where(and(eq(column, value), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, new Date(now.getTime() - THROTTLE_WINDOW_MS))));
  return row?.n ?? 0;
}

/** Sign in: a new session id (for the cookie) and who it is, or an AppError with a message that reveals nothing. */
export async function signIn(db: Db, input: SignInInput, now = new Date()): Promise<{ sessionId: string; user: SessionUser }> {
  const emailLower = input.email.trim().toLowerCase();
  const client = { ip: input.ip, userAgent: input.userAgent ?? null };

  if (
    (await recentFailures(db, signInAttempts.emailLower, emailLower, now)) >= MAX_FAILURES_PER_ACCOUNT ||
    (await recentFailures(db, signInAttempts.ip, input.ip, now)) >= MAX_FAILURES_PER_ADDRESS
  ) {
    await db.transaction(async (tx) => {
      await tx.insert(signInAttempts).values({ emailLower, ip: input.ip, succeeded: false, at: now });
      await recordAudit(tx, { actor: {}, action: 'auth.sign_in_locked', entityType: 'sign-in', entityId: emailLower, ...client });
    });
    throw new AppError('rate-limited', 'Too many sign-in attempts. Wait 15 minutes and try again, or reset your password.');
  }

  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${emailLower}`)
    .limit(1);
  // Verify against a decoy when there is no usable account, so the answer takes as long either way.
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash()), input.password);
  const usable = user && user.passwordHash && !user.deactivatedAt && user.emailVerifiedAt && passwordOk;

  if (!usable) {
    // The failure is committed before the refusal is thrown: throttling and the audit trail must keep it.
    await db.transaction(async (tx) => {
      await tx.insert(signInAttempts).values({ emailLower, ip: input.ip, succeeded: false, at: now });
      await recordAudit(tx, { actor: { userId: user?.id ?? null }, action: 'auth.sign_in_failed', entityType: 'sign-in', entityId: emailLower, ...client });
    });
    if (user && passwordOk && !user.emailVerifiedAt) {
      // Only someone who knows the password learns this, so it reveals nothing to a guesser.
      throw new AppError('forbidden', 'Verify your email address first: follow the link we sent you.');
    }
    throw new AppError('unauthorized', GENERIC_FAILURE);
  }
  return db.transaction(async (tx) => {
    await tx.insert(signInAttempts).values({ emailLower, ip: input.ip, succeeded: true, at: now });
    const sessionId = await createSession(tx, user.id, client, now);
    await recordAudit(tx, { actor: { userId: user.id }, action: 'auth.sign_in', entityType: 'user', entityId: user.id, ...client });
    return { sessionId, user: { userId: user.id, email: user.email, displayName: user.displayName } };
  });
}
