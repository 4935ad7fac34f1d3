// The `pss` command line.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { DatabaseUnavailableError } from '../db/client.ts';
import { DatabaseLockedError } from '../db/lock.ts';
import { AppError } from '../lib/errors.ts';
import { registerAudit } from './audit.ts';
import { registerCounties } from './counties.ts';
import { registerDatabase } from './database.ts';
import { registerServe } from './serve.ts';
import { registerUsers } from './users.ts';
import { registerJobs } from './jobs.ts';
import { registerClaims } from './claims.ts';
import { registerCertification } from './certification.ts';

/** Errors whose message is meant for the person at the terminal; anything else is a bug and shows its stack. */
const USER_ERRORS = [AppError, ConfigError, DatabaseLockedError, DatabaseUnavailableError];

export function buildProgram(): Command {
  const program = new Command('pss')
    .description('Medi-Cal Peer Support Services platform')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerDatabase(program);
  registerCounties(program);
  registerUsers(program);
  registerAudit(program);
  registerCertification(program);
  registerJobs(program);
  registerClaims(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (USER_ERRORS.some((type) => err instanceof type)) {
      process.stderr.write(`error: ${(err as Error).message}\n`);
    } else {
      process.stderr.write(`unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    }
    process.exitCode = 1;
  }
}
