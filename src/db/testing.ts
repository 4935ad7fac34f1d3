// Test databases: each test file gets its own, migrated and loaded with reference data.
// Embedded PGlite in memory by default; a fresh PostgreSQL database when the runner sets PSS_TEST_DRIVER=postgres.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { openDb, type Database } from './client.ts';
import { prepareDatabase } from './prepare.ts';

export interface TestDatabase extends Database {
  /** The URL of the PostgreSQL database made for this test, for tests that start a subprocess. */
  url?: string;
}

/** A fresh database for one test file; `prepare: false` leaves it empty (no tables) for tests of setup itself. */
export async function createTestDatabase(options: { prepare?: boolean } = {}): Promise<TestDatabase> {
  const config = loadConfig();
  const database = config.testDriver === 'postgres' ? await createPostgresDatabase(config.testDatabaseUrl) : await openDb({});
  if (options.prepare !== false) await prepareDatabase(database);
  return database;
}

async function createPostgresDatabase(serverUrl: string | undefined): Promise<TestDatabase> {
  if (!serverUrl) throw new Error('PSS_TEST_DRIVER=postgres needs TEST_DATABASE_URL (a server where tests may create databases)');
  const name = `pss_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDb({ databaseUrl: url.toString() });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
