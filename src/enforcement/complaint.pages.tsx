// The public complaint form, /complaints/new (English and Spanish, one column that works on a phone, every field
// labelled, errors beside their field and announced). Anyone may file: signed in, their account is the contact;
// otherwise they leave their name and an email or phone. Up to three files of evidence. The answer is a complaint
// number and, with an email address, an acknowledgement sent at once. Staff enter mailed complaints with the same
// form plus how and when it arrived (cases.pages.tsx).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { FieldError } from '../lib/errors.ts';
import { trainingProviders } from '../training/training.schema.ts';
import { attempt, contextOf, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, FormGroup, SelectField, TextAreaField, UploadForm } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import type { EvidenceUpload } from './case-record.ts';
import { COMPLAINT_KINDS, STAFF_CHANNELS } from './enforcement.vocabulary.ts';
import { fileComplaint, type FiledComplaint } from './file-complaint.ts';

export const EVIDENCE_FIELDS = ['evidence1', 'evidence2', 'evidence3'] as const;

export async function providerChoices(db: Db): Promise<Array<{ id: string; name: string }>> {
  return db.select({ id: trainingProviders.id, name: trainingProviders.name }).from(trainingProviders).orderBy(asc(trainingProviders.name));
}

/** The files chosen in the evidence fields. */
export async function evidenceOf(req: FastifyRequest): Promise<EvidenceUpload[]> {
  const files: EvidenceUpload[] = [];
  for (const name of EVIDENCE_FIELDS) {
    const file = await formFile(req, name);
    if (file) files.push({ filename: file.filename, bytes: file.bytes });
  }
  return files;
}

interface ComplaintFormProps {
  ctx: PageContext;
  action: string;
  csrfToken: string;
  providers: Array<{ id: string; name: string }>;
  values: Form;
  errors: FieldError[];
  /** The signed-in complainant's address; null: ask for contact details. */
  account: string | null;
  staff: boolean;
}

