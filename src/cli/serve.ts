// `pss serve`: open the database, load reference (and optionally demo) data, and listen.
import type { Command } from 'commander';
import { buildApp } from '../app.ts';
import { ConfigError } from '../config.ts';
import { startOutboxSender } from '../accounts/outbox.ts';
import { loggableError } from '../http/errors.ts';
import { seedDemoData } from '../db/seed.ts';
import { configFrom, openReadyDatabase, progress } from './context.ts';

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
      const demoList = flags.demo ? await seedDemoData(database.db, progress) : null;
      const app = await buildApp({ config, database });
      const stopSender = startOutboxSender(database.db, config.smtpUrl, config.mailFrom, (err) => app.log.error({ err: loggableError(err) }, 'sending email failed'));
      const shutdown = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        stopSender();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      try {
        const address = await app.listen({ port: config.port, host: config.host });
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
