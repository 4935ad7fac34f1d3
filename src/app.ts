// buildApp: every plugin and route, no listen(). Tests call app.inject(); the CLI's `serve` listens.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import { AppError } from './lib/errors.ts';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { recordRoutes } from './access/route-access.ts';
import { registerErrorHandling } from './http/errors.ts';
import { describeProblemResponses } from './http/openapi.ts';
import { healthRoutes } from './http/health.routes.ts';
import { countiesRoutes } from './counties/counties.routes.ts';
import { countiesPages } from './counties/counties.pages.tsx';
import { apiReferencePages } from './web/api-reference.pages.tsx';
import { homePages } from './web/home.pages.tsx';
import { accountsPages } from './accounts/accounts.pages.tsx';
import { registerActor } from './accounts/actor.plugin.ts';
import { authRoutes } from './accounts/auth.routes.ts';
import { outboxPages } from './accounts/outbox.pages.tsx';
import { apiTokenPages } from './accounts/api-tokens.pages.tsx';
import { apiTokenRoutes } from './accounts/api-tokens.routes.ts';
import { auditPages } from './audit/audit.pages.tsx';
import { auditRoutes } from './audit/audit.routes.ts';
import { usersAdminPages } from './accounts/users-admin.pages.tsx';
import { renderErrorPage } from './web/error-page.tsx';
import { registerWeb } from './web/web.plugin.ts';
import fastifyMultipart from '@fastify/multipart';
import { certificationPlugin } from './certification/certification.plugin.ts';
import { trainingPlugin } from './training/training.plugin.ts';
import { jobsPlugin } from './jobs/jobs.plugin.ts';
import { registryPlugin } from './registry/registry.plugin.ts';
import { alertsPlugin } from './alerts/alerts.plugin.ts';
import { fhirPlugin } from './fhir/fhir.plugin.ts';
import { enforcementPlugin } from './enforcement/enforcement.plugin.ts';
import { servicesPlugin } from './encounters/services.plugin.ts';
import { claimsPlugin } from './claims/claims.plugin.ts';
import { recordedEligibility } from './beneficiaries/eligibility.service.ts';
import { fieldCipherFromConfig } from './lib/field-keys.ts';
import type { FieldCipher } from './lib/field-crypto.ts';
import { documentStorageFor, type DocumentStorage } from './storage/document-storage.ts';
import { MAX_UPLOAD_BYTES } from './storage/upload-check.ts';
import { csrfTokenOf } from './web/multipart.ts';

export interface AppDeps {
  config: Pick<Config, 'env' | 'logLevel'> & Partial<Pick<Config, 'trustProxy' | 'publicUrl' | 'rateLimits' | 'dataDir' | 'registrySigningKey' | 'fieldEncryption'>>;
  database: Database;
  /** Members' field encryption; by default from the configuration (the operator's key, or a local key file). */
  fieldCipher?: FieldCipher;
  /** Where uploads go; by default a `documents` directory beside the embedded database. */
  storage?: DocumentStorage;
  /** Pass false in tests to keep their output clean. */
  logger?: boolean;
  /** Where log lines go (default stdout); tests read them to check what is logged. */
  logStream?: DestinationStream;
}

const require = createRequire(import.meta.url);
// USWDS exports no package.json; its main entry is dist/js/uswds.min.js, so dist is two levels up.
const uswdsDist = path.resolve(path.dirname(require.resolve('@uswds/uswds')), '..');
const ownAssets = fileURLToPath(new URL('./web/assets', import.meta.url));

