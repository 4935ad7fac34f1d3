// Contracts of the certification JSON API (inputs and outputs), shared by the routes and the OpenAPI document.
import { z } from 'zod';
import { IsoDate } from '../lib/dates.ts';
import { RULE_KEYS } from '../rules/rule-definitions.ts';
import type { getApplicationDetail } from './application-queries.ts';
import { APPLICATION_STATUSES, EXAM_RESULTS, FEE_KINDS, PATHWAYS, SETTLEMENTS } from './vocabulary.ts';
import { WITHDRAWAL_REASON_MAX_LENGTH } from './withdraw-application.ts';

export const IdParams = z.object({ id: z.uuid() });

export const StartBody = z.object({ pathway: z.enum(PATHWAYS) });

export const SubmitBody = z.object({
  signedName: z.string().max(300).meta({ description: 'The legal name, typed as the signature of the Code of Ethics' }),
  ethicsAffirmed: z.boolean(),
});

export const WithdrawBody = z.object({
  reason: z.string().max(WITHDRAWAL_REASON_MAX_LENGTH).optional().meta({ description: 'Why the applicant is withdrawing (optional); certification staff see it in the timeline' }),
});

export const DecisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('deny'), reason: z.string().min(1).max(2000) }),
  z.object({ decision: z.literal('request_revisions'), items: z.array(z.object({ field: z.string().max(100), message: z.string().min(1).max(1000) })).min(1).max(20) }),
  z.object({ decision: z.literal('verify_training') }),
  z.object({ decision: z.literal('request_exam') }),
  z.object({ decision: z.literal('authorize_exam') }),
]);

export const ExamResultBody = z.object({ takenOn: IsoDate, result: z.enum(EXAM_RESULTS), score: z.number().int().min(0).max(1000).nullable().optional() });

export const SettleBody = z.object({ settlement: z.enum(SETTLEMENTS), reference: z.string().max(200).optional(), note: z.string().max(1000).optional() });

export const QueueQuery = z.object({ status: z.enum(APPLICATION_STATUSES).optional(), pathway: z.enum(PATHWAYS).optional(), minAgeDays: z.coerce.number().int().min(0).optional() });

export const FeeOut = z.object({
  id: z.string(),
  kind: z.enum(FEE_KINDS),
  amountCents: z.number().int(),
  chargedOn: z.string(),
  settledAt: z.string().nullable(),
  settlement: z.string().nullable(),
});

export const ApplicationOut = z
  .object({
    id: z.string(),
    number: z.string(),
    pathway: z.enum(PATHWAYS),
    status: z.enum(APPLICATION_STATUSES),
    submittedAt: z.string().nullable(),
    approvedOn: z.string().nullable(),
    validThrough: z.string().nullable(),
    candidateId: z.string().nullable(),
    decisionReason: z.string().nullable(),
    revisionItems: z.array(z.object({ field: z.string(), message: z.string() })),
    answers: z.record(z.string(), z.unknown()),
    nextStep: z.string(),
    problems: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })),
    documents: z.array(z.object({ id: z.string(), kind: z.string(), filename: z.string(), contentType: z.string(), sizeBytes: z.number() })),
    fees: z.array(FeeOut),
    examAttempts: z.array(z.object({ attemptNumber: z.number(), takenOn: z.string(), result: z.enum(EXAM_RESULTS), score: z.number().nullable() })),
    examAttemptLimit: z.number(),
  })
  .meta({ id: 'Application' });

export const QueueOut = z.object({
  targetDays: z.number(),
  applications: z.array(z.object({ id: z.string(), number: z.string(), name: z.string(), pathway: z.string(), status: z.string(), submittedAt: z.string().nullable(), ageDays: z.number(), overdue: z.boolean(), validThrough: z.string().nullable() })),
});

export const ExamImportOut = z.object({ id: z.string(), rows: z.number(), recorded: z.number(), rejections: z.array(z.object({ row: z.number(), candidateId: z.string(), reason: z.string() })) });

export const RuleOut = z.object({ key: z.enum(RULE_KEYS as [string, ...string[]]), value: z.unknown(), effectiveFrom: z.string(), authority: z.string(), note: z.string().nullable() });

export const RuleChangeBody = z.object({ key: z.string(), value: z.unknown(), effectiveFrom: IsoDate, authority: z.string().min(1).max(500), note: z.string().max(1000).optional() });

export const MyCertificationOut = z.object({
  certification: z
    .object({
      number: z.string(),
      status: z.string(),
      firstIssuedOn: z.string(),
      issuedOn: z.string(),
      expiresOn: z.string(),
      history: z.array(z.object({ status: z.string(), effectiveOn: z.string(), reasonCode: z.string() })),
    })
    .nullable(),
  renewal: z.object({ stage: z.string(), opensOn: z.string(), ceHours: z.number(), lawEthicsHours: z.number(), ceRequired: z.number(), lawEthicsRequired: z.number() }).nullable(),
  openApplicationId: z.string().nullable(),
  applications: z.array(z.object({ id: z.string(), number: z.string(), pathway: z.string(), status: z.string() })),
});

type Detail = Awaited<ReturnType<typeof getApplicationDetail>>;

/** An application detail as the API shows it (instants as ISO strings). */
export function applicationOut(detail: Detail): z.infer<typeof ApplicationOut> {
  const a = detail.application;
  return {
    id: a.id,
    number: a.number,
    pathway: a.pathway as z.infer<typeof ApplicationOut>['pathway'],
    status: a.status as z.infer<typeof ApplicationOut>['status'],
    submittedAt: a.submittedAt?.toISOString() ?? null,
    approvedOn: a.approvedOn,
    validThrough: a.validThrough,
    candidateId: a.candidateId,
    decisionReason: a.decisionReason,
    revisionItems: a.revisionItems as Array<{ field: string; message: string }>,
    answers: a.answers as Record<string, unknown>,
    nextStep: detail.nextStep,
    problems: detail.problems,
    documents: detail.documents.map((d) => ({ id: d.id, kind: d.kind, filename: d.filename, contentType: d.contentType, sizeBytes: d.sizeBytes })),
    fees: detail.fees.map((f) => ({ id: f.id, kind: f.kind as z.infer<typeof FeeOut>['kind'], amountCents: f.amountCents, chargedOn: f.chargedOn, settledAt: f.settledAt?.toISOString() ?? null, settlement: f.settlement })),
    examAttempts: detail.attempts.map((x) => ({ attemptNumber: x.attemptNumber, takenOn: x.takenOn, result: x.result as 'pass', score: x.score })),
    examAttemptLimit: detail.attemptLimit,
  };
}
