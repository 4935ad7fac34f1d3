// `pss users create`: accounts from the command line, above all the first administrator.
import type { Command } from 'commander';
import { isRole, type Role } from '../access/roles.ts';
import { createUser } from '../accounts/users.service.ts';
import { AppError } from '../lib/errors.ts';
import { configFrom, progress, withDatabase } from './context.ts';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('Accounts and roles');
  users
    .command('create')
    .description('Create an account with a role and print a single-use link to choose its password')
    .requiredOption('--email <email>', 'email address (sign-in name)')
    .requiredOption('--role <role>', 'role: peer, certification_staff, enforcement_staff, training_provider, county_admin, provider_staff, supervisor, dhcs_analyst, system_admin')
    .option('--county <fips>', 'county FIPS code, for county-scoped roles (e.g. 06001)')
    .option('--name <name>', 'display name (default: the email address)')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { email: string; role: string; county?: string; name?: string; dataDir?: string }) => {
      if (!isRole(flags.role)) throw new AppError('bad-request', `Unknown role "${flags.role}".`);
      const config = configFrom(flags);
      const base = (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/$/, '');
      await withDatabase(config, async ({ db }) => {
        const { inviteLink } = await createUser(
          db,
          {
            email: flags.email,
            displayName: flags.name ?? flags.email,
            roles: [{ role: flags.role as Role, countyFips: flags.county ?? null }],
            inviteLink: (token) => `${base}/reset-password?token=${encodeURIComponent(token)}`,
          },
          { actor: { role: 'cli' }, userAgent: 'pss users create' },
        );
        progress(`Created ${flags.email} with the role ${flags.role}${flags.county ? ` in county ${flags.county}` : ''}.`);
        progress('Open this link once, within 7 days, to choose the password:');
        process.stdout.write(`${inviteLink}\n`);
      });
    });
}
