// Issuing a certification and adding a term to one: numbers, terms from the rules, the first status row.
import { and, desc, eq, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { queryRows, type Db } from '../db/client.ts';
import { addYears } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { certificationCycles, certifications } from './certification.schema.ts';
import { changeCertificationStatus, refreshCurrentStatus } from './certification-status.ts';
import type { CycleKind, Pathway } from './vocabulary.ts';

/** Certification numbers look like PSS-100001. */
export const CERTIFICATION_NUMBER = /^PSS-\d{6,}$/;

/** The next unused number. Imported numbers share the pattern, so a sequence value already taken is skipped. */
async function allocateNumber(tx: Db): Promise<string> {
  for (;;) {
    const [row] = await queryRows<{ n: string }>(tx, sql`select nextval('certification_number_seq')::text as n`);
    const number = `PSS-${row?.n}`;
    const [taken] = await tx.select({ id: certifications.id }).from(certifications).where(eq(certifications.number, number));
    if (!taken) return number;
  }
}

export interface IssueInput {
  peerId: string;
  issuedOn: string;
  pathway: Pathway;
  applicationId?: string | null;
  /** An existing number (import from a predecessor system); otherwise one is allocated. */
  number?: string;
  /** For imports: the term's dates as the old system had them. */
  expiresOn?: string;
  firstIssuedOn?: string;
  kind?: CycleKind;
}

/** Issue a certification in the caller's transaction: number, first term, `active` from the issue date. */
export async function issueCertification(tx: Db, input: IssueInput, context: UseCaseContext) {
  const [existing] = await tx.select({ number: certifications.number }).from(certifications).where(eq(certifications.peerId, input.peerId));
  if (existing) throw new AppError('conflict', `This person already holds certification ${existing.number}.`);
  if (input.number !== undefined) {
    if (!CERTIFICATION_NUMBER.test(input.number)) throw new AppError('bad-request', `"${input.number}" is not a certification number (PSS-123456).`);
    const [taken] = await tx.select({ id: certifications.id }).from(certifications).where(eq(certifications.number, input.number));
    if (taken) throw new AppError('conflict', `Certification number ${input.number} is already used; numbers are never reused.`);
  }
  const rules = await rulesAsOf(tx, input.issuedOn);
  const expiresOn = input.expiresOn ?? addYears(input.issuedOn, rules['certification.term_years']);
  if (expiresOn <= input.issuedOn) throw new AppError('bad-request', 'A certification must expire after it is issued.');
  const number = input.number ?? (await allocateNumber(tx));
  const [cert] = await tx
    .insert(certifications)
    .values({
      number,
      peerId: input.peerId,
      status: 'active',
      firstIssuedOn: input.firstIssuedOn ?? input.issuedOn,
      issuedOn: input.issuedOn,
      expiresOn,
      initialPathway: input.pathway,
    })
    .returning();
  if (!cert) throw new Error('insert returned no row');
  await tx.insert(certificationCycles).values({ certificationId: cert.id, issuedOn: input.issuedOn, expiresOn, kind: input.kind ?? 'initial', applicationId: input.applicationId ?? null });
  await recordAudit(tx, {
    ...auditContext(context),
    action: 'certification.issue',
    entityType: 'certification',
    entityId: number,
    changes: [
      { field: 'issuedOn', before: null, after: input.issuedOn },
      { field: 'expiresOn', before: null, after: expiresOn },
    ],
  });
  await changeCertificationStatus(
    tx,
    { certificationId: cert.id, to: 'active', effectiveOn: input.firstIssuedOn ?? input.issuedOn, reasonCode: input.kind === 'imported' ? 'imported' : 'issued', applicationId: input.applicationId ?? null },
    context,
  );
  return { ...cert, status: 'active' as const };
}

/**
 * Add the next term: a renewal in time starts on the old expiry date (no gap); a late renewal or reinstatement
 * starts on the decision date and makes the certification active again from then.
 */
export async function addCertificationTerm(
  tx: Db,
  input: { certificationId: string; startsOn: string; kind: Exclude<CycleKind, 'initial' | 'imported'>; applicationId: string },
  context: UseCaseContext,
) {
  const [cert] = await tx.select().from(certifications).where(eq(certifications.id, input.certificationId)).for('update');
  if (!cert) throw new AppError('not-found', 'No such certification.');
  const [last] = await tx.select().from(certificationCycles).where(eq(certificationCycles.certificationId, cert.id)).orderBy(desc(certificationCycles.issuedOn)).limit(1);
  if (last && input.startsOn < last.expiresOn && input.kind === 'renewal' && input.startsOn !== last.expiresOn) {
    throw new AppError('conflict', 'A renewal term starts when the current one ends.');
  }
  const rules = await rulesAsOf(tx, input.startsOn);
  const expiresOn = addYears(input.startsOn, rules['certification.term_years']);
  const [clash] = await tx
    .select({ id: certificationCycles.id })
    .from(certificationCycles)
    .where(and(eq(certificationCycles.certificationId, cert.id), eq(certificationCycles.issuedOn, input.startsOn)));
  if (clash) throw new AppError('conflict', `Certification ${cert.number} already has a term starting ${input.startsOn}.`);
  // A late renewal or reinstatement is checked against the lapse, so its status change comes before the new term
  // (which would otherwise make the day look active already).
  if (input.kind !== 'renewal') {
    await changeCertificationStatus(tx, { certificationId: cert.id, to: 'active', effectiveOn: input.startsOn, reasonCode: input.kind === 'reinstatement' ? 'reinstated' : 'renewed_late', applicationId: input.applicationId }, context);
  }
  await tx.insert(certificationCycles).values({ certificationId: cert.id, issuedOn: input.startsOn, expiresOn, kind: input.kind, applicationId: input.applicationId });
  await tx.update(certifications).set({ issuedOn: input.startsOn, expiresOn }).where(eq(certifications.id, cert.id));
  await recordAudit(tx, {
    ...auditContext(context),
    action: `certification.${input.kind}`,
    entityType: 'certification',
    entityId: cert.number,
    changes: [
      { field: 'issuedOn', before: cert.issuedOn, after: input.startsOn },
      { field: 'expiresOn', before: cert.expiresOn, after: expiresOn },
    ],
  });
  await refreshCurrentStatus(tx, cert.id, context.today ?? input.startsOn);
  return { issuedOn: input.startsOn, expiresOn };
}
