// Working a case: assignment (with the conflict-of-interest check), priority, notes, contacts, evidence, linking the
// subject, acknowledging receipt and the one extension. Each is one transaction with its audit row; none is allowed
// to anyone but enforcement staff, and none changes a decided case.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import { queueEmail } from '../accounts/outbox.ts';
import { certificationByNumber } from '../certification/certificate-data.ts';
import type { Db } from '../db/client.ts';
import { IsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { auditCase, checkEvidence, computeFlags, lockCase, providerExists, requireOpen, storeEvidence, updateCase, type CaseRow, type EvidenceUpload } from './case-record.ts';
import { extendDecision } from './clocks.ts';
import { conflictFacts, conflictOfInterest } from './conflicts.ts';
import { caseContacts, caseNotes } from './enforcement.schema.ts';
import { CONTACT_ROLES, PRIORITIES } from './enforcement.vocabulary.ts';
import { acknowledgementEmail } from './file-complaint.ts';

/** Lock an open case and run `work` on it in one transaction, for enforcement staff only. */
async function onOpenCase<T>(db: Db, caseId: string, context: UseCaseContext, what: string, work: (tx: Db, c: CaseRow) => Promise<T>): Promise<T> {
  requireCan(context, 'enforcement.cases.manage', what);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    requireOpen(c);
    return work(tx, c);
  });
}

/** Enforcement staff who can take cases: active accounts holding the role. */
export async function investigators(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(users)
    .innerJoin(roleAssignments, and(eq(roleAssignments.userId, users.id), eq(roleAssignments.role, 'enforcement_staff'), isNull(roleAssignments.revokedAt)))
    .where(isNull(users.deactivatedAt))
    .orderBy(users.displayName);
}

export async function assignCase(db: Db, input: { caseId: string; investigatorId: string }, context: UseCaseContext): Promise<CaseRow> {
  return onOpenCase(db, input.caseId, context, 'assign cases', async (tx, c) => {
    const eligible = await investigators(tx);
    const investigator = eligible.find((i) => i.id === input.investigatorId);
    if (!investigator) throw new AppError('bad-request', 'Choose an investigator: a person holding the enforcement staff role.', [{ path: 'investigatorId', message: 'Choose an investigator.' }]);
    const conflict = conflictOfInterest(await conflictFacts(tx, investigator.id, c.subjectPeerId, todayOf(context)));
    if (conflict) throw new AppError('rule-violation', conflict, [{ path: 'investigatorId', message: conflict }], 'enforcement.conflict_of_interest');
    const row = await updateCase(tx, c, { assignedTo: investigator.id });
    await auditCase(tx, context, 'enforcement.case.assign', c, [{ field: 'assignedTo', before: c.assignedTo, after: investigator.id }]);
    return row;
  });
}

export async function setCasePriority(db: Db, input: { caseId: string; priority: string }, context: UseCaseContext): Promise<CaseRow> {
  const priority = parseInput(z.enum(PRIORITIES, { message: 'Choose a priority.' }), input.priority);
  return onOpenCase(db, input.caseId, context, 'change case priority', async (tx, c) => {
    const row = await updateCase(tx, c, { priority });
    await auditCase(tx, context, 'enforcement.case.priority', c, [{ field: 'priority', before: c.priority, after: priority }]);
    return row;
  });
}

const NoteInput = z.object({ body: z.string({ message: 'Write the note.' }).trim().min(1, 'Write the note.').max(20_000, 'Keep a note under 20,000 characters.') });

/** A note is kept even on a decided case: investigators record what happens after, such as a notice returned. */
export async function addCaseNote(db: Db, input: { caseId: string; body: unknown }, context: UseCaseContext): Promise<void> {
  const { body } = parseInput(NoteInput, input);
  requireCan(context, 'enforcement.cases.manage', 'write case notes');
  await db.transaction(async (tx) => {
    const c = await lockCase(tx, input.caseId);
    await tx.insert(caseNotes).values({ caseId: c.id, body, authorId: actorUserId(context.actor) });
    await auditCase(tx, context, 'enforcement.case.note', c, [{ field: 'note', before: null, after: `${body.length} characters` }]);
  });
}

const ContactInput = z.object({
  name: z.string({ message: 'Give the name.' }).trim().min(1, 'Give the name.').max(200),
  role: z.enum(CONTACT_ROLES, { message: 'Choose who they are.' }),
  email: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().email('Enter an email address.').max(254).optional()),
  phone: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(25).optional()),
  note: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().max(1000).optional()),
});

export async function addCaseContact(db: Db, input: { caseId: string } & Record<string, unknown>, context: UseCaseContext): Promise<void> {
  const contact = parseInput(ContactInput, input);
  requireCan(context, 'enforcement.cases.manage', 'add case contacts');
  await db.transaction(async (tx) => {
    const c = await lockCase(tx, input.caseId);
    await tx.insert(caseContacts).values({ caseId: c.id, name: contact.name, role: contact.role, email: contact.email ?? null, phone: contact.phone ?? null, note: contact.note ?? null, addedBy: actorUserId(context.actor) });
    await auditCase(tx, context, 'enforcement.case.contact', c, [{ field: 'contact', before: null, after: contact.role }]);
  });
}

