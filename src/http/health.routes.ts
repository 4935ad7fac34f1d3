// Liveness and readiness for load balancers and orchestrators.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/client.ts';
import { ProblemOut } from './contracts.ts';
import { AppError } from '../lib/errors.ts';
import { loggableError } from './errors.ts';

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
    async (req) => {
      try {
        await database.db.execute(sql`select 1`);
        return { status: 'ready' as const, database: database.driver };
      } catch (err) {
        req.log.warn({ err: loggableError(err) }, 'database not reachable');
        throw new AppError('unavailable', 'The database is not reachable.');
      }
    },
  );
};
