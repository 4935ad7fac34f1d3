// /counties/{fips}: a county's plan, participation as of a date, history, the source's notes about it, and for
// DHCS analysts the form that records a participation change.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canAny } from '../access/can.ts';
import type { Db } from '../db/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert, TextAreaField } from '../web/forms.tsx';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { combinationLabel, dataLang, SourceNotes } from './counties.components.tsx';
import { getCounty } from './counties.service.ts';
import { FipsParams } from './counties.types.ts';
import { DELIVERY_SYSTEM_CODES } from './reference-data.ts';

export type ParticipationForm = Partial<Record<'deliverySystem' | 'participating' | 'effectiveOn' | 'reason', string>>;

interface CountyPageState {
  fips: string;
  asOf: string;
  asOfError?: string | undefined;
  /** A refused participation form, shown again with its message and what was typed. */
  edit?: { form: ParticipationForm; message: string; errors: FieldError[]; status: number };
}

export async function renderCountyPage(req: FastifyRequest, reply: FastifyReply, db: Db, state: CountyPageState): Promise<FastifyReply> {
  const ctx = req.pageContext();
  const { t } = ctx;
  const { fips, asOf, asOfError: error } = state;
  // A mistyped county address is a page that does not exist, not a malformed request.
  if (!FipsParams.safeParse({ fips }).success) throw new AppError('not-found', `No California county has FIPS code ${fips}.`);
  const county = await getCounty(db, fips, asOf);
  const others = county.plan.counties.filter((c) => c.fips !== county.fips);
  const recorded = (req.query as Record<string, unknown>).recorded === '1';
  return sendPage(
    reply,
      <Layout ctx={ctx} title={t('county.title', { name: county.name })} current="counties">
        <p>
          <a href={`/counties?asOf=${asOf}`}>{t('county.back')}</a>
        </p>
        <h1>{t('county.title', { name: county.name })}</h1>
        {error && (
          <div class="usa-alert usa-alert--error usa-alert--slim" role="alert">
            <div class="usa-alert__body">
              <p class="usa-alert__text" data-testid="as-of-error">
                {error}
              </p>
            </div>
          </div>
        )}
        <dl>
          <dt class="text-bold">{t('county.fips')}</dt>
          <dd>{county.fips}</dd>
          <dt class="text-bold">{t('county.plan')}</dt>
          <dd>{county.plan.name}</dd>
          {others.length > 0 && (
            <dd>
              {t('county.planShared')}{' '}
              {others.map((o, i) => (
                <span key={o.fips}>
                  {i > 0 && ', '}
                  <a href={`/counties/${o.fips}?asOf=${asOf}`}>{o.name}</a>
                </span>
              ))}
            </dd>
          )}
        </dl>
        <h2>{t('county.current', { date: asOf })}</h2>
        <p data-testid="county-current">{combinationLabel(t, county.deliverySystems)}</p>
        {county.deliverySystems.length > 0 && (
          <ul>
            {county.deliverySystems.map((s) => (
              <li key={s}>{t(`systems.${s}`)}</li>
            ))}
          </ul>
        )}
        {recorded && <SuccessAlert message={t('participationEdit.recorded')} />}
        <SourceNotes ctx={ctx} notes={county.sourceNotes} />
        <h2>{t('county.history')}</h2>
        {county.history.length === 0 ? (
          <p>{t('county.noHistory')}</p>
        ) : (
          <DataTable
            caption={t('county.historyCaption', { name: county.name })}
            columns={[t('county.colSystem'), t('county.colFrom'), t('county.colTo'), t('county.colSource'), t('county.colReason')]}
          >
            {county.history.map((p) => (
              <tr key={`${p.deliverySystem}-${p.from}`}>
                <th scope="row" data-label={t('county.colSystem')}>{t(`systems.${p.deliverySystem}`)}</th>
                <td data-label={t('county.colFrom')}>{p.from}</td>
                <td data-label={t('county.colTo')}>{p.to ?? t('county.ongoing')}</td>
                <td data-label={t('county.colSource')} lang={dataLang(ctx.locale)}>
                  {p.source}
                </td>
                <td data-label={t('county.colReason')} lang={dataLang(ctx.locale)}>
                  {p.reason}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {canAny(req.actor, 'counties.participation.edit') && (
          <ParticipationEditForm ctx={ctx} fips={fips} csrfToken={reply.generateCsrf()} edit={state.edit} />
        )}
      </Layout>,
      state.edit?.status ?? (error ? 400 : 200),
  );
}

function ParticipationEditForm({
  ctx,
  fips,
  csrfToken,
  edit,
}: {
  ctx: ReturnType<FastifyRequest['pageContext']>;
  fips: string;
  csrfToken: string;
  edit: CountyPageState['edit'];
}) {
  const { t } = ctx;
  const form = edit?.form ?? {};
  return (
    <section aria-labelledby="participation-edit" class="margin-top-4">
      <h2 id="participation-edit">{t('participationEdit.heading')}</h2>
      <p>{t('participationEdit.lead')}</p>
      <FormAlert heading={t('auth.errorSummary')} message={edit?.message} />
      <PostForm action={`/counties/${fips}/participation`} csrfToken={csrfToken}>
        <SelectField name="deliverySystem" label={t('participationEdit.system')} errors={edit?.errors} required>
          {DELIVERY_SYSTEM_CODES.map((s) => (
            <option key={s} value={s} selected={form.deliverySystem === s}>
              {t(`systems.${s}`)}
            </option>
          ))}
        </SelectField>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">{t('participationEdit.participating')}</legend>
          {(['yes', 'no'] as const).map((value) => (
            <div class="usa-radio" key={value}>
              <input
                class="usa-radio__input"
                id={`participating-${value}`}
                type="radio"
                name="participating"
                value={value}
                checked={(form.participating ?? 'yes') === value}
              />
              <label class="usa-radio__label" for={`participating-${value}`}>
                {t(`participationEdit.${value}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <Field name="effectiveOn" type="date" label={t('participationEdit.effectiveOn')} value={form.effectiveOn} errors={edit?.errors} />
        <TextAreaField name="reason" label={t('participationEdit.reason')} value={form.reason} errors={edit?.errors} />
        <button class="usa-button" type="submit">
          {t('participationEdit.button')}
        </button>
      </PostForm>
    </section>
  );
}
