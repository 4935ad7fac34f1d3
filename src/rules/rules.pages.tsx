import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';

export const rulesPages: FastifyPluginAsync<DomainOptions> = async () => {};
