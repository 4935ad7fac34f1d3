// The one function that changes a certification's status (PROGRAM.md §7), and the answers that come from its
// effective-dated history: the status on a date, and "was this person certified on D?".
import { and, asc, desc, eq, inArray, lte, notInArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { auditContext, actorUserId, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { flagAffectedEncounters } from '../encounters/retro-check.ts';
import { certificationCycles, certifications, certificationStatusChanges } from './certification.schema.ts';
import type { CertificationStatus } from './vocabulary.ts';

/** Which status may follow which; `none` is before the first issue. Revoked and vacated are terminal. */
export const STATUS_TRANSITIONS: Readonly<Record<CertificationStatus | 'none', readonly CertificationStatus[]>> = {
  none: ['active'],
  active: ['expired', 'suspended', 'revoked'],
  expired: ['active', 'vacated', 'revoked'],
  suspended: ['active', 'expired', 'revoked'],
  revoked: [],
  vacated: [],
};

export interface StatusChangeInput {
  certificationId: string;
  to: CertificationStatus;
  effectiveOn: string;
  /** A short code: issued, renewed, expired, vacated, reinstated, imported, … */
  reasonCode: string;
  reason?: string | null;
  applicationId?: string | null;
}

/** The status recorded as in force on `date` (null: not yet issued), ignoring the cycle dates. */
async function recordedStatusOn(db: Db, certificationId: string, date: string): Promise<CertificationStatus | null> {
  const [row] = await db
    .select({ status: certificationStatusChanges.status })
    .from(certificationStatusChanges)
    .where(and(eq(certificationStatusChanges.certificationId, certificationId), lte(certificationStatusChanges.effectiveOn, date)))
    .orderBy(desc(certificationStatusChanges.effectiveOn), desc(certificationStatusChanges.recordedAt))
    .limit(1);
  return (row?.status as CertificationStatus | undefined) ?? null;
}

/**
 * SQL for the status of a certification on a date (null before the first issue): the latest recorded status, but
 * active only inside a term — a term that ran out is expired on its date even before the nightly job has recorded
 * it, so verification never depends on a job having run. One expression, so a single lookup and a bulk
 * verification of thousands of rows answer by the same rule.
 */
export function statusOnSql(certificationId: SQLWrapper, date: SQLWrapper): SQL<CertificationStatus | null> {
  return sql`(
    select case
      when s.status = 'active' and not exists (
        select 1 from ${certificationCycles} y
        where y.certification_id = s.certification_id and y.issued_on <= ${date} and y.expires_on > ${date}
      ) then 'expired'
      else s.status end
    from ${certificationStatusChanges} s
    where s.certification_id = ${certificationId} and s.effective_on <= ${date}
    order by s.effective_on desc, s.recorded_at desc
    limit 1)`;
}

/** The status on `date` (null before the first issue); see statusOnSql. */
export async function certificationStatusOn(db: Db, certificationId: string, date: string): Promise<CertificationStatus | null> {
  const [row] = await queryRows<{ status: CertificationStatus | null }>(db, sql`select ${statusOnSql(sql`${certificationId}::uuid`, sql`${date}::date`)} as status`);
  return row?.status ?? null;
}

/** Was this person certified (active) on `date`? — the question verification and claims ask. */
export async function isCertifiedOn(db: Db, peerId: string, date: string): Promise<boolean> {
  const [cert] = await db.select({ id: certifications.id }).from(certifications).where(eq(certifications.peerId, peerId));
  return cert !== undefined && (await certificationStatusOn(db, cert.id, date)) === 'active';
}

export async function statusHistory(db: Db, certificationId: string) {
  return db
    .select()
    .from(certificationStatusChanges)
    .where(eq(certificationStatusChanges.certificationId, certificationId))
    .orderBy(asc(certificationStatusChanges.effectiveOn), asc(certificationStatusChanges.recordedAt));
}

/**
 * Change a certification's status from `effectiveOn`: checks the transition against the status in force that day,
 * appends the history row, refreshes the status-today column and writes the audit row — all in the caller's
 * transaction (pass `db.transaction`'s tx). The caller has checked the actor may do it.
 */
export async function changeCertificationStatus(tx: Db, input: StatusChangeInput, context: UseCaseContext): Promise<string> {
  const [cert] = await tx.select().from(certifications).where(eq(certifications.id, input.certificationId)).for('update');
  if (!cert) throw new AppError('not-found', 'No such certification.');
  // Recording an expiry writes down what the term dates already imply (certificationStatusOn derives `expired`
  // once no term covers the date), so it is checked against the recorded status rather than the derived one.
  const from = (input.to === 'expired' ? await recordedStatusOn(tx, cert.id, input.effectiveOn) : await certificationStatusOn(tx, cert.id, input.effectiveOn)) ?? 'none';
  if (!STATUS_TRANSITIONS[from].includes(input.to)) {
    throw new AppError('rule-violation', `Certification ${cert.number} cannot go from ${from} to ${input.to} on ${input.effectiveOn}.`, [], 'certification.transition');
  }
  const [inserted] = await tx
    .insert(certificationStatusChanges)
    .values({
      certificationId: cert.id,
      status: input.to,
      effectiveOn: input.effectiveOn,
      reasonCode: input.reasonCode,
      reason: input.reason ?? null,
      applicationId: input.applicationId ?? null,
      recordedBy: actorUserId(context.actor),
    })
    .returning({ id: certificationStatusChanges.id });
  const today = todayOf(context);
  await refreshCurrentStatus(tx, cert.id, today);
  if (input.effectiveOn < today && input.to !== 'active') {
    await flagAffectedEncounters(tx, {
      cause: 'certification_status',
      code: 'retro.certification',
      reason: `On ${today} certification ${cert.number} was recorded as ${input.to} from ${input.effectiveOn}. Services on or after that date were documented while it was on record as active.`,
      affected: sql`${encounters.peerId} = ${cert.peerId} and ${encounters.serviceDate} >= ${input.effectiveOn} and ${statusOnSql(sql`${cert.id}::uuid`, encounters.serviceDate)} is distinct from 'active'`,
    });
  }
  await recordAudit(tx, {
    ...auditContext(context),
    action: 'certification.status',
    entityType: 'certification',
    entityId: cert.number,
    changes: [{ field: `status from ${input.effectiveOn}`, before: from, after: input.to }],
    reason: input.reason ?? input.reasonCode,
  });
  return inserted!.id;
}

/**
 * Undo recorded changes from their own dates (an upheld appeal): for each, append the status that was in force on
 * its date without any of them — so undoing a suspension and its automatic lift leaves the certification as it was
 * throughout — marked as reversing it. The transition table is not consulted: this restores a state the
 * certification was lawfully in, which may be "active" after a revocation. Returns the new rows' ids. In the
 * caller's transaction; the changes must be of one certification.
 */
export async function reverseStatusChanges(tx: Db, changeIds: readonly string[], input: { reasonCode: string; reason: string }, context: UseCaseContext): Promise<string[]> {
  if (changeIds.length === 0) return [];
  const changes = await tx.select().from(certificationStatusChanges).where(inArray(certificationStatusChanges.id, [...changeIds]));
  const first = changes[0];
  if (!first || changes.length !== changeIds.length) throw new AppError('not-found', 'No such status change.');
  if (changes.some((c) => c.certificationId !== first.certificationId)) throw new Error('status changes of several certifications reversed at once');
  const [cert] = await tx.select().from(certifications).where(eq(certifications.id, first.certificationId)).for('update');
  if (!cert) throw new AppError('not-found', 'No such certification.');
  const reversed: string[] = [];
  for (const change of changes.sort((a, b) => (a.effectiveOn < b.effectiveOn ? 1 : -1))) {
    const [before] = await tx
      .select({ status: certificationStatusChanges.status })
      .from(certificationStatusChanges)
      .where(
        and(
          eq(certificationStatusChanges.certificationId, cert.id),
          lte(certificationStatusChanges.effectiveOn, change.effectiveOn),
          notInArray(certificationStatusChanges.id, [...changeIds]),
          lte(certificationStatusChanges.recordedAt, change.recordedAt),
        ),
      )
      .orderBy(desc(certificationStatusChanges.effectiveOn), desc(certificationStatusChanges.recordedAt))
      .limit(1);
    if (!before) throw new AppError('conflict', `The change of ${cert.number} on ${change.effectiveOn} is its first status; it cannot be reversed.`);
    const [row] = await tx
      .insert(certificationStatusChanges)
      .values({
        certificationId: cert.id,
        status: before.status,
        effectiveOn: change.effectiveOn,
        reasonCode: input.reasonCode,
        reason: input.reason,
        reversesChangeId: change.id,
        recordedBy: actorUserId(context.actor),
      })
      .returning({ id: certificationStatusChanges.id });
    reversed.push(row!.id);
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'certification.status.reverse',
      entityType: 'certification',
      entityId: cert.number,
      changes: [{ field: `status from ${change.effectiveOn}`, before: change.status, after: before.status }],
      reason: input.reason,
    });
  }
  await refreshCurrentStatus(tx, cert.id, todayOf(context));
  return reversed;
}

/** Keep certifications.status (the status today) in step with the history. */
export async function refreshCurrentStatus(tx: Db, certificationId: string, today: string): Promise<void> {
  const status = (await certificationStatusOn(tx, certificationId, today)) ?? 'active';
  await tx
    .update(certifications)
    .set({ status, version: sql`${certifications.version} + 1` })
    .where(eq(certifications.id, certificationId));
}
