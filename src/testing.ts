// The whole app over a fresh test database, for integration tests (inject) and browser journeys (listen).
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './db/testing.ts';

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

export async function createTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  try {
    const app = await buildApp({ config: { env: 'test', logLevel: 'silent' }, database, logger: false });
    databases.set(app, database);
    return {
      app,
      database,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
