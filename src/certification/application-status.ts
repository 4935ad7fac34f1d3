// The one function that moves an application along its machine (PROGRAM.md §7): checks the transition, writes the
// new status with any fields that go with it, the timeline event and the audit row, in the caller's transaction.
import { eq, sql } from 'drizzle-orm';
import { auditContext, actorUserId, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { applicationEvents, applications } from './certification.schema.ts';
import type { ApplicationStatus } from './vocabulary.ts';

export type ApplicationRow = typeof applications.$inferSelect;

export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['approved', 'denied', 'revision_requested', 'certified', 'withdrawn'],
  revision_requested: ['submitted', 'withdrawn'],
  approved: ['training_verified', 'exam_authorized', 'certified', 'application_expired', 'withdrawn'],
  training_verified: ['exam_authorized', 'application_expired', 'withdrawn'],
  exam_authorized: ['certified', 'exam_failed', 'attempts_exhausted', 'application_expired', 'withdrawn'],
  exam_failed: ['exam_authorized', 'attempts_exhausted', 'application_expired', 'withdrawn'],
  // An upheld appeal of a denial returns the application to review (src/enforcement/decide-appeal.ts).
  denied: ['submitted'],
  attempts_exhausted: [],
  application_expired: [],
  certified: [],
  withdrawn: [],
};

/** Statuses in which an approval's valid-through date still matters. */
export const OPEN_APPROVAL_STATUSES: readonly ApplicationStatus[] = ['approved', 'training_verified', 'exam_authorized', 'exam_failed'];

type ApplicationPatch = Partial<Omit<typeof applications.$inferInsert, 'id' | 'status' | 'version'>>;

export async function transitionApplication(
  tx: Db,
  application: ApplicationRow,
  to: ApplicationStatus,
  context: UseCaseContext,
  options: { reason?: string | null; patch?: ApplicationPatch } = {},
): Promise<ApplicationRow> {
  const from = application.status as ApplicationStatus;
  if (!APPLICATION_TRANSITIONS[from]?.includes(to)) {
    throw new AppError('conflict', `Application ${application.number} is ${from.replace(/_/g, ' ')}; it cannot become ${to.replace(/_/g, ' ')}.`, [], 'application.transition');
  }
  // Optimistic lock: a second reviewer acting on the same version gets a conflict, not a double decision.
  const [row] = await tx
    .update(applications)
    .set({ ...options.patch, status: to, version: sql`${applications.version} + 1`, updatedAt: new Date() })
    .where(sql`${applications.id} = ${application.id} and ${applications.version} = ${application.version}`)
    .returning();
  if (!row) throw new AppError('conflict', `Application ${application.number} was changed by someone else; reload it and try again.`);
  await tx.insert(applicationEvents).values({ applicationId: application.id, fromStatus: from, toStatus: to, actorId: actorUserId(context.actor), reason: options.reason ?? null });
  await recordAudit(tx, {
    ...auditContext(context),
    action: `application.${to}`,
    entityType: 'application',
    entityId: application.number,
    changes: [{ field: 'status', before: from, after: to }],
    reason: options.reason ?? null,
  });
  return row;
}

export async function getApplicationRow(db: Db, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select().from(applications).where(eq(applications.id, id));
  return row;
}
