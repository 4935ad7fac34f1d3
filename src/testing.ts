// The whole app over a fresh test database, for integration tests (inject) and browser journeys (listen).
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './db/testing.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

export async function createTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  try {
    const app = await buildApp({ config: { env: 'test', logLevel: 'silent' }, database, logger: false });
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
