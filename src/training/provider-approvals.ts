// A provider's approvals: one per training type and language, for [approved_from, approved_to) (PROGRAM.md §9.1:
// one application per type and language). Ending one early (a withdrawal, a sanction) keeps the row and its
// history: completions from the end date on no longer credit.
import { and, eq } from 'drizzle-orm';
import { actorUserId, auditContext, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { approvalEnd } from './approval-status.ts';
import { FieldChecks } from './form-checks.ts';
import { requireProviderReach } from './provider-access.ts';
import { providerApprovals, trainingProviders } from './training.schema.ts';
import { isLanguageCode, isTrainingType, isUuid } from './training.vocabulary.ts';

export interface RecordApprovalInput {
  providerId: string;
  trainingType: string;
  language: string;
  approvedFrom: string;
  approvedTo: string;
}

export async function recordProviderApproval(db: Db, input: RecordApprovalInput, context: UseCaseContext) {
  const provider = await requireProviderReach(db, context, 'training.providers.manage', 'record provider approvals', input.providerId);
  const check = new FieldChecks();
  if (!isTrainingType(input.trainingType)) check.fail('trainingType', 'Choose core, continuing education or specialization.');
  const language = (input.language ?? '').trim().toLowerCase();
  if (!isLanguageCode(language)) check.fail('language', 'Enter the language code, like en or es.');
  const approvedFrom = check.date(input.approvedFrom, 'approvedFrom');
  const approvedTo = check.date(input.approvedTo, 'approvedTo');
  if (check.errors.length === 0 && approvedTo <= approvedFrom) check.fail('approvedTo', 'The approval must end after it starts.');
  check.done();

  return db.transaction(async (tx) => {
    // One approval recorded at a time per provider, so two overlapping ones cannot both pass the check below.
    await tx.select({ id: trainingProviders.id }).from(trainingProviders).where(eq(trainingProviders.id, provider.id)).for('update');
    const sameKind = await tx
      .select()
      .from(providerApprovals)
      .where(and(eq(providerApprovals.providerId, provider.id), eq(providerApprovals.trainingType, input.trainingType), eq(providerApprovals.language, language)));
    const overlapping = sameKind.find((a) => a.approvedFrom < approvedTo && approvedFrom < approvalEnd(a));
    if (overlapping) {
      throw new AppError(
        'conflict',
        `${provider.name} already has an approval for ${input.trainingType} in ${language} from ${overlapping.approvedFrom} to ${approvalEnd(overlapping)}; a new one must start on or after that end.`,
        [{ path: 'approvedFrom', message: 'Overlaps an existing approval.' }],
      );
    }
    const [approval] = await tx
      .insert(providerApprovals)
      .values({ providerId: provider.id, trainingType: input.trainingType, language, approvedFrom, approvedTo, recordedBy: actorUserId(context.actor) })
      .returning();
    if (!approval) throw new Error('insert returned no row');
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'training.approval.record',
      entityType: 'provider_approval',
      entityId: approval.id,
      changes: [
        { field: 'providerId', before: null, after: provider.id },
        { field: 'trainingType', before: null, after: approval.trainingType },
        { field: 'language', before: null, after: language },
        { field: 'approvedFrom', before: null, after: approvedFrom },
        { field: 'approvedTo', before: null, after: approvedTo },
      ],
      reason: null,
    });
    return approval;
  });
}

export interface EndApprovalInput {
  approvalId: string;
  /** The first day the approval no longer covers. */
  endedOn: string;
  reason: string;
}

function approvalNotFound(id: string): AppError {
  return new AppError('not-found', `There is no provider approval ${id}.`);
}

/** Certification staff end an approval early. */
export async function endProviderApproval(db: Db, input: EndApprovalInput, context: UseCaseContext) {
  requireCan(context, 'training.providers.manage', 'end provider approvals');
  if (!isUuid(input.approvalId)) throw approvalNotFound(input.approvalId);
  const [approval] = await db.select({ providerId: providerApprovals.providerId }).from(providerApprovals).where(eq(providerApprovals.id, input.approvalId));
  if (!approval) throw approvalNotFound(input.approvalId);
  await requireProviderReach(db, context, 'training.providers.manage', 'end provider approvals', approval.providerId);
  return db.transaction((tx) => endApprovalWithin(tx, input, context));
}

/**
 * Ending an approval inside the caller's transaction, with no access check of its own: for a use case that has
 * decided it may (an enforcement sanction), which then commits the end and its audit row with its own decision.
 */
export async function endApprovalWithin(tx: Db, input: EndApprovalInput, context: UseCaseContext) {
  if (!isUuid(input.approvalId)) throw approvalNotFound(input.approvalId);
  const [approval] = await tx.select().from(providerApprovals).where(eq(providerApprovals.id, input.approvalId)).for('update');
  if (!approval) throw approvalNotFound(input.approvalId);
  if (approval.endedOn !== null) throw new AppError('conflict', `This approval was already ended on ${approval.endedOn}.`);
  const check = new FieldChecks();
  const endedOn = check.date(input.endedOn, 'endedOn');
  const reason = check.text(input.reason, 'reason', 'Give the reason the approval ends early.', 2000);
  if (check.errors.length === 0 && (endedOn < approval.approvedFrom || endedOn >= approval.approvedTo)) {
    check.fail('endedOn', `Choose a date from ${approval.approvedFrom} and before ${approval.approvedTo}, when the approval ends anyway.`);
  }
  check.done();
  const [ended] = await tx.update(providerApprovals).set({ endedOn, endReason: reason }).where(eq(providerApprovals.id, approval.id)).returning();
  if (!ended) throw new Error('update returned no row');
  await recordAudit(tx, {
    ...auditContext(context),
    action: 'training.approval.end',
    entityType: 'provider_approval',
    entityId: approval.id,
    changes: [{ field: 'endedOn', before: null, after: endedOn }],
    reason,
  });
  return ended;
}
