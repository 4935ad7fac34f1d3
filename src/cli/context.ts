// What every CLI verb shares: configuration with flag overrides, an opened and migrated database, progress lines.
import { ConfigError, loadConfig, type Config, type ConfigOverrides } from '../config.ts';
import { openDb, type Database } from '../db/client.ts';
import { prepareDatabase } from '../db/prepare.ts';

export interface DbFlags {
  dataDir?: string;
  port?: string;
}

/** Progress goes to stderr so stdout stays clean for JSON and CSV. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function configFrom(flags: DbFlags): Config {
  const overrides: ConfigOverrides = { dataDir: flags.dataDir };
  if (flags.port !== undefined) {
    if (!/^\d+$/.test(flags.port)) throw new ConfigError(`Invalid --port: "${flags.port}" (expected a number from 0 to 65535)`);
    overrides.port = Number(flags.port);
  }
  return loadConfig(process.env, overrides);
}

/** Open the configured database, bring its schema and reference data up to date, run `work`, close. */
export async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openReadyDatabase(config);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function openReadyDatabase(config: Config): Promise<Database> {
  const started = Date.now();
  progress(`Opening ${config.databaseUrl ? 'PostgreSQL' : 'the embedded database'} (${config.databaseUrl ? '' : config.dataDir})`.replace(' ()', ''));
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  try {
    await prepareDatabase(database, progress);
    progress(`Database ready in ${Date.now() - started} ms`);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}