export async function addCaseEvidence(db: Db, storage: DocumentStorage, input: { caseId: string; files: readonly EvidenceUpload[] }, context: UseCaseContext): Promise<void> {
  requireCan(context, 'enforcement.cases.manage', 'add evidence');
  if (input.files.length === 0) throw new AppError('bad-request', 'Choose a file to upload.', [{ path: 'evidence', message: 'Choose a file to upload.' }]);
  const contentTypes = checkEvidence(input.files);
  await db.transaction(async (tx) => {
    const c = await lockCase(tx, input.caseId);
    await storeEvidence(tx, storage, c.id, input.files, contentTypes, actorUserId(context.actor));
    await auditCase(tx, context, 'enforcement.case.evidence', c, [{ field: 'evidence', before: null, after: input.files.map((f) => f.filename).join(', ') }]);
  });
}

const SubjectInput = z.object({
  number: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().toUpperCase().regex(/^PSS-\d{6}$/, 'A certification number looks like PSS-100001.').optional()),
  providerId: z.preprocess((v) => (v === '' ? undefined : v), z.string().uuid('Choose a training provider.').optional()),
  occurredOn: z.preprocess((v) => (v === '' ? undefined : v), IsoDate.optional()),
});

/** Link the complaint to the certification (or provider) it is about, or correct the conduct date; the flags follow. */
export async function linkCaseSubject(db: Db, input: { caseId: string } & Record<string, unknown>, context: UseCaseContext): Promise<CaseRow> {
  const data = parseInput(SubjectInput, input);
  return onOpenCase(db, input.caseId, context, 'link a case to its subject', async (tx, c) => {
    const patch: Partial<CaseRow> = {};
    if (data.number) {
      const subject = await certificationByNumber(tx, data.number);
      if (!subject) throw new AppError('bad-request', `No certification ${data.number} is on the registry.`, [{ path: 'number', message: 'No such certification.' }]);
      if (c.assignedTo) {
        const conflict = conflictOfInterest(await conflictFacts(tx, c.assignedTo, subject.peerId, todayOf(context)));
        if (conflict) throw new AppError('rule-violation', `${conflict} Reassign the case first.`, [{ path: 'number', message: conflict }], 'enforcement.conflict_of_interest');
      }
      Object.assign(patch, { subjectPeerId: subject.peerId, subjectCertificationId: subject.certificationId });
    }
    if (data.providerId) {
      if (!(await providerExists(tx, data.providerId))) throw new AppError('bad-request', 'Choose a training provider.', [{ path: 'providerId', message: 'Choose a training provider.' }]);
      patch.subjectProviderId = data.providerId;
    }
    if (data.occurredOn) patch.occurredOn = data.occurredOn;
    const next = { ...c, ...patch };
    const flags = await computeFlags(tx, next);
    const row = await updateCase(tx, c, { ...patch, flags });
    await auditCase(
      tx,
      context,
      'enforcement.case.subject',
      c,
      Object.entries(patch).map(([field, after]) => ({ field, before: (c as Record<string, unknown>)[field] as string | null, after: after as string | null })),
    );
    return row;
  });
}

const AcknowledgeInput = z.object({ how: z.enum(['email', 'letter', 'phone'], { message: 'Say how receipt was acknowledged.' }), on: z.preprocess((v) => (v === '' ? undefined : v), IsoDate.optional()) });

/** Record the acknowledgement; by email, the platform sends it (to the address on the case). */
export async function acknowledgeCase(db: Db, input: { caseId: string; how: unknown; on?: unknown }, context: UseCaseContext): Promise<CaseRow> {
  const data = parseInput(AcknowledgeInput, input);
  const today = todayOf(context);
  const on = data.on ?? today;
  return onOpenCase(db, input.caseId, context, 'acknowledge cases', async (tx, c) => {
    if (c.acknowledgedOn) throw new AppError('conflict', `Case ${c.number} was acknowledged on ${c.acknowledgedOn}.`, [], 'enforcement.acknowledged');
    if (on > today || on < c.receivedOn) throw new AppError('bad-request', `The acknowledgement date is from ${c.receivedOn} to today.`, [{ path: 'on', message: 'Choose a date from receipt to today.' }]);
    if (data.how === 'email') {
      if (!c.complainantEmail) throw new AppError('rule-violation', 'There is no email address on this case; acknowledge by letter or phone.', [{ path: 'how', message: 'No email address on the case.' }], 'enforcement.no_email');
      await queueEmail(tx, acknowledgementEmail(c, c.complainantEmail, c.locale === 'es' ? 'es' : 'en'));
    }
    const row = await updateCase(tx, c, { acknowledgedOn: data.how === 'email' ? today : on, acknowledgedHow: data.how });
    await auditCase(tx, context, 'enforcement.case.acknowledge', c, [{ field: 'acknowledgedOn', before: null, after: row.acknowledgedOn }]);
    return row;
  });
}

/** The one extension of the decision clock, by the rules in force when the case was received. */
export async function extendCase(db: Db, input: { caseId: string; days: unknown; reason: unknown }, context: UseCaseContext): Promise<CaseRow> {
  const days = Number(input.days);
  const reason = typeof input.reason === 'string' ? input.reason.trim().slice(0, 2000) : '';
  const today = todayOf(context);
  return onOpenCase(db, input.caseId, context, 'extend case clocks', async (tx, c) => {
    const extendedTo = extendDecision(c, days, reason, today, await rulesAsOf(tx, c.receivedOn));
    const row = await updateCase(tx, c, { extendedTo, extensionReason: reason, extendedOn: today });
    await auditCase(tx, context, 'enforcement.case.extend', c, [{ field: 'decisionDue', before: c.decideBy, after: extendedTo }], reason);
    return row;
  });
}
