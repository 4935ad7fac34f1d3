// The training domain's routes and pages, registered by buildApp: each file registers one area.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { MAX_UPLOAD_BYTES } from '../storage/upload-check.ts';
import { completionPages } from './completion.pages.tsx';
import { rosterPages } from './roster.page.tsx';
import { trainingPages } from './training.pages.tsx';
import { trainingRoutes } from './training.routes.ts';

export const trainingPlugin: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  // Rosters may be posted as the CSV itself. The parser belongs to this plugin only (fastify encapsulation).
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
  await app.register(trainingPages, options);
  await app.register(completionPages, options);
  await app.register(rosterPages, options);
  await app.register(trainingRoutes, options);
};
