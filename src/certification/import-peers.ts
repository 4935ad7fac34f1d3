// Bulk import of already-certified peers from a predecessor system's CSV (import-peers.parse.ts has the format).
// Phase 1 checks every row — against the file and against the database — and writes nothing but the import's
// record when any row is refused. Phase 2 writes every row in one transaction through the certification core
// (issueCertification, changeCertificationStatus), so an import lands whole or not at all.
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { actorUserId, auditContext, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { users } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { loggableError } from '../http/errors.ts';
import { AppError } from '../lib/errors.ts';
import { ruleHistory, rulesAsOf } from '../rules/rules.service.ts';
import { trainingCompletions } from '../training/training.schema.ts';
import { certifications, peerImports, peers } from './certification.schema.ts';
import { changeCertificationStatus } from './certification-status.ts';
import { issueCertification } from './issue-certification.ts';
import { parsePeerFile, type PeerImportRejection, type PeerImportRow } from './import-peers.parse.ts';

export type PeerImportStatus = 'running' | 'imported' | 'rejected' | 'failed';
export type PeerImportRecord = Omit<typeof peerImports.$inferSelect, 'status' | 'rejections'> & {
  status: PeerImportStatus;
  rejections: PeerImportRejection[];
};

/** Where an import is: checking the rows (nothing known per row yet) or writing them. */
export interface PeerImportProgress {
  phase: 'validating' | 'writing';
  processed: number;
  total: number;
}
export type ProgressCallback = (progress: PeerImportProgress) => void;

export interface PeerImportFile {
  filename: string;
  bytes: Buffer;
}

/** Serializes the writing phase of imports across app instances: "PSSpeers" in ASCII as a decimal bigint (PostgreSQL 15 has no hex literals). */
const PEER_IMPORT_LOCK_KEY = '5788061688303809139';
/** Look-ups by many values go in slices, well under PostgreSQL's limit on bound parameters. */
const LOOKUP_SLICE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Only certifying staff (and administrators) import, checked here as well as at the route. The platform acting on
 * its own (`pss certification import`, run by an operator who holds the database) has no actor to check.
 */
function mayImport(context: UseCaseContext): void {
  if (!context.system) requireCan(context, 'certifications.import', 'import certified peers');
}

function asRecord(row: typeof peerImports.$inferSelect): PeerImportRecord {
  return { ...row, status: row.status as PeerImportStatus, rejections: row.rejections as PeerImportRejection[] };
}

function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad-request', 'The file is not UTF-8 text. Save the spreadsheet as "CSV UTF-8" and upload that.', [{ path: 'file', message: 'Not a UTF-8 CSV file.' }]);
  }
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function slices<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += LOOKUP_SLICE) out.push(values.slice(i, i + LOOKUP_SLICE));
  return out;
}

/** A successful import of exactly these bytes, if there was one (other than `exceptId`). */
async function earlierImport(db: Db, sha256: string, exceptId?: string): Promise<PeerImportRecord | undefined> {
  const [row] = await db
    .select()
    .from(peerImports)
    .where(and(eq(peerImports.sha256, sha256), eq(peerImports.status, 'imported'), exceptId ? ne(peerImports.id, exceptId) : undefined))
    .limit(1);
  return row ? asRecord(row) : undefined;
}

function alreadyImported(earlier: PeerImportRecord): AppError {
  const on = earlier.finishedAt?.toISOString().slice(0, 10) ?? earlier.startedAt.toISOString().slice(0, 10);
  return new AppError('conflict', `This file was already imported on ${on} (import ${earlier.id}); nothing was written.`, [{ path: 'file', message: 'Already imported.' }], 'import.duplicate');
}

export interface ValidatedPeerFile {
  totalRows: number;
  rows: PeerImportRow[];
  rejections: PeerImportRejection[];
  /** Rows whose email is a verified account's with no person record yet: the certification joins that account. */
  accountOf: Map<number, string>;
}

