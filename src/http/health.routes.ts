// Liveness and readiness for load balancers and orchestrators.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/client.ts';
import { ProblemOut } from './contracts.ts';
import { problemFor } from './errors.ts';

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (app, { database }) => {
  app.get(
    '/health',
    { schema: { tags: ['Operations'], summary: 'Liveness: the process answers', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Readiness: the database answers a query',
        response: { 200: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }), 503: ProblemOut },
      },
    },
    async (req, reply) => {
      try {
        await database.db.execute(sql`select 1`);
        return { status: 'ready' as const, database: database.driver };
      } catch (err) {
        req.log.warn({ err }, 'database not reachable');
        return reply
          .status(503)
          .type('application/problem+json')
          .send({ ...problemFor('internal', 'The database is not reachable.'), status: 503, title: 'Not ready' });
      }
    },
  );
};
