// Test fixtures: people with given roles, signed in, and the headers that make an injected request theirs.
import type { FastifyInstance } from 'fastify';
import type { Actor, RoleGrant } from '../access/roles.ts';
import type { Db } from '../db/client.ts';
import { databaseOf } from '../testing.ts';
import { apiTokens, roleAssignments, users } from './accounts.schema.ts';
import { hashPassword } from './password.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { createSession, SESSION_COOKIE } from './sessions.ts';

export const TEST_PASSWORD = 'a long test passphrase nobody uses';
let testPasswordHash: Promise<string> | undefined;

/** A verified person with these roles (and this id, when given). */
export async function createPerson(db: Db, input: { id?: string; email?: string; displayName?: string; roles?: readonly RoleGrant[] } = {}) {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const email = input.email ?? `person-${newSecret().slice(0, 10).toLowerCase()}@example.org`;
  const [user] = await db
    .insert(users)
    .values({
      ...(input.id ? { id: input.id } : {}),
      email,
      displayName: input.displayName ?? email.split('@')[0] ?? email,
      passwordHash: await testPasswordHash,
      emailVerifiedAt: new Date(),
    })
    .returning({ id: users.id, email: users.email });
  if (!user) throw new Error('insert returned no row');
  if (input.roles?.length) {
    await db.insert(roleAssignments).values(input.roles.map((r) => ({ userId: user.id, role: r.role, countyFips: r.countyFips, organizationId: r.organizationId ?? null })));
  }
  return user;
}

/** A form's CSRF cookie and token, as a browser that loaded the form would have them. */
export async function csrfHeaders(app: FastifyInstance): Promise<{ cookie: string; token: string }> {
  const res = await app.inject({ url: '/sign-in', headers: { accept: 'text/html' } });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  const cookie = res.cookies.find((c) => c.name === '_csrf');
  if (!token || !cookie) throw new Error('the sign-in form carries no CSRF token');
  return { cookie: `_csrf=${cookie.value}`, token };
}

/** Headers that sign an injected request in as the actor (creating the person or token), with a CSRF token. */
export async function actorHeaders(app: FastifyInstance, actor: Actor): Promise<Record<string, string>> {
  const { db } = databaseOf(app);
  const csrf = await csrfHeaders(app);
  const base = { 'x-csrf-token': csrf.token, cookie: csrf.cookie };
  if (actor.kind === 'anonymous') return base;
  if (actor.kind === 'token') {
    const owner = await createPerson(db, { roles: [{ role: 'system_admin', countyFips: null }] });
    const token = newSecret();
    await db.insert(apiTokens).values({ id: actor.tokenId, name: 'test token', tokenHash: hashSecret(token), roles: [...actor.roles], createdBy: owner.id });
    return { ...base, authorization: `Bearer ${token}` };
  }
  const person = await createPerson(db, { id: actor.userId, roles: actor.roles });
  const sessionId = await createSession(db, person.id, {});
  return { ...base, cookie: `${csrf.cookie}; ${SESSION_COOKIE}=${sessionId}` };
}

/** What a browser signed in as an existing person sends: the session cookie and a form's CSRF token. */
export async function sessionHeaders(app: FastifyInstance, userId: string): Promise<Record<string, string>> {
  const csrf = await csrfHeaders(app);
  const sessionId = await createSession(databaseOf(app).db, userId, {});
  return { 'x-csrf-token': csrf.token, cookie: `${csrf.cookie}; ${SESSION_COOKIE}=${sessionId}` };
}
