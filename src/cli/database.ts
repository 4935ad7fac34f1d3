// `pss migrate` and `pss seed`.
import { fieldCipherFromConfig } from '../lib/field-keys.ts';
import type { Command } from 'commander';
import { seedDemoData } from '../db/seed.ts';
import { documentStorageFor } from '../storage/document-storage.ts';
import { configFrom, progress, withDatabase } from './context.ts';

export function registerDatabase(program: Command): void {
  program
    .command('migrate')
    .description('Apply database migrations and load reference data')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { dataDir?: string }) => {
      await withDatabase(configFrom(flags), async () => progress('Migrations applied.'));
    });

  program
    .command('seed')
    .description('Load reference data (counties, plans, participation); with --demo, also demo data')
    .option('--data-dir <dir>', 'embedded database directory')
    .option('--demo', 'also load demo data')
    .action(async (flags: { dataDir?: string; demo?: boolean }) => {
      const config = configFrom(flags);
      await withDatabase(config, async ({ db }) => {
        if (flags.demo) progress(await seedDemoData(db, { storage: documentStorageFor(config.dataDir), fieldCipher: fieldCipherFromConfig(config) }, progress));
        progress('Seed complete.');
      });
    });
}
