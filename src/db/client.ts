// One way to open the database: embedded PGlite in a data directory by default, PostgreSQL when a URL is given.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';
import { acquireDirectoryLock } from './lock.ts';

export type Schema = typeof schema;

/** The configured PostgreSQL server cannot be reached: an operator's problem, reported without a stack. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Where the data lives, for messages (a directory or a URL without its password). */
  location: string;
  /**
   * Run `work` while no other process prepares this database. On PostgreSQL several app instances may start at
   * once, so this holds a session advisory lock; the embedded database already has one process only.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Advisory lock key for schema and reference-data setup: "PSS setu" in ASCII as a bigint (decimal: PostgreSQL 15 has no hex literals). */
const SETUP_LOCK_KEY = '5788061344941306997';

const runDirectly = <T>(work: () => Promise<T>) => work();

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
  // An idle connection the server closes (restart, failover, DROP DATABASE … FORCE) is dropped by the pool and
  // the next query reconnects; without a listener its error would end the process.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`));
  // Fail now, with the server's reason, rather than on the first request.
  const client = await pool.connect().catch(async (err: Error) => {
    await pool.end();
    throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL at ${redact(url)}: ${err.message}`);
  });
  client.release();
  return {
    db: drizzlePg(pool, { schema }) as unknown as Db,
    driver: 'postgres',
    location: redact(url),
    async exclusive(work) {
      // The lock belongs to one session, so it is taken and released on one dedicated connection.
      const holder = await pool.connect();
      try {
        await holder.query(`select pg_advisory_lock(${SETUP_LOCK_KEY}::bigint)`);
        return await work();
      } finally {
        await holder.query(`select pg_advisory_unlock(${SETUP_LOCK_KEY}::bigint)`).catch(() => undefined);
        holder.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (!dataDir) {
    const client = await PGlite.create({ extensions: { pg_trgm } });
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      driver: 'pglite',
      location: 'memory',
      exclusive: runDirectly,
      close: () => client.close(),
    };
  }
  const release = acquireDirectoryLock(dataDir);
  try {
    const client = await PGlite.create(path.join(dataDir, 'pglite'), { extensions: { pg_trgm } });
    return {
      db: drizzlePglite(client, { schema }) as unknown as Db,
      driver: 'pglite',
      location: dataDir,
      exclusive: runDirectly,
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

/** Whether the handle can run two transactions at once (a pool of connections: PostgreSQL, not PGlite). */
export function hasConnectionPool(db: Db): boolean {
  return (db as unknown as { $client?: unknown }).$client instanceof pg.Pool;
}

/** A JS array as one bound parameter of a Postgres array type (drizzle would spread it into a list). */
export function arrayParam(values: readonly unknown[], type: string): SQL {
  return sql`${sql.param(values)}::${sql.raw(type)}[]`;
}

/** Rows of a raw SQL statement. Both drivers answer execute() with { rows }; the shared Db type does not say so. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
