// Claiming: billing staff's pages and the JSON API, registered by buildApp.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { claimsPages } from './claims.pages.tsx';
import { claimsRoutes } from './claims.routes.ts';

export const claimsPlugin: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  await app.register(async (pages) => {
    // Web pages are not API operations: none of them is in the OpenAPI document.
    pages.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await pages.register(claimsPages, options);
  });
  await app.register(claimsRoutes, options);
};
