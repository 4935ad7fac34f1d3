// Claims on the web, for billing staff (provider staff of an organization, the county's administrators): /claims
// (the batch history of the organizations in reach, each batch's 837P, and the form that builds a batch),
// /claims/batches/:id (its claims, held ones highlighted), /claims/list (claims by state, 50 a page), /claims/:id
// (one claim: its edits, lines, adjustments and state history), /claims/denials (adjusted amounts by CAS group and
// reason) and /claims/remittances/new (upload an 835 and see what it posted). The use cases decide who reaches
// what: a batch or claim out of reach is 404, and someone who reaches nothing sees empty lists. Claims name
// members, so no page is cached.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { asc, inArray } from 'drizzle-orm';
import type { VNode } from 'preact';
import type { UseCaseContext } from '../access/context.ts';
import { requireActor } from '../access/guard.ts';
import type { Db } from '../db/client.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { organizationsInScope } from '../organizations/organization-access.ts';
import { errorsFor, notFoundIfRefused, reachedOr404, Section, valuesFor } from '../organizations/organizations.pages.tsx';
import { providerOrganizations } from '../organizations/organizations.schema.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, FormProblem, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, FormGroup, PostForm, SelectField, SuccessAlert, TextAreaField, UploadForm } from '../web/forms.tsx';
import { englishTextLang, formatTime, type Locale, type Translate } from '../web/i18n.ts';
import { Pager } from '../web/pager.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { describeAdjustment } from './adjustment-reasons.ts';
import { batch837, listBatches, reachBatch } from './batch-837.ts';
import { buildClaimBatch } from './build-claims.ts';
import { CLAIM_STATES } from './claim-status.ts';
import { denialsByReason, getClaim, listClaims } from './claim-queries.ts';
import { correctClaim, correctionRefusal } from './correct-claim.ts';
import type { Adjustment } from './claims.schema.ts';
import { ingest835 } from './ingest-835.ts';

type Choice = { id: string; name: string };
type BatchRow = Awaited<ReturnType<typeof listBatches>>[number];
type ClaimListing = Awaited<ReturnType<typeof listClaims>>;
type ClaimView = Awaited<ReturnType<typeof getClaim>>;
type DenialRow = Awaited<ReturnType<typeof denialsByReason>>[number];
type Remittance = Awaited<ReturnType<typeof ingest835>>;

