// JSON API of certification: applicants' own applications, and certifying staff's queue, decisions, exam results,
// fees and program rules. Thin: parse, call the use case, shape the answer.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Action } from '../access/can.ts';
import type { UseCaseContext } from '../access/context.ts';
import { requireAllowed } from '../access/guard.ts';
import { clientOf } from '../accounts/actor.plugin.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { ProblemOut } from '../http/contracts.ts';
import { IsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { ruleRowsAsOf, recordRuleChange } from '../rules/rules.service.ts';
import { getApplicationDetail, myCertificationRecord, reviewQueue } from './application-queries.ts';
import { importExamResults } from './exam-import.ts';
import { authorizeExam, recordExamResult, requestExam } from './exam.ts';
import { settleFee, outstandingFees } from './fees.ts';
import { approveApplication, denyApplication, requestRevisions, verifyTraining } from './review-application.ts';
import { saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { formFields, formFile } from '../web/multipart.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { withdrawApplication } from './withdraw-application.ts';
import {
  ApplicationOut,
  applicationOut,
  DecisionBody,
  ExamImportOut,
  ExamResultBody,
  IdParams,
  MyCertificationOut,
  QueueOut,
  QueueQuery,
  RuleChangeBody,
  RuleOut,
  SettleBody,
  StartBody,
  SubmitBody,
  WithdrawBody,
  FeeOut,
} from './certification.types.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const MAX_RESULTS_FILE = 5 * 1024 * 1024;

export const certificationRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db, storage }) => {
  const ctx = (req: FastifyRequest): UseCaseContext => ({ actor: req.actor, ...clientOf(req) });
  const gate = (action: Action) => ({ onRequest: async (req: FastifyRequest) => requireAllowed(req, action) });
  const signedIn = {
    onRequest: async (req: FastifyRequest) => {
      if (req.actor.kind !== 'user') throw new AppError(req.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', 'Applications belong to a person; sign in.');
    },
  };
  // The exam vendor's results arrive as CSV (this plugin only).
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_RESULTS_FILE }, (_req, body, done) => done(null, body));

  app.get('/api/v1/me/certification', { ...signedIn, schema: { tags: ['Certification'], summary: 'My certification, renewal situation and applications', response: { 200: MyCertificationOut, ...errors } } }, async (req) => {
    const record = await myCertificationRecord(db, ctx(req));
    const cert = record.certification;
    return {
      certification: cert ? { number: cert.number, status: cert.status, firstIssuedOn: cert.firstIssuedOn, issuedOn: cert.issuedOn, expiresOn: cert.expiresOn, history: cert.history.map((h) => ({ status: h.status, effectiveOn: h.effectiveOn, reasonCode: h.reasonCode })) } : null,
      renewal: record.renewal,
      openApplicationId: record.openApplication?.id ?? null,
      applications: record.applications.map((a) => ({ id: a.id, number: a.number, pathway: a.pathway, status: a.status })),
    };
  });

  app.post('/api/v1/applications', { ...signedIn, schema: { tags: ['Certification'], summary: 'Start an application (a draft saved at every step)', body: StartBody, response: { 201: ApplicationOut, ...errors } } }, async (req, reply) => {
    const application = await startApplication(db, req.body, ctx(req));
    return reply.status(201).send(applicationOut(await getApplicationDetail(db, application.id, ctx(req))));
  });

  app.get('/api/v1/applications/:id', { ...signedIn, schema: { tags: ['Certification'], summary: 'One application: answers, documents, what is missing, fees, exam attempts', params: IdParams, response: { 200: ApplicationOut, ...errors } } }, async (req) =>
    applicationOut(await getApplicationDetail(db, req.params.id, ctx(req))),
  );

  app.patch(
    '/api/v1/applications/:id',
    { ...signedIn, schema: { tags: ['Certification'], summary: 'Save answers to a draft (any subset; merged with what is saved)', params: IdParams, body: z.object({ answers: z.record(z.string(), z.unknown()) }), response: { 200: ApplicationOut, ...errors } } },
    async (req) => {
      await saveAnswers(db, { applicationId: req.params.id, answers: req.body.answers }, ctx(req));
      return applicationOut(await getApplicationDetail(db, req.params.id, ctx(req)));
    },
  );

  app.post('/api/v1/applications/:id/submit', { ...signedIn, schema: { tags: ['Certification'], summary: 'Sign the Code of Ethics and submit; 422 lists every requirement not met', params: IdParams, body: SubmitBody, response: { 200: ApplicationOut, ...errors } } }, async (req) => {
    await submitApplication(db, { applicationId: req.params.id, ...req.body }, ctx(req));
    return applicationOut(await getApplicationDetail(db, req.params.id, ctx(req)));
  });

  app.post(
    '/api/v1/applications/:id/withdraw',
    { ...signedIn, schema: { tags: ['Certification'], summary: 'Withdraw my application: it closes for good (fees already charged stay); 409 once it has ended', params: IdParams, body: WithdrawBody, response: { 200: ApplicationOut, ...errors } } },
    async (req) => {
      await withdrawApplication(db, { applicationId: req.params.id, reason: req.body.reason }, ctx(req));
      return applicationOut(await getApplicationDetail(db, req.params.id, ctx(req)));
    },
  );

  app.post(
    '/api/v1/applications/:id/documents',
    { ...signedIn, schema: { tags: ['Certification'], summary: 'Upload a document (multipart/form-data: kind, file — PDF, JPEG or PNG up to 10 MB)', params: IdParams, response: { 201: z.object({ id: z.string(), kind: z.string(), contentType: z.string(), sizeBytes: z.number() }), ...errors } } },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('bad-request', 'Send the document as multipart/form-data with the fields kind and file.');
      const file = await formFile(req, 'file');
      if (!file) throw new AppError('bad-request', 'The file field is missing.', [{ path: 'file', message: 'Choose a file.' }]);
      const doc = await uploadApplicationDocument(db, storage, { applicationId: req.params.id, kind: formFields(req).kind ?? '', filename: file.filename, bytes: file.bytes }, ctx(req));
      return reply.status(201).send({ id: doc.id, kind: doc.kind, contentType: doc.contentType, sizeBytes: doc.sizeBytes });
    },
  );

  app.get('/api/v1/applications', { ...gate('applications.review'), schema: { tags: ['Certification'], summary: 'The review queue, oldest first, with days waiting (certification staff)', querystring: QueueQuery, response: { 200: QueueOut, ...errors } } }, async (req) => {
    const queue = await reviewQueue(db, req.query, ctx(req));
    return { targetDays: queue.targetDays, applications: queue.rows.map((r) => ({ ...r, submittedAt: r.submittedAt?.toISOString() ?? null })) };
  });

  app.post(
    '/api/v1/applications/:id/decision',
    { ...gate('applications.review'), schema: { tags: ['Certification'], summary: 'Decide or move an application: approve, deny, request revisions, verify training, request or authorize the exam', params: IdParams, body: DecisionBody, response: { 200: ApplicationOut, ...errors } } },
    async (req) => {
      const input = { applicationId: req.params.id };
      const body = req.body;
      if (body.decision === 'approve') await approveApplication(db, input, ctx(req));
      else if (body.decision === 'deny') await denyApplication(db, { ...input, reason: body.reason }, ctx(req));
      else if (body.decision === 'request_revisions') await requestRevisions(db, { ...input, items: body.items }, ctx(req));
      else if (body.decision === 'verify_training') await verifyTraining(db, input, ctx(req));
      else if (body.decision === 'request_exam') await requestExam(db, input, ctx(req));
      else await authorizeExam(db, input, ctx(req));
      return applicationOut(await getApplicationDetail(db, req.params.id, ctx(req)));
    },
  );

  app.post('/api/v1/applications/:id/exam-results', { ...gate('exams.record'), schema: { tags: ['Certification'], summary: 'Record one exam attempt; a pass issues the certification', params: IdParams, body: ExamResultBody, response: { 200: ApplicationOut, ...errors } } }, async (req) => {
    await recordExamResult(db, { applicationId: req.params.id, ...req.body }, ctx(req));
    return applicationOut(await getApplicationDetail(db, req.params.id, ctx(req)));
  });

  app.post(
    '/api/v1/exam-results',
    { ...gate('exams.record'), schema: { tags: ['Certification'], summary: "Import the exam vendor's results (text/csv: candidate_id, exam_date, result, score); bad rows are reported, not fatal", response: { 200: ExamImportOut, ...errors } } },
    async (req) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('bad-request', 'Send the results file as text/csv.');
      const name = typeof req.headers['x-filename'] === 'string' ? req.headers['x-filename'] : 'results.csv';
      return importExamResults(db, { filename: name, bytes: req.body }, ctx(req));
    },
  );

  app.get(
    '/api/v1/fees/outstanding',
    { ...gate('fees.report'), schema: { tags: ['Certification'], summary: 'Fees charged and not settled, oldest first, with the total', response: { 200: z.object({ totalCents: z.number(), fees: z.array(FeeOut.extend({ applicationNumber: z.string().nullable(), peerName: z.string() })) }), ...errors } } },
    async (req) => {
      const report = await outstandingFees(db, ctx(req));
      return { totalCents: report.totalCents, fees: report.rows.map((r) => ({ ...r, kind: r.kind as z.infer<typeof FeeOut>['kind'], settledAt: null, settlement: null })) };
    },
  );

  app.post('/api/v1/fees/:id/settlement', { ...gate('fees.settle'), schema: { tags: ['Certification'], summary: 'Record how a fee was settled (payment reference, waiver, scholarship); never card data', params: IdParams, body: SettleBody, response: { 200: FeeOut, ...errors } } }, async (req) => {
    const fee = await settleFee(db, { feeId: req.params.id, ...req.body }, ctx(req));
    return { id: fee.id, kind: fee.kind as z.infer<typeof FeeOut>['kind'], amountCents: fee.amountCents, chargedOn: fee.chargedOn, settledAt: fee.settledAt?.toISOString() ?? null, settlement: fee.settlement };
  });

  app.get(
    '/api/v1/rules',
    { ...gate('rules.read'), schema: { tags: ['Certification'], summary: 'Program rules in force on a date, with their authority', querystring: z.object({ asOf: IsoDate.optional() }), response: { 200: z.object({ asOf: z.string(), rules: z.array(RuleOut) }), ...errors } } },
    async (req) => {
      const asOf = req.query.asOf ?? todayInCalifornia();
      const rows = await ruleRowsAsOf(db, asOf);
      return { asOf, rules: rows.map((r) => ({ key: r.key, value: r.value, effectiveFrom: r.effectiveFrom, authority: r.authority, note: r.note })) };
    },
  );

  app.post('/api/v1/rules', { ...gate('rules.edit'), schema: { tags: ['Certification'], summary: 'Record a rule change from today or a later date (history is never rewritten)', body: RuleChangeBody, response: { 201: RuleOut, ...errors } } }, async (req, reply) => {
    const row = await recordRuleChange(db, req.body, ctx(req));
    return reply.status(201).send({ key: row.key, value: row.value, effectiveFrom: row.effectiveFrom, authority: row.authority, note: row.note });
  });
};
