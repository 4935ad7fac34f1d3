// Provider organizations on the web: /organizations (those in the person's scope, and the form that adds one for a
// county administrator or a system administrator) and /organizations/:id (contracts, sites, employed peers,
// staff and supervisors, supervision) with a form for each thing its managers record. The use cases decide who
// reaches what; an organization out of reach answers 404, like one that does not exist.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { can, scopeCounties, type Action } from '../access/can.ts';
import type { UseCaseContext } from '../access/context.ts';
import { requireActor, requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { DELIVERY_SYSTEMS } from '../counties/reference-data.ts';
import type { Db } from '../db/client.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { AppError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert } from '../web/forms.tsx';
import type { Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { reachOrganization, type OrganizationReach } from './organization-access.ts';
import { getOrganization, listOrganizations } from './organization-queries.ts';
import { addOrganizationStaff, addSite } from './organization-staff.ts';
import { addContract, assignSupervision, createOrganization, employPeer, recordSupervisor } from './organizations.service.ts';

const COUNTY_NAMES = new Map(CALIFORNIA_COUNTIES.map((c) => [c.fips, c.name]));
export const countyName = (fips: string) => COUNTY_NAMES.get(fips) ?? fips;

/** The organization as the page's action reaches it; one out of reach is 404, like one that does not exist. */
export async function reachedOr404(db: Db, organizationId: string, action: Action, context: UseCaseContext): Promise<OrganizationReach> {
  return notFoundIfRefused(() => reachOrganization(db, organizationId, action, context, 'see this provider organization'));
}

/** Run a read; a 403 becomes the 404 a missing record gets, so an id reveals nothing. */
export async function notFoundIfRefused<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof AppError && err.status === 403) throw new AppError('not-found', 'There is no such record.');
    throw err;
  }
}

/** A "not found" naming a field (no account with that email) is the form's to show, not a missing page. */
async function asFormError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.kind === 'not-found' && err.errors.length > 0) throw new AppError('bad-request', err.message, err.errors);
    throw err;
  }
}

/** "2026-01-01 to 2026-07-01", or "from … open-ended"; the end is the first day not covered. */
export function PeriodText({ t, from, to }: { t: Translate; from: string; to: string | null }) {
  return <>{to === null ? t('organizations.detail.since', { from }) : t('organizations.detail.period', { from, to })}</>;
}

function CurrentTag({ t, current }: { t: Translate; current: boolean }) {
  return <span class={current ? 'usa-tag bg-green margin-left-1' : 'usa-tag bg-base margin-left-1'}>{t(current ? 'organizations.detail.current' : 'organizations.detail.ended')}</span>;
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-heading`} class="margin-top-5" id={id}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

export const errorsFor = (refusal: Refusal | undefined, form: string) => (refusal?.form === form ? refusal.errors : []);
export const valuesFor = (refusal: Refusal | undefined, form: string): Form => (refusal?.form === form ? refusal.values : {});

/** The counties in which this person may add organizations: a county administrator's, or all for an administrator. */
function creatableCounties(actor: Actor): string[] {
  const scope = scopeCounties(actor, 'organizations.manage');
  return scope === 'all' ? CALIFORNIA_COUNTIES.map((c) => c.fips) : scope;
}

function CountyOptions({ t, counties, selected }: { t: Translate; counties: readonly string[]; selected: string | undefined }) {
  return (
    <>
      <option value="">{t('organizations.form.choose')}</option>
      {counties.map((fips) => (
        <option key={fips} value={fips} selected={selected === fips}>
          {countyName(fips)}
        </option>
      ))}
    </>
  );
}

function CreateOrganizationForm({ t, csrf, counties, refusal }: { t: Translate; csrf: string; counties: string[]; refusal: Refusal | undefined }) {
  const errors = errorsFor(refusal, 'create');
  const v = valuesFor(refusal, 'create');
  return (
    <PostForm action="/organizations" csrfToken={csrf}>
      <Field name="name" label={t('organizations.create.name')} value={v.name} errors={errors} autocomplete="organization" />
      <SelectField name="kind" label={t('organizations.create.kind')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        {(['county_operated', 'contracted'] as const).map((k) => (
          <option key={k} value={k} selected={v.kind === k}>
            {t(`organizations.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <Field name="npi" label={t('organizations.create.npi')} hint={t('organizations.create.npiHint')} value={v.npi} errors={errors} autocomplete="off" />
      <Field name="taxId" label={t('organizations.create.taxId')} hint={t('organizations.create.taxIdHint')} value={v.taxId} errors={errors} autocomplete="off" />
      <SelectField name="countyFips" label={t('organizations.create.county')} errors={errors} required>
        <CountyOptions t={t} counties={counties} selected={v.countyFips ?? (counties.length === 1 ? counties[0] : undefined)} />
      </SelectField>
      <Field name="street" label={t('organizations.create.street')} hint={t('organizations.create.streetHint')} value={v.street} errors={errors} autocomplete="street-address" />
      <Field name="city" label={t('organizations.create.city')} value={v.city} errors={errors} autocomplete="address-level2" />
      <Field name="zip" label={t('organizations.create.zip')} value={v.zip} errors={errors} autocomplete="postal-code" />
      <button class="usa-button" type="submit">
        {t('organizations.create.button')}
      </button>
    </PostForm>
  );
}

