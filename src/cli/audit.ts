// `pss audit verify` and `pss audit export`: check the hash chain, and export entries as CSV.
import type { Command } from 'commander';
import { auditCsv } from '../audit/audit.csv.ts';
import { lastAuditSeq, listAudit, verifyAuditChain, type AuditFilter } from '../audit/audit.service.ts';
import { isIsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { configFrom, progress, withDatabase } from './context.ts';

/** Rows per query while exporting: the whole log never has to fit in memory. */
const EXPORT_PAGE_SIZE = 1000;

interface ExportFlags {
  from?: string;
  to?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  actor?: string;
  dataDir?: string;
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log');

  audit
    .command('verify')
    .description('Check that no entry was edited, deleted or re-linked since it was written')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: { dataDir?: string }) => {
      await withDatabase(configFrom(flags), async ({ db }) => {
        const result = await verifyAuditChain(db, (checked, total) => progress(`Checked ${checked} of ${total} entries`));
        if (result.ok) {
          process.stdout.write(`Audit log intact: ${result.checked} ${result.checked === 1 ? 'entry' : 'entries'}.\n`);
          return;
        }
        process.stderr.write(`Audit log broken at entry ${result.brokenAt}: ${result.reason}\n`);
        process.exitCode = 1;
      });
    });

  audit
    .command('export')
    .description('Write entries as CSV to stdout, newest first')
    .option('--from <date>', 'first day, YYYY-MM-DD (California time)')
    .option('--to <date>', 'last day, YYYY-MM-DD, inclusive (California time)')
    .option('--entity-type <type>', 'only entries about this kind of record')
    .option('--entity-id <id>', 'only entries about this record')
    .option('--action <action>', 'only this action')
    .option('--actor <userId>', 'only entries by this user')
    .option('--data-dir <dir>', 'embedded database directory')
    .action(async (flags: ExportFlags) => {
      // Refuse a bad date before opening the database.
      for (const [name, value] of [['--from', flags.from], ['--to', flags.to]] as const) {
        if (value !== undefined && !isIsoDate(value)) throw new AppError('bad-request', `${name} must be a date written YYYY-MM-DD, not "${value}".`);
      }
      await withDatabase(configFrom(flags), async ({ db }) => {
        const filter: AuditFilter = {
          from: flags.from,
          to: flags.to,
          entityType: flags.entityType,
          entityId: flags.entityId,
          action: flags.action,
          actorUserId: flags.actor,
          limit: EXPORT_PAGE_SIZE,
        };
        // Keyset paging down from the newest entry at the start: entries written during the export do not shift
        // the pages, and each page is an index range rather than an ever-growing offset.
        let throughSeq = await lastAuditSeq(db);
        let written = 0;
        for (;;) {
          const rows = await listAudit(db, { ...filter, throughSeq });
          if (written === 0 || rows.length > 0) process.stdout.write(auditCsv(rows, { header: written === 0 }));
          written += rows.length;
          const oldest = rows.at(-1);
          if (!oldest || rows.length < EXPORT_PAGE_SIZE) break;
          throughSeq = oldest.seq - 1;
        }
        progress(`Exported ${written} ${written === 1 ? 'entry' : 'entries'}.`);
      });
    });
}
