// The scheduled-jobs administration routes and pages, registered by buildApp.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { jobsPages } from './jobs.pages.tsx';

export const jobsPlugin: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  await app.register(jobsPages, options);
};
