// /workbench/applications/{id}: everything about one application for certification staff — answers, documents,
// what is missing, the ethics signature, fees, exam attempts, the timeline — and the decisions its status allows.
// Each decision POSTs, then redirects back with a notice, or shows the page again with the refusal.
import type { ComponentChildren } from 'preact';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../access/can.ts';
import type { Action } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { attempt, contextOf, type Form, FormProblem, type Refusal, refusalLang } from '../web/form-refusal.ts';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert, TextAreaField } from '../web/forms.tsx';
import type { Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { getApplicationDetail } from './application-queries.ts';
import { authorizeExam, recordExamResult, requestExam } from './exam.ts';
import { settleFee } from './fees.ts';
import { approveApplication, denyApplication, requestRevisions, verifyTraining } from './review-application.ts';
import { DOCUMENT_KINDS, EXAM_RESULTS, type ExamResult } from './vocabulary.ts';
import {
  ANSWER_KEYS,
  AnswersSection,
  type Detail,
  DocumentsSection,
  EthicsSection,
  ExamSection,
  FeesSection,
  ProblemsAndTraining,
  revisionFieldLabel,
  settlementOf,
  Summary,
  TimelineSection,
  w,
} from './workbench-application.sections.tsx';
import { certificationNumberOf } from './workbench-queries.ts';
import { doneOf, WorkbenchNav } from './workbench.components.tsx';

const DONE = ['approved', 'denied', 'revisions', 'trainingVerified', 'examRequested', 'examAuthorized', 'resultRecorded', 'settled'] as const;
type Done = (typeof DONE)[number];

/** What a revision item may be about: the application as a whole, one of its answers, or one of its documents. */
const REVISION_FIELDS = ['general', ...ANSWER_KEYS, ...DOCUMENT_KINDS.map((k) => `document.${k}`)];
const REVISION_ROWS = 5;

/** Where the exam may be asked for or authorized (the use cases decide; this only chooses which forms to offer). */
function inExamStage(application: Detail['application']): boolean {
  if (application.status === 'training_verified' || application.status === 'exam_failed') return true;
  return application.status === 'approved' && application.pathway !== 'initial' && application.pathway !== 'renewal';
}

function ActionForm({ heading, lead, action, csrfToken, children }: { heading: string; lead: string; action: string; csrfToken: string; children: ComponentChildren }) {
  return (
    <div class="margin-top-3 border-top border-base-lighter padding-top-2">
      <h3>{heading}</h3>
      <p>{lead}</p>
      <PostForm action={action} csrfToken={csrfToken}>
        {children}
      </PostForm>
    </div>
  );
}

function ActionsSection({ ctx, detail, actor, csrfToken, refusal }: { ctx: PageContext; detail: Detail; actor: Actor; csrfToken: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const a = detail.application;
  const url = (verb: string) => `/workbench/applications/${a.id}/${verb}`;
  const values = (form: string): Form => (refusal?.form === form ? refusal.values : {});
  const errors = (form: string): FieldError[] | undefined => (refusal?.form === form ? refusal.errors : undefined);
  const review = can(actor, 'applications.review');
  const exams = can(actor, 'exams.record');
  const decide = review && a.status === 'submitted';
  const verify = review && a.status === 'approved' && a.pathway === 'initial';
  const examStage = exams && inExamStage(a);
  const request = examStage && detail.nextStep === 'request_exam';
  const authorize = examStage && !request;
  const result = exams && a.status === 'exam_authorized';
  const revisionValues = values('revisions');
  const resultValues = values('result');
  return (
    <section aria-labelledby="actions">
      <h2 id="actions">{w(t, 'application.actionsHeading')}</h2>
      {!decide && !verify && !request && !authorize && !result && <p>{w(t, 'application.noActions')}</p>}
      {decide && (
        <>
          <ActionForm heading={w(t, 'actions.approveHeading')} lead={w(t, 'actions.approveLead')} action={url('approve')} csrfToken={csrfToken}>
            <button class="usa-button" type="submit">
              {w(t, 'actions.approveButton')}
            </button>
          </ActionForm>
          <ActionForm heading={w(t, 'actions.denyHeading')} lead={w(t, 'actions.denyLead')} action={url('deny')} csrfToken={csrfToken}>
            <TextAreaField name="reason" label={w(t, 'actions.denyReason')} value={values('deny').reason} errors={errors('deny')} />
            <button class="usa-button usa-button--secondary" type="submit">
              {w(t, 'actions.denyButton')}
            </button>
          </ActionForm>
          <ActionForm heading={w(t, 'actions.revisionsHeading')} lead={w(t, 'actions.revisionsLead')} action={url('revisions')} csrfToken={csrfToken}>
            {Array.from({ length: REVISION_ROWS }, (_, i) => i + 1).map((n) => (
              <fieldset class="usa-fieldset margin-top-2" key={n}>
                <legend class="usa-legend usa-legend--large">{w(t, 'actions.revisionItem', { n })}</legend>
                <SelectField name={`field${n}`} label={w(t, 'actions.revisionField')} errors={errors('revisions')} required={n === 1}>
                  <option value="">{w(t, 'common.choose')}</option>
                  {REVISION_FIELDS.map((f) => (
                    <option key={f} value={f} selected={revisionValues[`field${n}`] === f}>
                      {revisionFieldLabel(t, f)}
                    </option>
                  ))}
                </SelectField>
                <TextAreaField name={`message${n}`} label={w(t, 'actions.revisionMessage')} value={revisionValues[`message${n}`]} errors={errors('revisions')} required={n === 1} />
              </fieldset>
            ))}
            <button class="usa-button usa-button--outline" type="submit">
              {w(t, 'actions.revisionsButton')}
            </button>
          </ActionForm>
        </>
      )}
      {verify && (
        <ActionForm heading={w(t, 'actions.verifyHeading')} lead={w(t, 'actions.verifyLead')} action={url('verify-training')} csrfToken={csrfToken}>
          <button class="usa-button" type="submit">
            {w(t, 'actions.verifyButton')}
          </button>
        </ActionForm>
      )}
      {request && (
        <ActionForm heading={w(t, 'actions.requestExamHeading')} lead={w(t, 'actions.requestExamLead')} action={url('request-exam')} csrfToken={csrfToken}>
          <button class="usa-button" type="submit">
            {w(t, 'actions.requestExamButton')}
          </button>
        </ActionForm>
      )}
      {authorize && (
        <ActionForm heading={w(t, 'actions.authorizeHeading')} lead={w(t, 'actions.authorizeLead')} action={url('authorize-exam')} csrfToken={csrfToken}>
          <button class="usa-button" type="submit">
            {w(t, 'actions.authorizeButton')}
          </button>
        </ActionForm>
      )}
      {result && (
        <ActionForm heading={w(t, 'actions.resultHeading')} lead={w(t, 'application.attemptsUsed', { used: detail.attempts.length, limit: detail.attemptLimit })} action={url('exam-result')} csrfToken={csrfToken}>
          <Field name="takenOn" type="date" label={w(t, 'actions.takenOn')} value={resultValues.takenOn ?? todayInCalifornia()} errors={errors('result')} />
          <SelectField name="result" label={w(t, 'actions.result')} errors={errors('result')} required>
            <option value="">{w(t, 'common.choose')}</option>
            {EXAM_RESULTS.map((r) => (
              <option key={r} value={r} selected={resultValues.result === r}>
                {t(`certification.labels.examResult.${r}`)}
              </option>
            ))}
          </SelectField>
          <Field name="score" label={w(t, 'actions.score')} value={resultValues.score} errors={errors('result')} required={false} />
          <button class="usa-button" type="submit">
            {w(t, 'actions.resultButton')}
          </button>
        </ActionForm>
      )}
    </section>
  );
}

function ApplicationPage({ ctx, detail, certificationNumber, actor, csrfToken, done, refusal }: {
  ctx: PageContext;
  detail: Detail;
  certificationNumber: string | null;
  actor: Actor;
  csrfToken: string;
  done: Done | undefined;
  refusal: Refusal | undefined;
}) {
  const { t } = ctx;
  const title = w(t, 'application.title', { number: detail.application.number });
  return (
    <Layout ctx={ctx} title={title} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="queue" />
      <p>
        <a href="/workbench">{w(t, 'application.back')}</a>
      </p>
      <h1>{title}</h1>
      {done && <SuccessAlert message={w(t, `done.${done}`)} />}
      <FormAlert heading={w(t, 'common.errorSummary')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
      <Summary ctx={ctx} detail={detail} certificationNumber={certificationNumber} />
      <AnswersSection ctx={ctx} detail={detail} />
      <DocumentsSection ctx={ctx} detail={detail} />
      <ProblemsAndTraining ctx={ctx} detail={detail} />
      <EthicsSection ctx={ctx} detail={detail} />
      <FeesSection ctx={ctx} detail={detail} actor={actor} csrfToken={csrfToken} refusal={refusal} />
      <ExamSection ctx={ctx} detail={detail} />
      <TimelineSection ctx={ctx} detail={detail} />
      <ActionsSection ctx={ctx} detail={detail} actor={actor} csrfToken={csrfToken} refusal={refusal} />
    </Layout>
  );
}

/** The revision items of the form's rows; a half-filled row is a field error on that row. */
function revisionItemsOf(t: Translate, values: Form): Array<{ field: string; message: string }> {
  const items: Array<{ field: string; message: string }> = [];
  const errors: FieldError[] = [];
  for (let n = 1; n <= REVISION_ROWS; n++) {
    const field = values[`field${n}`]?.trim() ?? '';
    const message = values[`message${n}`]?.trim() ?? '';
    if (field === '' && message === '') continue;
    if (!REVISION_FIELDS.includes(field)) errors.push({ path: `field${n}`, message: w(t, 'actions.revisionFieldMissing') });
    if (message === '') errors.push({ path: `message${n}`, message: w(t, 'actions.revisionMessageMissing') });
    items.push({ field, message });
  }
  if (errors.length > 0) throw new FormProblem(w(t, 'actions.formError'), errors);
  return items;
}

function examResultOf(t: Translate, applicationId: string, values: Form): { applicationId: string; takenOn: string; result: ExamResult; score?: number } {
  const takenOn = values.takenOn?.trim() ?? '';
  const result = values.result ?? '';
  const scoreText = values.score?.trim() ?? '';
  const errors: FieldError[] = [];
  if (!isIsoDate(takenOn)) errors.push({ path: 'takenOn', message: w(t, 'actions.takenOnError') });
  if (!(EXAM_RESULTS as readonly string[]).includes(result)) errors.push({ path: 'result', message: w(t, 'actions.resultError') });
  const score = scoreText === '' ? undefined : Number(scoreText);
  if (score !== undefined && !(Number.isInteger(score) && score >= 0 && score <= 1000)) errors.push({ path: 'score', message: w(t, 'actions.scoreError') });
  if (errors.length > 0) throw new FormProblem(w(t, 'actions.formError'), errors);
  return { applicationId, takenOn, result: result as ExamResult, ...(score === undefined ? {} : { score }) };
}

export const applicationPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const gate = (action: Action) => ({ onRequest: async (req: FastifyRequest) => requireAllowed(req, action), schema: { hide: true } });
  const post = (action: Action) => ({ ...gate(action), preHandler: (app as FastifyInstance).csrfProtection });

  const render = async (req: FastifyRequest, reply: FastifyReply, id: string, refusal?: Refusal) => {
    const ctx = req.pageContext();
    const context = contextOf(req);
    const detail = await getApplicationDetail(db, id, context);
    // Linked only for those who may open the certification's page.
    const certificationId = detail.application.certificationId;
    const certificationNumber = certificationId && can(req.actor, 'certifications.read', {}) ? await certificationNumberOf(db, certificationId, context) : null;
    const done = refusal ? undefined : (doneOf(req, DONE) as Done | undefined);
    return sendPage(reply, <ApplicationPage ctx={ctx} detail={detail} certificationNumber={certificationNumber} actor={req.actor} csrfToken={reply.generateCsrf()} done={done} refusal={refusal} />, refusal?.status ?? 200);
  };

  app.get('/workbench/applications/:id', gate('applications.review'), (req, reply) => render(req, reply, (req.params as { id: string }).id));

  /** A decision: run it, then back to the application with a notice, or the page again with the refusal. */
  const decision = (form: string, done: Done, run: (req: FastifyRequest, id: string, values: Form) => Promise<unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { id } = req.params as { id: string };
    const values = (req.body ?? {}) as Form;
    const outcome = await attempt(form, values, () => run(req, id, values));
    if ('refused' in outcome) return render(req, reply, id, outcome.refused);
    return reply.redirect(`/workbench/applications/${encodeURIComponent(id)}?done=${done}`, 303);
  };
  const t = (req: FastifyRequest) => req.pageContext().t;

  app.post('/workbench/applications/:id/approve', post('applications.review'), decision('approve', 'approved', (req, applicationId) => approveApplication(db, { applicationId }, contextOf(req))));
  app.post('/workbench/applications/:id/deny', post('applications.review'), decision('deny', 'denied', (req, applicationId, v) => denyApplication(db, { applicationId, reason: v.reason ?? '' }, contextOf(req))));
  app.post(
    '/workbench/applications/:id/revisions',
    post('applications.review'),
    decision('revisions', 'revisions', async (req, applicationId, v) => {
      try {
        return await requestRevisions(db, { applicationId, items: revisionItemsOf(t(req), v) }, contextOf(req));
      } catch (err) {
        // "Say what to fix" concerns the rows as a whole: show it beside the first one.
        if (err instanceof AppError && err.errors.some((e) => e.path === 'items')) {
          throw new AppError(err.kind, err.message, [{ path: 'message1', message: err.errors.find((e) => e.path === 'items')?.message ?? err.message }], err.code);
        }
        throw err;
      }
    }),
  );
  app.post('/workbench/applications/:id/verify-training', post('applications.review'), decision('verify', 'trainingVerified', (req, applicationId) => verifyTraining(db, { applicationId }, contextOf(req))));
  app.post('/workbench/applications/:id/request-exam', post('exams.record'), decision('requestExam', 'examRequested', (req, applicationId) => requestExam(db, { applicationId }, contextOf(req))));
  app.post('/workbench/applications/:id/authorize-exam', post('exams.record'), decision('authorize', 'examAuthorized', (req, applicationId) => authorizeExam(db, { applicationId }, contextOf(req))));
  app.post('/workbench/applications/:id/exam-result', post('exams.record'), decision('result', 'resultRecorded', (req, applicationId, v) => recordExamResult(db, examResultOf(t(req), applicationId, v), contextOf(req))));

  app.post('/workbench/applications/:id/fees/:feeId/settle', post('fees.settle'), async (req, reply) => {
    const { id, feeId } = req.params as { id: string; feeId: string };
    const values = (req.body ?? {}) as Form;
    const context = contextOf(req);
    // Only a fee of this application: the page it returns to must show it.
    const detail = await getApplicationDetail(db, id, context);
    if (!detail.fees.some((f) => f.id === feeId)) throw new AppError('not-found', 'No such fee.');
    const outcome = await attempt(`settle-${feeId}`, values, () => settleFee(db, settlementOf(t(req), feeId, values), context));
    if ('refused' in outcome) return render(req, reply, id, outcome.refused);
    return reply.redirect(`/workbench/applications/${encodeURIComponent(id)}?done=settled`, 303);
  });
};
