// Service documentation: provider organizations and their people, members and eligibility, documented services —
// the pages for county and provider staff, supervisors and peers, and the JSON API, registered by buildApp.
import type { FastifyPluginAsync } from 'fastify';
import { beneficiariesRoutes } from '../beneficiaries/beneficiaries.routes.ts';
import { membersPages } from '../beneficiaries/members.pages.tsx';
import type { DomainOptions } from '../http/domain-options.ts';
import { organizationsPages } from '../organizations/organizations.pages.tsx';
import { organizationsRoutes } from '../organizations/organizations.routes.ts';
import { encountersPages } from './encounters.pages.tsx';
import { encountersRoutes } from './encounters.routes.ts';

export const servicesPlugin: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  await app.register(async (pages) => {
    // Web pages are not API operations: none of them is in the OpenAPI document.
    pages.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await pages.register(organizationsPages, options);
    await pages.register(membersPages, options);
    await pages.register(encountersPages, options);
  });
  await app.register(organizationsRoutes, options);
  await app.register(beneficiariesRoutes, options);
  await app.register(encountersRoutes, options);
};
