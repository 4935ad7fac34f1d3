// The public registry's routes and pages, registered by buildApp, with what they share: the receipt-signing key
// (loaded once, on first use) and the issuer named in receipts (PUBLIC_URL, else the address a request came to).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { etagOnSend } from '../http/etag.ts';
import { registryPages } from './registry.pages.tsx';
import { registryRoutes } from './registry.routes.ts';
import { loadSigningKey, type SigningKey } from './signing-keys.ts';

export interface RegistryOptions {
  db: Db;
  signingKey: () => Promise<SigningKey>;
  issuerOf: (req: FastifyRequest) => string;
}

export const registryPlugin: FastifyPluginAsync<DomainOptions & { signingKeyPem?: string | undefined }> = async (app, { db, publicUrl, signingKeyPem }) => {
  let key: Promise<SigningKey> | undefined;
  const signingKey = () => {
    key ??= loadSigningKey(db, signingKeyPem).catch((err: unknown) => {
      key = undefined; // a failed first load (database busy) is tried again on the next request
      throw err;
    });
    return key;
  };
  const issuerOf = (req: FastifyRequest) => (publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
  // Search results and entries are public and change rarely: conditional GETs save employers' batch checkers work.
  app.addHook('onSend', etagOnSend);
  await app.register(registryRoutes, { db, signingKey, issuerOf });
  await app.register(registryPages, { db, signingKey, issuerOf });
};
