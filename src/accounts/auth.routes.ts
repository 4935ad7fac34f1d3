// Sign-in for API clients and the signed-in person's own account: JSON, behind the same throttling as the form.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.ts';
import { ProblemOut } from '../http/contracts.ts';
import { AppError } from '../lib/errors.ts';
import { clientOf } from './actor.plugin.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { signOut } from './sign-out.ts';
import { signIn } from './sign-in.ts';
import { activeRoles } from './users.service.ts';
import { rolesOf } from '../access/roles.ts';

const Me = z.object({
  id: z.string().uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(z.object({ role: z.string(), countyFips: z.string().nullable() })),
});

export const authRoutes: FastifyPluginAsyncZod<{ db: Db; secureCookies: boolean; signInPerMinute: number }> = async (
  app,
  { db, secureCookies, signInPerMinute },
) => {
  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { rateLimit: { max: signInPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['Accounts'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: z.object({ email: z.string().max(254), password: z.string().max(1024) }),
        response: { 200: Me, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 429: ProblemOut },
      },
    },
    async (req, reply) => {
      const { sessionId, user } = await signIn(db, { ...req.body, ...clientOf(req) });
      setSessionCookie(reply, sessionId, secureCookies);
      return { id: user.userId, email: user.email, displayName: user.displayName, roles: await activeRoles(db, user.userId) };
    },
  );

  app.get(
    '/api/v1/auth/me',
    { schema: { tags: ['Accounts'], summary: 'The signed-in person and their roles', response: { 200: Me, 401: ProblemOut } } },
    async (req) => {
      const user = req.sessionUser;
      if (!user) throw new AppError('unauthorized', 'Sign in first.');
      return { id: user.userId, email: user.email, displayName: user.displayName, roles: [...rolesOf(req.actor)] };
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    {
      schema: {
        tags: ['Accounts'],
        summary: 'Sign out this session, or every session of the account with everywhere=true',
        querystring: z.object({ everywhere: z.enum(['true', 'false']).optional() }),
        response: { 204: z.null(), 401: ProblemOut },
      },
    },
    async (req, reply) => {
      const user = req.sessionUser;
      const sessionId = req.cookies[SESSION_COOKIE];
      if (!user || !sessionId) throw new AppError('unauthorized', 'Sign in first.');
      await signOut(db, { userId: user.userId, sessionId, everywhere: req.query.everywhere === 'true' }, clientOf(req));
      clearSessionCookie(reply, secureCookies);
      return reply.status(204).send(null);
    },
  );
};
