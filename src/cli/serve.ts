// `pss serve`: open the database, load reference (and optionally demo) data, and listen.
import os from 'node:os';
import type { Command } from 'commander';
import { buildApp } from '../app.ts';
import { ConfigError } from '../config.ts';
import { startOutboxSender } from '../accounts/outbox.ts';
import { loggableError } from '../http/errors.ts';
import { seedDemoData } from '../db/seed.ts';
import { fieldCipherFromConfig } from '../lib/field-keys.ts';
import { documentStorageFor } from '../storage/document-storage.ts';
import { startJobRunner } from '../jobs/job-runner.ts';
import { platformJobs } from '../jobs/platform-jobs.ts';
import { configFrom, openReadyDatabase, progress } from './context.ts';

/** How often the server looks for due scheduled jobs (each job has its own interval, kept in the database). */
const JOB_CHECK_MS = 60_000;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the web application and API')
    .option('--port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--data-dir <dir>', 'embedded database directory (default: PSS_DATA_DIR or ./.data)')
    .option('--demo', 'also load demo data')
    .action(async (flags: { port?: string; dataDir?: string; demo?: boolean }) => {
      const config = configFrom(flags);
      const database = await openReadyDatabase(config);
      const fieldCipher = fieldCipherFromConfig(config);
      const demoList = flags.demo ? await seedDemoData(database.db, { storage: documentStorageFor(config.dataDir), fieldCipher }, progress) : null;
      const app = await buildApp({ config, database, fieldCipher });
      const stopSender = startOutboxSender(database.db, config.smtpUrl, config.mailFrom, (err) => app.log.error({ err: loggableError(err) }, 'sending email failed'));
      // Started once the server listens; stopping waits for a job in progress so the database closes after it.
      let stopJobs = async () => {};
      const shutdown = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        stopSender();
        await stopJobs();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      try {
        const address = await app.listen({ port: config.port, host: config.host });
        stopJobs = startJobRunner(database.db, {
          jobs: platformJobs({ baseUrl: config.publicUrl ?? `http://localhost:${config.port}` }),
          everyMs: JOB_CHECK_MS,
          instanceId: `${os.hostname()}:${process.pid}`,
          onError: (err, job) => app.log.error({ err: loggableError(err), job }, 'scheduled job failed'),
          onRun: ({ name, result }) => app.log.info({ job: name, result }, 'scheduled job ran'),
        });
        progress(`Medi-Cal Peer Support Services is running at ${address}/`);
        if (demoList) progress(demoList);
      } catch (err) {
        await app.close();
        await database.close();
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new ConfigError(`Port ${config.port} on ${config.host} is already in use. Choose another with --port or PORT.`);
        }
        throw err;
      }
    });
}
