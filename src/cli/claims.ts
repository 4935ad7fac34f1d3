// `pss claims …`: fee schedules, building batches, listing them, and writing a batch's 837P — the operator on the
// server acts as the platform (audited as system:cli).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { systemContext } from '../access/context.ts';
import { recordedEligibility } from '../beneficiaries/eligibility.service.ts';
import { listBatches, write837File } from '../claims/batch-837.ts';
import { buildClaimBatch } from '../claims/build-claims.ts';
import { importFeeSchedule } from '../claims/fee-schedule.ts';
import { ingest835 } from '../claims/ingest-835.ts';
import { AppError } from '../lib/errors.ts';
import { fieldCipherFromConfig } from '../lib/field-keys.ts';
import { configFrom, withDatabase } from './context.ts';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** A file to stream can be opened, or a clear message says why not. */
function assertReadable(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'r'));
  } catch (err) {
    throw new AppError('bad-request', `Cannot read ${file}: ${(err as Error).message}`);
  }
}

function readFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new AppError('bad-request', `Cannot read ${file}: ${(err as Error).message}`);
  }
}

export function registerClaims(program: Command): void {
  const claims = program.command('claims').description('Medi-Cal claiming: fee schedules, batches of claims, 837P files');

  claims
    .command('rates <file>')
    .description('Import a fee schedule CSV (plan_code, delivery_system, procedure_code, modifiers, effective_from, rate)')
    .requiredOption('--source <text>', 'where the rates come from, e.g. "Alameda contract rates FY2026"')
    .option('--illustrative', 'mark the rates as illustrative (not DHCS or county rates)')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (file: string, flags: { source: string; illustrative?: boolean; dataDir?: string }) => {
      const csv = readFile(file);
      await withDatabase(configFrom(flags), async ({ db }) => {
        const result = await importFeeSchedule(db, { csv, source: flags.source, illustrative: flags.illustrative ?? false }, systemContext('cli'));
        out(`Rates recorded: ${result.recorded}; already recorded: ${result.alreadyRecorded}.`);
      });
    });

  claims
    .command('build')
    .description('Build a batch of claims from an organization’s billable services in a period')
    .requiredOption('--organization <id>', 'the provider organization')
    .requiredOption('--from <date>', 'first date of service (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date of service (YYYY-MM-DD)')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { organization: string; from: string; to: string; json?: boolean; dataDir?: string }) => {
      await withDatabase(configFrom(flags), async ({ db }) => {
        const built = await buildClaimBatch(db, recordedEligibility, { organizationId: flags.organization, from: flags.from, to: flags.to }, systemContext('cli'));
        if (flags.json) out(JSON.stringify({ id: built.batch.id, ready: built.ready, held: built.held }));
        else out(`Batch ${built.batch.id}: ${built.ready} claim(s) ready, ${built.held} held by edits.`);
      });
    });

  claims
    .command('batches')
    .description('List batches: id, organization, period, state and counts')
    .option('--json', 'print as JSON')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { json?: boolean; dataDir?: string }) => {
      await withDatabase(configFrom(flags), async ({ db }) => {
        const batches = (await listBatches(db, 'all')).map((b) => ({ id: b.id, organizationId: b.organization_id, organization: b.organization, periodFrom: b.period_from, periodTo: b.period_to, state: b.state, builtOn: b.built_on, claims: b.claims, ready: b.ready, held: b.held, totalCents: b.total_cents }));
        if (flags.json) out(JSON.stringify(batches, null, 2));
        else for (const b of batches) out(`${b.id}  ${b.organization}  ${b.periodFrom}..${b.periodTo}  ${b.state}  ${b.claims} claims (${b.ready} ready, ${b.held} held)`);
      });
    });

  claims
    .command('835 <file>')
    .description('Post an 835 remittance: payments and adjustments by claim and line; unmatched items are reported')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (file: string, flags: { json?: boolean; dataDir?: string }) => {
      assertReadable(file);
      await withDatabase(configFrom(flags), async ({ db }) => {
        // Streamed from disk: a remittance of a million lines is never read whole.
        const result = await ingest835(db, { path: file, fileName: path.basename(file) }, systemContext('cli'));
        if (flags.json) out(JSON.stringify(result, null, 2));
        else if (result.alreadyImported) out(`${path.basename(file)} was already posted (remittance ${result.remittanceId}); nothing changed.`);
        else {
          out(`Posted ${path.basename(file)}: ${result.claimsMatched} claim(s), ${result.linesPosted} line(s), paid ${(result.paidCents / 100).toFixed(2)}.`);
          for (const u of result.unmatched) out(`  unmatched ${u.segment} ${u.reference}: ${u.reason}`);
        }
      });
    });

  claims
    .command('837')
    .description('Write a batch’s 837P (its ready claims), checked by parsing it back')
    .requiredOption('--batch <id>', 'the batch')
    .requiredOption('--out <file>', 'where to write the file')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { batch: string; out: string; dataDir?: string }) => {
      const config = configFrom(flags);
      await withDatabase(config, async ({ db }) => {
        // Streamed to a file beside the target and renamed once checked: a refused file never replaces a good one.
        const partial = `${flags.out}.partial`;
        const file = await write837File(db, fieldCipherFromConfig(config), flags.batch, partial, systemContext('cli'));
        fs.renameSync(partial, flags.out);
        out(`Wrote ${flags.out}: ${file.claims} claim(s), ${file.lines} line(s), checked.`);
      });
    });
}
