// Enforcement: the public complaint form, appeals, enforcement staff's pages and the JSON API, registered by
// buildApp. The clock reminders are in enforcement.jobs.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { appealPages } from './appeal.pages.tsx';
import { casesPages } from './cases.pages.tsx';
import { complaintPages } from './complaint.pages.tsx';
import { enforcementRoutes } from './enforcement.routes.ts';

export const enforcementPlugin: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  await app.register(async (pages) => {
    // Web pages are not API operations: none of them is in the OpenAPI document.
    pages.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await pages.register(complaintPages, options);
    await pages.register(appealPages, options);
    await pages.register(casesPages, options);
  });
  await app.register(enforcementRoutes, options);
};
