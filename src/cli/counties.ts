// `pss counties …`: list and show participation, and import the DHCS page.
import fs from 'node:fs';
import type { Command } from 'commander';
import { participationCsv } from '../counties/counties.csv.ts';
import { getCounty, listCountyParticipation } from '../counties/counties.service.ts';
import {
  importParticipationPage,
  reviewParticipationPage,
  type CountyChange,
  type ImportPageResult,
} from '../counties/import-participation.ts';
import { AppError } from '../lib/errors.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { configFrom, withDatabase } from './context.ts';

function asOfFlag(value: string | undefined): string {
  if (value === undefined) return todayInCalifornia();
  if (!isIsoDate(value)) throw new AppError('bad-request', `--as-of must be a date written YYYY-MM-DD, not "${value}".`);
  return value;
}

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function describeChange(c: CountyChange): string {
  const list = (s: string[]) => (s.length ? s.join(', ') : 'none');
  return `  ${c.county} (${c.fips}): ${list(c.from)} → ${list(c.to)}`;
}

function printImport(result: ImportPageResult): void {
  for (const w of result.warnings) out(`warning: ${w.message}`);
  if (!result.recorded) {
    out('No changes: this page is already recorded for that date.');
    return;
  }
  if (!result.applied) {
    out('No participation changes; the page is recorded as the source from its effective date.');
    return;
  }
  const { added, removed, changed } = result.diff;
  out(`Added (${added.length}):`);
  added.forEach((c) => out(describeChange(c)));
  out(`Removed (${removed.length}):`);
  removed.forEach((c) => out(describeChange(c)));
  out(`Changed (${changed.length}):`);
  changed.forEach((c) => out(describeChange(c)));
}

export function registerCounties(program: Command): void {
  const counties = program.command('counties').description('County participation in Peer Support Services');

  counties
    .command('list')
    .description('Participation of every county as of a date')
    .option('--as-of <date>', 'date, YYYY-MM-DD (default: today in California)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { asOf?: string; json?: boolean; csv?: boolean; dataDir?: string }) => {
      const asOf = asOfFlag(flags.asOf);
      await withDatabase(configFrom(flags), async ({ db }) => {
        const list = await listCountyParticipation(db, asOf);
        if (flags.json) return out(JSON.stringify(list, null, 2));
        if (flags.csv) return out(participationCsv(list));
        for (const c of list.counties) out(`${c.fips}  ${c.name.padEnd(16)} ${c.deliverySystems.join(', ') || '-'}`);
        out(`${list.participatingCount} of ${list.counties.length} counties participating as of ${asOf}.`);
      });
    });

  counties
    .command('show <fips>')
    .description("A county's plan, participation and history")
    .option('--as-of <date>', 'date, YYYY-MM-DD (default: today in California)')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (fips: string, flags: { asOf?: string; dataDir?: string }) => {
      const asOf = asOfFlag(flags.asOf);
      await withDatabase(configFrom(flags), async ({ db }) => out(JSON.stringify(await getCounty(db, fips, asOf), null, 2)));
    });

  counties
    .command('import <file>')
    .description('Import the text of the DHCS "Counties Participating in Peer Support Services" page')
    .option('--dry-run', 'parse and report; write nothing (needs no database)')
    .option('--json', 'print the result as JSON')
    .option('--effective <date>', 'the date the page takes effect, YYYY-MM-DD (required unless --dry-run)')
    .option('--source <text>', 'where the text came from', 'DHCS Peer Support Services page')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (file: string, flags: { dryRun?: boolean; json?: boolean; effective?: string; source: string; dataDir?: string }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new AppError('bad-request', `Cannot read ${file}: ${(err as Error).message}`);
      }
      if (flags.dryRun) {
        const parsed = reviewParticipationPage(text);
        if (flags.json) return out(JSON.stringify({ counties: parsed.counties, warnings: parsed.warnings }, null, 2));
        for (const c of parsed.counties) out(`${c.fips}  ${c.county.padEnd(16)} ${c.deliverySystems.join(', ')}`);
        for (const w of parsed.warnings) out(`warning: ${w.message}`);
        const listed = `${parsed.counties.length} ${parsed.counties.length === 1 ? 'county' : 'counties'} listed`;
        return out(`${listed}${parsed.statedCount === null ? '' : `; the page states ${parsed.statedCount}`}.`);
      }
      if (!flags.effective) throw new AppError('bad-request', '--effective YYYY-MM-DD is required to apply an import (or use --dry-run).');
      if (!isIsoDate(flags.effective)) throw new AppError('bad-request', `--effective must be a date written YYYY-MM-DD, not "${flags.effective}".`);
      const effectiveOn = flags.effective;
      // Parse before opening the database, so a bad file is refused without touching it.
      reviewParticipationPage(text);
      await withDatabase(configFrom(flags), async ({ db }) => {
        const result = await importParticipationPage(db, { text, effectiveOn, source: flags.source, actor: { role: 'cli' } });
        if (flags.json) {
          const { applied, recorded, diff, warnings } = result;
          return out(JSON.stringify({ applied, recorded, diff, warnings }, null, 2));
        }
        printImport(result);
      });
    });
}
