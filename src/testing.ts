// The whole app over a fresh test database, for integration tests (inject) and browser journeys (listen).
import type { FastifyInstance } from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from './app.ts';
import { localDirectoryStorage } from './storage/document-storage.ts';
import type { RateLimits } from './config.ts';
import { createTestDatabase, type TestDatabase } from './db/testing.ts';
import { testFieldCipher } from './lib/field-crypto.testing.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

const databases = new WeakMap<FastifyInstance, TestDatabase>();

/** The database behind an app made by createTestApp (for fixtures that only get the app). */
export function databaseOf(app: FastifyInstance): TestDatabase {
  const database = databases.get(app);
  if (!database) throw new Error('this app was not made by createTestApp()');
  return database;
}

/** Tests send many requests from one address; the limits are tested on their own with low values. */
const GENEROUS_LIMITS: RateLimits = { perMinute: 1_000_000, signInPerMinute: 1_000_000 };

export async function createTestApp(options: { rateLimits?: RateLimits } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const documentsDir = await mkdtemp(path.join(os.tmpdir(), 'pss-documents-'));
  try {
    const config = { env: 'test' as const, logLevel: 'silent' as const, rateLimits: options.rateLimits ?? GENEROUS_LIMITS };
    const app = await buildApp({ config, database, logger: false, storage: localDirectoryStorage(documentsDir), fieldCipher: testFieldCipher() });
    databases.set(app, database);
    return {
      app,
      database,
      async close() {
        await app.close();
        await database.close();
        await rm(documentsDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