/** Phase 1: every check of every row, against the file and the database. Writes nothing. */
export async function validatePeerFile(db: Db, text: string, today: string, onProgress?: ProgressCallback): Promise<ValidatedPeerFile> {
  const parsed = parsePeerFile(text, today);
  onProgress?.({ phase: 'validating', processed: 0, total: parsed.totalRows });
  const rejections = [...parsed.rejections];
  const refused = new Set<number>();
  const reject = (row: number, column: string, reason: string) => {
    rejections.push({ row, column, reason });
    refused.add(row);
  };

  const byNumber = new Map(parsed.rows.map((r) => [r.number, r]));
  for (const slice of slices([...byNumber.keys()])) {
    const taken = await db.select({ number: certifications.number }).from(certifications).where(inArray(certifications.number, slice));
    for (const { number } of taken) {
      const row = byNumber.get(number);
      if (row) reject(row.row, 'certification_number', `${number} is already used by a certification on record; numbers are never reused.`);
    }
  }

  const byEmail = new Map(parsed.rows.flatMap((r) => (r.email ? [[r.email.toLowerCase(), r] as const] : [])));
  const accountOf = new Map<number, string>();
  for (const slice of slices([...byEmail.keys()])) {
    const known = await db.select({ email: sql<string>`lower(${peers.email})` }).from(peers).where(inArray(sql`lower(${peers.email})`, slice));
    for (const { email } of known) {
      const row = byEmail.get(email);
      if (row) reject(row.row, 'email', `${row.email} already belongs to a person on record (an applicant or a certified peer).`);
    }
    const accounts = await db
      .select({ id: users.id, email: sql<string>`lower(${users.email})`, verified: isNotNull(users.emailVerifiedAt), peerId: peers.id })
      .from(users)
      .leftJoin(peers, eq(peers.userId, users.id))
      .where(and(inArray(sql`lower(${users.email})`, slice), isNull(users.deactivatedAt)));
    for (const account of accounts) {
      const row = byEmail.get(account.email);
      if (!row || refused.has(row.row)) continue;
      if (account.peerId !== null) reject(row.row, 'email', `${row.email} is the account of a person already on record.`);
      // Only an address the account holder has proven is theirs joins the certification to the account.
      else if (account.verified) accountOf.set(row.row, account.id);
    }
  }

  // No certification predates the program: its term rule took effect when applications opened (2022-05-02).
  const [opened] = await ruleHistory(db, 'certification.term_years');
  for (const row of parsed.rows) {
    if (!opened || row.firstIssuedOn < opened.effectiveFrom) {
      reject(row.row, 'first_issued_on', `first_issued_on (${row.firstIssuedOn}) is before the program issued certifications (from ${opened?.effectiveFrom ?? 'no date on record'}).`);
    }
  }

  rejections.sort((a, b) => a.row - b.row);
  onProgress?.({ phase: 'validating', processed: parsed.totalRows, total: parsed.totalRows });
  return { totalRows: parsed.totalRows, rows: parsed.rows.filter((r) => !refused.has(r.row)), rejections, accountOf };
}

export interface PeerImportCheck {
  sha256: string;
  totalRows: number;
  rejections: PeerImportRejection[];
}

/** What a dry run and an import refuse first: an actor who may not import, a file that is not text or was imported before. */
async function newPeerFile(db: Db, file: PeerImportFile, context: UseCaseContext): Promise<{ text: string; sha256: string }> {
  mayImport(context);
  const text = decodeCsv(file.bytes);
  const sha256 = sha256Of(file.bytes);
  const earlier = await earlierImport(db, sha256);
  if (earlier) throw alreadyImported(earlier);
  return { text, sha256 };
}

/** A dry run: the same checks as an import, nothing written (not even a record of the attempt). */
export async function checkPeerImport(db: Db, file: PeerImportFile, context: UseCaseContext): Promise<PeerImportCheck> {
  const { text, sha256 } = await newPeerFile(db, file, context);
  const { totalRows, rejections } = await validatePeerFile(db, text, todayOf(context));
  return { sha256, totalRows, rejections };
}

export interface StartedPeerImport {
  record: PeerImportRecord;
  text: string;
}

/** Record an import as running (the file is refused first if it is not text or was imported before). */
export async function startPeerImport(db: Db, file: PeerImportFile, context: UseCaseContext): Promise<StartedPeerImport> {
  const { text, sha256 } = await newPeerFile(db, file, context);
  const [row] = await db
    .insert(peerImports)
    .values({ sha256, filename: file.filename.slice(0, 255), status: 'running', importedBy: actorUserId(context.actor) })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { record: asRecord(row), text };
}

