// /training/completions/new: certification staff record a completion by hand, with the evidence attached.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { attempt, contextOf, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, SelectField, SuccessAlert, TextAreaField, UploadForm } from '../web/forms.tsx';
import { englishTextLang } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { hoursFromForm } from './form-checks.ts';
import { recordManualCompletion } from './record-completion.ts';
import { FileField, NumberField, SpecializationOptions, TrainingTypeOptions, languageName, trainingLabel } from './training.components.tsx';
import { completionChoices } from './training-queries.ts';

type Choices = Awaited<ReturnType<typeof completionChoices>>;

function CompletionPage({ ctx, choices, csrfToken, recorded, refusal }: { ctx: PageContext; choices: Choices; csrfToken: string; recorded: boolean; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const values = refusal?.values ?? {};
  const errors = refusal?.errors;
  const providerName = new Map(choices.providers.map((p) => [p.id, p.name]));
  return (
    <Layout ctx={ctx} title={t('training.completion.title')}>
      <p>
        <a href="/training">{t('training.completion.back')}</a>
      </p>
      <h1>{t('training.completion.title')}</h1>
      <p class="usa-intro">{t('training.completion.lead')}</p>
      {recorded && <SuccessAlert message={t('training.completion.recorded')} />}
      <FormAlert heading={t('training.form.errorSummary')} message={refusal?.message} lang={englishTextLang(ctx.locale)} />
      <UploadForm action="/training/completions" csrfToken={csrfToken}>
        <Field name="email" type="email" label={t('training.completion.email')} hint={t('training.completion.emailHint')} value={values.email} errors={errors} />
        <SelectField name="trainingType" label={t('training.form.trainingType')} errors={errors} required>
          <TrainingTypeOptions t={t} selected={values.trainingType} />
        </SelectField>
        <SelectField name="specialization" label={t('training.form.specialization')} hint={t('training.form.specializationHint')} errors={errors}>
          <SpecializationOptions t={t} selected={values.specialization} />
        </SelectField>
        <NumberField name="hours" label={t('training.form.hours')} value={values.hours} errors={errors} />
        <NumberField name="lawEthicsHours" label={t('training.form.lawEthicsHours')} hint={t('training.form.lawEthicsHint')} value={values.lawEthicsHours ?? '0'} errors={errors} />
        <Field name="completedOn" type="date" label={t('training.completion.completedOn')} value={values.completedOn} errors={errors} />
        <SelectField name="providerId" label={t('training.completion.provider')} hint={t('training.completion.providerHint')} errors={errors}>
          <option value="">{t('training.completion.noProvider')}</option>
          {choices.providers.map((p) => (
            <option key={p.id} value={p.id} selected={values.providerId === p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="courseId" label={t('training.completion.course')} hint={t('training.completion.courseHint')} errors={errors}>
          <option value="">{t('training.completion.noCourse')}</option>
          {choices.courses.map((c) => (
            <option key={c.id} value={c.id} selected={values.courseId === c.id}>
              {`${providerName.get(c.providerId) ?? ''} — ${c.title} (${trainingLabel(t, c.trainingType, c.specialization)}, ${languageName(c.language, ctx.locale)})`}
            </option>
          ))}
        </SelectField>
        <FileField name="evidence" label={t('training.completion.evidence')} hint={t('training.completion.evidenceHint')} accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" errors={errors} />
        <TextAreaField name="note" label={t('training.completion.note')} value={values.note} errors={errors} required={false} />
        <button class="usa-button" type="submit">
          {t('training.completion.button')}
        </button>
      </UploadForm>
    </Layout>
  );
}

export const completionPages: FastifyPluginAsync<DomainOptions> = async (app, { db, storage }) => {
  const guard = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'training.completions.record'), schema: { hide: true } };

  const page = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const choices = await completionChoices(db, contextOf(req));
    const recorded = refusal === undefined && (req.query as Record<string, unknown>).recorded === '1';
    return sendPage(reply, <CompletionPage ctx={req.pageContext()} choices={choices} csrfToken={reply.generateCsrf()} recorded={recorded} refusal={refusal} />, refusal?.status ?? 200);
  };

  app.get('/training/completions/new', guard, (req, reply) => page(req, reply));

  app.post('/training/completions', { ...guard, preHandler: (app as FastifyInstance).csrfProtection }, async (req, reply) => {
    const v = formFields(req);
    const result = await attempt('completion', v, async () =>
      recordManualCompletion(
        db,
        storage,
        {
          email: v.email ?? '',
          trainingType: v.trainingType ?? '',
          specialization: v.specialization,
          hours: hoursFromForm(v.hours),
          lawEthicsHours: hoursFromForm(v.lawEthicsHours, 0),
          completedOn: v.completedOn ?? '',
          providerId: v.providerId,
          courseId: v.courseId,
          note: v.note,
          evidence: await formFile(req, 'evidence'),
        },
        contextOf(req),
      ),
    );
    if ('refused' in result) return page(req, reply, result.refused);
    return reply.redirect('/training/completions/new?recorded=1', 303);
  });
};
