// Documented services on the web: /services (the caseload and organization views, with filters, 50 a page and
// the same list as CSV), the encounter form /organizations/:id/services/new (one column, big targets, only what a
// service needs: a peer documents as themselves, staff name the peer), and one service /services/:id (its status,
// each failing rule in an alert and beside its field, open retro-check flags, the note's due date, the edit form,
// and mark billable, co-sign and check again). The form's field names are EncounterInput's keys. Service pages
// name members, so none is cached.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { asc, eq, inArray } from 'drizzle-orm';
import type { ComponentChildren } from 'preact';
import { can, canAny } from '../access/can.ts';
import type { UseCaseContext } from '../access/context.ts';
import { requireActor } from '../access/guard.ts';
import { listBeneficiaries } from '../beneficiaries/beneficiaries.service.ts';
import type { Db } from '../db/client.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { FieldError } from '../lib/errors.ts';
import { organizationsInScope, ownPeerId, type OrganizationRow } from '../organizations/organization-access.ts';
import { DeliverySystemOptions, reachedOr404, Section } from '../organizations/organizations.pages.tsx';
import { organizationSites, providerOrganizations } from '../organizations/organizations.schema.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FieldGroup, FormAlert, PostForm, SelectField, SuccessAlert, TextAreaField } from '../web/forms.tsx';
import { englishTextLang, formatTime, type Translate } from '../web/i18n.ts';
import { Pager } from '../web/pager.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { cosignEncounter, createEncounter, markBillable, recheckEncounter, updateEncounter } from './document-encounter.ts';
import { getEncounter, listEncounters, type EncounterListItem } from './encounter-queries.ts';
import { noteDueFor } from './encounter-facts.ts';
import { COMPONENTS, CONSENTS, MODALITIES } from './encounters.types.ts';

/** The place-of-service codes a peer service usually carries, in the order people pick them. */
const PLACES_OF_SERVICE = ['11', '12', '53', '02', '10', '99'] as const;
/** The filters of the list, in the order of the form (and of the CSV link's query). */
const FILTER_KEYS = ['state', 'from', 'to', 'component', 'deliverySystem', 'peerNumber', 'caseload', 'organizationId'] as const;
const STATES = ['draft', 'billable', 'flagged', 'failing'] as const;

type Choice = { id: string; name: string };

/** The organizations where the person may do `action` (their grants, their county, their employment), by name. */
async function organizationChoices(db: Db, action: 'encounters.read' | 'encounters.document', context: UseCaseContext): Promise<Choice[]> {
  const scope = await organizationsInScope(db, action, context);
  if (scope !== 'all' && scope.length === 0) return [];
  return db
    .select({ id: providerOrganizations.id, name: providerOrganizations.name })
    .from(providerOrganizations)
    .where(scope === 'all' ? undefined : inArray(providerOrganizations.id, scope))
    .orderBy(asc(providerOrganizations.name));
}

async function sitesOf(db: Db, organizationId: string): Promise<Choice[]> {
  return db.select({ id: organizationSites.id, name: organizationSites.name }).from(organizationSites).where(eq(organizationSites.organizationId, organizationId)).orderBy(asc(organizationSites.name));
}

/** One message per field: every failure or error about a field is shown beside it. */
function mergedByField(errors: readonly FieldError[]): FieldError[] {
  const byPath = new Map<string, string[]>();
  for (const e of errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.message]);
  return [...byPath].map(([path, messages]) => ({ path, message: [...new Set(messages)].join(' ') }));
}

const errorOf = (errors: readonly FieldError[], name: string) => errors.find((e) => e.path === name)?.message;

// ---------------------------------------------------------------------------------------------------------------
// The encounter form

/** What the form holds: its fields, and the members chosen (a repeated field). */
interface EncounterValues {
  fields: Form;
  participantIds: string[];
}

/** The repeated participantIds of a url-encoded body: one value arrives as a string, several as an array. */
function participantIdsOf(req: FastifyRequest): string[] {
  const raw = (req.body as Record<string, unknown> | undefined)?.participantIds;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string' && v !== '');
}

function valuesOf(req: FastifyRequest): EncounterValues {
  return { fields: formFields(req), participantIds: participantIdsOf(req) };
}

