// JSON API of certification alerts: the signed-in person's watch list, webhook and delivery log. Thin: parse, call
// the use case, shape the answer.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Action } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import { ProblemOut } from '../http/contracts.ts';
import { pickLocale } from '../web/i18n.ts';
import { contextOf } from '../web/form-refusal.ts';
import { myDeliveries, myWatchList, type DeliveryView } from './alert-queries.ts';
import type { AlertsOptions } from './alerts.plugin.ts';
import { AddWatchesBody, AddWatchesOut, DeliveriesOut, NumberParams, WatchListOut, WebhookBody, WebhookOut } from './alerts.types.ts';
import { addWatches, removeWatch } from './watch-list.ts';
import { deleteWebhook, registerWebhook } from './webhook-endpoint.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const tags = ['Alerts'];

function deliveryOut(d: DeliveryView) {
  return {
    id: d.id,
    eventId: d.eventId,
    certificationNumber: d.number,
    statusAfter: d.statusAfter,
    status: d.status as 'pending' | 'delivered' | 'failed' | 'cancelled',
    attempts: d.attempts,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    attemptLog: d.attemptLog.map((a) => ({ attempt: a.attemptNumber, url: a.url, at: a.attemptedAt.toISOString(), durationMs: a.durationMs, statusCode: a.statusCode, error: a.error })),
  };
}

export const alertsRoutes: FastifyPluginAsyncZod<AlertsOptions> = async (app, { db, production }) => {
  const gate = (action: Action) => ({ onRequest: async (req: FastifyRequest) => requireAllowed(req, action) });
  const localeOf = (req: FastifyRequest) => pickLocale(undefined, req.cookies.lang, req.headers['accept-language']);

  app.get('/api/v1/alerts/watches', { ...gate('alerts.watch'), schema: { tags, summary: 'My watch list, with each number’s registry status today', response: { 200: WatchListOut, ...errors } } }, async (req) => {
    const list = await myWatchList(db, contextOf(req));
    return { today: list.today, watches: list.watches.map((w) => ({ ...w, addedAt: w.addedAt.toISOString() })) };
  });

  app.post(
    '/api/v1/alerts/watches',
    { ...gate('alerts.watch'), schema: { tags, summary: 'Add numbers to my watch list; unknown ones are listed with their reason (422 when none could be added)', body: AddWatchesBody, response: { 200: AddWatchesOut, ...errors } } },
    async (req) => addWatches(db, { numbers: req.body.numbers, locale: localeOf(req) }, contextOf(req)),
  );

  app.delete('/api/v1/alerts/watches/:number', { ...gate('alerts.watch'), schema: { tags, summary: 'Remove a number from my watch list', params: NumberParams, response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    await removeWatch(db, { number: req.params.number }, contextOf(req));
    return reply.status(204).send(null);
  });

  app.put(
    '/api/v1/alerts/webhook',
    { ...gate('alerts.webhook'), schema: { tags, summary: 'Register my webhook or change its address; the signing secret is in the answer only when this call made it', body: WebhookBody, response: { 200: WebhookOut, ...errors } } },
    async (req) => {
      const hook = await registerWebhook(db, { url: req.body.url, ...(req.body.rotateSecret !== undefined ? { rotateSecret: req.body.rotateSecret } : {}), locale: localeOf(req) }, contextOf(req), { production });
      return { url: hook.url, registeredAt: hook.registeredAt.toISOString(), secret: hook.secret };
    },
  );

  app.delete('/api/v1/alerts/webhook', { ...gate('alerts.webhook'), schema: { tags, summary: 'Delete my webhook; deliveries not yet made are cancelled', response: { 204: z.null(), ...errors } } }, async (req, reply) => {
    await deleteWebhook(db, contextOf(req));
    return reply.status(204).send(null);
  });

  app.get('/api/v1/alerts/deliveries', { ...gate('alerts.webhook'), schema: { tags, summary: 'My webhook deliveries, newest first, with every attempt', response: { 200: DeliveriesOut, ...errors } } }, async (req) => ({
    deliveries: (await myDeliveries(db, contextOf(req))).map(deliveryOut),
  }));
};