type OrganizationListing = Awaited<ReturnType<typeof listOrganizations>>;

function ListPage({ ctx, organizations, counties, csrf, refusal }: { ctx: PageContext; organizations: OrganizationListing; counties: string[]; csrf: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('organizations.list.title')} current="services">
      <h1>{t('organizations.list.title')}</h1>
      <p class="usa-intro">{t('organizations.list.lead')}</p>
      {organizations.length === 0 ? (
        <p data-testid="no-organizations">{t('organizations.list.none')}</p>
      ) : (
        <DataTable caption={t('organizations.list.caption')} columns={[t('organizations.list.colName'), t('organizations.list.colKind'), t('organizations.list.colNpi'), t('organizations.list.colCounty'), t('organizations.list.colCity')]} variant="width-full" testId="organizations">
          {organizations.map((o) => (
            <tr key={o.id}>
              <th scope="row" data-label={t('organizations.list.colName')}>
                <a href={`/organizations/${o.id}`}>{o.name}</a>
              </th>
              <td data-label={t('organizations.list.colKind')}>{t(`organizations.kind.${o.kind}`)}</td>
              <td data-label={t('organizations.list.colNpi')}>{o.npi}</td>
              <td data-label={t('organizations.list.colCounty')}>{countyName(o.countyFips)}</td>
              <td data-label={t('organizations.list.colCity')}>{o.city}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {counties.length > 0 && (
        <Section id="add-organization" title={t('organizations.create.heading')}>
          <FormAlert heading={t('organizations.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
          <CreateOrganizationForm t={t} csrf={csrf} counties={counties} refusal={refusal} />
        </Section>
      )}
    </Layout>
  );
}

type OrganizationView = Awaited<ReturnType<typeof getOrganization>>;

interface FormProps {
  t: Translate;
  action: string;
  csrf: string;
  refusal: Refusal | undefined;
}

function PeriodFields({ t, form, refusal }: { t: Translate; form: string; refusal: Refusal | undefined }) {
  const errors = errorsFor(refusal, form);
  const v = valuesFor(refusal, form);
  return (
    <>
      <Field name="startsOn" id={`${form}-startsOn`} type="date" label={t('organizations.form.startsOn')} value={v.startsOn} errors={errors} />
      <Field name="endsOn" id={`${form}-endsOn`} type="date" label={t('organizations.form.endsOn')} hint={t('organizations.form.endsOnHint')} value={v.endsOn} errors={errors} required={false} />
    </>
  );
}

function ContractForm({ t, action, csrf, refusal }: FormProps) {
  const errors = errorsFor(refusal, 'contract');
  const v = valuesFor(refusal, 'contract');
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('organizations.contracts.add')}</h3>
      <SelectField name="deliverySystem" id="contract-deliverySystem" label={t('organizations.contracts.system')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        <DeliverySystemOptions t={t} selected={v.deliverySystem} />
      </SelectField>
      <PeriodFields t={t} form="contract" refusal={refusal} />
      <button class="usa-button usa-button--outline" type="submit">
        {t('organizations.contracts.button')}
      </button>
    </PostForm>
  );
}

function SiteForm({ t, action, csrf, refusal }: FormProps) {
  const errors = errorsFor(refusal, 'site');
  const v = valuesFor(refusal, 'site');
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('organizations.sites.add')}</h3>
      <Field name="name" id="site-name" label={t('organizations.sites.name')} value={v.name} errors={errors} />
      <Field name="street" id="site-street" label={t('organizations.sites.street')} value={v.street} errors={errors} autocomplete="street-address" />
      <Field name="city" id="site-city" label={t('organizations.sites.city')} value={v.city} errors={errors} autocomplete="address-level2" />
      <Field name="zip" id="site-zip" label={t('organizations.sites.zip')} value={v.zip} errors={errors} autocomplete="postal-code" />
      <Field name="placeOfService" id="site-placeOfService" label={t('organizations.sites.placeOfService')} hint={t('organizations.sites.placeOfServiceHint')} value={v.placeOfService} errors={errors} />
      <button class="usa-button usa-button--outline" type="submit">
        {t('organizations.sites.button')}
      </button>
    </PostForm>
  );
}

function EmploymentForm({ t, action, csrf, refusal }: FormProps) {
  const errors = errorsFor(refusal, 'employment');
  const v = valuesFor(refusal, 'employment');
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('organizations.peers.add')}</h3>
      <Field name="number" id="employment-number" label={t('organizations.peers.number')} hint={t('organizations.peers.numberHint')} value={v.number} errors={errors} autocomplete="off" />
      <Field name="individualNpi" id="employment-individualNpi" label={t('organizations.peers.npi')} hint={t('organizations.peers.npiHint')} value={v.individualNpi} errors={errors} autocomplete="off" />
      <PeriodFields t={t} form="employment" refusal={refusal} />
      <button class="usa-button usa-button--outline" type="submit">
        {t('organizations.peers.button')}
      </button>
    </PostForm>
  );
}

function StaffForm({ t, action, csrf, refusal }: FormProps) {
  const errors = errorsFor(refusal, 'staff');
  const v = valuesFor(refusal, 'staff');
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('organizations.people.add')}</h3>
      <Field name="email" id="staff-email" type="email" label={t('organizations.people.email')} hint={t('organizations.people.emailHint')} value={v.email} errors={errors} autocomplete="off" />
      <SelectField name="role" id="staff-role" label={t('organizations.people.role')} errors={errors} required>
        {(['provider_staff', 'supervisor'] as const).map((r) => (
          <option key={r} value={r} selected={v.role === r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </SelectField>
      <button class="usa-button usa-button--outline" type="submit">
        {t('organizations.people.button')}
      </button>
    </PostForm>
  );
}

interface Person {
  userId: string;
  displayName: string;
}

function SupervisorForm({ t, action, csrf, refusal, people }: FormProps & { people: Person[] }) {
  const errors = errorsFor(refusal, 'supervisor');
  const v = valuesFor(refusal, 'supervisor');
  if (people.length === 0) return <p>{t('organizations.supervisor.noSupervisors')}</p>;
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('organizations.supervisor.add')}</h3>
      <SelectField name="userId" id="supervisor-userId" label={t('organizations.supervisor.person')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        {people.map((p) => (
          <option key={p.userId} value={p.userId} selected={v.userId === p.userId}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
      <Field name="qualificationBasis" id="supervisor-qualificationBasis" label={t('organizations.supervisor.basis')} hint={t('organizations.supervisor.basisHint')} value={v.qualificationBasis} errors={errors} />
      <Field name="trainingCompletedOn" id="supervisor-trainingCompletedOn" type="date" label={t('organizations.supervisor.trainingOn')} value={v.trainingCompletedOn} errors={errors} required={false} />
      <button class="usa-button usa-button--outline" type="submit">
        {t('organizations.supervisor.button')}
      </button>
    </PostForm>
  );
}

function SupervisionForm({ t, action, csrf, refusal, supervisors, numbers }: FormProps & { supervisors: Person[]; numbers: Array<{ number: string; name: string }> }) {
  const errors = errorsFor(refusal, 'supervision');
  const v = valuesFor(refusal, 'supervision');
  if (supervisors.length === 0) return <p>{t('organizations.supervision.needSupervisor')}</p>;
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('organizations.supervision.add')}</h3>
      <SelectField name="supervisorUserId" id="supervision-supervisorUserId" label={t('organizations.supervision.supervisor')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        {supervisors.map((p) => (
          <option key={p.userId} value={p.userId} selected={v.supervisorUserId === p.userId}>
            {p.displayName}
          </option>
        ))}
      </SelectField>
      <SelectField name="number" id="supervision-number" label={t('organizations.supervision.peer')} errors={errors} required>
        <option value="">{t('organizations.form.choose')}</option>
        {numbers.map((p) => (
          <option key={p.number} value={p.number} selected={v.number === p.number}>
            {p.name} ({p.number})
          </option>
        ))}
      </SelectField>
      <PeriodFields t={t} form="supervision" refusal={refusal} />
      <button class="usa-button usa-button--outline" type="submit">
        {t('organizations.supervision.button')}
      </button>
    </PostForm>
  );
}

interface OrganizationPageState {
  refusal?: Refusal | undefined;
  done?: string | undefined;
}

const DONE = ['created', 'contract', 'site', 'employment', 'staff', 'supervisor', 'supervision'];

function Facts({ t, view }: { t: Translate; view: OrganizationView }) {
  const o = view.organization;
  return (
    <dl class="pss-facts" aria-label={t('organizations.detail.facts')} data-testid="organization-facts">
      <dt>{t('organizations.list.colKind')}</dt>
      <dd>{t(`organizations.kind.${o.kind}`)}</dd>
      <dt>{t('organizations.detail.npi')}</dt>
      <dd>{o.npi}</dd>
      <dt>{t('organizations.detail.taxId')}</dt>
      <dd>{`${o.taxId.slice(0, 2)}-${o.taxId.slice(2)}`}</dd>
      <dt>{t('organizations.detail.county')}</dt>
      <dd>{countyName(o.countyFips)}</dd>
      <dt>{t('organizations.detail.address')}</dt>
      <dd>{`${o.street}, ${o.city}, ${o.state} ${o.zip}`}</dd>
    </dl>
  );
}

function WorkLinks({ t, id }: { t: Translate; id: string }) {
  return (
    <nav aria-label={t('organizations.detail.links')}>
      <ul class="usa-button-group">
        <li class="usa-button-group__item">
          <a class="usa-button" href={`/organizations/${id}/members`}>
            {t('organizations.detail.members')}
          </a>
        </li>
        <li class="usa-button-group__item">
          <a class="usa-button usa-button--outline" href={`/services?organizationId=${id}`}>
            {t('organizations.detail.services')}
          </a>
        </li>
        <li class="usa-button-group__item">
          <a class="usa-button usa-button--outline" href={`/organizations/${id}/services/new`}>
            {t('organizations.detail.document')}
          </a>
        </li>
      </ul>
    </nav>
  );
}

function OrganizationPage({ ctx, view, manage, csrf, state }: { ctx: PageContext; view: OrganizationView; manage: boolean; csrf: string; state: OrganizationPageState }) {
  const { t, locale } = ctx;
  const o = view.organization;
  const { refusal } = state;
  const action = (step: string) => `/organizations/${o.id}/${step}`;
  const supervisorPeople = view.people.filter((p) => p.role === 'supervisor');
  const qualified = supervisorPeople.filter((p) => p.qualificationBasis !== null);
  const numbers = [...new Map(view.employments.map((e) => [e.number, { number: e.number, name: `${e.firstName} ${e.lastName}` }])).values()];
  const formProps = { t, csrf, refusal };
  return (
    <Layout ctx={ctx} title={o.name} current="services">
      <p>
        <a href="/organizations">{t('organizations.detail.back')}</a>
      </p>
      <h1>{o.name}</h1>
      {state.done && DONE.includes(state.done) && <SuccessAlert message={t(`organizations.done.${state.done}`)} />}
      <FormAlert heading={t('organizations.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, locale)} />
      <Facts t={t} view={view} />
      <WorkLinks t={t} id={o.id} />

      <Section id="contracts" title={t('organizations.contracts.heading')}>
        {view.contracts.length === 0 ? (
          <p>{t('organizations.contracts.none')}</p>
        ) : (
          <DataTable caption={t('organizations.contracts.caption')} columns={[t('organizations.contracts.colSystem'), t('organizations.contracts.colPeriod')]} testId="contracts">
            {view.contracts.map((c) => (
              <tr key={c.id}>
                <th scope="row" data-label={t('organizations.contracts.colSystem')}>
                  {t(`systems.${c.deliverySystem}`)}
                </th>
                <td data-label={t('organizations.contracts.colPeriod')}>
                  <PeriodText t={t} from={c.startsOn} to={c.endsOn} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {manage && <ContractForm {...formProps} action={action('contracts')} />}
      </Section>

      <Section id="sites" title={t('organizations.sites.heading')}>
        {view.sites.length === 0 ? (
          <p>{t('organizations.sites.none')}</p>
        ) : (
          <DataTable caption={t('organizations.sites.caption')} columns={[t('organizations.sites.colName'), t('organizations.sites.colAddress'), t('organizations.sites.colPos')]} testId="sites">
            {view.sites.map((s) => (
              <tr key={s.id}>
                <th scope="row" data-label={t('organizations.sites.colName')}>
                  {s.name}
                </th>
                <td data-label={t('organizations.sites.colAddress')}>{`${s.street}, ${s.city} ${s.zip}`}</td>
                <td data-label={t('organizations.sites.colPos')}>{s.placeOfService}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {manage && <SiteForm {...formProps} action={action('sites')} />}
      </Section>

      <Section id="peers" title={t('organizations.peers.heading')}>
        {view.employments.length === 0 ? (
          <p>{t('organizations.peers.none')}</p>
        ) : (
          <DataTable caption={t('organizations.peers.caption')} columns={[t('organizations.peers.colPeer'), t('organizations.peers.colNumber'), t('organizations.peers.colNpi'), t('organizations.peers.colPeriod')]} testId="employments">
            {view.employments.map((e) => (
              <tr key={e.id}>
                <th scope="row" data-label={t('organizations.peers.colPeer')}>
                  {e.firstName} {e.lastName}
                </th>
                <td data-label={t('organizations.peers.colNumber')}>
                  <a href={`/registry/${e.number}`}>{e.number}</a>
                </td>
                <td data-label={t('organizations.peers.colNpi')}>{e.individualNpi}</td>
                <td data-label={t('organizations.peers.colPeriod')}>
                  <PeriodText t={t} from={e.startsOn} to={e.endsOn} />
                  <CurrentTag t={t} current={e.current} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {manage && <EmploymentForm {...formProps} action={action('employments')} />}
      </Section>

      <Section id="people" title={t('organizations.people.heading')}>
        {view.people.length === 0 ? (
          <p>{t('organizations.people.none')}</p>
        ) : (
          <DataTable caption={t('organizations.people.caption')} columns={[t('organizations.people.colName'), t('organizations.people.colEmail'), t('organizations.people.colRole'), t('organizations.people.colTraining')]} testId="people">
            {view.people.map((p) => (
              <tr key={`${p.userId}-${p.role}`}>
                <th scope="row" data-label={t('organizations.people.colName')}>
                  {p.displayName}
                </th>
                <td data-label={t('organizations.people.colEmail')}>{p.email}</td>
                <td data-label={t('organizations.people.colRole')}>{t(`roles.${p.role}`, { defaultValue: p.role })}</td>
                <td data-label={t('organizations.people.colTraining')}>
                  {p.role !== 'supervisor' ? '—' : p.trainingCompletedOn ? t('organizations.people.trained', { date: p.trainingCompletedOn }) : t('organizations.people.notTrained')}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {manage && (
          <div class="grid-row grid-gap">
            <div class="tablet:grid-col-6">
              <StaffForm {...formProps} action={action('staff')} />
            </div>
            <div class="tablet:grid-col-6">
              <SupervisorForm {...formProps} action={action('supervisors')} people={supervisorPeople} />
            </div>
          </div>
        )}
      </Section>

      <Section id="supervision" title={t('organizations.supervision.heading')}>
        {view.supervision.length === 0 ? (
          <p>{t('organizations.supervision.none')}</p>
        ) : (
          <DataTable caption={t('organizations.supervision.caption')} columns={[t('organizations.supervision.colSupervisor'), t('organizations.supervision.colPeer'), t('organizations.supervision.colPeriod')]} testId="supervision">
            {view.supervision.map((s) => (
              <tr key={s.id}>
                <th scope="row" data-label={t('organizations.supervision.colSupervisor')}>
                  {s.supervisor}
                </th>
                <td data-label={t('organizations.supervision.colPeer')}>{s.number}</td>
                <td data-label={t('organizations.supervision.colPeriod')}>
                  <PeriodText t={t} from={s.startsOn} to={s.endsOn} />
                  <CurrentTag t={t} current={s.current} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {manage && <SupervisionForm {...formProps} action={action('supervision')} supervisors={qualified} numbers={numbers} />}
      </Section>
    </Layout>
  );
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The delivery systems as options of a select, one of them chosen (the forms and filters of these pages). */
export function DeliverySystemOptions({ t, selected }: { t: Translate; selected: string | undefined }) {
  return (
    <>
      {DELIVERY_SYSTEMS.map((s) => (
        <option key={s.code} value={s.code} selected={selected === s.code}>
          {t(`systems.${s.code}`)}
        </option>
      ))}
    </>
  );
}

export const organizationsPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const csrf = (app as FastifyInstance).csrfProtection;
  const signedIn = { onRequest: async (req: FastifyRequest) => requireActor(req) };
  const post = { ...signedIn, preHandler: csrf };
  const creators = {
    onRequest: async (req: FastifyRequest) => {
      requireAllowed(req, 'organizations.manage');
      // Provider staff manage their own organization; adding one is a county's (or an administrator's) act.
      if (creatableCounties(req.actor).length === 0) throw new AppError('forbidden', 'Your account may not add provider organizations.');
    },
    preHandler: csrf,
  };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const organizations = await listOrganizations(db, contextOf(req));
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <ListPage ctx={req.pageContext()} organizations={organizations} counties={creatableCounties(req.actor)} csrf={reply.generateCsrf()} refusal={refusal} />, refusal?.status ?? 200);
  };
  app.get('/organizations', { onRequest: async (req) => requireAllowed(req, 'organizations.read') }, async (req, reply) => listPage(req, reply));
  app.post('/organizations', creators, async (req, reply) => {
    const values: Form = formFields(req);
    const result = await attempt('create', values, () => createOrganization(db, values, contextOf(req)));
    if ('refused' in result) return listPage(req, reply, result.refused);
    return reply.redirect(`/organizations/${result.ok.id}?done=created`, 303);
  });

  const organizationPage = async (req: IdRequest, reply: FastifyReply, state: OrganizationPageState = {}) => {
    const context = contextOf(req);
    const view = await notFoundIfRefused(() => getOrganization(db, req.params.id, context));
    const o = view.organization;
    const manage = can(req.actor, 'organizations.manage', { organizationId: o.id, countyFips: o.countyFips });
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <OrganizationPage ctx={req.pageContext()} view={view} manage={manage} csrf={reply.generateCsrf()} state={state} />, state.refusal?.status ?? 200);
  };
  app.get<{ Params: { id: string } }>('/organizations/:id', signedIn, async (req, reply) => organizationPage(req, reply, { done: (req.query as { done?: string }).done }));

  /** A form on the organization's page: run its use case, back to the page (at its section), or the page with the refusal. */
  const step = (path: string, form: string, section: string, run: (organizationId: string, values: Form, context: UseCaseContext) => Promise<unknown>) =>
    app.post<{ Params: { id: string } }>(`/organizations/:id/${path}`, post, async (req, reply) => {
      const values: Form = formFields(req);
      const result = await attempt(form, values, () => asFormError(() => run(req.params.id, values, contextOf(req))));
      if ('refused' in result) return organizationPage(req, reply, { refusal: result.refused });
      return reply.redirect(`/organizations/${req.params.id}?done=${form}#${section}`, 303);
    });
  step('contracts', 'contract', 'contracts', (organizationId, v, context) => addContract(db, { ...v, organizationId }, context));
  step('sites', 'site', 'sites', (organizationId, v, context) => addSite(db, { ...v, organizationId }, context));
  step('employments', 'employment', 'peers', (organizationId, v, context) => employPeer(db, { ...v, organizationId }, context));
  step('staff', 'staff', 'people', (organizationId, v, context) => addOrganizationStaff(db, { ...v, organizationId }, context));
  step('supervisors', 'supervisor', 'people', async (organizationId, v, context) => {
    // The supervisor is recorded for the person, wherever they work; the page is this organization's.
    await reachedOr404(db, organizationId, 'organizations.read', context);
    return recordSupervisor(db, v, context);
  });
  step('supervision', 'supervision', 'supervision', (organizationId, v, context) => assignSupervision(db, { ...v, organizationId }, context));
};
