// People: created by administrators (or the CLI), signing up themselves, verifying their address, resetting a
// password, and the roles they hold. Every change is audited in its own transaction.
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit, type AuditEntry } from '../audit/audit.service.ts';
import { toRoleGrants, validateAssignment, type RoleGrant } from '../access/roles.ts';
import { oneTimeTokens, roleAssignments, signInAttempts, users } from './accounts.schema.ts';
import { queueEmail } from './outbox.ts';
import { hashPassword, passwordProblems, type PasswordProblem } from './password.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { endAllSessions } from './sessions.ts';

const TOKEN_LIFETIME_MS: Record<'verify-email' | 'reset-password' | 'invite', number> = {
  'verify-email': 24 * 60 * 60 * 1000,
  'reset-password': 60 * 60 * 1000,
  invite: 7 * 24 * 60 * 60 * 1000,
};

const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: 'Use at least 12 characters. A few ordinary words make a good password.',
  too_long: 'Use at most 128 characters.',
  common: 'This password is too common: it appears in lists of leaked passwords. Choose another.',
  contains_email: 'Do not use your email address in your password.',
};

export interface AuditContext {
  actor: AuditEntry['actor'];
  ip?: string | null;
  userAgent?: string | null;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkPassword(password: string, email: string): void {
  const problems = passwordProblems(password, { email });
  if (problems.length > 0) {
    throw new AppError('bad-request', PASSWORD_MESSAGES[problems[0] as PasswordProblem], problems.map((p) => ({ path: 'password', message: PASSWORD_MESSAGES[p] })));
  }
}

function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) || trimmed.length > 254) {
    throw new AppError('bad-request', 'Enter an email address like name@example.org.', [{ path: 'email', message: 'Enter an email address like name@example.org.' }]);
  }
  return trimmed;
}

