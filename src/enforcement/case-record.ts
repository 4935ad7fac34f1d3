// What every enforcement use case shares: loading a case to change it (locked, or a 404), its number, the filing
// flags recomputed from the facts they read, the clocks from the rules in force on receipt, and its audit row.
import { createHash } from 'node:crypto';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit, type FieldChange } from '../audit/audit.service.ts';
import { certificationStatusOn } from '../certification/certification-status.ts';
import { certifications } from '../certification/certification.schema.ts';
import { queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { checkUpload } from '../storage/upload-check.ts';
import { providerApprovals, trainingProviders } from '../training/training.schema.ts';
import { clocksFor, holidayWindow, type CaseClocks } from './clocks.ts';
import { caseEvidence, enforcementCases } from './enforcement.schema.ts';
import { filingFlags, type FilingFlag } from './filing-limits.ts';
import { holidaysBetween } from './holiday-calendar.ts';

export type CaseRow = typeof enforcementCases.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const caseNotFound = () => new AppError('not-found', 'There is no such case.');

/** The case, locked for the rest of the caller's transaction; 404 when there is none. */
export async function lockCase(tx: Db, caseId: string): Promise<CaseRow> {
  const [row] = UUID.test(caseId) ? await tx.select().from(enforcementCases).where(eq(enforcementCases.id, caseId)).for('update') : [];
  if (!row) throw caseNotFound();
  return row;
}

export function requireOpen(c: CaseRow): void {
  if (c.status !== 'open') throw new AppError('conflict', `Case ${c.number} is ${c.status}; it can no longer be changed.`, [], 'enforcement.closed');
}

/** CMP-2026-001001 or APL-2026-001002: one sequence, so numbers never repeat across the two. */
export async function nextCaseNumber(tx: Db, type: 'complaint' | 'appeal', receivedOn: string): Promise<string> {
  const [row] = await queryRows<{ n: string }>(tx, sql`select nextval('enforcement_case_number_seq')::text as n`);
  return `${type === 'complaint' ? 'CMP' : 'APL'}-${receivedOn.slice(0, 4)}-${(row?.n ?? '0').padStart(6, '0')}`;
}

/** The clocks of a case received on this date, by the rules and holidays in force then. */
export async function clocksOnReceipt(db: Db, receivedOn: string): Promise<CaseClocks> {
  const rules = await rulesAsOf(db, receivedOn);
  const window = holidayWindow(receivedOn, rules);
  return clocksFor(receivedOn, rules, await holidaysBetween(db, window.from, window.to));
}

/** The filing flags of a complaint from what is recorded now: its subject's status, or its provider's approvals, then. */
export async function computeFlags(
  db: Db,
  c: Pick<CaseRow, 'type' | 'kind' | 'receivedOn' | 'occurredOn' | 'subjectCertificationId' | 'subjectProviderId'>,
): Promise<FilingFlag[]> {
  if (c.type !== 'complaint') return [];
  const rules = await rulesAsOf(db, c.receivedOn);
  let subject: { number: string; statusThen: string | null } | undefined;
  if (c.subjectCertificationId) {
    const [cert] = await db.select({ number: certifications.number }).from(certifications).where(eq(certifications.id, c.subjectCertificationId));
    if (cert) subject = { number: cert.number, statusThen: c.occurredOn ? await certificationStatusOn(db, c.subjectCertificationId, c.occurredOn) : null };
  }
  let provider: { name: string; approvedThen: boolean } | undefined;
  if (c.subjectProviderId) {
    const [p] = await db.select({ name: trainingProviders.name }).from(trainingProviders).where(eq(trainingProviders.id, c.subjectProviderId));
    const covering = c.occurredOn
      ? await db
          .select({ id: providerApprovals.id })
          .from(providerApprovals)
          .where(
            and(
              eq(providerApprovals.providerId, c.subjectProviderId),
              lte(providerApprovals.approvedFrom, c.occurredOn),
              gt(providerApprovals.approvedTo, c.occurredOn),
              sql`(${providerApprovals.endedOn} is null or ${providerApprovals.endedOn} > ${c.occurredOn})`,
            ),
          )
          .limit(1)
      : [];
    if (p) provider = { name: p.name, approvedThen: covering.length > 0 };
  }
  return filingFlags({ kind: c.kind, receivedOn: c.receivedOn, occurredOn: c.occurredOn, limitYears: rules['enforcement.filing_limit_years'], subject, provider });
}

export async function providerExists(db: Db, providerId: string): Promise<boolean> {
  if (!UUID.test(providerId)) return false;
  const [row] = await db.select({ id: trainingProviders.id }).from(trainingProviders).where(eq(trainingProviders.id, providerId));
  return row !== undefined;
}

export interface EvidenceUpload {
  filename: string;
  bytes: Buffer;
  description?: string | undefined;
}

/** Checks every file (type from its bytes, size) before anything is stored, so a bad file stores nothing. */
export function checkEvidence(files: readonly EvidenceUpload[]): string[] {
  return files.map((f, i) => checkUpload(f.bytes, files.length === 1 ? 'evidence' : `evidence.${i}`));
}

/** Store checked files and record them on the case, in the caller's transaction. */
export async function storeEvidence(tx: Db, storage: DocumentStorage, caseId: string, files: readonly EvidenceUpload[], contentTypes: readonly string[], uploadedBy: string | null): Promise<number> {
  for (const [i, file] of files.entries()) {
    const storageKey = await storage.put(file.bytes);
    await tx.insert(caseEvidence).values({
      caseId,
      filename: file.filename.slice(0, 200) || 'evidence',
      contentType: contentTypes[i] ?? 'application/octet-stream',
      sizeBytes: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      storageKey,
      description: file.description?.trim().slice(0, 500) || null,
      uploadedBy,
    });
  }
  return files.length;
}

/** The audit row of a change to (or a read of) a case; the entity is its number, never a person's details. */
export async function auditCase(tx: Db, context: UseCaseContext, action: string, c: Pick<CaseRow, 'number'>, changes: FieldChange[] = [], reason: string | null = null): Promise<void> {
  await recordAudit(tx, { ...auditContext(context), action, entityType: 'enforcement_case', entityId: c.number, changes, reason });
}

/** Bump the case's version (optimistic lock for pages that show a version) and set the fields. */
export async function updateCase(tx: Db, c: CaseRow, patch: Partial<typeof enforcementCases.$inferInsert>): Promise<CaseRow> {
  const [row] = await tx
    .update(enforcementCases)
    .set({ ...patch, version: sql`${enforcementCases.version} + 1` })
    .where(eq(enforcementCases.id, c.id))
    .returning();
  if (!row) throw caseNotFound();
  return row;
}
