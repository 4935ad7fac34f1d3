// `pss certification`: certification records from the command line (bulk import of certified peers).
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { systemContext } from '../access/context.ts';
import { checkPeerImport, importPeers, type PeerImportProgress, type ProgressCallback } from '../certification/import-peers.ts';
import type { PeerImportRejection } from '../certification/import-peers.parse.ts';
import { AppError } from '../lib/errors.ts';
import { configFrom, withDatabase } from './context.ts';

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function printReport(rejections: readonly PeerImportRejection[]): void {
  for (const r of rejections) out(`  row ${r.row}${r.column ? `, ${r.column}` : ''}: ${r.reason}`);
}

/** A progress bar on stderr for a person at a terminal; nothing for scripts (--json, or stderr not a terminal). */
function progressBar(enabled: boolean): { onProgress: ProgressCallback | undefined; stop: () => void } {
  if (!enabled) return { onProgress: undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{phase} |{bar}| {value}/{total} rows', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase: PeerImportProgress['phase'] | null = null;
  return {
    onProgress: (p) => {
      const label = p.phase === 'validating' ? 'Checking' : 'Importing';
      if (!started) {
        bar.start(p.total, p.processed, { phase: label });
        started = true;
      } else if (phase !== p.phase) {
        bar.setTotal(p.total);
      }
      phase = p.phase;
      bar.update(p.processed, { phase: label });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export function registerCertification(program: Command): void {
  const certification = program.command('certification').description('Certification records: bulk import of already-certified peers');

  certification
    .command('import <file>')
    .description('Import certified peers from a CSV file (all rows or none); exits 1 when any row is refused')
    .option('--dry-run', 'check every row and report; write nothing')
    .option('--json', 'print the result as JSON')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (file: string, flags: { dryRun?: boolean; json?: boolean; dataDir?: string }) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        throw new AppError('bad-request', `Cannot read ${file}: ${(err as Error).message}`);
      }
      const input = { filename: path.basename(file), bytes };
      const context = systemContext('cli');
      await withDatabase(configFrom(flags), async ({ db }) => {
        if (flags.dryRun) {
          const check = await checkPeerImport(db, input, context);
          const valid = check.rejections.length === 0;
          if (flags.json) out(JSON.stringify({ status: valid ? 'valid' : 'rejected', totalRows: check.totalRows, rejections: check.rejections }, null, 2));
          else if (valid) out(`Rows checked: ${check.totalRows}; all can be imported. Nothing was written (dry run).`);
          else {
            out(`Problems in ${input.filename}: ${check.rejections.length}; nothing would be imported:`);
            printReport(check.rejections);
          }
          if (!valid) process.exitCode = 1;
          return;
        }
        const bar = progressBar(!flags.json && process.stderr.isTTY === true);
        const result = await importPeers(db, input, context, bar.onProgress).finally(bar.stop);
        if (flags.json) {
          const { id, status, totalRows, imported, rejections, error } = result;
          out(JSON.stringify({ id, status, totalRows, imported, rejections, error }, null, 2));
        } else if (result.status === 'imported') {
          out(`Certified peers imported from ${result.filename}: ${result.imported} (import ${result.id}).`);
        } else if (result.status === 'rejected') {
          out(`Problems in ${result.filename}: ${result.rejections.length}; nothing was imported (import ${result.id}, rejected):`);
          printReport(result.rejections);
        } else {
          process.stderr.write(`error: the import failed and was rolled back; nothing was written (import ${result.id}): ${result.error ?? 'unknown error'}\n`);
        }
        if (result.status !== 'imported') process.exitCode = 1;
      });
    });
}
