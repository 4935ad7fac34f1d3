// The environment, parsed once. This is the only module that reads process.env.
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PSS_DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z.string().url().optional(),
  TEST_DATABASE_URL: z.string().url().optional(),
  /** Which database the integration tests use; the test runner sets it. */
  PSS_TEST_DRIVER: z.enum(['pglite', 'postgres']).default('pglite'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Base URL for links in emails (e.g. https://pss.example.org); default: the address a request came to. */
  PUBLIC_URL: z.string().url().optional(),
  /** SMTP server for outgoing email (smtp://user:pass@host:587); without it, email waits in the outbox. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Medi-Cal Peer Support Services <no-reply@localhost>'),
  /** Requests per minute from one address, across the site, and to the sign-in endpoints (per instance). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Trust X-Forwarded-* headers only when a reverse proxy is known to set them. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** The registry's Ed25519 receipt-signing key (PKCS#8 PEM); without it one is generated and kept in the database. */
  REGISTRY_SIGNING_KEY: z.string().optional(),
  /** The master key for members' CIN and birth date (32 bytes, base64); without it a local key file is made. */
  FIELD_ENCRYPTION_KEY: z.string().optional(),
  FIELD_ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, 'letters, digits, - or _, at most 16').default('k1'),
  /** Keys rotated out but still needed to read older rows: "kid:base64,kid:base64". */
  FIELD_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  /** Directory for the embedded database (and later, uploads and keys). */
  dataDir: string;
  /** When set, the platform uses this PostgreSQL server instead of the embedded database. */
  databaseUrl: string | undefined;
  testDatabaseUrl: string | undefined;
  testDriver: 'pglite' | 'postgres';
  env: 'development' | 'production' | 'test';
  trustProxy: boolean;
  publicUrl: string | undefined;
  rateLimits: RateLimits;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** PKCS#8 PEM of the receipt-signing key, when the operator supplies it. */
  registrySigningKey: string | undefined;
  /** Field encryption of member PHI: the operator's key (base64) and id, and rotated-out keys ("kid:base64,…"). */
  fieldEncryption: { key: string | undefined; keyId: string; previousKeys: string | undefined };
}

export interface RateLimits {
  perMinute: number;
  signInPerMinute: number;
}

export interface ConfigOverrides {
  port?: number | undefined;
  dataDir?: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment (and command-line overrides, which win). Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  // An empty variable (PORT=) means "not set", not zero or an invalid URL.
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.FIELD_ENCRYPTION_KEY) {
    // A key file on one machine would make a shared database's member records unreadable from any other.
    throw new ConfigError('Invalid configuration:\n  FIELD_ENCRYPTION_KEY: required in production with DATABASE_URL (openssl rand -base64 32)');
  }
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) {
    // Otherwise links in email would be built from the request's Host header, which a caller controls.
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: required in production (the address people use, e.g. https://pss.example.org)');
  }
  const portOverride = overrides.port === undefined ? undefined : port.safeParse(overrides.port);
  if (portOverride && !portOverride.success) throw new ConfigError(`Invalid --port: ${overrides.port}`);
  return {
    port: portOverride?.data ?? e.PORT,
    host: e.HOST,
    dataDir: path.resolve(overrides.dataDir ?? e.PSS_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    testDriver: e.PSS_TEST_DRIVER,
    env: e.NODE_ENV,
    trustProxy: e.TRUST_PROXY === 'true',
    publicUrl: e.PUBLIC_URL,
    rateLimits: { perMinute: e.RATE_LIMIT_PER_MINUTE, signInPerMinute: e.SIGN_IN_RATE_LIMIT_PER_MINUTE },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    registrySigningKey: e.REGISTRY_SIGNING_KEY?.replace(/\\n/g, '\n'),
    fieldEncryption: { key: e.FIELD_ENCRYPTION_KEY, keyId: e.FIELD_ENCRYPTION_KEY_ID, previousKeys: e.FIELD_ENCRYPTION_PREVIOUS_KEYS },
  };
}
