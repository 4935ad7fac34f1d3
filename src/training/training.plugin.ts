// The training domain's routes and pages, registered by buildApp.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';

export const trainingPlugin: FastifyPluginAsync<DomainOptions> = async () => {};
