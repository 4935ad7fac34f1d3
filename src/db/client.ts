// One way to open the database: embedded PGlite in a data directory by default, PostgreSQL when a URL is given.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';
import { acquireDirectoryLock } from './lock.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Where the data lives, for messages (a directory or a URL without its password). */
  location: string;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite; its database lives in `<dataDir>/pglite`. Omit for an in-memory database (tests). */
  dataDir?: string | undefined;
}

export async function openDb(options: OpenDbOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Fail now, with the server's reason, rather than on the first request.
  const client = await pool.connect().catch(async (err: Error) => {
    await pool.end();
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${err.message}`);
  });
  client.release();
  return {
    db: drizzlePg(pool, { schema }) as unknown as Db,
    driver: 'postgres',
    location: redact(url),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (!dataDir) {
    const client = await PGlite.create();
    return { db: drizzlePglite(client, { schema }) as unknown as Db, driver: 'pglite', location: 'memory', close: () => client.close() };
  }
  const release = acquireDirectoryLock(dataDir);
  try {
    const client = await PGlite.create(path.join(dataDir, 'pglite'));
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      driver: 'pglite',
      location: dataDir,
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
