// Who is asking: an API token (Authorization: Bearer …), a signed-in browser (session cookie), or anonymous.
// Routes and use cases decide with can(actor, …); nothing here grants anything.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ANONYMOUS, toRoleGrants, type Actor } from '../access/roles.ts';
import { AppError } from '../lib/errors.ts';
import { apiTokens } from './accounts.schema.ts';
import { hashSecret } from './secrets.ts';
import { resolveSession, SESSION_COOKIE, type SessionUser } from './sessions.ts';
import { activeRoles } from './users.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** The signed-in person (browser sessions only), for pages. */
    sessionUser: SessionUser | null;
  }
}

/** A token's last-used time is written at most this often. */
const TOKEN_TOUCH_INTERVAL_MS = 60 * 1000;

async function actorFromToken(db: Db, token: string): Promise<Actor> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashSecret(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  if (!row) throw new AppError('unauthorized', 'The API token is not valid or has been revoked.');
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOKEN_TOUCH_INTERVAL_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { kind: 'token', tokenId: row.id, createdBy: row.createdBy, roles: toRoleGrants(row.roles) };
}

export function registerActor(app: FastifyInstance, db: Db): void {
  app.decorateRequest('actor', null as never); // set on every request below
  app.decorateRequest('sessionUser', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.actor = ANONYMOUS;
    req.sessionUser = null;
    if (req.url.startsWith('/assets/')) return;
    const authorization = req.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      req.actor = await actorFromToken(db, authorization.slice('Bearer '.length).trim());
      return;
    }
    const sessionId = req.cookies[SESSION_COOKIE];
    if (!sessionId) return;
    const user = await resolveSession(db, sessionId);
    if (!user) return;
    req.sessionUser = user;
    req.actor = { kind: 'user', userId: user.userId, roles: await activeRoles(db, user.userId) };
  });
}

/** The address and browser of a request, for the audit log and throttling. */
export function clientOf(req: FastifyRequest): { ip: string; userAgent: string | null } {
  return { ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 300) ?? null };
}
