// Certification status alerts: the pages and the JSON API, registered by buildApp. The jobs are in alerts.jobs.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { alertsPages } from './alerts.pages.tsx';
import { alertsRoutes } from './alerts.routes.ts';

export interface AlertsOptions extends DomainOptions {
  /** Webhook addresses must be https:// and not a literal private, loopback or link-local address. */
  production: boolean;
}

export const alertsPlugin: FastifyPluginAsync<AlertsOptions> = async (app, options) => {
  await app.register(alertsPages, options);
  await app.register(alertsRoutes, options);
};