async function writeRow(tx: Db, row: PeerImportRow, accountId: string | undefined, specializationHours: number, source: string, context: UseCaseContext): Promise<void> {
  const [peer] = await tx
    .insert(peers)
    .values({
      userId: accountId ?? null,
      legalFirstName: row.legalFirstName,
      legalMiddleName: row.legalMiddleName,
      legalLastName: row.legalLastName,
      email: row.email,
      dateOfBirth: row.dateOfBirth,
      countyFips: row.countyFips,
    })
    .returning({ id: peers.id });
  if (!peer) throw new Error('insert returned no row');
  const cert = await issueCertification(
    tx,
    { peerId: peer.id, number: row.number, pathway: row.pathway, firstIssuedOn: row.firstIssuedOn, issuedOn: row.issuedOn, expiresOn: row.expiresOn, kind: 'imported' },
    context,
  );
  if (row.status !== 'active' && row.statusEffectiveOn) {
    await changeCertificationStatus(tx, { certificationId: cert.id, to: row.status, effectiveOn: row.statusEffectiveOn, reasonCode: 'imported', reason: `${row.status} in the predecessor system (${source}, row ${row.row})` }, context);
  }
  if (row.specializations.length > 0) {
    await tx.insert(trainingCompletions).values(
      row.specializations.map((s) => ({
        peerId: peer.id,
        trainingType: 'specialization',
        specialization: s.code,
        hours: specializationHours,
        completedOn: s.completedOn ?? row.firstIssuedOn,
        source: 'import',
        // The predecessor system did not always date a specialization; say which dates are stand-ins.
        note: s.completedOn ? `Imported from ${source}, row ${row.row}.` : `Imported from ${source}, row ${row.row}; no completion date given, recorded as the first issue date.`,
        recordedBy: actorUserId(context.actor),
      })),
    );
  }
}

/** What an unexpected failure may say on a page: a database error's own message, never its bound parameters. */
function failureMessage(err: unknown): string {
  if (err instanceof AppError) return err.message;
  const message = loggableError(err).message;
  return typeof message === 'string' ? message : 'The import failed.';
}

async function finish(db: Db, id: string, patch: Partial<typeof peerImports.$inferInsert>): Promise<PeerImportRecord> {
  const [row] = await db.update(peerImports).set({ ...patch, finishedAt: new Date() }).where(eq(peerImports.id, id)).returning();
  if (!row) throw new Error(`peer import ${id} vanished`);
  return asRecord(row);
}

/**
 * Phases 1 and 2 of a started import. Never throws for a refused or failed import: the outcome is the record
 * (rejected with its report, failed with the error, or imported).
 */
