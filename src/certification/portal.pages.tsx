// The applicant and peer portal: /my-certification (status, next steps, fees, renewal, training record) and the
// application form, one step per page, saved at every step, editable until submitted.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, FormProblem, type Refusal, refusalLang } from '../web/form-refusal.ts';
import { Field, FormAlert, FormGroup, SuccessAlert } from '../web/forms.tsx';
import { englishTextLang, type Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { getApplicationDetail, myCertificationRecord } from './application-queries.ts';
import { answersFromForm } from './application.types.ts';
import { isStep, StepFields, stepOfField, stepsOf, type Step, type Values } from './application-form.tsx';
import { CODE_OF_ETHICS_TEXT, CODE_OF_ETHICS_URL } from './code-of-ethics.ts';
import { EDITABLE_STATUSES } from './application-access.ts';
import { requiredDocuments } from './eligibility.ts';
import { requestExam } from './exam.ts';
import { readDocument, removeApplicationDocument, saveAnswers, uploadApplicationDocument } from './save-application.ts';
import { startApplication } from './start-application.ts';
import { submitApplication } from './submit-application.ts';
import { PATHWAYS, type Pathway } from './vocabulary.ts';
import { isWithdrawable, WITHDRAWAL_REASON_MAX_LENGTH, withdrawApplication } from './withdraw-application.ts';

const DONE = ['saved', 'submitted', 'uploaded', 'removed', 'exam', 'started', 'withdrawn'] as const;

function money(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** Terms are half-open; people read "valid through" as the last valid day. */
function validThrough(expiresOn: string): string {
  return addDays(expiresOn, -1);
}

function doneMessage(t: Translate, query: unknown): string | undefined {
  const done = (query as { done?: unknown }).done;
  return typeof done === 'string' && (DONE as readonly string[]).includes(done) ? t(`certification.portal.done.${done}`) : undefined;
}

interface Notice {
  error?: string | undefined;
  errors?: FieldError[] | undefined;
  status?: number;
  values?: Values;
  /** A refused withdrawal, shown beside its form. */
  withdrawal?: Refusal | undefined;
}

type Record_ = Awaited<ReturnType<typeof myCertificationRecord>>;

function CertificationSection({ t, record }: { t: Translate; record: Record_ }) {
  const cert = record.certification;
  if (!cert) return null;
  const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
  const renewal = record.renewal;
  return (
    <section aria-labelledby="certification-heading" data-testid="certification">
      <h2 id="certification-heading">{p('certification.heading', { number: cert.number })}</h2>
      <dl class="pss-facts">
        <dt>{p('certification.status')}</dt>
        <dd data-testid="certification-status">{t(`certification.labels.certificationStatus.${cert.status}`)}</dd>
        <dt>{p('certification.validThrough')}</dt>
        <dd>{validThrough(cert.expiresOn)}</dd>
        <dt>{p('certification.firstIssued')}</dt>
        <dd>{cert.firstIssuedOn}</dd>
        <dt>{p('certification.currentTerm')}</dt>
        <dd>{cert.issuedOn}</dd>
        <dt>{p('certification.specializations')}</dt>
        <dd>
          {record.training && record.training.specializations.length > 0
            ? record.training.specializations.map((s) => t(`certification.labels.specialization.${s.specialization}`)).join('; ')
            : p('certification.noSpecializations')}
        </dd>
      </dl>
      {cert.status === 'active' && (
        <p>
          <a class="usa-button usa-button--outline" href="/my-certification/certificate.pdf">
            {p('certification.certificate')}
          </a>
        </p>
      )}
      {renewal && (
        <section aria-labelledby="renewal-heading" data-testid="renewal">
          <h3 id="renewal-heading">{p('renewal.heading')}</h3>
          <p>
            {renewal.stage === 'too_early' && p('renewal.tooEarly', { date: renewal.opensOn })}
            {renewal.stage === 'renewal' && p('renewal.open')}
            {renewal.stage === 'late_renewal' && p('renewal.late')}
            {renewal.stage === 'reinstatement' && p('renewal.reinstatement')}
            {renewal.stage === 'vacated' && p('renewal.vacated')}
            {renewal.stage === 'not_renewable' && p('renewal.notRenewable')}
          </p>
          <p>{p('renewal.progress', { hours: renewal.ceHours, required: renewal.ceRequired, ethics: renewal.lawEthicsHours, ethicsRequired: renewal.lawEthicsRequired })}</p>
        </section>
      )}
      <DataTable caption={p('certification.history')} columns={[p('certification.colStatus'), p('certification.colFrom')]}>
        {cert.history.map((h) => (
          <tr key={h.id}>
            <td data-label={p('certification.colStatus')}>{t(`certification.labels.certificationStatus.${h.status}`)}</td>
            <td data-label={p('certification.colFrom')}>{h.effectiveOn}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export const portalPages: FastifyPluginAsync<DomainOptions> = async (app, { db, storage }) => {
  const signedIn = {
    onRequest: async (req: FastifyRequest) => {
      if (req.actor.kind !== 'user') throw new AppError(req.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', 'Sign in to see your certification.');
    },
    schema: { hide: true },
  };
  const post = { ...signedIn, preHandler: (app as FastifyInstance).csrfProtection };

  const dashboard = async (req: FastifyRequest, reply: FastifyReply, notice: Notice = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
    const record = await myCertificationRecord(db, contextOf(req));
    const rules = await rulesAsOf(db, todayInCalifornia());
    const open = record.openApplication;
    const detail = open ? await getApplicationDetail(db, open.id, contextOf(req)) : null;
    const csrf = reply.generateCsrf();
    const stage = record.renewal?.stage;
    const canRenew = !open && (stage === 'renewal' || stage === 'late_renewal' || stage === 'reinstatement');
    const canStart = !open && (!record.certification || stage === 'vacated');
    const success = doneMessage(t, req.query);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={p('title')} current="my-certification">
        <h1>{p('title')}</h1>
        <p class="usa-intro">{p('lead')}</p>
        {success && <SuccessAlert message={success} />}
        <FormAlert heading={p('errorSummary')} message={notice.error} lang={englishTextLang(ctx.locale)} />
        <CertificationSection t={t} record={record} />
        {canRenew && (
          <form method="post" action="/my-certification/applications" class="margin-bottom-4">
            <input type="hidden" name="_csrf" value={csrf} />
            <input type="hidden" name="pathway" value={stage === 'reinstatement' ? 'reinstatement' : 'renewal'} />
            <button class="usa-button" type="submit" data-testid="start-renewal">
              {stage === 'reinstatement' ? p('renewal.startReinstatement') : p('renewal.start')}
            </button>
          </form>
        )}
        {detail && <OpenApplication t={t} ctx={ctx} detail={detail} csrf={csrf} />}
        {canStart && (
          <section aria-labelledby="start-heading">
            <h2 id="start-heading">{p('start.heading')}</h2>
            <p>{p('start.lead')}</p>
            <form method="post" action="/my-certification/applications" class="usa-form usa-form--large">
              <input type="hidden" name="_csrf" value={csrf} />
              <fieldset class="usa-fieldset">
                <legend class="usa-legend">{p('start.pathway')}</legend>
                {(['initial', 'reciprocity'] as const).map((pathway, i) => (
                  <div class="usa-radio" key={pathway}>
                    <input class="usa-radio__input usa-radio__input--tile" id={`pathway-${pathway}`} type="radio" name="pathway" value={pathway} checked={i === 0} />
                    <label class="usa-radio__label" for={`pathway-${pathway}`}>
                      {t(`certification.labels.pathway.${pathway}`)}
                    </label>
                  </div>
                ))}
              </fieldset>
              <p class="usa-hint">{p('start.grandparentingClosed', { date: rules['grandparenting.last_submission_on'] })}</p>
              <button class="usa-button" type="submit" data-testid="start-application">
                {p('start.button')}
              </button>
            </form>
          </section>
        )}
        {record.training && (
          <section aria-labelledby="training-heading">
            <h2 id="training-heading">{p('training.heading')}</h2>
            <ul class="usa-list">
              <li>{record.training.coreCompletedOn ? p('training.core', { date: record.training.coreCompletedOn }) : p('training.noCore')}</li>
              <li>{p('training.ce', { hours: record.training.ceHours, ethics: record.training.lawEthicsHours })}</li>
            </ul>
          </section>
        )}
        {record.applications.length > 0 && (
          <DataTable caption={p('application.past')} columns={[p('application.colNumber'), p('application.colType'), p('application.colStatus'), p('application.colUpdated')]}>
            {record.applications.map((a) => (
              <tr key={a.id}>
                <th scope="row" data-label={p('application.colNumber')}>
                  <a href={`/my-certification/applications/${a.id}`}>{a.number}</a>
                </th>
                <td data-label={p('application.colType')}>{t(`certification.labels.pathway.${a.pathway}`)}</td>
                <td data-label={p('application.colStatus')}>{t(`certification.labels.applicationStatus.${a.status}`)}</td>
                <td data-label={p('application.colUpdated')}>{todayInCalifornia(a.updatedAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Layout>,
      notice.status ?? 200,
    );
  };

  app.get('/my-certification', signedIn, (req, reply) => dashboard(req, reply));

  app.post('/my-certification/applications', post, async (req, reply) => {
    const pathway = (req.body as { pathway?: string } | undefined)?.pathway;
    try {
      if (!PATHWAYS.includes(pathway as Pathway)) throw new AppError('bad-request', 'Choose how you are applying.');
      const application = await startApplication(db, { pathway: pathway as Pathway }, contextOf(req));
      return reply.redirect(`/my-certification/applications/${application.id}?done=started`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
      return dashboard(req, reply, { error: err.message, status: err.status });
    }
  });

  const applicationPage = async (req: FastifyRequest, reply: FastifyReply, id: string, stepQuery: unknown, notice: Notice = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
    const detail = await getApplicationDetail(db, id, contextOf(req));
    const { application } = detail;
    const pathway = application.pathway as Pathway;
    const steps = stepsOf(pathway);
    const editable = (EDITABLE_STATUSES as readonly string[]).includes(application.status);
    const step: Step = isStep(stepQuery) && steps.includes(stepQuery) ? stepQuery : (steps[0] ?? 'sign');
    const index = steps.indexOf(step);
    const rules = await rulesAsOf(db, todayInCalifornia());
    const values: Values = { ...(application.answers as Values), ...(notice.values ?? {}) };
    const csrf = reply.generateCsrf();
    const action = `/my-certification/applications/${application.id}`;
    const success = notice.withdrawal ? undefined : doneMessage(t, req.query);
    const alertLang = notice.withdrawal ? refusalLang(notice.withdrawal, ctx.locale) : englishTextLang(ctx.locale);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={p('application.heading', { number: application.number })} current="my-certification">
        <p>
          <a href="/my-certification">{p('back')}</a>
        </p>
        <h1>{p('application.heading', { number: application.number })}</h1>
        <p>
          {t(`certification.labels.pathway.${pathway}`)} · <span data-testid="application-status">{t(`certification.labels.applicationStatus.${application.status}`)}</span>
        </p>
        {success && <SuccessAlert message={success} />}
        <FormAlert heading={p('errorSummary')} message={notice.error ?? notice.withdrawal?.message} lang={alertLang} />
        {application.status === 'revision_requested' && <RevisionList t={t} items={application.revisionItems as Array<{ field: string; message: string }>} locale={ctx.locale} />}
        {!editable ? (
          <OpenApplication t={t} ctx={ctx} detail={detail} csrf={csrf} />
        ) : (
          <>
            <nav aria-label={p('steps.label')} class="usa-step-indicator usa-step-indicator--counters-sm">
              <ol class="usa-step-indicator__segments">
                {steps.map((s, i) => (
                  <li key={s} class={`usa-step-indicator__segment${i < index ? ' usa-step-indicator__segment--complete' : ''}${i === index ? ' usa-step-indicator__segment--current' : ''}`} aria-current={i === index ? 'step' : undefined}>
                    <a class="usa-step-indicator__segment-label" href={`${action}?step=${s}`}>
                      {p(`steps.${s}`)}
                    </a>
                  </li>
                ))}
              </ol>
            </nav>
            <h2>
              {p(`steps.${step}`)} <span class="usa-hint">({p('steps.stepOf', { n: index + 1, total: steps.length })})</span>
            </h2>
            {step === 'documents' ? (
              <DocumentsStep t={t} detail={detail} csrf={csrf} required={requiredDocuments(pathway, rules)} errors={notice.errors} next={steps[index + 1]} />
            ) : step === 'sign' ? (
              <SignStep t={t} detail={detail} csrf={csrf} errors={notice.errors} values={values} pathway={pathway} locale={ctx.locale} />
            ) : (
              <form method="post" action={action} class="usa-form usa-form--large">
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="step" value={step} />
                {step === 'ce' && (
                  <>
                    <p>{p('ce.lead')}</p>
                    <p>{p('training.ce', { hours: detail.training.ceHours, ethics: detail.training.lawEthicsHours })}</p>
                  </>
                )}
                <StepFields t={t} step={step} values={values} errors={notice.errors} experienceHours={rules['reciprocity.experience_hours']} />
                <button class="usa-button" type="submit" name="go" value={steps[index + 1] ?? 'sign'} data-testid="save-continue">
                  {p('saveContinue')}
                </button>
                <button class="usa-button usa-button--outline" type="submit" name="go" value="later">
                  {p('saveLater')}
                </button>
              </form>
            )}
          </>
        )}
        {isWithdrawable(application.status) && <WithdrawSection t={t} detail={detail} csrf={csrf} step={editable ? step : undefined} refusal={notice.withdrawal} />}
      </Layout>,
      notice.status ?? 200,
    );
  };

  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

  app.get('/my-certification/applications/:id', signedIn, (req, reply) => applicationPage(req, reply, idOf(req), (req.query as { step?: unknown }).step));

  app.post('/my-certification/applications/:id', post, async (req, reply) => {
    const fields = formFields(req);
    // Unchecked checkboxes send nothing; on their step, that means "no".
    if (fields.step === 'ce' && fields.ceAttested === undefined) fields.ceAttested = 'no';
    try {
      await saveAnswers(db, { applicationId: idOf(req), answers: answersFromForm(fields) }, contextOf(req));
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
      return applicationPage(req, reply, idOf(req), fields.step, { error: err.message, errors: err.errors, status: err.status, values: fields });
    }
    if (fields.go === 'later') return reply.redirect('/my-certification?done=saved', 303);
    return reply.redirect(`/my-certification/applications/${idOf(req)}?step=${isStep(fields.go) ? fields.go : 'sign'}`, 303);
  });

  app.post('/my-certification/applications/:id/documents', post, async (req, reply) => {
    const fields = formFields(req);
    try {
      const file = await formFile(req, 'file');
      if (!file) throw new AppError('bad-request', 'Choose a file to upload.', [{ path: `document.${fields.kind ?? ''}`, message: 'Choose a file to upload.' }]);
      await uploadApplicationDocument(db, storage, { applicationId: idOf(req), kind: fields.kind ?? '', filename: file.filename, bytes: file.bytes }, contextOf(req));
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
      return applicationPage(req, reply, idOf(req), 'documents', { error: err.message, errors: err.errors, status: err.status });
    }
    return reply.redirect(`/my-certification/applications/${idOf(req)}?step=documents&done=uploaded`, 303);
  });

  app.post('/my-certification/applications/:id/documents/:documentId/remove', post, async (req, reply) => {
    const { documentId } = req.params as { documentId: string };
    await removeApplicationDocument(db, { applicationId: idOf(req), documentId }, contextOf(req));
    return reply.redirect(`/my-certification/applications/${idOf(req)}?step=documents&done=removed`, 303);
  });

  app.post('/my-certification/applications/:id/submit', post, async (req, reply) => {
    const fields = formFields(req);
    try {
      await submitApplication(db, { applicationId: idOf(req), signedName: fields.signedName ?? '', ethicsAffirmed: fields.ethicsAffirmed ?? 'no' }, contextOf(req));
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
      return applicationPage(req, reply, idOf(req), 'sign', { error: err.message, errors: err.errors, status: err.status, values: fields });
    }
    return reply.redirect('/my-certification?done=submitted', 303);
  });

  app.post('/my-certification/applications/:id/exam', post, async (req, reply) => {
    try {
      await requestExam(db, { applicationId: idOf(req) }, contextOf(req));
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
      return dashboard(req, reply, { error: err.message, status: err.status });
    }
    return reply.redirect('/my-certification?done=exam', 303);
  });

  app.post('/my-certification/applications/:id/withdraw', post, async (req, reply) => {
    const fields = formFields(req);
    const { t } = req.pageContext();
    const outcome = await attempt('withdraw', fields, () => {
      if (fields.confirmWithdrawal !== 'yes') {
        const message = t('certification.portal.withdraw.confirmMissing');
        throw new FormProblem(message, [{ path: 'confirmWithdrawal', message }]);
      }
      return withdrawApplication(db, { applicationId: idOf(req), reason: fields.reason }, contextOf(req));
    });
    if ('refused' in outcome) return applicationPage(req, reply, idOf(req), fields.step, { withdrawal: outcome.refused, status: outcome.refused.status });
    return reply.redirect(`/my-certification/applications/${idOf(req)}?done=withdrawn`, 303);
  });

  app.get('/my-certification/documents/:id', signedIn, async (req, reply) => {
    const doc = await readDocument(db, storage, idOf(req), contextOf(req));
    return reply
      .type(doc.contentType)
      .header('content-disposition', `attachment; filename="${doc.filename.replace(/[^\w.-]/g, '_')}"`)
      .header('cache-control', 'no-store')
      .send(doc.bytes);
  });
};

type Detail = Awaited<ReturnType<typeof getApplicationDetail>>;

function RevisionList({ t, items, locale }: { t: Translate; items: Array<{ field: string; message: string }>; locale: PageContext['locale'] }) {
  return (
    <div class="usa-alert usa-alert--warning" data-testid="revisions">
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">{t('certification.portal.application.revisions')}</h2>
        <ul class="usa-list" lang={englishTextLang(locale)}>
          {items.map((i) => (
            <li key={`${i.field}-${i.message}`}>{i.message}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** An application's status, what is missing, the next step, fees and the exam, as the applicant sees it. */
function OpenApplication({ t, ctx, detail, csrf }: { t: Translate; ctx: PageContext; detail: Detail; csrf: string }) {
  const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
  const { application } = detail;
  const editable = (EDITABLE_STATUSES as readonly string[]).includes(application.status);
  const open = detail.fees.filter((f) => f.settledAt === null);
  const withdrawal = application.status === 'withdrawn' ? detail.events.find((e) => e.toStatus === 'withdrawn') : undefined;
  return (
    <section aria-labelledby="application-heading" data-testid="open-application">
      <h2 id="application-heading">{p('application.heading', { number: application.number })}</h2>
      <dl class="pss-facts">
        <dt>{p('application.pathway')}</dt>
        <dd>{t(`certification.labels.pathway.${application.pathway}`)}</dd>
        <dt>{p('application.status')}</dt>
        <dd data-testid="open-application-status">{t(`certification.labels.applicationStatus.${application.status}`)}</dd>
        {application.validThrough && (
          <>
            <dt>{p('application.validThrough')}</dt>
            <dd>
              {application.validThrough}
              <div class="usa-hint">{p('application.validThroughHint')}</div>
            </dd>
          </>
        )}
        {application.decisionReason && (
          <>
            <dt>{p('application.decision')}</dt>
            <dd lang={englishTextLang(ctx.locale)}>{application.decisionReason}</dd>
          </>
        )}
        {withdrawal && (
          <>
            <dt>{p('withdraw.withdrawnOn')}</dt>
            <dd>{todayInCalifornia(withdrawal.at)}</dd>
            {withdrawal.reason && (
              <>
                <dt>{p('withdraw.yourReason')}</dt>
                <dd data-testid="withdrawal-reason">{withdrawal.reason}</dd>
              </>
            )}
          </>
        )}
        <dt>{p('application.nextStep')}</dt>
        <dd data-testid="next-step">{p(`next.${detail.nextStep}`)}</dd>
      </dl>
      {detail.nextStep === 'apply_again' && (
        <p>
          <a class="usa-button" href="/my-certification" data-testid="apply-again">
            {p('withdraw.applyAgain')}
          </a>
        </p>
      )}
      {detail.problems.length > 0 && (
        <>
          <h3>{p('application.missing')}</h3>
          <ul class="usa-list" data-testid="missing" lang={englishTextLang(ctx.locale)}>
            {detail.problems.map((problem) => (
              <li key={`${problem.path}-${problem.code}`}>
                <a href={`/my-certification/applications/${application.id}?step=${stepOfField(problem.path, application.pathway as Pathway)}`}>{problem.message}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {detail.attempts.length > 0 && <p>{p('application.attempts', { used: detail.attempts.length, limit: detail.attemptLimit })}</p>}
      {application.candidateId && <p>{p('application.candidateId', { id: application.candidateId })}</p>}
      {detail.nextStep === 'request_exam' && (
        <form method="post" action={`/my-certification/applications/${application.id}/exam`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <button class="usa-button" type="submit" data-testid="request-exam">
            {p('application.requestExam')}
          </button>
        </form>
      )}
      {editable && (
        <p>
          <a class="usa-button" href={`/my-certification/applications/${application.id}`} data-testid="continue-application">
            {p('application.continue')}
          </a>
        </p>
      )}
      <h3>{p('fees.heading')}</h3>
      {open.length === 0 ? (
        <p>{p('fees.none')}</p>
      ) : (
        <>
          <p>{p('fees.lead')}</p>
          <DataTable caption={p('fees.heading')} columns={[p('fees.colFee'), p('fees.colAmount'), p('fees.colCharged')]} testId="fees">
            {open.map((f) => (
              <tr key={f.id}>
                <td data-label={p('fees.colFee')}>{t(`certification.labels.fee.${f.kind}`)}</td>
                <td data-label={p('fees.colAmount')}>{money(f.amountCents)}</td>
                <td data-label={p('fees.colCharged')}>{f.chargedOn}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

/** Withdrawal, confirmed with a checkbox (no script): the applicant's own way out of an application. */
function WithdrawSection({ t, detail, csrf, step, refusal }: { t: Translate; detail: Detail; csrf: string; step: Step | undefined; refusal: Refusal | undefined }) {
  const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
  const { application } = detail;
  const errorOf = (path: string) => refusal?.errors.find((e) => e.path === path)?.message;
  const reasonError = errorOf('reason');
  const confirmError = errorOf('confirmWithdrawal');
  return (
    <section aria-labelledby="withdraw-heading" class="margin-top-6 border-top-1px border-base-lighter padding-top-2" data-testid="withdraw">
      <h2 id="withdraw-heading">{p('withdraw.heading')}</h2>
      <p>{p('withdraw.lead')}</p>
      {detail.fees.length > 0 && <p>{p('withdraw.fees')}</p>}
      <form method="post" action={`/my-certification/applications/${application.id}/withdraw`} class="usa-form usa-form--large">
        <input type="hidden" name="_csrf" value={csrf} />
        {step && <input type="hidden" name="step" value={step} />}
        <FormGroup id="withdrawal-reason" label={p('withdraw.reason')} hint={p('withdraw.reasonHint', { max: WITHDRAWAL_REASON_MAX_LENGTH })} error={reasonError}>
          {(describedBy, error) => (
            <textarea class={error ? 'usa-textarea usa-input--error' : 'usa-textarea'} id="withdrawal-reason" name="reason" maxlength={WITHDRAWAL_REASON_MAX_LENGTH} aria-describedby={describedBy} aria-invalid={error ? 'true' : undefined}>
              {refusal?.values.reason ?? ''}
            </textarea>
          )}
        </FormGroup>
        <div class={confirmError ? 'usa-checkbox usa-form-group--error' : 'usa-checkbox'}>
          {confirmError && (
            <span class="usa-error-message" id="confirmWithdrawal-error">
              {confirmError}
            </span>
          )}
          <input class="usa-checkbox__input" id="confirmWithdrawal" type="checkbox" name="confirmWithdrawal" value="yes" aria-describedby={confirmError ? 'confirmWithdrawal-error' : undefined} aria-invalid={confirmError ? 'true' : undefined} />
          <label class="usa-checkbox__label" for="confirmWithdrawal">
            {p('withdraw.confirm')}
          </label>
        </div>
        <button class="usa-button usa-button--secondary" type="submit" data-testid="withdraw-application">
          {p('withdraw.button')}
        </button>
      </form>
    </section>
  );
}

function DocumentsStep({ t, detail, csrf, required, errors, next }: { t: Translate; detail: Detail; csrf: string; required: string[]; errors?: FieldError[] | undefined; next: Step | undefined }) {
  const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
  const { application } = detail;
  return (
    <>
      <p>{p('documents.lead')}</p>
      {required.map((kind) => {
        const uploaded = detail.documents.filter((d) => d.kind === kind);
        const error = errors?.find((e) => e.path === `document.${kind}`)?.message;
        return (
          <section key={kind} class="margin-bottom-4" aria-labelledby={`doc-${kind}`} data-testid={`document-${kind}`}>
            <h3 id={`doc-${kind}`}>{t(`certification.labels.document.${kind}`)}</h3>
            {uploaded.length === 0 ? (
              <p>{p('documents.notYet')}</p>
            ) : (
              <ul class="usa-list">
                {uploaded.map((d) => (
                  <li key={d.id}>
                    <a href={`/my-certification/documents/${d.id}`} aria-label={p('documents.download', { name: d.filename })}>
                      {p('documents.uploaded', { name: d.filename })}
                    </a>{' '}
                    <form method="post" action={`/my-certification/applications/${application.id}/documents/${d.id}/remove`} class="display-inline">
                      <input type="hidden" name="_csrf" value={csrf} />
                      <button class="usa-button usa-button--unstyled" type="submit">
                        {p('documents.remove', { name: d.filename })}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
            <form method="post" action={`/my-certification/applications/${application.id}/documents`} enctype="multipart/form-data" class="usa-form">
              <input type="hidden" name="_csrf" value={csrf} />
              <input type="hidden" name="kind" value={kind} />
              <FormGroup id={`file-${kind}`} label={p('documents.file')} error={error}>
                {(describedBy) => <input class="usa-file-input" id={`file-${kind}`} name="file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby={describedBy} required />}
              </FormGroup>
              <button class="usa-button usa-button--outline" type="submit" data-testid={`upload-${kind}`}>
                {p('documents.upload')}
              </button>
            </form>
          </section>
        );
      })}
      {next && (
        <a class="usa-button" href={`/my-certification/applications/${application.id}?step=${next}`} data-testid="documents-continue">
          {p('saveContinue')}
        </a>
      )}
    </>
  );
}

function SignStep({ t, detail, csrf, errors, values, pathway, locale }: { t: Translate; detail: Detail; csrf: string; errors?: FieldError[] | undefined; values: Values; pathway: Pathway; locale: PageContext['locale'] }) {
  const p = (k: string, o?: Record<string, unknown>) => t(`certification.portal.${k}`, o);
  const { application } = detail;
  const problems = detail.problems.filter((problem) => !['signedName', 'ethicsAffirmed'].includes(problem.path));
  const affirmError = errors?.find((e) => e.path === 'ethicsAffirmed')?.message;
  return (
    <>
      {problems.length > 0 ? (
        <div class="usa-alert usa-alert--info">
          <div class="usa-alert__body">
            <h3 class="usa-alert__heading">{p('sign.fixFirst')}</h3>
            <ul class="usa-list" lang={englishTextLang(locale)} data-testid="missing">
              {problems.map((problem) => (
                <li key={`${problem.path}-${problem.code}`}>
                  <a href={`/my-certification/applications/${application.id}?step=${stepOfField(problem.path, pathway)}`}>{problem.message}</a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : (
        <p>{p('sign.ready')}</p>
      )}
      <h3>{p('sign.ethicsHeading')}</h3>
      <div class="pss-ethics" tabindex={0} lang="en" data-testid="ethics-text">
        {CODE_OF_ETHICS_TEXT.split('\n\n').map((para) => (
          <p key={para}>{para}</p>
        ))}
      </div>
      <p>
        <a href={CODE_OF_ETHICS_URL}>{p('sign.ethicsLink')}</a>
      </p>
      <form method="post" action={`/my-certification/applications/${application.id}/submit`} class="usa-form usa-form--large">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class={affirmError ? 'usa-checkbox usa-form-group--error' : 'usa-checkbox'}>
          {affirmError && <span class="usa-error-message">{affirmError}</span>}
          <input class="usa-checkbox__input" id="ethicsAffirmed" type="checkbox" name="ethicsAffirmed" value="yes" checked={values.ethicsAffirmed === 'yes'} />
          <label class="usa-checkbox__label" for="ethicsAffirmed">
            {p('fields.ethicsAffirmed')}
          </label>
        </div>
        <Field name="signedName" label={p('fields.signedName')} value={typeof values.signedName === 'string' ? values.signedName : undefined} errors={errors} />
        <p class="usa-hint">{p('sign.fee')}</p>
        <button class="usa-button" type="submit" data-testid="submit-application">
          {p('sign.submit')}
        </button>
      </form>
    </>
  );
}
