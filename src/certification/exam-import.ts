// The exam vendor's results file (CSV: candidate_id, exam_date, result, score): each row posts one attempt through
// the same use case as a manual entry. A bad row is reported with its number and reason and does not stop the
// others; the same file (SHA-256) is never posted twice, and an attempt already recorded is reported, not repeated.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { auditContext, actorUserId, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { isIsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { applications, examImports, peers } from './certification.schema.ts';
import { recordExamResultIn } from './exam.ts';

export interface ExamImportRejection {
  row: number;
  candidateId: string;
  reason: string;
}

const RESULTS: Record<string, 'pass' | 'fail' | 'no_show'> = { pass: 'pass', passed: 'pass', p: 'pass', fail: 'fail', failed: 'fail', f: 'fail', 'no show': 'no_show', no_show: 'no_show', noshow: 'no_show' };

function parseRows(bytes: Buffer): Array<Record<string, string>> {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(bytes, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_')), skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new AppError('bad-request', `The file is not a readable CSV: ${(err as Error).message}`);
  }
  const first = rows[0];
  if (!first) throw new AppError('bad-request', 'The file has no result rows.');
  const missing = ['candidate_id', 'exam_date', 'result'].filter((c) => !(c in first) && !(c === 'exam_date' && 'date' in first));
  if (missing.length > 0) throw new AppError('bad-request', `The file lacks the column(s) ${missing.join(', ')}.`);
  return rows;
}

export async function importExamResults(db: Db, input: { filename: string; bytes: Buffer }, context: UseCaseContext) {
  requireCan(context, 'exams.record', 'import exam results');
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const [already] = await db.select({ id: examImports.id }).from(examImports).where(eq(examImports.sha256, sha256));
  if (already) throw new AppError('conflict', 'This results file was already imported; nothing was posted again.');
  const rows = parseRows(input.bytes);
  return db.transaction(async (tx) => {
    const [record] = await tx.insert(examImports).values({ sha256, filename: input.filename.slice(0, 200), rowCount: rows.length, recorded: 0, importedBy: actorUserId(context.actor) }).returning();
    if (!record) throw new Error('insert returned no row');
    const rejections: ExamImportRejection[] = [];
    let recorded = 0;
    for (const [index, row] of rows.entries()) {
      const rowNumber = index + 2; // the header is row 1
      const candidateId = row.candidate_id ?? '';
      const takenOn = row.exam_date ?? row.date ?? '';
      const result = RESULTS[(row.result ?? '').toLowerCase()];
      const score = row.score ? Number(row.score) : null;
      const reject = (reason: string) => rejections.push({ row: rowNumber, candidateId, reason });
      if (!isIsoDate(takenOn)) { reject(`"${takenOn}" is not a date written YYYY-MM-DD.`); continue; }
      if (!result) { reject(`"${row.result ?? ''}" is not pass, fail or no show.`); continue; }
      if (score !== null && !Number.isInteger(score)) { reject(`"${row.score}" is not a whole-number score.`); continue; }
      const [found] = await tx.select({ application: applications, peer: peers }).from(applications).innerJoin(peers, eq(peers.id, applications.peerId)).where(eq(applications.candidateId, candidateId));
      if (!found) { reject('No application has this candidate id.'); continue; }
      try {
        // A savepoint per row: a refused row rolls back alone.
        await tx.transaction((row) => recordExamResultIn(row, found.application, found.peer, { applicationId: found.application.id, takenOn, result, score, source: 'vendor_csv', importId: record.id }, context));
        recorded++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        reject(err.code === 'application.transition' ? `Application ${found.application.number} is ${found.application.status.replace(/_/g, ' ')}, not awaiting a result (already recorded?).` : err.message);
      }
    }
    await tx.update(examImports).set({ recorded, rejections }).where(eq(examImports.id, record.id));
    await recordAudit(tx, { ...auditContext(context), action: 'exam.import', entityType: 'exam_import', entityId: record.id, changes: [{ field: 'rows', before: null, after: { rows: rows.length, recorded, rejected: rejections.length } }] });
    return { id: record.id, rows: rows.length, recorded, rejections };
  });
}