async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${normalizeEmail(email)}`).limit(1);
  return user;
}

async function issueToken(tx: Db, userId: string, purpose: keyof typeof TOKEN_LIFETIME_MS, now: Date): Promise<string> {
  const token = newSecret();
  await tx.insert(oneTimeTokens).values({ tokenHash: hashSecret(token), userId, purpose, expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]) });
  return token;
}

/** Use a token once: returns its user, or throws the same message for unknown, used and expired tokens. */
async function consumeToken(tx: Db, token: string, purposes: Array<keyof typeof TOKEN_LIFETIME_MS>, now: Date): Promise<string> {
  const [row] = await tx
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, hashSecret(token)),
        inArray(oneTimeTokens.purpose, purposes),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
      ),
    )
    .returning({ userId: oneTimeTokens.userId });
  if (!row) throw new AppError('bad-request', 'This link has expired or was already used. Ask for a new one.');
  return row.userId;
}

/**
 * An account made by an administrator or `pss users create`: verified, with roles. Without a password, the person
 * is invited: an email with a single-use link to choose one (valid 7 days), also returned for the CLI to print.
 */
export async function createUser(
  db: Db,
  input: { email: string; displayName: string; password?: string | undefined; roles: RoleGrant[]; inviteLink: (token: string) => string },
  context: AuditContext,
  now = new Date(),
): Promise<{ userId: string; inviteLink: string | null }> {
  const email = checkEmail(input.email);
  if (input.password !== undefined) checkPassword(input.password, email);
  for (const grant of input.roles) {
    const problem = validateAssignment(grant.role, grant.countyFips);
    if (problem) throw new AppError('bad-request', problem, [{ path: 'role', message: problem }]);
  }
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return db.transaction(async (tx) => {
    if (await findUserByEmail(tx, email)) throw new AppError('conflict', `An account for ${email} already exists.`);
    const [user] = await tx
      .insert(users)
      .values({ email, displayName: input.displayName.trim() || email, passwordHash, emailVerifiedAt: new Date() })
      .returning({ id: users.id });
    if (!user) throw new Error('insert returned no row');
    const grantedBy = context.actor.userId ?? null;
    if (input.roles.length > 0) {
      await tx.insert(roleAssignments).values(input.roles.map((r) => ({ userId: user.id, role: r.role, countyFips: r.countyFips, grantedBy })));
    }
    await recordAudit(tx, {
      ...context,
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      changes: [
        { field: 'email', before: null, after: email },
        { field: 'roles', before: null, after: input.roles },
      ],
    });
    if (passwordHash !== null) return { userId: user.id, inviteLink: null };
    const inviteLink = input.inviteLink(await issueToken(tx, user.id, 'invite', now));
    await queueEmail(tx, {
      to: email,
      subject: 'You have an account on Medi-Cal Peer Support Services',
      text: `An administrator created an account for you on Medi-Cal Peer Support Services.\n\nChoose your password to start (the link works for 7 days, once):\n${inviteLink}`,
    });
    return { userId: user.id, inviteLink };
  });
}

/**
 * Someone signs up. The answer is the same whether or not the address has an account: a new account gets a
 * verification link; an existing one gets a note that someone tried, so only the owner of the address learns it.
 */
export async function signUp(
  db: Db,
  input: { email: string; displayName: string; password: string },
  links: { verify: (token: string) => string; signIn: string; reset: string },
  context: AuditContext,
  now = new Date(),
): Promise<void> {
  const email = checkEmail(input.email);
  checkPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    if (existing) {
      await queueEmail(tx, {
        to: existing.email,
        subject: 'Someone tried to create an account with your address',
        text: `Someone tried to sign up for Medi-Cal Peer Support Services with this address, which already has an account.\n\nIf it was you, sign in: ${links.signIn}\nForgot your password? ${links.reset}\n\nIf it was not you, you can ignore this message.`,
      });
      return;
    }
    const [user] = await tx.insert(users).values({ email, displayName: input.displayName.trim() || email, passwordHash }).returning({ id: users.id });
    if (!user) throw new Error('insert returned no row');
    await tx.insert(roleAssignments).values({ userId: user.id, role: 'peer', countyFips: null });
    const token = await issueToken(tx, user.id, 'verify-email', now);
    await queueEmail(tx, {
      to: email,
      subject: 'Confirm your email address',
      text: `Welcome to Medi-Cal Peer Support Services.\n\nConfirm your email address to finish creating your account (the link works for 24 hours, once):\n${links.verify(token)}\n\nIf you did not sign up, ignore this message.`,
    });
    await recordAudit(tx, { ...context, actor: { userId: user.id }, action: 'user.sign_up', entityType: 'user', entityId: user.id });
  });
}

export async function verifyEmail(db: Db, token: string, context: AuditContext, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const userId = await consumeToken(tx, token, ['verify-email'], now);
    await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, userId));
    await recordAudit(tx, { ...context, actor: { userId }, action: 'user.verify_email', entityType: 'user', entityId: userId });
  });
}

/** Always answers the same; sends a reset link only when the address has an account. */
export async function requestPasswordReset(db: Db, email: string, link: (token: string) => string, context: AuditContext, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || user.deactivatedAt) return;
    const token = await issueToken(tx, user.id, 'reset-password', now);
    await queueEmail(tx, {
      to: user.email,
      subject: 'Reset your password',
      text: `Someone asked to reset the password of your Medi-Cal Peer Support Services account.\n\nChoose a new password (the link works for 1 hour, once):\n${link(token)}\n\nIf it was not you, ignore this message: your password stays as it is.`,
    });
    await recordAudit(tx, { ...context, action: 'user.password_reset_requested', entityType: 'user', entityId: user.id });
  });
}

/** A new password from a reset link; every session of the account ends, and the address counts as verified. */
export async function resetPassword(db: Db, token: string, password: string, context: AuditContext, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const userId = await consumeToken(tx, token, ['reset-password', 'invite'], now);
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw new AppError('bad-request', 'This link has expired or was already used. Ask for a new one.');
    checkPassword(password, user.email);
    await tx.update(users).set({ passwordHash: await hashPassword(password), emailVerifiedAt: user.emailVerifiedAt ?? now }).where(eq(users.id, userId));
    await endAllSessions(tx, userId, now);
    // Whoever proves they own the address is no longer locked out by failures before the reset (the audit keeps them).
    await tx.delete(signInAttempts).where(and(eq(signInAttempts.emailLower, normalizeEmail(user.email)), eq(signInAttempts.succeeded, false)));
    await recordAudit(tx, { ...context, actor: { userId }, action: 'user.password_reset', entityType: 'user', entityId: userId, changes: [{ field: 'passwordHash', before: '***', after: '***' }] });
  });
}

/** The roles a person holds now. */
export async function activeRoles(db: Db, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .select({ role: roleAssignments.role, countyFips: roleAssignments.countyFips, organizationId: roleAssignments.organizationId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userId, userId), isNull(roleAssignments.revokedAt)))
    .orderBy(asc(roleAssignments.role));
  return toRoleGrants(rows);
}
