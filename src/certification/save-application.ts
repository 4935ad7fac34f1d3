// Saving a draft at any step, and the documents that go with it. Nothing is checked for completeness here: that is
// submission's job. Answers are validated for shape only, so a half-filled form is never lost.
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { can } from '../access/can.ts';
import { actorUserId, auditContext, refuse, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { checkUpload } from '../storage/upload-check.ts';
import { loadOwnApplication, requireEditable } from './application-access.ts';
import { Answers } from './application.types.ts';
import { applications, documents, peers } from './certification.schema.ts';
import { updatePeerFromAnswers } from './peer-record.ts';
import { DOCUMENT_KINDS, type DocumentKind } from './vocabulary.ts';

export async function saveAnswers(db: Db, input: { applicationId: string; answers: unknown }, context: UseCaseContext) {
  const { application } = await loadOwnApplication(db, input.applicationId, context);
  requireEditable(application);
  const parsed = Answers.safeParse(input.answers);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('bad-request', 'Some answers are not in the expected form.', errors);
  }
  const merged = { ...(application.answers as Answers), ...parsed.data };
  return db.transaction(async (tx) => {
    const [row] = await tx.update(applications).set({ answers: merged, updatedAt: new Date() }).where(eq(applications.id, application.id)).returning();
    await updatePeerFromAnswers(tx, application.peerId, parsed.data);
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'application.save',
      entityType: 'application',
      entityId: application.number,
      // Field names only: answers include the date of birth.
      changes: Object.keys(parsed.data).map((field) => ({ field, before: '***', after: '***' })),
    });
    if (!row) throw new Error('update returned no row');
    return row;
  });
}

export function isDocumentKind(value: string): value is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(value);
}

export async function uploadApplicationDocument(
  db: Db,
  storage: DocumentStorage,
  input: { applicationId: string; kind: string; filename: string; bytes: Buffer },
  context: UseCaseContext,
) {
  const { application } = await loadOwnApplication(db, input.applicationId, context);
  requireEditable(application);
  if (!isDocumentKind(input.kind)) throw new AppError('bad-request', 'Choose what the document is.', [{ path: 'kind', message: 'Choose what the document is.' }]);
  const contentType = checkUpload(input.bytes, `document.${input.kind}`);
  const storageKey = await storage.put(input.bytes);
  return db.transaction(async (tx) => {
    const [doc] = await tx
      .insert(documents)
      .values({
        peerId: application.peerId,
        applicationId: application.id,
        kind: input.kind,
        filename: input.filename.slice(0, 200),
        contentType,
        sizeBytes: input.bytes.length,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        storageKey,
        uploadedBy: actorUserId(context.actor),
      })
      .returning();
    if (!doc) throw new Error('insert returned no row');
    await recordAudit(tx, { ...auditContext(context), action: 'document.upload', entityType: 'application', entityId: application.number, changes: [{ field: input.kind, before: null, after: doc.id }] });
    return doc;
  });
}

export async function removeApplicationDocument(db: Db, input: { applicationId: string; documentId: string }, context: UseCaseContext): Promise<void> {
  const { application } = await loadOwnApplication(db, input.applicationId, context);
  requireEditable(application);
  await db.transaction(async (tx) => {
    const [doc] = await tx
      .update(documents)
      .set({ removedAt: new Date() })
      .where(and(eq(documents.id, input.documentId), eq(documents.applicationId, application.id), isNull(documents.removedAt)))
      .returning({ id: documents.id, kind: documents.kind });
    if (!doc) throw new AppError('not-found', 'No such document.');
    await recordAudit(tx, { ...auditContext(context), action: 'document.remove', entityType: 'application', entityId: application.number, changes: [{ field: doc.kind, before: doc.id, after: null }] });
  });
}

export async function applicationDocuments(db: Db, applicationId: string) {
  return db
    .select({ id: documents.id, kind: documents.kind, filename: documents.filename, contentType: documents.contentType, sizeBytes: documents.sizeBytes, uploadedAt: documents.uploadedAt })
    .from(documents)
    .where(and(eq(documents.applicationId, applicationId), isNull(documents.removedAt)))
    .orderBy(documents.uploadedAt);
}

/** A document's bytes, for its owner or certification staff; every read is audited (IDs carry dates of birth). */
export async function readDocument(db: Db, storage: DocumentStorage, documentId: string, context: UseCaseContext) {
  const notFound = new AppError('not-found', 'No such document.');
  if (!/^[0-9a-f-]{36}$/i.test(documentId)) throw notFound;
  const [row] = await db.select({ doc: documents, userId: peers.userId }).from(documents).innerJoin(peers, eq(peers.id, documents.peerId)).where(eq(documents.id, documentId));
  if (!row || row.doc.removedAt) throw notFound;
  if (!can(context.actor, 'documents.read', { userId: row.userId ?? '' })) {
    if (context.actor.kind === 'anonymous') refuse(context, 'read documents');
    throw notFound;
  }
  const bytes = await storage.get(row.doc.storageKey);
  await db.transaction((tx) => recordAudit(tx, { ...auditContext(context), action: 'document.read', entityType: 'document', entityId: row.doc.id }));
  return { bytes, contentType: row.doc.contentType, filename: row.doc.filename };
}
