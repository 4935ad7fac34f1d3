// API tokens over JSON, for system administrators: create (the secret is in the answer, once), list, revoke.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAllowed } from '../access/guard.ts';
import { ROLES } from '../access/roles.ts';
import { requestAuditContext } from '../audit/audit.routes.ts';
import type { Db } from '../db/client.ts';
import { ProblemOut } from '../http/contracts.ts';
import { AppError } from '../lib/errors.ts';
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_NAME_MAX, type ApiTokenCreator, type ApiTokenSummary } from './api-tokens.service.ts';

const Grant = z.object({
  role: z.string().max(50).describe(`One of ${ROLES.join(', ')}`),
  countyFips: z.string().max(5).nullable().optional().describe('The county a county-scoped role is limited to (5-digit FIPS); null or absent: statewide'),
  organizationId: z.string().uuid().nullable().optional().describe('For provider_staff or supervisor: the provider organization the role is limited to (an EHR of that organization); countyFips must be its county'),
});

const TokenCreate = z.object({
  name: z.string().max(TOKEN_NAME_MAX).describe('What uses the token, e.g. "County of Alameda claims feed"'),
  roles: z.array(Grant).max(20).describe('The roles the token acts with; it never has more'),
});

const TokenCreated = z.object({
  id: z.uuid(),
  token: z.string().describe('The secret, to send as "Authorization: Bearer …". Shown only in this answer: it is stored hashed.'),
});

const TokenOut = z.object({
  id: z.uuid(),
  name: z.string(),
  roles: z.array(z.object({ role: z.string(), countyFips: z.string().nullable(), organizationId: z.string().nullable().optional() })),
  createdBy: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  createdAt: z.string().describe('ISO-8601'),
  lastUsedAt: z.string().nullable().describe('ISO-8601; updated at most once a minute'),
  revokedAt: z.string().nullable().describe('ISO-8601; a revoked token no longer works'),
});

const TokenParams = z.object({ id: z.uuid() });

export function tokenOut(t: ApiTokenSummary): z.infer<typeof TokenOut> {
  return {
    ...t,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** The person behind the request; a token acting for its creator can pass on no more than it carries itself. */
export function tokenCreatorOf(req: FastifyRequest): ApiTokenCreator {
  const actor = req.actor;
  if (actor.kind === 'user') return { userId: actor.userId };
  if (actor.kind === 'token') return { userId: actor.createdBy, roles: actor.roles };
  throw new AppError('unauthorized', 'Sign in to manage API tokens.');
}

export const apiTokenRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  // Refused before validation: someone not allowed learns nothing about the body.
  const allowed = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'tokens.manage') };

  app.post(
    '/api/v1/tokens',
    {
      ...allowed,
      schema: {
        tags: ['Accounts'],
        summary: 'Create an API token (system administrators); the secret is in the answer, once',
        body: TokenCreate,
        response: { 201: TokenCreated, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut },
      },
    },
    async (req, reply) => {
      const created = await createApiToken(db, req.body, tokenCreatorOf(req), requestAuditContext(req, 'tokens.manage'));
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      ...allowed,
      schema: {
        tags: ['Accounts'],
        summary: 'Every API token, newest first, without its secret (system administrators)',
        response: { 200: z.array(TokenOut), 401: ProblemOut, 403: ProblemOut },
      },
    },
    async () => (await listApiTokens(db)).map(tokenOut),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      ...allowed,
      schema: {
        tags: ['Accounts'],
        summary: 'Revoke an API token: it stops working at once (system administrators)',
        params: TokenParams,
        response: { 204: z.null(), 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut },
      },
    },
    async (req, reply) => {
      await revokeApiToken(db, req.params.id, requestAuditContext(req, 'tokens.manage'));
      return reply.status(204).send(null);
    },
  );
};
