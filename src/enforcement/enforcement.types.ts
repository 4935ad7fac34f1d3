// Zod contracts of the enforcement JSON API (documented in OpenAPI at /docs).
import { z } from 'zod';
import { ComplaintInput } from './file-complaint.ts';
import { DecisionInput } from './decide-case.ts';
import { AppealInput } from './appeals.ts';
import { CASE_VIEWS } from './case-queries.ts';

export const ComplaintBody = ComplaintInput;
export const FiledOut = z.object({ number: z.string(), acknowledged: z.boolean(), acknowledgeBy: z.string() });

const Clock = z.object({ state: z.enum(['met', 'late', 'due', 'overdue']), dueOn: z.string(), daysLeft: z.number().nullable() });

export const CasesQuery = z.object({ view: z.enum(CASE_VIEWS).default('attention'), page: z.coerce.number().int().min(1).max(10_000).default(1) });
/** What identifies a case (caseHeadline) and its two clocks: every answer about a case starts with these. */
const CaseHeadlineOut = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  kind: z.string(),
  status: z.string(),
  priority: z.string(),
  receivedOn: z.string(),
  acknowledgement: Clock,
  decision: Clock,
});

export const CaseListOut = z.object({
  page: z.number(),
  hasMore: z.boolean().describe('More cases on the next page'),
  cases: z.array(CaseHeadlineOut.extend({ subject: z.string().nullable(), assignee: z.string().nullable(), flags: z.number() })),
});

export const CaseParams = z.object({ id: z.string() });
export const CaseOut = CaseHeadlineOut.extend({
  channel: z.string(),
  occurredOn: z.string().nullable(),
  narrative: z.string(),
  flags: z.array(z.object({ code: z.string(), message: z.string() })),
  subject: z.object({ number: z.string().nullable(), name: z.string().nullable(), providerName: z.string().nullable() }),
  assignee: z.string().nullable(),
  notes: z.number(),
  evidence: z.number(),
  outcome: z.object({ kind: z.string(), decidedOn: z.string(), startsOn: z.string().nullable(), endsOn: z.string().nullable(), reversedOn: z.string().nullable() }).nullable(),
});

export const DecisionBody = DecisionInput.or(z.object({ outcome: z.enum(['upheld', 'denied']), reason: z.string() }));
export const DecisionOut = z.object({ id: z.string(), kind: z.string(), decidedOn: z.string() });
export const AppealBody = AppealInput;
export const AppealOut = z.object({ number: z.string() });
