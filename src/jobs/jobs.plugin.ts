// The scheduled-jobs administration routes and pages, registered by buildApp.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';

export const jobsPlugin: FastifyPluginAsync<DomainOptions> = async () => {};
