// The audit log's use cases: append an entry inside the caller's transaction, verify the hash chain, search.
// Each row's hash covers its own fields and the previous row's hash, so editing, deleting or re-linking a row
// behind the log's back is found by verifyAuditChain().
import { createHash } from 'node:crypto';
import { and, count, desc, eq, gt, gte, lt, lte, max, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { isIsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { auditLog, type FieldChange } from './audit.schema.ts';

export type { FieldChange } from './audit.schema.ts';
export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditEntry {
  actor: { userId?: string | null; role?: string | null; tokenId?: string | null };
  action: string;
  entityType: string;
  entityId: string;
  changes?: FieldChange[];
  reason?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** The first row's prev_hash: there is no row before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Advisory lock key that serializes appends: "PSSaudit" in ASCII as a bigint, written in decimal because
 * PostgreSQL 15 has no hex integer literals.
 */
const AUDIT_LOCK_KEY = '5788061624147667316';

const VERIFY_BATCH_SIZE = 5000;
const DEFAULT_SEARCH_LIMIT = 100;
const MAX_SEARCH_LIMIT = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------------------------
// Canonical form and hashing

/** JSON with object keys sorted at every depth: jsonb does not keep key order, so the hash must not depend on it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL refuses NUL characters and lone surrogates in text and jsonb. Replacing them before hashing keeps an
 * odd User-Agent (or field value) from failing the caller's whole transaction, and what is hashed is what is stored.
 */
function storableText(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd').replaceAll('\u0000', '\ufffd');
}

function storableOptionalText(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : storableText(value);
}

/** What jsonb will give back: a JSON round trip (Dates become strings, undefined goes), with storable strings. */
function storableJson(value: unknown): unknown {
  const plain: unknown = JSON.parse(JSON.stringify(value ?? null));
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return storableText(v);
    if (Array.isArray(v)) return v.map(clean);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), clean(x)]));
    return v;
  };
  return clean(plain);
}

/** The fields a row's hash covers; uuids in lower case because that is how PostgreSQL returns them. */
type HashedFields = Omit<AuditRow, 'hash'>;