function ChoiceFieldset({ name, legend, hint, error, children }: { name: string; legend: string; hint?: string | undefined; error: string | undefined; children: ComponentChildren }) {
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={error ? 'usa-fieldset usa-form-group usa-form-group--error' : 'usa-fieldset usa-form-group'} aria-describedby={describedBy} id={name}>
      <legend class="usa-legend">{legend}</legend>
      {hint && (
        <div class="usa-hint" id={`${name}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <span class="usa-error-message" id={`${name}-error`}>
          {error}
        </span>
      )}
      {children}
    </fieldset>
  );
}

interface RadioOption {
  value: string;
  label: string;
  hint?: string | undefined;
}

function RadioTiles({ name, legend, options, value, errors }: { name: string; legend: string; options: RadioOption[]; value: string | undefined; errors: FieldError[] }) {
  return (
    <ChoiceFieldset name={name} legend={legend} error={errorOf(errors, name)}>
      {options.map((o) => (
        <div class="usa-radio" key={o.value}>
          <input class="usa-radio__input usa-radio__input--tile" id={`${name}-${o.value}`} type="radio" name={name} value={o.value} checked={value === o.value} required />
          <label class="usa-radio__label" for={`${name}-${o.value}`}>
            {o.label}
            {o.hint && <span class="usa-checkbox__label-description">{o.hint}</span>}
          </label>
        </div>
      ))}
    </ChoiceFieldset>
  );
}

function MemberChoices({ t, members, chosen, errors, registerHref }: { t: Translate; members: Array<{ id: string; firstName: string; lastName: string }>; chosen: string[]; errors: FieldError[]; registerHref: string | null }) {
  return (
    <ChoiceFieldset name="participantIds" legend={t('services.form.membersLegend')} hint={t('services.form.membersHint')} error={errorOf(errors, 'participantIds')}>
      {members.length === 0 && (
        <p>
          {t('services.form.noMembers')} {registerHref && <a href={registerHref}>{t('services.form.registerMember')}</a>}
        </p>
      )}
      {members.map((m) => (
        <div class="usa-checkbox" key={m.id}>
          <input class="usa-checkbox__input usa-checkbox__input--tile" id={`participantIds-${m.id}`} type="checkbox" name="participantIds" value={m.id} checked={chosen.includes(m.id)} />
          <label class="usa-checkbox__label" for={`participantIds-${m.id}`}>
            {m.firstName} {m.lastName}
          </label>
        </div>
      ))}
    </ChoiceFieldset>
  );
}

/** A labelled time or number input (the shared Field draws text, email, password and date inputs). */
function InputField({ name, label, hint, type, value, errors, inputMode }: { name: string; label: string; hint?: string; type: 'time' | 'text'; value: string | undefined; errors: FieldError[]; inputMode?: 'numeric' }) {
  return (
    <FieldGroup name={name} label={label} hint={hint} errors={errors}>
      {(describedBy, error) => (
        <input
          class={error ? 'usa-input usa-input--small usa-input--error' : 'usa-input usa-input--small'}
          id={name}
          name={name}
          type={type}
          value={value}
          inputMode={inputMode}
          pattern={inputMode === 'numeric' ? '[0-9]*' : undefined}
          autocomplete="off"
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
        />
      )}
    </FieldGroup>
  );
}

/** The peer as text where the form does not ask for them, with what is wrong about them (not certified, …). */
function PeerShown({ label, peer, error }: { label: string; peer: string; error: string | undefined }) {
  return (
    <div class={error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'} id="peerNumber">
      <p class="usa-label">{label}</p>
      {error && <span class="usa-error-message">{error}</span>}
      <p class="margin-top-05">{peer}</p>
    </div>
  );
}

/** "I sign this note": a checkbox, with its error above it. */
function SignField({ t, checked, error }: { t: Translate; checked: boolean; error: string | undefined }) {
  const describedBy = ['sign-hint', error ? 'sign-error' : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      {error && (
        <span class="usa-error-message" id="sign-error">
          {error}
        </span>
      )}
      <div class="usa-checkbox">
        <input class="usa-checkbox__input usa-checkbox__input--tile" id="sign" type="checkbox" name="sign" value="on" checked={checked} aria-describedby={describedBy} aria-invalid={error ? 'true' : undefined} />
        <label class="usa-checkbox__label" for="sign">
          {t('services.form.sign')}
          <span class="usa-checkbox__label-description" id="sign-hint">
            {t('services.form.signHint')}
          </span>
        </label>
      </div>
    </div>
  );
}

interface EncounterFormProps {
  ctx: PageContext;
  action: string;
  csrf: string;
  values: EncounterValues;
  errors: FieldError[];
  members: Array<{ id: string; firstName: string; lastName: string }>;
  sites: Choice[];
  /** Staff name the peer who gave the service; a peer documents as themselves. */
  askPeerNumber: boolean;
  /** The peer, shown as text when not asked for. */
  peer?: string | undefined;
  /** The signed-in person is (or may be) the peer who gave it: only they sign. */
  canSign: boolean;
  version?: number | undefined;
  registerHref: string | null;
}

/** The encounter form: the same fields to document a service and to correct one. */
function EncounterForm({ ctx, action, csrf, values, errors: given, members, sites, askPeerNumber, peer, canSign, version, registerHref }: EncounterFormProps) {
  const { t } = ctx;
  const v = values.fields;
  const errors = mergedByField(given);
  const pos = v.placeOfService ?? '';
  return (
    <PostForm action={action} csrfToken={csrf}>
      {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
      <MemberChoices t={t} members={members} chosen={values.participantIds} errors={errors} registerHref={registerHref} />
      {askPeerNumber ? (
        <Field name="peerNumber" label={t('services.form.peerNumber')} hint={t('services.form.peerNumberHint')} value={v.peerNumber} errors={errors} autocomplete="off" />
      ) : (
        peer !== undefined && <PeerShown label={t('services.form.peer')} peer={peer} error={errorOf(errors, 'peerNumber')} />
      )}
      <Field name="serviceDate" type="date" label={t('services.form.serviceDate')} value={v.serviceDate} errors={errors} />
      <InputField name="startTime" type="time" label={t('services.form.startTime')} value={v.startTime} errors={errors} />
      <InputField name="endTime" type="time" label={t('services.form.endTime')} value={v.endTime} errors={errors} />
      <InputField name="minutes" type="text" inputMode="numeric" label={t('services.form.minutes')} hint={t('services.form.minutesHint')} value={v.minutes} errors={errors} />
      <RadioTiles name="component" legend={t('services.form.componentLegend')} value={v.component} errors={errors} options={COMPONENTS.map((c) => ({ value: c, label: t(`services.component.${c}`), hint: t(`services.componentHint.${c}`) }))} />
      <SelectField name="deliverySystem" label={t('services.form.deliverySystem')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        <DeliverySystemOptions t={t} selected={v.deliverySystem} />
      </SelectField>
      <RadioTiles name="modality" legend={t('services.form.modalityLegend')} value={v.modality} errors={errors} options={MODALITIES.map((m) => ({ value: m, label: t(`services.modality.${m}`) }))} />
      <SelectField name="telehealthConsent" label={t('services.form.telehealthConsent')} hint={t('services.form.telehealthConsentHint')} errors={errors}>
        <option value="">{t('services.form.consentNone')}</option>
        {CONSENTS.map((c) => (
          <option key={c} value={c} selected={v.telehealthConsent === c}>
            {t(`services.consent.${c}`)}
          </option>
        ))}
      </SelectField>
      <SelectField name="placeOfService" label={t('services.form.placeOfService')} hint={t('services.form.placeOfServiceHint')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        {PLACES_OF_SERVICE.map((code) => (
          <option key={code} value={code} selected={pos === code}>
            {t(`services.pos.${code}`)}
          </option>
        ))}
        {pos !== '' && !(PLACES_OF_SERVICE as readonly string[]).includes(pos) && (
          <option value={pos} selected>
            {t('services.form.otherCode', { code: pos })}
          </option>
        )}
      </SelectField>
      {sites.length > 0 && (
        <SelectField name="siteId" label={t('services.form.site')} errors={errors}>
          <option value="">{t('services.form.siteNone')}</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id} selected={v.siteId === s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      )}
      <Field name="carePlanReference" label={t('services.form.carePlanReference')} hint={t('services.form.carePlanReferenceHint')} value={v.carePlanReference} errors={errors} required={false} autocomplete="off" />
      <Field name="diagnosisCode" label={t('services.form.diagnosisCode')} hint={t('services.form.diagnosisCodeHint')} value={v.diagnosisCode} errors={errors} required={false} autocomplete="off" />
      <TextAreaField name="noteNarrative" label={t('services.form.noteNarrative')} hint={t('services.form.noteNarrativeHint')} value={v.noteNarrative} errors={errors} required={false} />
      <TextAreaField name="noteNextSteps" label={t('services.form.noteNextSteps')} value={v.noteNextSteps} errors={errors} required={false} />
      {canSign ? (
        <SignField t={t} checked={v.sign === 'on' || v.sign === 'true'} error={errorOf(errors, 'sign')} />
      ) : (
        errorOf(errors, 'sign') && (
          <div class="usa-form-group usa-form-group--error" id="sign">
            <span class="usa-error-message">{errorOf(errors, 'sign')}</span>
          </div>
        )
      )}
      <button class="usa-button usa-button--big" type="submit">
        {t('services.form.save')}
      </button>
    </PostForm>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The list

type Filter = Partial<Record<(typeof FILTER_KEYS)[number] | 'page', string>>;

function filterOf(query: unknown): Filter {
  const q = (query ?? {}) as Record<string, unknown>;
  const filter: Filter = {};
  for (const key of [...FILTER_KEYS, 'page'] as const) {
    const value = q[key];
    if (typeof value === 'string' && value.trim() !== '') filter[key] = value.trim().slice(0, 100);
  }
  return filter;
}

/** The filter as a query string, without the page (for the CSV link and the pager). */
function filterQuery(filter: Filter): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) params.set(key, filter[key]);
  return params.toString();
}

function FilterForm({ t, filter, organizations, errors }: { t: Translate; filter: Filter; organizations: Choice[]; errors: FieldError[] }) {
  return (
    <form method="get" action="/services" class="usa-form usa-form--large" role="search" aria-label={t('services.list.filterLegend')}>
      <fieldset class="usa-fieldset">
        <legend class="usa-legend usa-legend--large">{t('services.list.filterLegend')}</legend>
        <SelectField name="state" label={t('services.list.state')} errors={errors}>
          <option value="">{t('services.list.stateAny')}</option>
          {STATES.map((s) => (
            <option key={s} value={s} selected={filter.state === s}>
              {t(`services.list.stateOption.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field name="from" type="date" label={t('services.list.from')} value={filter.from} errors={errors} required={false} />
        <Field name="to" type="date" label={t('services.list.to')} value={filter.to} errors={errors} required={false} />
        <SelectField name="component" label={t('services.list.component')} errors={errors}>
          <option value="">{t('services.list.componentAny')}</option>
          {COMPONENTS.map((c) => (
            <option key={c} value={c} selected={filter.component === c}>
              {t(`services.component.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="deliverySystem" label={t('services.list.deliverySystem')} errors={errors}>
          <option value="">{t('services.list.systemAny')}</option>
          <DeliverySystemOptions t={t} selected={filter.deliverySystem} />
        </SelectField>
        <Field name="peerNumber" label={t('services.list.peerNumber')} value={filter.peerNumber} errors={errors} required={false} autocomplete="off" />
        {organizations.length > 1 && (
          <SelectField name="organizationId" label={t('services.list.organization')} errors={errors}>
            <option value="">{t('services.list.organizationAny')}</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id} selected={filter.organizationId === o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
        )}
        {organizations.length <= 1 && filter.organizationId && <input type="hidden" name="organizationId" value={filter.organizationId} />}
        <div class="usa-checkbox margin-top-3">
          <input class="usa-checkbox__input" id="caseload" type="checkbox" name="caseload" value="mine" checked={filter.caseload === 'mine'} />
          <label class="usa-checkbox__label" for="caseload">
            {t('services.list.caseload')}
          </label>
        </div>
      </fieldset>
      <button class="usa-button" type="submit">
        {t('services.list.apply')}
      </button>{' '}
      <a href="/services" class="usa-button usa-button--unstyled">
        {t('services.list.clear')}
      </a>
    </form>
  );
}

function StatusTag({ t, status }: { t: Translate; status: string }) {
  return <span class={status === 'billable' ? 'usa-tag bg-green' : 'usa-tag bg-base'}>{t(`services.status.${status}`, { defaultValue: status })}</span>;
}

function ServiceRows({ t, rows }: { t: Translate; rows: EncounterListItem[] }) {
  const cols = ['colDate', 'colPeer', 'colComponent', 'colMinutes', 'colStatus', 'colFailures', 'colFlags', 'colOrganization'].map((c) => t(`services.list.${c}`));
  return (
    <DataTable caption={t('services.list.caption')} columns={cols} variant="width-full" testId="services">
      {rows.map((r) => (
        <tr key={r.id} data-encounter={r.id}>
          <th scope="row" data-label={cols[0]}>
            <a href={`/services/${r.id}`}>{r.serviceDate}</a>
            {r.startTime && ` ${r.startTime.slice(0, 5)}`}
          </th>
          <td data-label={cols[1]}>
            {r.peerName} ({r.peerNumber})
          </td>
          <td data-label={cols[2]}>{t(`services.component.${r.component}`, { defaultValue: r.component })}</td>
          <td data-label={cols[3]}>{r.minutes}</td>
          <td data-label={cols[4]}>
            <StatusTag t={t} status={r.status} />
          </td>
          <td data-label={cols[5]} data-testid="failure-count">
            {r.failures.length}
          </td>
          <td data-label={cols[6]}>{r.openFlags}</td>
          <td data-label={cols[7]}>{r.organizationName}</td>
        </tr>
      ))}
    </DataTable>
  );
}


interface ListPageProps {
  ctx: PageContext;
  filter: Filter;
  listing: { rows: EncounterListItem[]; total: number; page: number; pageSize: number };
  refusal: Refusal | undefined;
  organizations: Choice[];
  documentAt: Choice[];
  showOrganizations: boolean;
}

function ListPage({ ctx, filter, listing, refusal, organizations, documentAt, showOrganizations }: ListPageProps) {
  const { t, locale } = ctx;
  const query = filterQuery(filter);
  const pages = Math.ceil(listing.total / listing.pageSize);
  return (
    <Layout ctx={ctx} title={t('services.list.title')} current="services">
      <h1>{t('services.list.title')}</h1>
      <p class="usa-intro">{t('services.list.lead')}</p>
      {documentAt.length > 0 && (
        <nav aria-label={t('services.list.documentHeading')}>
          <ul class="usa-button-group">
            {documentAt.map((o) => (
              <li class="usa-button-group__item" key={o.id}>
                <a class="usa-button" href={`/organizations/${o.id}/services/new`}>
                  {t('services.list.documentAt', { organization: o.name })}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {showOrganizations && (
        <p>
          <a href="/organizations">{t('services.list.organizations')}</a>
        </p>
      )}
      <FormAlert heading={t('services.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, locale)} />
      <FilterForm t={t} filter={filter} organizations={organizations} errors={refusal?.errors ?? []} />
      <p>
        <span data-testid="services-total">{t('services.list.total', { total: listing.total })}</span> ·{' '}
        <a href={`/api/v1/encounters.csv${query ? `?${query}` : ''}`} data-testid="services-csv">
          {t('services.list.csv')}
        </a>
      </p>
      {listing.rows.length === 0 ? <p data-testid="no-services">{t('services.list.none')}</p> : <ServiceRows t={t} rows={listing.rows} />}
      <Pager path="/services" query={query} page={listing.page} pages={pages} labels={{ nav: t('services.list.pages'), previous: t('services.list.previous'), next: t('services.list.next'), pageOf: t('services.list.pageOf', { page: listing.page, pages }) }} />
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One service

type EncounterView = Awaited<ReturnType<typeof getEncounter>>;

interface ServiceRights {
  document: boolean;
  cosign: boolean;
  /** The signed-in person is the peer who gave the service. */
  isPeer: boolean;
}

interface ServicePageState {
  refusal?: Refusal | undefined;
  done?: string | undefined;
}

interface ServicePageProps {
  ctx: PageContext;
  view: EncounterView;
  noteDue: string | null;
  rights: ServiceRights;
  members: Array<{ id: string; firstName: string; lastName: string }>;
  sites: Choice[];
  csrf: string;
  state: ServicePageState;
}

function valuesOfRecord(view: EncounterView): EncounterValues {
  const e = view.encounter;
  const timed = e.startTime !== null && e.endTime !== null;
  return {
    fields: {
      serviceDate: e.serviceDate,
      startTime: e.startTime?.slice(0, 5) ?? '',
      endTime: e.endTime?.slice(0, 5) ?? '',
      minutes: timed ? '' : String(e.minutes),
      component: e.component,
      deliverySystem: e.deliverySystem,
      modality: e.modality,
      telehealthConsent: e.telehealthConsent ?? '',
      placeOfService: e.placeOfService,
      siteId: e.siteId ?? '',
      carePlanReference: e.carePlanReference ?? '',
      diagnosisCode: e.diagnosisCode ?? '',
      noteNarrative: e.noteNarrative,
      noteNextSteps: e.noteNextSteps,
    },
    participantIds: view.participants.map((p) => p.id),
  };
}

function Failures({ t, locale, failures, linked }: { t: Translate; locale: PageContext['locale']; failures: ReadonlyArray<{ code: string; message: string; field?: string }>; linked: boolean }) {
  if (failures.length === 0) {
    return (
      <div class="usa-alert usa-alert--success usa-alert--slim" role="status">
        <div class="usa-alert__body">
          <p class="usa-alert__text" data-testid="no-failures">
            {t('services.encounter.passes')}
          </p>
        </div>
      </div>
    );
  }
  return (
    <div class="usa-alert usa-alert--error" role="alert" data-testid="failures">
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">{t('services.encounter.failuresHeading')}</h2>
        <p class="usa-alert__text">{t('services.encounter.failuresLead')}</p>
        <ul class="usa-list" lang={englishTextLang(locale)}>
          {failures.map((f, i) => (
            <li key={`${f.code}-${i}`} data-failure={f.code}>
              {f.field && linked ? <a href={`#${f.field}`}>{f.message}</a> : f.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function Flags({ ctx, flags }: { ctx: PageContext; flags: EncounterView['flags'] }) {
  const { t, locale } = ctx;
  const open = flags.filter((f) => !f.resolved);
  if (open.length === 0) return null;
  return (
    <div class="usa-alert usa-alert--warning" role="region" aria-label={t('services.encounter.flagsHeading')} data-testid="flags">
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">{t('services.encounter.flagsHeading')}</h2>
        <ul class="usa-list">
          {open.map((f) => (
            <li key={f.id} data-flag={f.code}>
              <span lang={englishTextLang(locale)}>{f.reason}</span> <span>({t('services.encounter.flagRaised', { at: formatTime(f.raisedAt, locale) })})</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function ServiceFacts({ t, view, noteDue }: { t: Translate; view: EncounterView; noteDue: string | null }) {
  const e = view.encounter;
  return (
    <dl class="pss-facts" aria-label={t('services.encounter.facts')} data-testid="service-facts">
      <dt>{t('services.encounter.status')}</dt>
      <dd data-testid="service-status">
        <StatusTag t={t} status={e.status} />
      </dd>
      <dt>{t('services.encounter.date')}</dt>
      <dd>{e.serviceDate}</dd>
      {e.startTime && e.endTime && (
        <>
          <dt>{t('services.encounter.time')}</dt>
          <dd>{t('services.encounter.timeRange', { start: e.startTime.slice(0, 5), end: e.endTime.slice(0, 5) })}</dd>
        </>
      )}
      <dt>{t('services.encounter.minutes')}</dt>
      <dd>{e.minutes}</dd>
      <dt>{t('services.encounter.component')}</dt>
      <dd>{t(`services.component.${e.component}`, { defaultValue: e.component })}</dd>
      <dt>{t('services.encounter.deliverySystem')}</dt>
      <dd>{t(`systems.${e.deliverySystem}`, { defaultValue: e.deliverySystem })}</dd>
      <dt>{t('services.encounter.modality')}</dt>
      <dd>
        {t(`services.modality.${e.modality}`, { defaultValue: e.modality })}
        {e.telehealthConsent && ` · ${t(`services.consent.${e.telehealthConsent}`, { defaultValue: e.telehealthConsent })}`}
      </dd>
      <dt>{t('services.encounter.placeOfService')}</dt>
      <dd>{t(`services.pos.${e.placeOfService}`, { defaultValue: e.placeOfService })}</dd>
      <dt>{t('services.encounter.peer')}</dt>
      <dd>
        {view.peer.firstName} {view.peer.lastName} (<a href={`/registry/${view.peer.number}`}>{view.peer.number}</a>)
      </dd>
      <dt>{t('services.encounter.members')}</dt>
      <dd>
        <ul class="usa-list usa-list--unstyled">
          {view.participants.map((p) => (
            <li key={p.id}>
              <a href={`/members/${p.id}`}>
                {p.firstName} {p.lastName}
              </a>
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t('services.encounter.organization')}</dt>
      <dd>{view.organization.name}</dd>
      <dt>{t('services.encounter.noteDue')}</dt>
      <dd data-testid="note-due">{noteDue ?? t('services.encounter.noteDueUnknown')}</dd>
      <dt>{t('services.encounter.signed')}</dt>
      <dd>{e.signedOn ? t('services.encounter.signedOn', { date: e.signedOn }) : t('services.encounter.unsigned')}</dd>
      <dt>{t('services.encounter.cosigned')}</dt>
      <dd>{e.cosignedAt ? t('services.encounter.yes') : t('services.encounter.no')}</dd>
    </dl>
  );
}

function ActionButton({ action, csrf, label, outline }: { action: string; csrf: string; label: string; outline?: boolean }) {
  return (
    <form method="post" action={action} class="display-inline-block margin-right-1 margin-bottom-1">
      <input type="hidden" name="_csrf" value={csrf} />
      <button class={outline ? 'usa-button usa-button--outline' : 'usa-button'} type="submit">
        {label}
      </button>
    </form>
  );
}

const DONE = ['saved', 'billable', 'cosigned', 'rechecked'];

function ServicePage({ ctx, view, noteDue, rights, members, sites, csrf, state }: ServicePageProps) {
  const { t, locale } = ctx;
  const e = view.encounter;
  const { refusal } = state;
  const conflict = refusal?.status === 409;
  const editRefusal = refusal?.form === 'edit' ? refusal : undefined;
  const values = editRefusal ? { fields: editRefusal.values, participantIds: editRefusal.values.participantIds?.split(',').filter(Boolean) ?? [] } : valuesOfRecord(view);
  const errors = editRefusal ? editRefusal.errors : e.failures.map((f) => ({ path: f.field ?? 'form', message: f.message }));
  // A failed "mark billable" shows its failures in the list below; other refusals say what went wrong on top.
  const message = refusal && refusal.form !== 'billable' ? (conflict ? t('services.encounter.conflict') : refusal.message) : undefined;
  const action = (step: string) => `/services/${e.id}/${step}`;
  // Members of the form: the organization's, and whoever this service names even if the list leaves them out.
  const choices = [...members, ...view.participants.filter((p) => !members.some((m) => m.id === p.id))];
  return (
    <Layout ctx={ctx} title={t('services.encounter.title', { date: e.serviceDate })} current="services">
      <p>
        <a href="/services">{t('services.encounter.back')}</a>
      </p>
      <h1>{t('services.encounter.title', { date: e.serviceDate })}</h1>
      {state.done && DONE.includes(state.done) && <SuccessAlert message={t(`services.encounter.done.${state.done}`)} />}
      <FormAlert heading={t('services.encounter.errorHeading')} message={message} lang={conflict ? undefined : refusalLang(refusal, locale)} />
      {conflict && (
        <p>
          <a href={`/services/${e.id}`}>{t('services.encounter.reload')}</a>
        </p>
      )}
      <Failures t={t} locale={locale} failures={e.failures} linked={rights.document} />
      <Flags ctx={ctx} flags={view.flags} />
      <ServiceFacts t={t} view={view} noteDue={noteDue} />
      {(rights.document || rights.cosign) && (
        <Section id="actions" title={t('services.encounter.actions')}>
          {rights.document && e.status === 'draft' && <ActionButton action={action('billable')} csrf={csrf} label={t('services.encounter.billable')} />}
          {rights.cosign && e.signedAt && !e.cosignedAt && <ActionButton action={action('cosign')} csrf={csrf} label={t('services.encounter.cosign')} />}
          {rights.document && <ActionButton action={action('recheck')} csrf={csrf} label={t('services.encounter.recheck')} outline />}
        </Section>
      )}
      {rights.document ? (
        <Section id="edit" title={t('services.encounter.editHeading')}>
          <EncounterForm
            ctx={ctx}
            action={`/services/${e.id}`}
            csrf={csrf}
            values={values}
            errors={errors}
            members={choices}
            sites={sites}
            askPeerNumber={false}
            peer={`${view.peer.firstName} ${view.peer.lastName} (${view.peer.number})`}
            canSign={rights.isPeer}
            version={e.version}
            registerHref={null}
          />
        </Section>
      ) : (
        <Section id="note" title={t('services.encounter.note')}>
          <p class="text-pre-wrap" data-testid="note-narrative">
            {e.noteNarrative}
          </p>
          <p class="text-pre-wrap">{e.noteNextSteps}</p>
        </Section>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

interface NewPageState {
  values?: EncounterValues;
  refusal?: Refusal;
}

function NewServicePage({ ctx, org, form }: { ctx: PageContext; org: OrganizationRow; form: Omit<EncounterFormProps, 'ctx'> & { refusal: Refusal | undefined } }) {
  const { t, locale } = ctx;
  const { refusal, ...props } = form;
  return (
    <Layout ctx={ctx} title={t('services.form.title')} current="services">
      <h1>{t('services.form.title')}</h1>
      <p class="usa-intro">{t('services.form.lead', { organization: org.name })}</p>
      <FormAlert heading={t('services.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, locale)} />
      <EncounterForm ctx={ctx} {...props} />
    </Layout>
  );
}

export const encountersPages: FastifyPluginAsync<DomainOptions> = async (app, { db, eligibility }) => {
  const signedIn = { onRequest: async (req: FastifyRequest) => requireActor(req) };
  const post = { ...signedIn, preHandler: (app as FastifyInstance).csrfProtection };

  app.get('/services', signedIn, async (req, reply) => {
    const context = contextOf(req);
    const filter = filterOf(req.query);
    const result = await attempt('filter', filter, () => listEncounters(db, filter, context));
    const [organizations, documentAt] = await Promise.all([organizationChoices(db, 'encounters.read', context), organizationChoices(db, 'encounters.document', context)]);
    const listing = 'ok' in result ? result.ok : { rows: [], total: 0, page: 1, pageSize: 50 };
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <ListPage ctx={req.pageContext()} filter={filter} listing={listing} refusal={'refused' in result ? result.refused : undefined} organizations={organizations} documentAt={documentAt} showOrganizations={canAny(req.actor, 'organizations.read')} />,
      'refused' in result ? result.refused.status : 200,
    );
  });

  const newPage = async (req: IdRequest, reply: FastifyReply, state: NewPageState = {}) => {
    const context = contextOf(req);
    const { org, asPeerId } = await reachedOr404(db, req.params.id, 'encounters.document', context);
    const [members, sites, mine] = await Promise.all([listBeneficiaries(db, { organizationId: org.id }, context), sitesOf(db, org.id), ownPeerId(db, context)]);
    const asked = (req.query as { member?: unknown } | undefined)?.member;
    const values = state.values ?? { fields: { serviceDate: todayInCalifornia(), modality: 'in_person', placeOfService: '11' }, participantIds: typeof asked === 'string' && members.some((m) => m.id === asked) ? [asked] : [] };
    // The member asked for first, so a phone shows them without scrolling.
    const ordered = [...members.filter((m) => values.participantIds.includes(m.id)), ...members.filter((m) => !values.participantIds.includes(m.id))];
    const resource = { organizationId: org.id, countyFips: org.countyFips };
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <NewServicePage
        ctx={req.pageContext()}
        org={org}
        form={{
          action: `/organizations/${org.id}/services`,
          csrf: reply.generateCsrf(),
          values,
          errors: state.refusal?.errors ?? [],
          members: ordered,
          sites,
          askPeerNumber: asPeerId === null,
          canSign: asPeerId !== null || mine !== null,
          registerHref: can(req.actor, 'beneficiaries.manage', resource) ? `/organizations/${org.id}/members#register` : null,
          refusal: state.refusal,
        }}
      />,
      state.refusal?.status ?? 200,
    );
  };
  app.get<{ Params: { id: string } }>('/organizations/:id/services/new', signedIn, async (req, reply) => newPage(req, reply));

  app.post<{ Params: { id: string } }>('/organizations/:id/services', post, async (req, reply) => {
    const context = contextOf(req);
    await reachedOr404(db, req.params.id, 'encounters.document', context);
    const values = valuesOf(req);
    const result = await attempt('create', values.fields, () => createEncounter(db, eligibility, { ...values.fields, participantIds: values.participantIds, organizationId: req.params.id }, context));
    if ('refused' in result) return newPage(req, reply, { values, refusal: result.refused });
    return reply.redirect(`/services/${result.ok.encounter.id}?done=saved`, 303);
  });

  const servicePage = async (req: IdRequest, reply: FastifyReply, state: ServicePageState = {}) => {
    const context = contextOf(req);
    const view = await getEncounter(db, req.params.id, context);
    const org = view.organization;
    const resource = { organizationId: org.id, countyFips: org.countyFips };
    const isPeer = req.actor.kind === 'user' && view.peer.userId === req.actor.userId;
    const rights: ServiceRights = { document: isPeer || can(req.actor, 'encounters.document', resource), cosign: can(req.actor, 'encounters.cosign', resource), isPeer };
    const [noteDue, members, sites] = await Promise.all([
      noteDueFor(db, view.encounter.serviceDate),
      rights.document ? listBeneficiaries(db, { organizationId: org.id }, context) : Promise.resolve([]),
      rights.document ? sitesOf(db, org.id) : Promise.resolve([]),
    ]);
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <ServicePage ctx={req.pageContext()} view={view} noteDue={noteDue} rights={rights} members={members} sites={sites} csrf={reply.generateCsrf()} state={state} />, state.refusal?.status ?? 200);
  };
  app.get<{ Params: { id: string } }>('/services/:id', signedIn, async (req, reply) => servicePage(req, reply, { done: (req.query as { done?: string }).done }));

  app.post<{ Params: { id: string } }>('/services/:id', post, async (req, reply) => {
    const values = valuesOf(req);
    // The chosen members ride along with the typed values (joined), so a refused edit keeps them.
    const kept: Form = { ...values.fields, participantIds: values.participantIds.join(',') };
    const result = await attempt('edit', kept, () => updateEncounter(db, eligibility, req.params.id, { ...values.fields, participantIds: values.participantIds }, contextOf(req)));
    if ('refused' in result) return servicePage(req, reply, { refusal: result.refused });
    return reply.redirect(`/services/${req.params.id}?done=saved`, 303);
  });

  /** A button on the service's page: run it, back to the page with what was done, or the page with the refusal. */
  const step = (name: string, done: string, run: (id: string, context: UseCaseContext) => Promise<unknown>) =>
    app.post<{ Params: { id: string } }>(`/services/:id/${name}`, post, async (req, reply) => {
      const result = await attempt(name, {}, () => run(req.params.id, contextOf(req)));
      if ('refused' in result) return servicePage(req, reply, { refusal: result.refused });
      return reply.redirect(`/services/${req.params.id}?done=${done}`, 303);
    });
  step('billable', 'billable', (id, context) => markBillable(db, eligibility, id, context));
  step('cosign', 'cosigned', (id, context) => cosignEncounter(db, id, context));
  step('recheck', 'rechecked', (id, context) => recheckEncounter(db, eligibility, id, context));
};