/** The complaint form, shared by the public page and staff entry. */
export function ComplaintForm({ ctx, action, csrfToken, providers, values, errors, account, staff }: ComplaintFormProps) {
  const { t } = ctx;
  const kind = values.kind;
  const kindError = errors.find((e) => e.path === 'kind')?.message;
  return (
    <UploadForm action={action} csrfToken={csrfToken}>
      <input type="hidden" name="locale" value={ctx.locale} />
      {staff && (
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">{t('enforcement.form.arrivalLegend')}</legend>
          <SelectField name="channel" label={t('enforcement.form.channel')} errors={errors} required>
            <option value="">{t('enforcement.form.choose')}</option>
            {STAFF_CHANNELS.map((c) => (
              <option key={c} value={c} selected={values.channel === c}>
                {t(`enforcement.channel.${c}`)}
              </option>
            ))}
          </SelectField>
          <Field name="receivedOn" type="date" label={t('enforcement.form.receivedOn')} hint={t('enforcement.form.receivedOnHint')} value={values.receivedOn ?? todayInCalifornia()} errors={errors} />
        </fieldset>
      )}
      <fieldset class="usa-fieldset">
        <legend class="usa-legend usa-legend--large">{t('enforcement.form.aboutLegend')}</legend>
        <fieldset class={kindError ? 'usa-fieldset usa-form-group usa-form-group--error' : 'usa-fieldset usa-form-group'} aria-describedby={kindError ? 'kind-error' : undefined}>
          <legend class="usa-legend">{t('enforcement.form.kind')}</legend>
          {kindError && (
            <span class="usa-error-message" id="kind-error">
              {kindError}
            </span>
          )}
          {COMPLAINT_KINDS.map((k) => (
            <div class="usa-radio" key={k}>
              <input class="usa-radio__input usa-radio__input--tile" id={`kind-${k}`} type="radio" name="kind" value={k} checked={kind === k} required />
              <label class="usa-radio__label" for={`kind-${k}`}>
                {t(`enforcement.kind.${k}`)}
                <span class="usa-checkbox__label-description">{t(`enforcement.kindHint.${k}`)}</span>
              </label>
            </div>
          ))}
        </fieldset>
        <Field name="subjectNumber" label={t('enforcement.form.subjectNumber')} hint={t('enforcement.form.subjectNumberHint')} value={values.subjectNumber} errors={errors} required={false} autocomplete="off" />
        <Field name="subjectDescription" label={t('enforcement.form.subjectDescription')} hint={t('enforcement.form.subjectDescriptionHint')} value={values.subjectDescription} errors={errors} required={false} />
        <SelectField name="providerId" label={t('enforcement.form.provider')} hint={t('enforcement.form.providerHint')} errors={errors}>
          <option value="">{t('enforcement.form.noProvider')}</option>
          {providers.map((p) => (
            <option key={p.id} value={p.id} selected={values.providerId === p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <fieldset class="usa-fieldset">
        <legend class="usa-legend usa-legend--large">{t('enforcement.form.whatLegend')}</legend>
        <Field name="occurredOn" type="date" label={t('enforcement.form.occurredOn')} hint={t('enforcement.form.occurredOnHint')} value={values.occurredOn} errors={errors} required={false} />
        <Field name="location" label={t('enforcement.form.location')} hint={t('enforcement.form.locationHint')} value={values.location} errors={errors} required={false} />
        <TextAreaField name="narrative" label={t('enforcement.form.narrative')} hint={t('enforcement.form.narrativeHint')} value={values.narrative} errors={errors} />
        {EVIDENCE_FIELDS.map((name, i) => (
          <FormGroup key={name} id={name} label={t('enforcement.form.evidence', { n: i + 1 })} hint={i === 0 ? t('enforcement.form.evidenceHint') : undefined} error={errors.find((e) => e.path === (i === 0 ? 'evidence' : `evidence.${i}`) || e.path === name)?.message}>
            {(describedBy, error) => (
              <input class={error ? 'usa-file-input usa-input--error' : 'usa-file-input'} id={name} name={name} type="file" accept="application/pdf,image/jpeg,image/png" aria-describedby={describedBy} />
            )}
          </FormGroup>
        ))}
      </fieldset>
      <fieldset class="usa-fieldset">
        <legend class="usa-legend usa-legend--large">{t(staff ? 'enforcement.form.complainantLegend' : 'enforcement.form.contactLegend')}</legend>
        {account !== null ? (
          <p data-testid="filing-as">{t('enforcement.form.filingAs', { email: account })}</p>
        ) : (
          <>
            <p class="usa-hint">{t(staff ? 'enforcement.form.complainantHint' : 'enforcement.form.contactHint')}</p>
            <Field name="name" label={t('enforcement.form.name')} value={values.name} errors={errors} required={!staff} autocomplete="name" />
            <Field name="email" type="email" label={t('enforcement.form.email')} value={values.email} errors={errors} required={false} autocomplete="email" />
          </>
        )}
        <Field name="phone" label={t('enforcement.form.phone')} value={values.phone} errors={errors} required={false} autocomplete="tel" />
      </fieldset>
      {!staff && <p class="usa-hint">{t('enforcement.form.privacy')}</p>}
      <button class="usa-button" type="submit">
        {t(staff ? 'enforcement.form.staffSubmit' : 'enforcement.form.submit')}
      </button>
    </UploadForm>
  );
}

function FiledPage({ ctx, filed }: { ctx: PageContext; filed: FiledComplaint }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('enforcement.filed.title')} current="complaints">
      <div class="usa-alert usa-alert--success" role="status">
        <div class="usa-alert__body">
          <h1 class="usa-alert__heading">{t('enforcement.filed.title')}</h1>
          <p class="usa-alert__text">
            {t('enforcement.filed.number')} <strong data-testid="complaint-number">{filed.number}</strong>
          </p>
        </div>
      </div>
      <p>{t(filed.acknowledged ? 'enforcement.filed.acknowledged' : 'enforcement.filed.notAcknowledged', { date: filed.acknowledgeBy })}</p>
      <p>{t('enforcement.filed.next')}</p>
      <p>
        <a href="/">{t('enforcement.filed.home')}</a>
      </p>
    </Layout>
  );
}

export const complaintPages: FastifyPluginAsync<DomainOptions> = async (app, { db, storage }) => {
  const csrf = { preHandler: (app as FastifyInstance).csrfProtection };

  const formPage = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const account = req.sessionUser?.email ?? null;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('enforcement.form.title')} current="complaints">
        <h1>{t('enforcement.form.title')}</h1>
        <p class="usa-intro">{t('enforcement.form.lead')}</p>
        <p>{t('enforcement.form.countyRoute')}</p>
        <FormAlert heading={t('enforcement.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
        <ComplaintForm ctx={ctx} action="/complaints" csrfToken={reply.generateCsrf()} providers={await providerChoices(db)} values={refusal?.values ?? {}} errors={refusal?.errors ?? []} account={account} staff={false} />
      </Layout>,
      refusal?.status ?? 200,
    );
  };

  app.get('/complaints/new', async (req, reply) => formPage(req, reply));

  app.post('/complaints', csrf, async (req, reply) => {
    const fields = formFields(req);
    const values: Form = { ...fields, locale: req.pageContext().locale };
    const result = await attempt('complaint', values, async () => fileComplaint(db, storage, values, await evidenceOf(req), contextOf(req)));
    if ('refused' in result) return formPage(req, reply, result.refused);
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <FiledPage ctx={req.pageContext()} filed={result.ok} />, 201);
  });
};