export async function buildApp({ config, database, storage, fieldCipher, logger = true, logStream }: AppDeps): Promise<FastifyInstance> {
  const dataDir = config.dataDir ?? path.resolve('.data');
  const documents = storage ?? documentStorageFor(dataDir);
  const cipher = fieldCipher ?? fieldCipherFromConfig({ fieldEncryption: config.fieldEncryption ?? { key: undefined, keyId: 'k1', previousKeys: undefined }, dataDir });
  const loggerOptions: FastifyServerOptions['logger'] = logger
    ? {
        level: config.logLevel,
        // Query strings can carry identifiers; log the path only.
        serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }) },
        ...(logStream ? { stream: logStream } : {}),
      }
    : false;
  // Secure cookies outside development (browsers accept them from http://127.0.0.1 and localhost too).
  const secureCookies = config.env !== 'development';
  const app = Fastify({ logger: loggerOptions, trustProxy: config.trustProxy ?? false, routerOptions: { ignoreTrailingSlash: true } }).withTypeProvider<ZodTypeProvider>();
  // First, so every route is recorded: the route × role access test enumerates them.
  app.decorate('routeList', recordRoutes(app));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.env === 'production' ? [] : null,
      },
    },
    hsts: config.env !== 'development', // HSTS outside development
  });
  const rateLimits = config.rateLimits ?? { perMinute: 600, signInPerMinute: 20 };
  await app.register(fastifyRateLimit, {
    max: rateLimits.perMinute,
    timeWindow: '1 minute',
    // The static assets of one page view are many requests; they are not what a limit protects.
    allowList: (req) => req.url.startsWith('/assets/'),
    errorResponseBuilder: (_req, context) => new AppError('rate-limited', `Too many requests. Try again in ${context.after}.`),
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  // Upload forms: fields and files land on req.body (files buffered, each bounded), so the CSRF check reads the
  // form's _csrf field as it does for url-encoded forms; src/web/multipart.ts reads them.
  await app.register(fastifyMultipart, { attachFieldsToBody: true, limits: { fileSize: MAX_UPLOAD_BYTES, files: 5, fields: 50, fieldSize: 64 * 1024 } });
  // CSRF secret in its own cookie: forms work signed in or out (sign-in and sign-up forms need it too).
  await app.register(fastifyCsrf, { cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies }, getToken: csrfTokenOf });
  registerActor(app, database.db);
  registerWeb(app, secureCookies);
  registerErrorHandling(app, renderErrorPage);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Medi-Cal Peer Support Services API',
        version: '1',
        description: 'County participation, certification registry, services and claims. Errors are RFC 9457 problem+json.',
      },
      tags: [
        { name: 'Counties', description: 'County participation in Peer Support Services by delivery system' },
        { name: 'Accounts', description: 'Sign-in, the signed-in person and API tokens' },
        { name: 'Audit', description: 'The tamper-evident audit log: search and export' },
        { name: 'Certification', description: 'Applications, review, exams, fees and program rules' },
        { name: 'Training', description: 'Training providers, courses and completion rosters' },
        { name: 'Organizations', description: 'Provider organizations, their contracts, sites, staff, peers and supervision' },
        { name: 'Members', description: 'Medi-Cal members (protected health information) and their eligibility' },
        { name: 'Services', description: 'Documented peer support services (encounters) and their validation' },
        { name: 'Claims', description: 'Fee schedules, claim batches, 837P files, 835 remittances' },
        { name: 'Operations' },
      ],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (Problem) become components, so every $ref resolves.
    transformObject: (input) => describeProblemResponses(jsonSchemaTransformObject(input)),
  });

  await app.register(fastifyStatic, { root: uswdsDist, prefix: '/assets/uswds/', decorateReply: false, maxAge: '1d' });
  await app.register(fastifyStatic, { root: ownAssets, prefix: '/assets/', decorateReply: false });

  await app.register(healthRoutes, { database });
  await app.register(countiesRoutes, { db: database.db });
  await app.register(countiesPages, { db: database.db });
  await app.register(homePages, { db: database.db });
  await app.register(authRoutes, { db: database.db, secureCookies, signInPerMinute: rateLimits.signInPerMinute });
  await app.register(accountsPages, { db: database.db, secureCookies, publicUrl: config.publicUrl, signInPerMinute: rateLimits.signInPerMinute });
  await app.register(outboxPages, { db: database.db });
  await app.register(auditRoutes, { db: database.db });
  await app.register(auditPages, { db: database.db });
  await app.register(apiTokenRoutes, { db: database.db });
  await app.register(apiTokenPages, { db: database.db });
  await app.register(usersAdminPages, { db: database.db, publicUrl: config.publicUrl });
  const domain = { db: database.db, storage: documents, publicUrl: config.publicUrl, fieldCipher: cipher, eligibility: recordedEligibility };
  await app.register(certificationPlugin, domain);
  await app.register(trainingPlugin, domain);
  await app.register(jobsPlugin, domain);
  await app.register(registryPlugin, { ...domain, signingKeyPem: config.registrySigningKey });
  await app.register(alertsPlugin, { ...domain, production: config.env === 'production' });
  await app.register(fhirPlugin, domain);
  await app.register(enforcementPlugin, domain);
  await app.register(servicesPlugin, domain);
  await app.register(claimsPlugin, domain);
  await app.register(apiReferencePages);
  return app;
}
