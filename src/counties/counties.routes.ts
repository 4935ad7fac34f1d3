// JSON and CSV API for county participation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemOut } from '../http/contracts.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { Db } from '../db/client.ts';
import { participationCsv } from './counties.csv.ts';
import { getCounty, listCountyParticipation } from './counties.service.ts';
import { AsOfQuery, CountyDetailOut, FipsParams, ParticipationListOut } from './counties.types.ts';

export const countiesRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/counties',
    {
      schema: {
        tags: ['Counties'],
        summary: 'Participation of every California county as of a date',
        querystring: AsOfQuery,
        response: { 200: ParticipationListOut, 400: ProblemOut },
      },
    },
    async (req) => listCountyParticipation(db, req.query.asOf ?? todayInCalifornia()),
  );

  app.get(
    '/api/v1/counties.csv',
    {
      schema: {
        tags: ['Counties'],
        summary: 'Participation of every California county as of a date, as CSV',
        querystring: AsOfQuery,
        produces: ['text/csv'],
        response: {
          200: z.string().describe('CSV: as_of, fips, county, plan, SMHS, DMC, DMC_ODS (yes/no), delivery_systems; one row per county'),
          400: ProblemOut,
        },
      },
    },
    async (req, reply) => {
      const list = await listCountyParticipation(db, req.query.asOf ?? todayInCalifornia());
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="county-participation-${list.asOf}.csv"`)
        .send(participationCsv(list));
    },
  );

  app.get(
    '/api/v1/counties/:fips',
    {
      schema: {
        tags: ['Counties'],
        summary: "A county's plan, participation as of a date, and full history",
        params: FipsParams,
        querystring: AsOfQuery,
        response: { 200: CountyDetailOut, 400: ProblemOut, 404: ProblemOut },
      },
    },
    async (req) => getCounty(db, req.params.fips, req.query.asOf ?? todayInCalifornia()),
  );
};