/** Dollars as people read them, in the page's language. */
export function dollars(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/** The organizations where the person may do `action` with claims, by name. */
async function organizationChoices(db: Db, scope: 'all' | string[]): Promise<Choice[]> {
  if (scope !== 'all' && scope.length === 0) return [];
  return db
    .select({ id: providerOrganizations.id, name: providerOrganizations.name })
    .from(providerOrganizations)
    .where(scope === 'all' ? undefined : inArray(providerOrganizations.id, scope))
    .orderBy(asc(providerOrganizations.name));
}

const inScope = (scope: 'all' | string[], organizationId: string) => scope === 'all' || scope.includes(organizationId);

/** A batch has a file when any of its claims is not held (the file has those, and stays the same file). */
const hasFile = (b: Pick<BatchRow, 'claims' | 'held'>) => b.claims - b.held > 0;

/** The first and last days of the month before `today`: the period billing staff usually build. */
function lastMonth(today: string): { from: string; to: string } {
  const to = addDays(`${today.slice(0, 7)}-01`, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** A query value of at most 100 characters, or undefined. */
function queryValue(query: unknown, key: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 100) : undefined;
}

function StateTag({ t, state }: { t: Translate; state: string }) {
  const tone = state === 'held' || state === 'denied' ? 'usa-tag bg-secondary' : state === 'paid' || state === 'ready' ? 'usa-tag bg-green' : 'usa-tag bg-base';
  return (
    <span class={tone} data-state={state}>
      {t(`claims.state.${state}`, { defaultValue: state })}
    </span>
  );
}

/** Links between the claims pages, the current one marked. */
function ClaimsNav({ t, current }: { t: Translate; current?: 'home' | 'list' | 'denials' | 'upload' }) {
  const links = [
    ['home', '/claims'],
    ['list', '/claims/list'],
    ['denials', '/claims/denials'],
    ['upload', '/claims/remittances/new'],
  ] as const;
  return (
    <nav aria-label={t('claims.links.label')} class="margin-bottom-2">
      <ul class="usa-button-group">
        {links.map(([key, href]) => (
          <li class="usa-button-group__item" key={key}>
            <a class={key === current ? 'usa-button' : 'usa-button usa-button--outline'} href={href} aria-current={key === current ? 'page' : undefined}>
              {t(`claims.links.${key}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}


function DownloadLink({ t, batchId, big }: { t: Translate; batchId: string; big?: boolean }) {
  return (
    <a class={big ? 'usa-button' : undefined} href={`/claims/batches/${batchId}/837`} download data-testid="download-837">
      {t('claims.home.download')}
    </a>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Batches

function BatchesTable({ ctx, batches, manageScope }: { ctx: PageContext; batches: BatchRow[]; manageScope: 'all' | string[] }) {
  const { t, locale } = ctx;
  const cols = ['colOrganization', 'colPeriod', 'colState', 'colClaims', 'colReady', 'colHeld', 'colTotal', 'colFile'].map((c) => t(`claims.home.${c}`));
  return (
    <DataTable caption={t('claims.home.caption')} columns={cols} variant="width-full" testId="batches">
      {batches.map((b) => (
        <tr key={b.id} data-batch={b.id}>
          <th scope="row" data-label={cols[0]}>
            <a href={`/claims/batches/${b.id}`}>{b.organization}</a>
          </th>
          <td data-label={cols[1]}>{t('claims.period', { from: b.period_from, to: b.period_to })}</td>
          <td data-label={cols[2]}>{t(`claims.batchState.${b.state}`, { defaultValue: b.state })}</td>
          <td data-label={cols[3]}>{b.claims}</td>
          <td data-label={cols[4]}>{b.ready}</td>
          <td data-label={cols[5]}>{b.held}</td>
          <td data-label={cols[6]}>{dollars(b.total_cents, locale)}</td>
          <td data-label={cols[7]}>{hasFile(b) && inScope(manageScope, b.organization_id) ? <DownloadLink t={t} batchId={b.id} /> : t('claims.home.noFile')}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function BuildForm({ t, csrf, organizations, refusal }: { t: Translate; csrf: string; organizations: Choice[]; refusal: Refusal | undefined }) {
  const errors = errorsFor(refusal, 'build');
  const v = valuesFor(refusal, 'build');
  const period = lastMonth(todayInCalifornia());
  const chosen = v.organizationId ?? (organizations.length === 1 ? organizations[0]?.id : undefined);
  return (
    <PostForm action="/claims/batches" csrfToken={csrf}>
      <SelectField name="organizationId" label={t('claims.home.organization')} errors={errors} required>
        <option value="">{t('claims.home.choose')}</option>
        {organizations.map((o) => (
          <option key={o.id} value={o.id} selected={chosen === o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      <Field name="from" type="date" label={t('claims.home.from')} value={v.from ?? period.from} errors={errors} />
      <Field name="to" type="date" label={t('claims.home.to')} value={v.to ?? period.to} errors={errors} />
      <button class="usa-button" type="submit">
        {t('claims.home.build')}
      </button>
    </PostForm>
  );
}

interface HomePageProps {
  ctx: PageContext;
  batches: BatchRow[];
  manageScope: 'all' | string[];
  buildAt: Choice[];
  csrf: string;
  refusal: Refusal | undefined;
}

function HomePage({ ctx, batches, manageScope, buildAt, csrf, refusal }: HomePageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('claims.home.title')} current="claims">
      <h1>{t('claims.home.title')}</h1>
      <p class="usa-intro">{t('claims.home.lead')}</p>
      <ClaimsNav t={t} current="home" />
      <Section id="batches" title={t('claims.home.batchesHeading')}>
        {batches.length === 0 ? <p data-testid="no-batches">{t('claims.home.none')}</p> : <BatchesTable ctx={ctx} batches={batches} manageScope={manageScope} />}
      </Section>
      <Section id="build" title={t('claims.home.buildHeading')}>
        {buildAt.length === 0 ? (
          <p data-testid="no-build">{t('claims.home.noBuild')}</p>
        ) : (
          <>
            <p>{t('claims.home.buildLead')}</p>
            {refusal?.form === 'build' && <FormAlert heading={t('claims.home.errorHeading')} message={refusal.message} lang={refusalLang(refusal, locale)} />}
            <BuildForm t={t} csrf={csrf} organizations={buildAt} refusal={refusal} />
          </>
        )}
      </Section>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Claims (of a batch, or by state)

function ClaimRows({ ctx, caption, rows, withPaid }: { ctx: PageContext; caption: string; rows: ClaimListing['rows']; withPaid?: boolean }) {
  const { t, locale } = ctx;
  const cols = [t('claims.batch.colClaim'), t('claims.batch.colState'), t('claims.batch.colMember'), t('claims.batch.colDate'), t('claims.batch.colTotal'), ...(withPaid ? [t('claims.list.colPaid')] : []), t('claims.batch.colEdits')];
  const last = cols.length - 1;
  return (
    <DataTable caption={caption} columns={cols} variant="width-full" testId="claims">
      {rows.map((c) => (
        <tr key={c.id} data-claim={c.id} data-state={c.state} class={c.state === 'held' ? 'pss-held' : undefined}>
          <th scope="row" data-label={cols[0]}>
            <a href={`/claims/${c.id}`}>{c.controlNumber}</a>
          </th>
          <td data-label={cols[1]}>
            <StateTag t={t} state={c.state} />
          </td>
          <td data-label={cols[2]}>{c.memberName}</td>
          <td data-label={cols[3]}>{c.serviceDate}</td>
          <td data-label={cols[4]}>{dollars(c.totalCents, locale)}</td>
          {withPaid && <td data-label={cols[5]}>{c.paidCents === null ? '—' : dollars(c.paidCents, locale)}</td>}
          <td data-label={cols[last]} data-testid="edit-count">
            {c.state === 'held' ? <mark>{c.edits.length}</mark> : c.edits.length}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

interface BatchPageProps {
  ctx: PageContext;
  batch: { id: string; periodFrom: string; periodTo: string; builtOn: string; state: string };
  organization: string;
  counts: BatchRow | undefined;
  listing: ClaimListing;
  canDownload: boolean;
  built: boolean;
}

function BatchPage({ ctx, batch, organization, counts, listing, canDownload, built }: BatchPageProps) {
  const { t, locale } = ctx;
  const title = t('claims.batch.title', { organization, from: batch.periodFrom, to: batch.periodTo });
  const pages = Math.ceil(listing.total / listing.pageSize);
  return (
    <Layout ctx={ctx} title={title} current="claims">
      <p>
        <a href="/claims">{t('claims.batch.back')}</a>
      </p>
      <h1>{title}</h1>
      <ClaimsNav t={t} />
      {built && <SuccessAlert message={t('claims.batch.built')} />}
      <dl class="pss-facts" aria-label={t('claims.batch.facts')} data-testid="batch-facts">
        <dt>{t('claims.batch.organization')}</dt>
        <dd>{organization}</dd>
        <dt>{t('claims.batch.period')}</dt>
        <dd>{t('claims.period', { from: batch.periodFrom, to: batch.periodTo })}</dd>
        <dt>{t('claims.batch.builtOn')}</dt>
        <dd>{batch.builtOn}</dd>
        <dt>{t('claims.batch.state')}</dt>
        <dd>{t(`claims.batchState.${batch.state}`, { defaultValue: batch.state })}</dd>
        {counts && (
          <>
            <dt>{t('claims.batch.counts')}</dt>
            <dd data-testid="batch-counts">{t('claims.batch.countsText', { claims: counts.claims, ready: counts.ready, held: counts.held })}</dd>
            <dt>{t('claims.batch.total')}</dt>
            <dd>{dollars(counts.total_cents, locale)}</dd>
          </>
        )}
      </dl>
      {canDownload && (
        <Section id="file" title={t('claims.batch.fileHeading')}>
          {counts && hasFile(counts) ? (
            <>
              <p>{t('claims.batch.fileLead')}</p>
              <p>
                <DownloadLink t={t} batchId={batch.id} big />
              </p>
            </>
          ) : (
            <p data-testid="nothing-to-send">{t('claims.batch.noneToSend')}</p>
          )}
        </Section>
      )}
      <Section id="claims" title={t('claims.batch.claimsHeading')}>
        {listing.rows.length === 0 ? (
          <p data-testid="no-claims">{t('claims.batch.none')}</p>
        ) : (
          <>
            {listing.rows.some((c) => c.state === 'held') && <p>{t('claims.batch.heldLead')}</p>}
            <ClaimRows ctx={ctx} caption={t('claims.batch.caption')} rows={listing.rows} />
          </>
        )}
        <Pager path={`/claims/batches/${batch.id}`} query="" page={listing.page} pages={pages} labels={{ nav: t('claims.pages.label'), previous: t('claims.pages.previous'), next: t('claims.pages.next'), pageOf: t('claims.pages.pageOf', { page: listing.page, pages }) }} />
      </Section>
    </Layout>
  );
}

interface ListFilter {
  state?: string | undefined;
  organizationId?: string | undefined;
  page?: string | undefined;
}

function listQuery(filter: ListFilter): string {
  const params = new URLSearchParams();
  if (filter.state) params.set('state', filter.state);
  if (filter.organizationId) params.set('organizationId', filter.organizationId);
  return params.toString();
}

function OrganizationSelect({ organizations, selected, label, any }: { organizations: Choice[]; selected: string | undefined; label: string; any: string }) {
  if (organizations.length <= 1) return selected ? <input type="hidden" name="organizationId" value={selected} /> : null;
  return (
    <SelectField name="organizationId" label={label}>
      <option value="">{any}</option>
      {organizations.map((o) => (
        <option key={o.id} value={o.id} selected={selected === o.id}>
          {o.name}
        </option>
      ))}
    </SelectField>
  );
}

function ListPage({ ctx, filter, listing, organizations, refusal }: { ctx: PageContext; filter: ListFilter; listing: ClaimListing; organizations: Choice[]; refusal: Refusal | undefined }) {
  const { t, locale } = ctx;
  const pages = Math.ceil(listing.total / listing.pageSize);
  return (
    <Layout ctx={ctx} title={t('claims.list.title')} current="claims">
      <h1>{t('claims.list.title')}</h1>
      <p class="usa-intro">{t('claims.list.lead')}</p>
      <ClaimsNav t={t} current="list" />
      <FormAlert heading={t('claims.list.filterLegend')} message={refusal?.message} lang={refusalLang(refusal, locale)} />
      <form method="get" action="/claims/list" class="usa-form usa-form--large" role="search" aria-label={t('claims.list.filterLegend')}>
        <fieldset class="usa-fieldset">
          <legend class="usa-legend usa-legend--large">{t('claims.list.filterLegend')}</legend>
          <SelectField name="state" label={t('claims.list.state')} errors={refusal?.errors}>
            <option value="">{t('claims.list.stateAny')}</option>
            {CLAIM_STATES.map((s) => (
              <option key={s} value={s} selected={filter.state === s}>
                {t(`claims.state.${s}`)}
              </option>
            ))}
          </SelectField>
          <OrganizationSelect organizations={organizations} selected={filter.organizationId} label={t('claims.list.organization')} any={t('claims.list.organizationAny')} />
        </fieldset>
        <button class="usa-button" type="submit">
          {t('claims.list.apply')}
        </button>{' '}
        <a href="/claims/list" class="usa-button usa-button--unstyled">
          {t('claims.list.clear')}
        </a>
      </form>
      <p data-testid="claims-total">{t('claims.list.total', { total: listing.total })}</p>
      {listing.rows.length === 0 ? <p data-testid="no-claims">{t('claims.list.none')}</p> : <ClaimRows ctx={ctx} caption={t('claims.list.caption')} rows={listing.rows} withPaid />}
      <Pager path="/claims/list" query={listQuery(filter)} page={listing.page} pages={pages} labels={{ nav: t('claims.pages.label'), previous: t('claims.pages.previous'), next: t('claims.pages.next'), pageOf: t('claims.pages.pageOf', { page: listing.page, pages }) }} />
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One claim

function AdjustmentList({ ctx, adjustments }: { ctx: PageContext; adjustments: readonly Adjustment[] }) {
  const { t, locale } = ctx;
  if (adjustments.length === 0) return <>{t('claims.claim.noAdjustments')}</>;
  return (
    <ul class="usa-list usa-list--unstyled">
      {adjustments.map((a, i) => {
        const description = describeAdjustment(a.group, a.reason);
        return (
          <li key={`${a.group}-${a.reason}-${i}`} data-adjustment={`${a.group}-${a.reason}`}>
            <abbr title={t(`claims.group.${a.group}`, { defaultValue: a.group })}>{a.group}</abbr>-{a.reason} {dollars(a.cents, locale)}
            {description && (
              <>
                {' '}
                <span class="text-base" lang={englishTextLang(locale)}>
                  ({description})
                </span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Void or replace an adjudicated claim: one form per correction the claim allows, each asking why. */
function CorrectionForms({ ctx, claim, csrf, refusal }: { ctx: PageContext; claim: ClaimView['claim']; csrf: string; refusal: Refusal | undefined }) {
  const { t, locale } = ctx;
  const kinds = (['replace', 'void'] as const).filter((k) => correctionRefusal(k, claim) === null);
  if (kinds.length === 0) return null;
  return (
    <Section id="correct" title={t('claims.correct.heading')}>
      <p>{t('claims.correct.lead', { payer: claim.payerControlNumber })}</p>
      {kinds.map((kind) => {
        const errors = errorsFor(refusal, kind);
        return (
          <div key={kind} data-testid={`correct-${kind}`}>
            <h3>{t(`claims.correct.${kind}Heading`)}</h3>
            {refusal?.form === kind && <FormAlert heading={t('claims.correct.errorHeading')} message={refusal.message} lang={refusalLang(refusal, locale)} />}
            <PostForm action={`/claims/${claim.id}/${kind}`} csrfToken={csrf}>
              <TextAreaField name="reason" id={`${kind}-reason`} label={t('claims.correct.reason')} hint={t(`claims.correct.${kind}Hint`)} value={valuesFor(refusal, kind).reason} errors={errors} />
              <button class={kind === 'void' ? 'usa-button usa-button--secondary' : 'usa-button'} type="submit">
                {t(`claims.correct.${kind}`)}
              </button>
            </PostForm>
          </div>
        );
      })}
    </Section>
  );
}

function ClaimPage({ ctx, view, canManage, csrf, refusal, done }: { ctx: PageContext; view: ClaimView; canManage: boolean; csrf: string; refusal?: Refusal | undefined; done?: string | undefined }) {
  const { t, locale } = ctx;
  const c = view.claim;
  const title = t('claims.claim.title', { control: c.controlNumber });
  const lineCols = ['colLine', 'colCode', 'colModifiers', 'colUnits', 'colRate', 'colCharge', 'colLineControl', 'colPaid', 'colAdjustments'].map((k) => t(`claims.claim.${k}`));
  const historyCols = ['colWhen', 'colFrom', 'colTo', 'colReason'].map((k) => t(`claims.claim.${k}`));
  return (
    <Layout ctx={ctx} title={title} current="claims">
      <p>
        <a href={`/claims/batches/${c.batchId}`}>{t('claims.claim.back')}</a>
      </p>
      <h1>{title}</h1>
      <ClaimsNav t={t} />
      {done && <SuccessAlert message={t(`claims.correct.done.${done === 'void' ? 'void' : 'replace'}`)} />}
      <dl class="pss-facts" aria-label={t('claims.claim.facts')} data-testid="claim-facts">
        <dt>{t('claims.claim.control')}</dt>
        <dd>{c.controlNumber}</dd>
        <dt>{t('claims.claim.state')}</dt>
        <dd data-testid="claim-state">
          <StateTag t={t} state={c.state} />
        </dd>
        <dt>{t('claims.claim.frequency')}</dt>
        <dd>{t(`claims.frequency.${c.frequency}`, { defaultValue: c.frequency })}</dd>
        <dt>{t('claims.claim.member')}</dt>
        <dd>
          <a href={`/members/${c.beneficiaryId}`}>
            {view.member.firstName} {view.member.lastName}
          </a>
        </dd>
        <dt>{t('claims.claim.serviceDate')}</dt>
        <dd>{c.serviceDate}</dd>
        <dt>{t('claims.claim.deliverySystem')}</dt>
        <dd>{t(`systems.${c.deliverySystem}`, { defaultValue: c.deliverySystem })}</dd>
        <dt>{t('claims.claim.placeOfService')}</dt>
        <dd>{t(`services.pos.${c.placeOfService}`, { defaultValue: c.placeOfService })}</dd>
        <dt>{t('claims.claim.charged')}</dt>
        <dd data-testid="claim-charged">{dollars(c.totalCents, locale)}</dd>
        <dt>{t('claims.claim.paid')}</dt>
        <dd data-testid="claim-paid">{c.paidCents === null ? t('claims.claim.notPaid') : dollars(c.paidCents, locale)}</dd>
        <dt>{t('claims.claim.payerControl')}</dt>
        <dd>{c.payerControlNumber ?? t('claims.claim.none')}</dd>
        {view.replaces && (
          <>
            <dt>{t('claims.claim.corrects')}</dt>
            <dd data-testid="claim-corrects">
              <a href={`/claims/${view.replaces.id}`}>{view.replaces.controlNumber}</a>
            </dd>
          </>
        )}
        {view.correctedBy.length > 0 && (
          <>
            <dt>{t('claims.claim.correctedBy')}</dt>
            <dd data-testid="claim-corrected-by">
              {view.correctedBy.map((r, i) => (
                <span key={r.id}>
                  {i > 0 && ', '}
                  <a href={`/claims/${r.id}`}>{r.controlNumber}</a> ({t(`claims.frequency.${r.frequency}`, { defaultValue: r.frequency })})
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {c.edits.length > 0 ? (
        <div class="usa-alert usa-alert--warning" role="region" aria-label={t('claims.claim.editsHeading')} data-testid="edits">
          <div class="usa-alert__body">
            <h2 class="usa-alert__heading">{t('claims.claim.editsHeading')}</h2>
            <p class="usa-alert__text">{t('claims.claim.editsLead')}</p>
            <ul class="usa-list">
              {c.edits.map((e, i) => (
                <li key={`${e.code}-${i}`} data-edit={e.code}>
                  <strong>{e.line === null ? t('claims.claim.wholeClaim') : t('claims.claim.onLine', { line: e.line })}:</strong> <span lang={englishTextLang(locale)}>{e.message}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : (
        <p data-testid="no-edits">{t('claims.claim.noEdits')}</p>
      )}
      <Section id="lines" title={t('claims.claim.linesHeading')}>
        <DataTable caption={t('claims.claim.linesCaption')} columns={lineCols} variant="width-full" testId="claim-lines">
          {view.lines.map((l) => (
            <tr key={l.id} data-line={l.lineNumber} class={c.edits.some((e) => e.line === l.lineNumber) ? 'pss-held' : undefined}>
              <th scope="row" data-label={lineCols[0]}>
                {c.edits.some((e) => e.line === l.lineNumber) ? <mark>{l.lineNumber}</mark> : l.lineNumber}
              </th>
              <td data-label={lineCols[1]}>{l.procedureCode}</td>
              <td data-label={lineCols[2]}>{l.modifiers === '' ? '—' : l.modifiers.split(':').join(', ')}</td>
              <td data-label={lineCols[3]}>{l.units}</td>
              <td data-label={lineCols[4]}>{dollars(l.rateCents, locale)}</td>
              <td data-label={lineCols[5]}>{dollars(l.chargeCents, locale)}</td>
              <td data-label={lineCols[6]}>
                <code>{l.controlNumber}</code>
              </td>
              <td data-label={lineCols[7]}>{l.paidCents === null ? '—' : dollars(l.paidCents, locale)}</td>
              <td data-label={lineCols[8]}>
                <AdjustmentList ctx={ctx} adjustments={l.adjustments} />
              </td>
            </tr>
          ))}
        </DataTable>
        {c.adjustments.length > 0 && (
          <>
            <h3>{t('claims.claim.claimAdjustments')}</h3>
            <AdjustmentList ctx={ctx} adjustments={c.adjustments} />
          </>
        )}
      </Section>
      {canManage && <CorrectionForms ctx={ctx} claim={c} csrf={csrf} refusal={refusal} />}
      <Section id="history" title={t('claims.claim.historyHeading')}>
        <DataTable caption={t('claims.claim.historyCaption')} columns={historyCols} variant="width-full" testId="claim-history">
          {view.history.map((h) => (
            <tr key={h.id}>
              <th scope="row" data-label={historyCols[0]}>
                {formatTime(h.changedAt, locale)}
              </th>
              <td data-label={historyCols[1]}>{h.fromState === null ? t('claims.claim.created') : t(`claims.state.${h.fromState}`, { defaultValue: h.fromState })}</td>
              <td data-label={historyCols[2]}>{t(`claims.state.${h.toState}`, { defaultValue: h.toState })}</td>
              <td data-label={historyCols[3]} lang={h.reason ? englishTextLang(locale) : undefined}>
                {h.reason ?? '—'}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Denials by reason

function DenialsPage({ ctx, rows, organizations, organizationId }: { ctx: PageContext; rows: DenialRow[]; organizations: Choice[]; organizationId: string | undefined }) {
  const { t, locale } = ctx;
  const cols = ['colGroup', 'colReason', 'colDescription', 'colLines', 'colAmount'].map((k) => t(`claims.denials.${k}`));
  return (
    <Layout ctx={ctx} title={t('claims.denials.title')} current="claims">
      <h1>{t('claims.denials.title')}</h1>
      <p class="usa-intro">{t('claims.denials.lead')}</p>
      <ClaimsNav t={t} current="denials" />
      {organizations.length > 1 && (
        <form method="get" action="/claims/denials" class="usa-form" role="search" aria-label={t('claims.denials.organization')}>
          <OrganizationSelect organizations={organizations} selected={organizationId} label={t('claims.denials.organization')} any={t('claims.denials.organizationAny')} />
          <button class="usa-button usa-button--outline" type="submit">
            {t('claims.denials.apply')}
          </button>
        </form>
      )}
      {rows.length === 0 ? (
        <p data-testid="no-denials">{t('claims.denials.none')}</p>
      ) : (
        <DataTable caption={t('claims.denials.caption')} columns={cols} variant="width-full" testId="denials">
          {rows.map((r) => {
            const description = describeAdjustment(r.group_code, r.reason_code);
            return (
              <tr key={`${r.group_code}-${r.reason_code}`} data-reason={`${r.group_code}-${r.reason_code}`}>
                <th scope="row" data-label={cols[0]}>
                  <abbr title={t(`claims.group.${r.group_code}`, { defaultValue: r.group_code })}>{r.group_code}</abbr>
                </th>
                <td data-label={cols[1]}>{r.reason_code}</td>
                <td data-label={cols[2]} lang={description ? englishTextLang(locale) : undefined}>
                  {description ?? t('claims.denials.unknownReason')}
                </td>
                <td data-label={cols[3]}>{r.lines}</td>
                <td data-label={cols[4]}>{dollars(r.cents, locale)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// 835 remittances

function RemittanceResult({ ctx, result }: { ctx: PageContext; result: Remittance }) {
  const { t, locale } = ctx;
  const cols = ['colSegment', 'colReference', 'colReason'].map((k) => t(`claims.remittance.${k}`));
  return (
    <Section id="result" title={t('claims.remittance.resultHeading')}>
      <div data-testid="remittance-result">
        <SuccessAlert message={result.alreadyImported ? t('claims.remittance.already') : t('claims.remittance.posted')} />
        <dl class="pss-facts">
          <dt>{t('claims.remittance.claimsMatched')}</dt>
          <dd data-testid="claims-matched">{result.claimsMatched}</dd>
          <dt>{t('claims.remittance.linesPosted')}</dt>
          <dd data-testid="lines-posted">{result.linesPosted}</dd>
          <dt>{t('claims.remittance.paid')}</dt>
          <dd data-testid="paid-amount">{dollars(result.paidCents, locale)}</dd>
        </dl>
        <h3>{t('claims.remittance.unmatchedHeading')}</h3>
        {result.unmatched.length === 0 ? (
          <p data-testid="all-matched">{t('claims.remittance.allMatched')}</p>
        ) : (
          <>
            <p>{t('claims.remittance.unmatchedLead')}</p>
            <DataTable caption={t('claims.remittance.unmatchedCaption')} columns={cols} variant="width-full" testId="unmatched">
              {result.unmatched.map((u, i) => (
                <tr key={`${u.segment}-${i}`}>
                  <th scope="row" data-label={cols[0]}>
                    {u.segment}
                  </th>
                  <td data-label={cols[1]}>
                    <code>{u.reference}</code>
                  </td>
                  <td data-label={cols[2]} lang={englishTextLang(locale)}>
                    {u.reason}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </div>
    </Section>
  );
}

function RemittancePage({ ctx, csrf, refusal, result }: { ctx: PageContext; csrf: string; refusal: Refusal | undefined; result: Remittance | undefined }) {
  const { t, locale } = ctx;
  const fileError = refusal?.errors.find((e) => e.path === 'file')?.message;
  return (
    <Layout ctx={ctx} title={t('claims.remittance.title')} current="claims">
      <h1>{t('claims.remittance.title')}</h1>
      <p class="usa-intro">{t('claims.remittance.lead')}</p>
      <ClaimsNav t={t} current="upload" />
      <FormAlert heading={t('claims.remittance.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, locale)} />
      {result && <RemittanceResult ctx={ctx} result={result} />}
      <UploadForm action="/claims/remittances" csrfToken={csrf}>
        <FormGroup id="file" label={t('claims.remittance.file')} hint={t('claims.remittance.fileHint')} error={fileError}>
          {(describedBy, err) => (
            <input class={err ? 'usa-file-input usa-input--error' : 'usa-file-input'} id="file" name="file" type="file" accept=".835,.txt,.edi" required aria-describedby={describedBy} aria-invalid={err ? 'true' : undefined} />
          )}
        </FormGroup>
        <button class="usa-button" type="submit">
          {t('claims.remittance.button')}
        </button>
      </UploadForm>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** Claims pages name members: never cached. */
function sendClaimsPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  reply.header('cache-control', 'no-store');
  return sendPage(reply, page, status);
}

const readScope = (db: Db, context: UseCaseContext) => organizationsInScope(db, 'claims.read', context, { peerWork: false });
const manageScope = (db: Db, context: UseCaseContext) => organizationsInScope(db, 'claims.manage', context, { peerWork: false });

export const claimsPages: FastifyPluginAsync<DomainOptions> = async (app, { db, fieldCipher, eligibility }) => {
  const signedIn = { onRequest: async (req: FastifyRequest) => requireActor(req) };
  const post = { ...signedIn, preHandler: (app as FastifyInstance).csrfProtection };

  const homePage = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const context = contextOf(req);
    const [reads, manages] = await Promise.all([readScope(db, context), manageScope(db, context)]);
    const [batches, buildAt] = await Promise.all([listBatches(db, reads), organizationChoices(db, manages)]);
    return sendClaimsPage(reply, <HomePage ctx={req.pageContext()} batches={batches} manageScope={manages} buildAt={buildAt} csrf={reply.generateCsrf()} refusal={refusal} />, refusal?.status ?? 200);
  };
  app.get('/claims', signedIn, async (req, reply) => homePage(req, reply));

  app.post('/claims/batches', post, async (req, reply) => {
    const context = contextOf(req);
    const values: Form = formFields(req);
    const { t } = req.pageContext();
    const result = await attempt('build', values, async () => {
      const organizationId = values.organizationId?.trim() ?? '';
      if (organizationId === '') throw new FormProblem(t('claims.home.chooseOrganization'), [{ path: 'organizationId', message: t('claims.home.chooseOrganization') }]);
      // An organization out of reach is 404, like one that does not exist.
      await reachedOr404(db, organizationId, 'claims.manage', context);
      return buildClaimBatch(db, eligibility, { organizationId, from: values.from?.trim() ?? '', to: values.to?.trim() ?? '' }, context);
    });
    if ('refused' in result) return homePage(req, reply, result.refused);
    return reply.redirect(`/claims/batches/${result.ok.batch.id}?done=built`, 303);
  });

  app.get<{ Params: { id: string } }>('/claims/batches/:id', signedIn, async (req: IdRequest, reply) => {
    const context = contextOf(req);
    const { batch, org } = await reachBatch(db, req.params.id, 'claims.read', context);
    const page = queryValue(req.query, 'page');
    const result = await attempt('page', {}, () => listClaims(db, { batchId: batch.id, page }, context));
    const listing = 'ok' in result ? result.ok : await listClaims(db, { batchId: batch.id }, context);
    const [[counts], manages] = await Promise.all([listBatches(db, [org.id]).then((rows) => rows.filter((b) => b.id === batch.id)), manageScope(db, context)]);
    return sendClaimsPage(
      reply,
      <BatchPage ctx={req.pageContext()} batch={batch} organization={org.name} counts={counts} listing={listing} canDownload={inScope(manages, org.id)} built={queryValue(req.query, 'done') === 'built'} />,
    );
  });

  // The file: its claims become submitted the first time; a batch with every claim held is refused (422) by the
  // use case, which the error handler shows as a page.
  app.get<{ Params: { id: string } }>('/claims/batches/:id/837', signedIn, async (req: IdRequest, reply) => {
    const file = await batch837(db, fieldCipher, req.params.id, contextOf(req));
    return reply.type('text/plain; charset=us-ascii').header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'no-store').send(file.text);
  });

  app.get('/claims/list', signedIn, async (req, reply) => {
    const context = contextOf(req);
    const filter: ListFilter = { state: queryValue(req.query, 'state'), organizationId: queryValue(req.query, 'organizationId'), page: queryValue(req.query, 'page') };
    // An organization out of reach named in the query is 404, like one that does not exist.
    const result = await attempt('filter', {}, () => notFoundIfRefused(() => listClaims(db, filter, context)));
    const listing = 'ok' in result ? result.ok : { rows: [], total: 0, page: 1, pageSize: 50 };
    const organizations = await organizationChoices(db, await readScope(db, context));
    return sendClaimsPage(reply, <ListPage ctx={req.pageContext()} filter={filter} listing={listing} organizations={organizations} refusal={'refused' in result ? result.refused : undefined} />, 'refused' in result ? result.refused.status : 200);
  });

  app.get('/claims/denials', signedIn, async (req, reply) => {
    const context = contextOf(req);
    const asked = queryValue(req.query, 'organizationId');
    const rows = await notFoundIfRefused(() => denialsByReason(db, asked ? { organizationId: asked } : {}, context));
    const organizations = await organizationChoices(db, await readScope(db, context));
    return sendClaimsPage(reply, <DenialsPage ctx={req.pageContext()} rows={rows} organizations={organizations} organizationId={asked} />);
  });

  const remittancePage = (req: FastifyRequest, reply: FastifyReply, state: { refusal?: Refusal; result?: Remittance } = {}) =>
    sendClaimsPage(reply, <RemittancePage ctx={req.pageContext()} csrf={reply.generateCsrf()} refusal={state.refusal} result={state.result} />, state.refusal?.status ?? 200);
  app.get('/claims/remittances/new', signedIn, async (req, reply) => remittancePage(req, reply));

  app.post('/claims/remittances', post, async (req, reply) => {
    const { t } = req.pageContext();
    const result = await attempt('upload', {}, async () => {
      const file = await formFile(req, 'file');
      if (!file || file.bytes.length === 0) throw new FormProblem(t('claims.remittance.noFile'), [{ path: 'file', message: t('claims.remittance.noFile') }]);
      return ingest835(db, { text: file.bytes.toString('utf8'), fileName: file.filename.slice(0, 200) }, contextOf(req));
    });
    if ('refused' in result) return remittancePage(req, reply, { refusal: result.refused });
    return remittancePage(req, reply, { result: result.ok });
  });

  const claimPage = async (req: IdRequest, reply: FastifyReply, refusal?: Refusal) => {
    const context = contextOf(req);
    const view = await getClaim(db, req.params.id, context);
    const canManage = inScope(await manageScope(db, context), view.claim.organizationId);
    return sendClaimsPage(reply, <ClaimPage ctx={req.pageContext()} view={view} canManage={canManage} csrf={reply.generateCsrf()} refusal={refusal} done={queryValue(req.query, 'done')} />, refusal?.status ?? 200);
  };
  app.get<{ Params: { id: string } }>('/claims/:id', signedIn, async (req: IdRequest, reply) => claimPage(req, reply));

  for (const kind of ['void', 'replace'] as const) {
    app.post<{ Params: { id: string } }>(`/claims/:id/${kind}`, post, async (req: IdRequest, reply) => {
      const values: Form = formFields(req);
      const result = await attempt(kind, values, () => correctClaim(db, eligibility, kind, req.params.id, { reason: values.reason ?? '' }, contextOf(req)));
      if ('refused' in result) return claimPage(req, reply, result.refused);
      return reply.redirect(`/claims/${result.ok.claimId}?done=${kind}`, 303);
    });
  }
};
