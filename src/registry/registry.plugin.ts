// The public registry's routes and pages, registered by buildApp.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { registryPages } from './registry.pages.tsx';

export const registryPlugin: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  await app.register(registryPages, { db });
};