/** SHA-256 over the row's fields in a fixed order, so the same row always gives the same hash on any driver. */
export function hashAuditRow(row: HashedFields): string {
  const canonical = canonicalJson([
    row.seq,
    row.at,
    row.actorUserId,
    row.actorRole,
    row.actorTokenId,
    row.action,
    row.entityType,
    row.entityId,
    row.changes,
    row.reason,
    row.ip,
    row.userAgent,
    row.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Drivers return timestamptz as text in the session's time zone ("2025-01-01 04:00:00.123-08"); hash one form. */
function normalizeAt(value: string): string {
  return new Date(value).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Appending

function optionalUuid(value: string | null | undefined, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (!UUID.test(value)) throw new AppError('internal', `Audit entry ${name} is not a uuid.`);
  return value.toLowerCase();
}

/**
 * Append one entry, inside the caller's transaction so it commits or rolls back with the change it records.
 * Call it last in the transaction: the append lock is held until commit, and taking it last keeps it from being
 * part of a lock cycle with the caller's own row locks. Appends from all transactions are serialized by it.
 */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  // A savepoint inside the caller's transaction (or a transaction, if the caller has none), so the lock, the
  // read of the last row and the insert always share one transaction and one connection.
  return tx.transaction(async (inner) => {
    // Taken before reading the last row: two appenders can then never both build on the same row.
    await inner.execute(sql.raw(`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY}::bigint)`));
    const [last] = await inner.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    const row: HashedFields = {
      seq: (last?.seq ?? 0) + 1,
      // Read the clock under the lock, so times follow the chain's order as far as the clock allows.
      at: new Date().toISOString(),
      actorUserId: optionalUuid(entry.actor.userId, 'actor.userId'),
      actorRole: storableOptionalText(entry.actor.role),
      actorTokenId: optionalUuid(entry.actor.tokenId, 'actor.tokenId'),
      action: storableText(entry.action),
      entityType: storableText(entry.entityType),
      entityId: storableText(entry.entityId),
      changes: storableJson(entry.changes ?? []) as FieldChange[],
      reason: storableOptionalText(entry.reason),
      ip: storableOptionalText(entry.ip),
      userAgent: storableOptionalText(entry.userAgent),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = hashAuditRow(row);
    await inner.insert(auditLog).values({ ...row, hash });
    return { seq: row.seq, hash };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Masking and diffs

export const MASK = '***';

/** Protected values (password hashes, tokens, CIN, date of birth …) never reach the log; only that they changed. */
export function maskChanges(changes: FieldChange[], protectedFields: ReadonlySet<string>): FieldChange[] {
  return changes.map((c) => (protectedFields.has(c.field) ? { field: c.field, before: MASK, after: MASK } : c));
}

/** The fields whose values differ between two versions of a record (compared as canonical JSON), masked. */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  protectedFields: ReadonlySet<string> = new Set(),
): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = fields
    .filter((field) => canonicalValue(before[field]) !== canonicalValue(after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
  return maskChanges(changed, protectedFields);
}

/** Canonical JSON of a JSON round trip, so a Date equals its ISO string and key order does not count. */
function canonicalValue(value: unknown): string {
  return value === undefined ? 'undefined' : canonicalJson(JSON.parse(JSON.stringify(value) ?? 'null'));
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying

export type VerifyResult = { ok: true; checked: number } | { ok: false; checked: number; brokenAt: number; reason: string };

/** Why one row does not continue the chain, or null when it does. */
function checkRow(row: AuditRow, expectedSeq: number, prevHash: string): string | null {
  if (row.seq !== expectedSeq) return `row ${expectedSeq} is missing`;
  if (row.prevHash !== prevHash) {
    return expectedSeq === 1 ? 'row 1: prev_hash is not the start of the chain' : `row ${expectedSeq}: prev_hash does not match row ${expectedSeq - 1}`;
  }
  if (hashAuditRow({ ...row, at: normalizeAt(row.at) }) !== row.hash) return `row ${expectedSeq}: hash does not match its contents`;
  return null;
}

/**
 * Walk the log in seq order, in batches (keyset paging, so memory stays flat however long the log grows), and
 * report the first broken link. `checked` counts the rows found intact. Rows appended after the walk starts are
 * left for the next run, so `total` stays true.
 */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number, total: number) => void,
  options: { batchSize?: number } = {},
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? VERIFY_BATCH_SIZE;
  const [bounds] = await db.select({ total: count(), lastSeq: max(auditLog.seq) }).from(auditLog);
  const total = bounds?.total ?? 0;
  const lastSeq = Number(bounds?.lastSeq ?? 0);
  let checked = 0;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(gt(auditLog.seq, checked), lte(auditLog.seq, lastSeq)))
      .orderBy(auditLog.seq)
      .limit(batchSize);
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      const reason = checkRow(row, checked + 1, prevHash);
      if (reason) return { ok: false, checked, brokenAt: checked + 1, reason };
      checked += 1;
      prevHash = row.hash;
    }
    onProgress?.(checked, total);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Searching

export interface AuditFilter {
  actorUserId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  /** First California calendar day, YYYY-MM-DD. */
  from?: string;
  /** Last California calendar day, YYYY-MM-DD, inclusive. */
  to?: string;
  /** Only rows up to this seq: keeps paging stable while entries are appended (exports). */
  throughSeq?: number;
  limit?: number;
  offset?: number;
}

/** Midnight at the start of a California day, as an instant: the offset (PST or PDT) is PostgreSQL's to work out. */
function startOfCaliforniaDay(date: string, daysLater = 0): SQL {
  return sql`((${date}::date + ${daysLater}::int)::timestamp at time zone 'America/Los_Angeles')`;
}

function checkedDate(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !isIsoDate(value)) throw new AppError('bad-request', `${name} must be a date written YYYY-MM-DD, not "${value}".`);
  return value;
}

function checkedCount(value: number | undefined, name: string, fallback: number, ceiling: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > ceiling) throw new AppError('bad-request', `${name} must be a whole number from 0 to ${ceiling}.`);
  return value;
}

function searchConditions(filter: AuditFilter): SQL | undefined {
  // An actor that is not a uuid would make PostgreSQL fail the query; say what is wrong instead.
  if (filter.actorUserId !== undefined && !UUID.test(filter.actorUserId)) throw new AppError('bad-request', 'actorUserId must be a uuid.');
  const from = checkedDate(filter.from, 'from');
  const to = checkedDate(filter.to, 'to');
  return and(
    filter.actorUserId === undefined ? undefined : eq(auditLog.actorUserId, filter.actorUserId.toLowerCase()),
    filter.entityType === undefined ? undefined : eq(auditLog.entityType, filter.entityType),
    filter.entityId === undefined ? undefined : eq(auditLog.entityId, filter.entityId),
    filter.action === undefined ? undefined : eq(auditLog.action, filter.action),
    from === undefined ? undefined : gte(auditLog.at, startOfCaliforniaDay(from)),
    to === undefined ? undefined : lt(auditLog.at, startOfCaliforniaDay(to, 1)),
    filter.throughSeq === undefined ? undefined : lte(auditLog.seq, filter.throughSeq),
  );
}

/** Entries matching every given filter, newest first; `at` as ISO-8601 UTC. No count, for exports that page. */
export async function listAudit(db: Db, filter: AuditFilter): Promise<AuditRow[]> {
  const limit = checkedCount(filter.limit, 'limit', DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT);
  const offset = checkedCount(filter.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const rows = await db.select().from(auditLog).where(searchConditions(filter)).orderBy(desc(auditLog.seq)).limit(limit).offset(offset);
  return rows.map((r) => ({ ...r, at: normalizeAt(r.at) }));
}

/** listAudit() and the number of matching entries, for paging. */
export async function searchAudit(db: Db, filter: AuditFilter): Promise<{ rows: AuditRow[]; total: number }> {
  const rows = await listAudit(db, filter);
  const [counted] = await db.select({ total: count() }).from(auditLog).where(searchConditions(filter));
  return { rows, total: counted?.total ?? 0 };
}

/** The newest seq, for callers that page through a stable view of the log. */
export async function lastAuditSeq(db: Db): Promise<number> {
  const [row] = await db.select({ lastSeq: max(auditLog.seq) }).from(auditLog);
  return Number(row?.lastSeq ?? 0);
}
