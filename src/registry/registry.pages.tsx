// The public registry on the web: /registry (search), /registry/bulk (a CSV of numbers or names → a CSV of
// results) and /registry/:number, the page a certificate's QR code opens — status today, history, and the status
// on a date asked about with a signed receipt to download. Names, numbers, statuses, dates, specializations only.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { CERTIFICATION_STATUSES, SPECIALIZATIONS } from '../certification/vocabulary.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { AsOfForm } from '../web/as-of-form.tsx';
import { DataTable } from '../web/data-table.tsx';
import { Field, FormAlert, SelectField, UploadForm } from '../web/forms.tsx';
import type { Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { BULK_VERIFY_MAX_ROWS, bulkResultsCsv, bulkVerify } from './bulk-verify.ts';
import type { RegistryOptions } from './registry.plugin.ts';
import { sendBulkResults } from './registry.routes.ts';
import { registryEntry, type RegistryEntry } from './registry.service.ts';
import { REGISTRY_SORTS, RegistryQuery, searchRegistry, type RegistryPage } from './search-registry.ts';

function statusLabel(t: Translate, status: string | null): string {
  return t(`registry.status.${status ?? 'none'}`);
}

function specializationList(t: Translate, list: RegistryEntry['specializations'], dated: boolean) {
  if (list.length === 0) return t('registry.noSpecializations');
  return (
    <ul class="usa-list usa-list--unstyled">
      {list.map((s) => (
        <li key={s.specialization}>{dated ? t('registry.specializationDated', { name: t(`registry.specialization.${s.specialization}`), date: s.completedOn }) : t(`registry.specialization.${s.specialization}`)}</li>
      ))}
    </ul>
  );
}

function Row({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={testId}>{children}</td>
    </tr>
  );
}

function EntryPage({ ctx, entry, asOfValue, asOfError }: { ctx: PageContext; entry: RegistryEntry; asOfValue: string; asOfError: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('registry.title', { number: entry.number })} current="registry">
      <h1>{t('registry.title', { number: entry.number })}</h1>
      <p class="usa-intro">{t('registry.lead')}</p>
      <table class="usa-table usa-table--borderless" data-testid="registry-entry">
        <caption>{t('registry.detailsCaption')}</caption>
        <tbody>
          <Row label={t('registry.name')} testId="registry-name">
            {entry.fullName}
          </Row>
          <Row label={t('registry.number')}>{entry.number}</Row>
          <Row label={t('registry.statusToday', { date: entry.today })} testId="registry-status">
            <strong>{statusLabel(t, entry.statusToday)}</strong>
          </Row>
          {entry.statusToday === 'active' && (
            <Row label={t('registry.validThrough')} testId="registry-valid-through">
              {entry.validThrough}
            </Row>
          )}
          <Row label={t('registry.term')}>{t('registry.termValue', { from: entry.issuedOn, to: entry.validThrough })}</Row>
          <Row label={t('registry.firstIssued')}>{entry.firstIssuedOn}</Row>
          <Row label={t('registry.specializations')} testId="registry-specializations">
            {specializationList(t, entry.specializations, true)}
          </Row>
        </tbody>
      </table>
      <h2>{t('registry.asOfHeading')}</h2>
      <p>{t('registry.asOfLead')}</p>
      {entry.asOf && (
        <div class={entry.asOf.status === 'active' ? 'usa-alert usa-alert--success usa-alert--slim' : 'usa-alert usa-alert--warning usa-alert--slim'} role="status">
          <div class="usa-alert__body">
            <p class="usa-alert__text" data-testid="registry-as-of">
              {entry.asOf.status === 'active' ? t('registry.asOfCertified', { date: entry.asOf.date }) : t('registry.asOfNotCertified', { date: entry.asOf.date })}{' '}
              {t('registry.asOfAnswer', { date: entry.asOf.date, status: statusLabel(t, entry.asOf.status) })}
            </p>
            <p class="usa-alert__text">
              <a class="usa-link" href={`/api/v1/registry/verify.pdf?number=${encodeURIComponent(entry.number)}&asOf=${entry.asOf.date}`} data-testid="receipt-pdf">
                {t('registry.receiptPdf')}
              </a>{' '}
              ·{' '}
              <a class="usa-link" href={`/api/v1/registry/verify?number=${encodeURIComponent(entry.number)}&asOf=${entry.asOf.date}`}>
                {t('registry.receiptJson')}
              </a>
            </p>
          </div>
        </div>
      )}
      <AsOfForm action={`/registry/${entry.number}`} label={t('registry.asOfLabel')} hint={t('registry.asOfHint')} button={t('registry.asOfButton')} value={asOfValue} error={asOfError} required />
      <h2>{t('registry.actionsHeading')}</h2>
      {entry.publicActions.length === 0 ? (
        <p data-testid="registry-no-actions">{t('registry.noActions')}</p>
      ) : (
        <DataTable caption={t('registry.actionsCaption')} columns={[t('registry.actionKind'), t('registry.actionFrom'), t('registry.actionTo'), t('registry.actionSummary')]} testId="registry-actions">
          {entry.publicActions.map((a, i) => (
            <tr key={i} data-action={a.kind}>
              <td data-label={t('registry.actionKind')}>{t(`enforcement.outcome.${a.kind}`)}</td>
              <td data-label={t('registry.actionFrom')}>{a.startsOn ?? a.decidedOn}</td>
              <td data-label={t('registry.actionTo')}>{a.endsOn ?? '—'}</td>
              <td data-label={t('registry.actionSummary')} lang={ctx.locale === 'en' ? undefined : 'en'}>
                {a.summary ?? '—'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>{t('registry.historyHeading')}</h2>
      <DataTable caption={t('registry.statusHistoryCaption')} columns={[t('registry.historyStatus'), t('registry.historyFrom')]} testId="registry-status-history">
        {entry.history.statuses.map((s, i) => (
          <tr key={i}>
            <td data-label={t('registry.historyStatus')}>{statusLabel(t, s.status)}</td>
            <td data-label={t('registry.historyFrom')}>{s.from}</td>
          </tr>
        ))}
      </DataTable>
      <DataTable caption={t('registry.termsCaption')} columns={[t('registry.termKindColumn'), t('registry.termFrom'), t('registry.termThrough')]}>
        {entry.history.terms.map((term) => (
          <tr key={term.issuedOn}>
            <td data-label={t('registry.termKindColumn')}>{t(`registry.termKind.${term.kind}`)}</td>
            <td data-label={t('registry.termFrom')}>{term.issuedOn}</td>
            <td data-label={t('registry.termThrough')}>{term.validThrough}</td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

function NotFoundPage({ ctx, number }: { ctx: PageContext; number: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('registry.notFoundTitle', { number })} current="registry">
      <h1>{t('registry.notFoundTitle', { number })}</h1>
      <p class="usa-intro">{t('registry.notFoundBody')}</p>
      <p>
        <a class="usa-link" href="/registry">
          {t('registry.searchLink')}
        </a>
      </p>
    </Layout>
  );
}

type SearchValues = Partial<Record<'name' | 'number' | 'county' | 'specialization' | 'status' | 'sort', string>>;

function SearchPage({ ctx, values, results, errors }: { ctx: PageContext; values: SearchValues; results: RegistryPage | null; errors: FieldError[] }) {
  const { t } = ctx;
  const pageHref = (page: number) => `/registry?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(values).filter(([, v]) => v)) as Record<string, string>), page: String(page) })}`;
  return (
    <Layout ctx={ctx} title={t('registry.searchTitle')} current="registry">
      <h1>{t('registry.searchTitle')}</h1>
      <p class="usa-intro">{t('registry.searchLead')}</p>
      <p>
        <a class="usa-link" href="/registry/bulk">
          {t('registry.bulkLink')}
        </a>
      </p>
      {errors.length > 0 && <FormAlert heading={t('registry.searchProblem')} message={errors.map((e) => e.message).join(' ')} lang={ctx.locale === 'en' ? undefined : 'en'} />}
      <form method="get" action="/registry" class="usa-form usa-form--large" role="search" aria-label={t('registry.searchTitle')}>
        <Field name="name" label={t('registry.searchName')} hint={t('registry.searchNameHint')} value={values.name} required={false} errors={errors} />
        <Field name="number" label={t('registry.searchNumber')} hint={t('registry.searchNumberHint')} value={values.number} required={false} errors={errors} />
        <SelectField name="county" label={t('registry.searchCounty')} errors={errors}>
          <option value="">{t('registry.any')}</option>
          {CALIFORNIA_COUNTIES.map((c) => (
            <option key={c.fips} value={c.fips} selected={values.county === c.fips}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="specialization" label={t('registry.specializations')} errors={errors}>
          <option value="">{t('registry.any')}</option>
          {SPECIALIZATIONS.map((s) => (
            <option key={s} value={s} selected={values.specialization === s}>
              {t(`registry.specialization.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="status" label={t('registry.searchStatus')} errors={errors}>
          <option value="">{t('registry.any')}</option>
          {CERTIFICATION_STATUSES.map((s) => (
            <option key={s} value={s} selected={values.status === s}>
              {statusLabel(t, s)}
            </option>
          ))}
        </SelectField>
        <SelectField name="sort" label={t('registry.sort')} errors={errors}>
          {REGISTRY_SORTS.map((s) => (
            <option key={s} value={s} selected={(values.sort ?? results?.sort) === s}>
              {t(`registry.sortBy.${s}`)}
            </option>
          ))}
        </SelectField>
        <button class="usa-button" type="submit">
          {t('registry.searchButton')}
        </button>
      </form>
      {results && (
        <section aria-labelledby="results-heading" class="margin-top-4">
          <h2 id="results-heading" data-testid="registry-total">
            {t('registry.resultsCount', { count: results.total })}
          </h2>
          {results.rows.length > 0 && (
            <DataTable
              caption={t('registry.resultsCaption', { page: results.page, pages: results.pages })}
              columns={[t('registry.name'), t('registry.number'), t('registry.searchStatus'), t('registry.firstIssued'), t('registry.validThrough'), t('registry.specializations')]}
              variant="width-full"
              testId="registry-results"
            >
              {results.rows.map((r) => (
                <tr key={r.number}>
                  <th scope="row" data-label={t('registry.name')}>
                    <a class="usa-link" href={`/registry/${r.number}`}>
                      {r.fullName}
                    </a>
                  </th>
                  <td data-label={t('registry.number')}>{r.number}</td>
                  <td data-label={t('registry.searchStatus')}>{statusLabel(t, r.status)}</td>
                  <td data-label={t('registry.firstIssued')}>{r.firstIssuedOn}</td>
                  <td data-label={t('registry.validThrough')}>{r.validThrough}</td>
                  <td data-label={t('registry.specializations')}>{specializationList(t, r.specializations, false)}</td>
                </tr>
              ))}
            </DataTable>
          )}
          {results.pages > 1 && (
            <nav aria-label={t('registry.pagination')} class="usa-pagination">
              <ul class="usa-pagination__list">
                {results.page > 1 && (
                  <li class="usa-pagination__item usa-pagination__arrow">
                    <a href={pageHref(results.page - 1)} class="usa-pagination__link usa-pagination__previous-page">
                      <span class="usa-pagination__link-text">{t('registry.previous')}</span>
                    </a>
                  </li>
                )}
                <li class="usa-pagination__item usa-pagination__page-no">
                  <span class="usa-pagination__button usa-current" aria-current="page">
                    {t('registry.pageOf', { page: results.page, pages: results.pages })}
                  </span>
                </li>
                {results.page < results.pages && (
                  <li class="usa-pagination__item usa-pagination__arrow">
                    <a href={pageHref(results.page + 1)} class="usa-pagination__link usa-pagination__next-page" data-testid="next-page">
                      <span class="usa-pagination__link-text">{t('registry.next')}</span>
                    </a>
                  </li>
                )}
              </ul>
            </nav>
          )}
        </section>
      )}
    </Layout>
  );
}

function BulkPage({ ctx, csrfToken, asOf, error }: { ctx: PageContext; csrfToken: string; asOf: string; error?: { message: string; inEnglish: boolean } | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('registry.bulkTitle')} current="registry">
      <h1>{t('registry.bulkTitle')}</h1>
      <p class="usa-intro">{t('registry.bulkLead', { max: BULK_VERIFY_MAX_ROWS.toLocaleString(ctx.locale === 'es' ? 'es-US' : 'en-US') })}</p>
      <p>{t('registry.bulkColumns')}</p>
      <pre class="bg-base-lightest padding-1">{'number,name,as_of\nPSS-100001,,2026-03-01\n,Rosa María Martínez,\n'}</pre>
      {error && <FormAlert heading={t('registry.bulkProblem')} message={error.message} lang={error.inEnglish && ctx.locale !== 'en' ? 'en' : undefined} />}
      <UploadForm action="/registry/bulk" csrfToken={csrfToken}>
        <Field name="asOf" type="date" label={t('registry.bulkAsOf')} hint={t('registry.bulkAsOfHint')} value={asOf} />
        <div class="usa-form-group">
          <label class="usa-label" for="file">
            {t('registry.bulkFile')}
          </label>
          <span class="usa-hint" id="file-hint">
            {t('registry.bulkFileHint')}
          </span>
          <input class="usa-file-input" id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint" required />
        </div>
        <button class="usa-button" type="submit">
          {t('registry.bulkButton')}
        </button>
      </UploadForm>
    </Layout>
  );
}

export const registryPages: FastifyPluginAsync<RegistryOptions> = async (app, { db }) => {
  // A registry change must show at once (PROGRAM.md §7: within 72 hours); and names are not for search engines.
  const publicHeaders = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').header('x-robots-tag', 'noindex');

  app.get('/registry', { schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    const raw = req.query as Record<string, unknown>;
    const values: SearchValues = {};
    for (const key of ['name', 'number', 'county', 'specialization', 'status', 'sort'] as const) if (typeof raw[key] === 'string') values[key] = (raw[key] as string).slice(0, 100);
    publicHeaders(reply);
    const asked = Object.values(values).some((v) => v && v.trim() !== '') || raw.page !== undefined;
    const parsed = RegistryQuery.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message }));
      return sendPage(reply, <SearchPage ctx={ctx} values={values} results={null} errors={errors} />, 400);
    }
    const results = asked ? await searchRegistry(db, parsed.data, todayInCalifornia()) : null;
    return sendPage(reply, <SearchPage ctx={ctx} values={values} results={results} errors={[]} />);
  });

  const bulkPage = (req: FastifyRequest, reply: FastifyReply, asOf: string, error?: { message: string; inEnglish: boolean }, status = 200) =>
    sendPage(reply, <BulkPage ctx={req.pageContext()} csrfToken={reply.generateCsrf()} asOf={asOf} error={error} />, status);

  app.get('/registry/bulk', { schema: { hide: true } }, (req, reply) => bulkPage(req, reply, todayInCalifornia()));

  app.post('/registry/bulk', { preHandler: (app as FastifyInstance).csrfProtection, schema: { hide: true } }, async (req, reply) => {
    const { t } = req.pageContext();
    const asOf = (formFields(req).asOf ?? '').trim() || todayInCalifornia();
    const file = await formFile(req, 'file');
    if (!file || file.bytes.length === 0) return bulkPage(req, reply, asOf, { message: t('registry.bulkNoFile'), inEnglish: false }, 400);
    try {
      return sendBulkResults(reply, bulkResultsCsv(await bulkVerify(db, { csv: file.bytes.toString('utf8'), asOf })), asOf);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return bulkPage(req, reply, asOf, { message: err.message, inEnglish: true }, err.status);
    }
  });

  app.get('/registry/:number', { schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    const { number } = req.params as { number: string };
    const raw = (req.query as { asOf?: unknown }).asOf;
    const asOfValue = typeof raw === 'string' ? raw.trim() : '';
    const asOfError = asOfValue !== '' && !isIsoDate(asOfValue) ? ctx.t('registry.asOfError', { value: asOfValue.slice(0, 40) }) : undefined;
    publicHeaders(reply);
    try {
      const entry = await registryEntry(db, number, asOfValue !== '' && !asOfError ? { asOf: asOfValue } : {});
      return sendPage(reply, <EntryPage ctx={ctx} entry={entry} asOfValue={asOfValue} asOfError={asOfError} />, asOfError ? 400 : 200);
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'not-found') throw err;
      return sendPage(reply, <NotFoundPage ctx={ctx} number={number.trim().toUpperCase().slice(0, 40)} />, 404);
    }
  });
};
