// Managing people: who an administrator may see, invite, give and take roles from, deactivate or send a reset link.
// A system administrator manages everyone; a county administrator manages provider staff and supervisors of their
// own county. Someone outside the actor's reach is "not found": their existence is not the actor's business.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { can, scopeCounties } from '../access/can.ts';
import type { Actor, Role, RoleGrant } from '../access/roles.ts';
import { validateAssignment } from '../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { roleAssignments, users } from './accounts.schema.ts';
import { endAllSessions } from './sessions.ts';
import { activeRoles, createUser, requestPasswordReset } from './users.service.ts';

export interface AdminContext {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
}

export interface ManagedUser {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
  /** Invited and not yet signed up: no password chosen. */
  invited: boolean;
  deactivated: boolean;
  roles: RoleGrant[];
}

function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

function audit(context: AdminContext) {
  return { actor: { userId: actorUserId(context.actor), tokenId: context.actor.kind === 'token' ? context.actor.tokenId : null }, ip: context.ip ?? null, userAgent: context.userAgent ?? null };
}

function refuse(context: AdminContext, what: string): never {
  throw new AppError(context.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', `Your account may not ${what}.`);
}

/** The people the actor may manage, by email. */
export async function listManagedUsers(db: Db, actor: Actor): Promise<ManagedUser[]> {
  const scope = scopeCounties(actor, 'users.list');
  if (scope !== 'all' && scope.length === 0) return [];
  let ids: string[] | undefined;
  if (scope !== 'all') {
    const rows = await db
      .select({ userId: roleAssignments.userId, role: roleAssignments.role, countyFips: roleAssignments.countyFips })
      .from(roleAssignments)
      .where(and(isNull(roleAssignments.revokedAt), inArray(roleAssignments.countyFips, scope)));
    ids = [...new Set(rows.filter((r) => can(actor, 'users.list', { countyFips: r.countyFips, role: r.role })).map((r) => r.userId))];
    if (ids.length === 0) return [];
  }
  const rows = await db
    .select()
    .from(users)
    .where(ids ? inArray(users.id, ids) : undefined)
    .orderBy(asc(users.email));
  return Promise.all(
    rows.map(async (u) => ({
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      emailVerified: u.emailVerifiedAt !== null,
      invited: u.passwordHash === null,
      deactivated: u.deactivatedAt !== null,
      roles: await activeRoles(db, u.id),
    })),
  );
}

/** One person, if the actor may manage them; otherwise 404. */
export async function getManagedUser(db: Db, actor: Actor, userId: string): Promise<ManagedUser> {
  const found = (await listManagedUsers(db, actor)).find((u) => u.id === userId);
  if (!found) throw new AppError('not-found', 'There is no such account that you can manage.');
  return found;
}

export async function inviteUser(
  db: Db,
  input: { email: string; displayName: string; role: Role; countyFips: string | null; inviteLink: (token: string) => string },
  context: AdminContext,
) {
  if (!can(context.actor, 'users.invite', { countyFips: input.countyFips, role: input.role })) refuse(context, `invite people with the role ${input.role} there`);
  return createUser(db, { email: input.email, displayName: input.displayName, roles: [{ role: input.role, countyFips: input.countyFips }], inviteLink: input.inviteLink }, audit(context));
}

export async function grantRole(db: Db, userId: string, grant: RoleGrant, context: AdminContext): Promise<void> {
  const problem = validateAssignment(grant.role, grant.countyFips);
  if (problem) throw new AppError('bad-request', problem, [{ path: 'role', message: problem }]);
  // The grant itself is the authority: a county administrator may give a staff role in their county to someone
  // who has none there yet (and so is not yet among the people they manage).
  if (!can(context.actor, 'users.roles.grant', { countyFips: grant.countyFips, role: grant.role })) refuse(context, `give the role ${grant.role} there`);
  const [target] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!target) throw new AppError('not-found', 'There is no such account.');
  const held = await activeRoles(db, userId);
  if (held.some((r) => r.role === grant.role && r.countyFips === grant.countyFips)) throw new AppError('conflict', 'The person already has this role.');
  await db.transaction(async (tx) => {
    await tx.insert(roleAssignments).values({ userId, role: grant.role, countyFips: grant.countyFips, grantedBy: actorUserId(context.actor) });
    await recordAudit(tx, { ...audit(context), action: 'user.role.grant', entityType: 'user', entityId: userId, changes: [{ field: 'roles', before: held, after: [...held, grant] }] });
  });
}

export async function revokeRole(db: Db, userId: string, grant: RoleGrant, context: AdminContext): Promise<void> {
  await getManagedUser(db, context.actor, userId);
  if (!can(context.actor, 'users.roles.revoke', { countyFips: grant.countyFips, role: grant.role })) refuse(context, `remove the role ${grant.role} there`);
  await db.transaction(async (tx) => {
    const ended = await tx
      .update(roleAssignments)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(roleAssignments.userId, userId),
          eq(roleAssignments.role, grant.role),
          grant.countyFips === null ? isNull(roleAssignments.countyFips) : eq(roleAssignments.countyFips, grant.countyFips),
          isNull(roleAssignments.revokedAt),
        ),
      )
      .returning({ id: roleAssignments.id });
    if (ended.length === 0) throw new AppError('not-found', 'The person does not have this role.');
    await recordAudit(tx, { ...audit(context), action: 'user.role.revoke', entityType: 'user', entityId: userId, changes: [{ field: 'roles', before: grant, after: null }] });
  });
}

/** Deactivated people cannot sign in and their sessions end at once; reactivating lets them sign in again. */
export async function setDeactivated(db: Db, userId: string, deactivated: boolean, context: AdminContext): Promise<void> {
  if (!can(context.actor, 'users.deactivate')) refuse(context, 'deactivate accounts');
  if (actorUserId(context.actor) === userId && deactivated) throw new AppError('conflict', 'You cannot deactivate your own account.');
  await getManagedUser(db, context.actor, userId);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ deactivatedAt: deactivated ? new Date() : null }).where(eq(users.id, userId));
    if (deactivated) await endAllSessions(tx, userId);
    await recordAudit(tx, { ...audit(context), action: deactivated ? 'user.deactivate' : 'user.reactivate', entityType: 'user', entityId: userId, changes: [{ field: 'deactivated', before: !deactivated, after: deactivated }] });
  });
}

export async function sendPasswordReset(db: Db, userId: string, link: (token: string) => string, context: AdminContext): Promise<string> {
  if (!can(context.actor, 'users.reset')) refuse(context, 'reset passwords');
  const user = await getManagedUser(db, context.actor, userId);
  await requestPasswordReset(db, user.email, link, audit(context));
  return user.email;
}