export async function runPeerImport(db: Db, started: StartedPeerImport, context: UseCaseContext, onProgress?: ProgressCallback): Promise<PeerImportRecord> {
  const { record, text } = started;
  const today = todayOf(context);
  let total = 0;
  try {
    const checked = await validatePeerFile(db, text, today, onProgress);
    total = checked.totalRows;
    if (checked.rejections.length > 0) {
      return await finish(db, record.id, { status: 'rejected', totalRows: total, processedRows: total, rejections: checked.rejections });
    }
    let processed = 0;
    // One transaction for every row: only `tx` inside it (the embedded database has one connection).
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(PEER_IMPORT_LOCK_KEY)}::bigint)`);
      // Another instance may have imported the same file while this one was checking it.
      const earlier = await earlierImport(tx, record.sha256, record.id);
      if (earlier) throw alreadyImported(earlier);
      const hours = (await rulesAsOf(tx, today))['specialization.hours'];
      onProgress?.({ phase: 'writing', processed: 0, total });
      for (const row of checked.rows) {
        await writeRow(tx, row, checked.accountOf.get(row.row), hours, record.filename, context);
        processed += 1;
        onProgress?.({ phase: 'writing', processed, total });
      }
      await tx
        .update(peerImports)
        .set({ status: 'imported', totalRows: total, processedRows: processed, imported: processed, finishedAt: new Date() })
        .where(eq(peerImports.id, record.id));
      await recordAudit(tx, {
        ...auditContext(context),
        action: 'certification.import',
        entityType: 'peer_import',
        entityId: record.id,
        changes: [
          { field: 'file', before: null, after: `${record.filename} (sha256 ${record.sha256})` },
          { field: 'certifications', before: null, after: processed },
        ],
      });
    });
    const [row] = await db.select().from(peerImports).where(eq(peerImports.id, record.id));
    if (!row) throw new Error(`peer import ${record.id} vanished`);
    return asRecord(row);
  } catch (err) {
    // The transaction rolled back: nothing of the rows is left, only the reason on the import's record.
    return finish(db, record.id, { status: 'failed', totalRows: total, processedRows: 0, imported: 0, error: failureMessage(err) });
  }
}

/** Start and run an import in the caller's flow (the CLI, tests); the web page runs it in the background. */
export async function importPeers(db: Db, file: PeerImportFile, context: UseCaseContext, onProgress?: ProgressCallback): Promise<PeerImportRecord> {
  return runPeerImport(db, await startPeerImport(db, file, context), context, onProgress);
}

export interface PeerImportListItem extends PeerImportRecord {
  importedByName: string | null;
}

/** A past import as the list shows it: without its report, which can run to thousands of rows. */
export type PeerImportSummary = Omit<PeerImportListItem, 'rejections'>;

export async function listPeerImports(db: Db, context: UseCaseContext, limit = 100): Promise<PeerImportSummary[]> {
  mayImport(context);
  const t = peerImports;
  const rows = await db
    .select({
      id: t.id,
      sha256: t.sha256,
      filename: t.filename,
      status: t.status,
      totalRows: t.totalRows,
      processedRows: t.processedRows,
      imported: t.imported,
      error: t.error,
      importedBy: t.importedBy,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      importedByName: users.displayName,
    })
    .from(peerImports)
    .leftJoin(users, eq(users.id, peerImports.importedBy))
    .orderBy(desc(peerImports.startedAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, status: r.status as PeerImportStatus }));
}

export async function getPeerImport(db: Db, id: string, context: UseCaseContext): Promise<PeerImportListItem> {
  mayImport(context);
  const [row] = UUID.test(id)
    ? await db.select({ peerImport: peerImports, importedByName: users.displayName }).from(peerImports).leftJoin(users, eq(users.id, peerImports.importedBy)).where(eq(peerImports.id, id))
    : [];
  if (!row) throw new AppError('not-found', 'No such import.');
  return { ...asRecord(row.peerImport), importedByName: row.importedByName };
}

interface RunningImport {
  item: PeerImportListItem;
  progress: PeerImportProgress | null;
  done: Promise<void>;
}

/**
 * Imports running in this process, with their progress. While an import writes, its transaction holds the
 * embedded database's one connection and its record says only "running", so the page reads progress from here.
 */
export class RunningPeerImports {
  readonly #running = new Map<string, RunningImport>();

  /** Record the import as running and carry it on in the background; `onError` hears of anything that escapes. */
  async start(db: Db, file: PeerImportFile, context: UseCaseContext, importedByName: string | null, onError: (err: unknown) => void): Promise<PeerImportRecord> {
    const started = await startPeerImport(db, file, context);
    const entry: RunningImport = { item: { ...started.record, importedByName }, progress: null, done: Promise.resolve() };
    this.#running.set(started.record.id, entry);
    entry.done = runPeerImport(db, started, context, (p) => (entry.progress = p))
      .then(() => undefined, onError)
      .finally(() => this.#running.delete(started.record.id));
    return started.record;
  }

  /** The import as it stands, if it runs in this process. */
  get(id: string): { item: PeerImportListItem; progress: PeerImportProgress | null } | undefined {
    const entry = this.#running.get(id);
    return entry && { item: entry.item, progress: entry.progress };
  }

  /** Resolves when every import running now has finished (closing the app, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((e) => e.done));
  }
}

export interface PeerImportView {
  item: PeerImportListItem;
  /** Running in this process: the progress comes from memory (null until the file has been read). */
  running: boolean;
  progress: PeerImportProgress | null;
}

/** One import for its page: from memory while it runs here (its record is not final), else from its record. */
export async function peerImportView(db: Db, id: string, context: UseCaseContext, running: RunningPeerImports): Promise<PeerImportView> {
  mayImport(context);
  const live = running.get(id);
  if (live) return { item: live.item, running: true, progress: live.progress };
  return { item: await getPeerImport(db, id, context), running: false, progress: null };
}
