// Starting an application: a draft the applicant can save and resume at any step.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { auditContext, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import type { ApplicationRow } from './application-status.ts';
import { applicationEvents, applications, certifications } from './certification.schema.ts';
import { renewalStage } from './eligibility.ts';
import { ensurePeerForUser } from './peer-record.ts';
import type { Pathway } from './vocabulary.ts';

/** Applications that are still going somewhere: a person has at most one of these at a time. */
export const OPEN_STATUSES = ['draft', 'submitted', 'revision_requested', 'approved', 'training_verified', 'exam_authorized', 'exam_failed'] as const;

export async function nextApplicationNumber(tx: Db): Promise<string> {
  const [row] = await queryRows<{ n: string }>(tx, sql`select nextval('application_number_seq')::text as n`);
  return `A-${row?.n}`;
}

export async function startApplication(db: Db, input: { pathway: Pathway }, context: UseCaseContext): Promise<ApplicationRow> {
  if (context.actor.kind !== 'user') throw new AppError(context.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', 'Sign in to apply.');
  const userId = context.actor.userId;
  requireCan(context, 'certification.apply', 'apply', { userId });
  const today = todayOf(context);
  const rules = await rulesAsOf(db, today);
  return db.transaction(async (tx) => {
    const peer = await ensurePeerForUser(tx, userId);
    const [open] = await tx
      .select({ number: applications.number })
      .from(applications)
      .where(and(eq(applications.peerId, peer.id), inArray(applications.status, [...OPEN_STATUSES])));
    if (open) throw new AppError('conflict', `You already have application ${open.number} in progress.`);
    const [cert] = await tx.select().from(certifications).where(eq(certifications.peerId, peer.id));
    let certificationId: string | null = null;
    if (input.pathway === 'renewal' || input.pathway === 'reinstatement') {
      if (!cert) throw new AppError('rule-violation', 'There is no certification to renew.', [], 'renewal.no_certification');
      const stage = renewalStage(cert.status as never, cert.expiresOn, today, rules);
      if (stage === 'too_early') throw new AppError('rule-violation', `Renewal opens ${rules['renewal.window_days']} days before your certification expires on ${cert.expiresOn}.`, [], 'renewal.window');
      if (stage === 'vacated') throw new AppError('rule-violation', 'Your certification was vacated; start a new initial application.', [], 'certification.vacated');
      if (stage === 'not_renewable') throw new AppError('rule-violation', `A ${cert.status} certification cannot be renewed.`, [], 'renewal.not_in_good_standing');
      const expected = stage === 'reinstatement' ? 'reinstatement' : 'renewal';
      if (expected !== input.pathway) throw new AppError('rule-violation', expected === 'reinstatement' ? 'It is too late to renew; apply for reinstatement.' : 'Your certification can still be renewed; reinstatement is not needed.', [], 'renewal.wrong_pathway');
      certificationId = cert.id;
    } else {
      if (cert && cert.status !== 'vacated') throw new AppError('conflict', `You already hold certification ${cert.number}.`);
      if (input.pathway === 'grandparenting' && today > rules['grandparenting.last_submission_on']) {
        throw new AppError('rule-violation', `The grandparenting pathway closed on ${rules['grandparenting.last_submission_on']}.`, [], 'grandparenting.closed');
      }
    }
    const answers = { legalFirstName: peer.legalFirstName || undefined, legalMiddleName: peer.legalMiddleName ?? undefined, legalLastName: peer.legalLastName || undefined, dateOfBirth: peer.dateOfBirth ?? undefined };
    const [application] = await tx
      .insert(applications)
      .values({ number: await nextApplicationNumber(tx), peerId: peer.id, pathway: input.pathway, certificationId, answers: JSON.parse(JSON.stringify(answers)) })
      .returning();
    if (!application) throw new Error('insert returned no row');
    await tx.insert(applicationEvents).values({ applicationId: application.id, toStatus: 'draft', actorId: userId });
    await recordAudit(tx, { ...auditContext(context), action: 'application.start', entityType: 'application', entityId: application.number, changes: [{ field: 'pathway', before: null, after: input.pathway }] });
    return application;
  });
}
