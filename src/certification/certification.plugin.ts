// The certification domain's routes and pages, registered by buildApp: each file registers one area.
import type { FastifyPluginAsync } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { portalPages } from './portal.pages.tsx';
import { workbenchPages } from './workbench.pages.tsx';
import { certificationRoutes } from './certification.routes.ts';
import { certificatePages } from './certificate.pages.ts';
import { peerImportPages } from './import-peers.pages.tsx';
import { rulesPages } from '../rules/rules.pages.tsx';

export const certificationPlugin: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  await app.register(portalPages, options);
  await app.register(workbenchPages, options);
  await app.register(certificationRoutes, options);
  await app.register(certificatePages, options);
  await app.register(peerImportPages, options);
  await app.register(rulesPages, options);
};
