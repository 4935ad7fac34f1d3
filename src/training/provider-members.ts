// Who acts for a provider: certification staff add and remove members, each a person holding the
// training_provider role. Membership is what lets that role reach a provider's courses and rosters.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { FieldChecks } from './form-checks.ts';
import { requireProviderReach } from './provider-access.ts';
import { trainingProviderMembers } from './training.schema.ts';
import { isUuid } from './training.vocabulary.ts';

export async function addProviderMember(db: Db, input: { providerId: string; email: string }, context: UseCaseContext) {
  const provider = await requireProviderReach(db, context, 'training.providers.manage', 'manage training providers', input.providerId);
  const check = new FieldChecks();
  const email = check.email(input.email, 'email');
  check.done();
  const [person] = await db
    .select({ id: users.id, email: users.email, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  const [grant] = person
    ? await db
        .select({ id: roleAssignments.id })
        .from(roleAssignments)
        .where(and(eq(roleAssignments.userId, person.id), eq(roleAssignments.role, 'training_provider'), isNull(roleAssignments.revokedAt)))
    : [];
  if (!person || person.deactivatedAt !== null || !grant) {
    const message = 'No active account with this email holds the training provider role. Give the person that role first.';
    throw new AppError('bad-request', message, [{ path: 'email', message }]);
  }
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(trainingProviderMembers).values({ providerId: provider.id, userId: person.id }).onConflictDoNothing().returning();
    if (inserted.length === 0) throw new AppError('conflict', `${person.email} is already a member of ${provider.name}.`, [{ path: 'email', message: 'Already a member.' }]);
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'training.provider.member.add',
      entityType: 'training_provider',
      entityId: provider.id,
      changes: [{ field: 'member', before: null, after: person.id }],
      reason: null,
    });
    return { providerId: provider.id, userId: person.id };
  });
}

export async function removeProviderMember(db: Db, input: { providerId: string; userId: string }, context: UseCaseContext) {
  const provider = await requireProviderReach(db, context, 'training.providers.manage', 'manage training providers', input.providerId);
  if (!isUuid(input.userId)) throw new AppError('not-found', `That person is not a member of ${provider.name}.`);
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(trainingProviderMembers)
      .where(and(eq(trainingProviderMembers.providerId, provider.id), eq(trainingProviderMembers.userId, input.userId)))
      .returning();
    if (removed.length === 0) throw new AppError('not-found', `That person is not a member of ${provider.name}.`);
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'training.provider.member.remove',
      entityType: 'training_provider',
      entityId: provider.id,
      changes: [{ field: 'member', before: input.userId, after: null }],
      reason: null,
    });
  });
}
