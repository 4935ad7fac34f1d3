// JSON and CSV API for county participation.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemOut } from '../http/contracts.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { Db } from '../db/client.ts';
import { participationCsv } from './counties.csv.ts';
import { getCounty, listCountyParticipation } from './counties.service.ts';
import {
  AsOfQuery,
  CountyDetailOut,
  DeliverySystemCode,
  FipsParams,
  ParticipationChangeBody,
  ParticipationChangeCreate,
  ParticipationListOut,
} from './counties.types.ts';
import { recordParticipationChange } from './record-participation.ts';
import { requireAllowed } from '../access/guard.ts';
import { clientOf } from '../accounts/actor.plugin.ts';

export const countiesRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const editor = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'counties.participation.edit') };

  app.post(
    '/api/v1/counties/:fips/participation',
    {
      ...editor,
      schema: {
        tags: ['Counties'],
        summary: 'Record a participation change (DHCS analysts): a new effective-dated row with its reason',
        params: FipsParams,
        body: ParticipationChangeCreate,
        response: { 201: CountyDetailOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut },
      },
    },
    async (req, reply) => {
      await recordParticipationChange(db, { fips: req.params.fips, ...req.body }, { actor: req.actor, ...clientOf(req) });
      return reply.status(201).send(await getCounty(db, req.params.fips, req.body.effectiveOn));
    },
  );

  app.put(
    '/api/v1/counties/:fips/participation/:deliverySystem',
    {
      ...editor,
      schema: {
        tags: ['Counties'],
        summary: 'Set whether a county takes part in one delivery system from a date (DHCS analysts)',
        params: FipsParams.extend({ deliverySystem: DeliverySystemCode }),
        body: ParticipationChangeBody,
        response: { 200: CountyDetailOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut },
      },
    },
    async (req) => {
      const { fips, deliverySystem } = req.params;
      await recordParticipationChange(db, { fips, deliverySystem, ...req.body }, { actor: req.actor, ...clientOf(req) });
      return getCounty(db, fips, req.body.effectiveOn);
    },
  );

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
