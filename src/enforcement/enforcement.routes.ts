// JSON API of enforcement: file a complaint (anyone), list and read cases and record a decision (enforcement
// staff), file an appeal (the person concerned). Thin: parse, call the use case, shape the answer. Evidence files
// are uploaded through the web form; the API carries no files.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Action } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { ProblemOut } from '../http/contracts.ts';
import { contextOf } from '../web/form-refusal.ts';
import { decideAppeal, fileAppeal } from './appeals.ts';
import { caseHeadline, getCaseFile, listCases } from './case-queries.ts';
import { decideComplaint } from './decide-case.ts';
import { AppealBody, AppealOut, CaseListOut, CaseOut, CaseParams, CasesQuery, ComplaintBody, DecisionBody, DecisionOut, FiledOut } from './enforcement.types.ts';
import { fileComplaint } from './file-complaint.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const tags = ['Enforcement'];

export const enforcementRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db, storage }) => {
  const gate = (action: Action) => ({ onRequest: async (req: FastifyRequest) => requireAllowed(req, action) });

  app.post('/api/v1/complaints', { schema: { tags, summary: 'File a complaint (anyone; without an account, give a name and an email or phone)', body: ComplaintBody, response: { 201: FiledOut, ...errors } } }, async (req, reply) => {
    const filed = await fileComplaint(db, storage, req.body, [], contextOf(req));
    return reply.status(201).send({ number: filed.number, acknowledged: filed.acknowledged, acknowledgeBy: filed.acknowledgeBy });
  });

  app.get('/api/v1/enforcement/cases', { ...gate('enforcement.cases.read'), schema: { tags, summary: 'Cases with their clocks (view: attention, open, mine, decided, all)', querystring: CasesQuery, response: { 200: CaseListOut, ...errors } } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const { cases, hasMore } = await listCases(db, req.query.view, contextOf(req), req.query.page);
    return { cases, page: req.query.page, hasMore };
  });

  app.get('/api/v1/enforcement/cases/:id', { ...gate('enforcement.cases.read'), schema: { tags, summary: 'One case (the read is audited)', params: CaseParams, response: { 200: CaseOut, ...errors } } }, async (req, reply) => {
    const f = await getCaseFile(db, req.params.id, contextOf(req));
    const c = f.case;
    reply.header('cache-control', 'no-store');
    return {
      ...caseHeadline(c),
      channel: c.channel,
      occurredOn: c.occurredOn,
      narrative: c.narrative,
      flags: c.flags,
      subject: f.subject,
      assignee: f.assignee,
      acknowledgement: f.acknowledgement,
      decision: f.decision,
      notes: f.notes.length,
      evidence: f.evidence.length,
      outcome: f.outcome && { kind: f.outcome.kind, decidedOn: f.outcome.decidedOn, startsOn: f.outcome.startsOn, endsOn: f.outcome.endsOn, reversedOn: f.outcome.reversedOn },
    };
  });

  app.post(
    '/api/v1/enforcement/cases/:id/decision',
    { ...gate('enforcement.decide'), schema: { tags, summary: 'Decide a complaint (outcome, dates, public summary) or an appeal (upheld or denied)', params: CaseParams, body: DecisionBody, response: { 201: DecisionOut, ...errors } } },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      const outcome = body.outcome === 'upheld' || body.outcome === 'denied' ? await decideAppeal(db, { caseId: req.params.id, outcome: body.outcome, reason: body.reason }, contextOf(req)) : await decideComplaint(db, { ...body, caseId: req.params.id }, contextOf(req));
      return reply.status(201).send({ id: outcome.id, kind: outcome.kind, decidedOn: outcome.decidedOn });
    },
  );

  app.post('/api/v1/appeals', { ...gate('appeals.file'), schema: { tags, summary: 'Appeal a decision about me (or my training provider)', body: AppealBody, response: { 201: AppealOut, ...errors } } }, async (req, reply) => {
    const filed = await fileAppeal(db, req.body, contextOf(req));
    return reply.status(201).send({ number: filed.number });
  });
};
