// Members on the web: an organization's members (/organizations/:id/members: find by name, register one, import
// eligibility from a CSV with a line-by-line report) and one member (/members/:id: CIN, birth date, county,
// eligibility periods and the form that adds one). Member pages are protected health information: never cached,
// and the CIN never goes into a URL (the list is searched by name; lookups by CIN are POSTs of the API).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../access/can.ts';
import { requireActor } from '../access/guard.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import type { OrganizationRow } from '../organizations/organization-access.ts';
import { countyName, errorsFor, reachedOr404, Section, valuesFor } from '../organizations/organizations.pages.tsx';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, FormProblem, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, FormGroup, PostForm, SelectField, SuccessAlert, UploadForm } from '../web/forms.tsx';
import { englishTextLang, type Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { getBeneficiary, listBeneficiaries, registerBeneficiary, type MemberListItem } from './beneficiaries.service.ts';
import { importEligibilityCsv, recordEligibility, type EligibilityImportResult } from './eligibility.service.ts';

const SEXES = ['F', 'M', 'U'] as const;

function RegisterForm({ t, action, csrf, countyFips, refusal }: { t: Translate; action: string; csrf: string; countyFips: string; refusal: Refusal | undefined }) {
  const errors = errorsFor(refusal, 'register');
  const v = valuesFor(refusal, 'register');
  return (
    <PostForm action={action} csrfToken={csrf}>
      <Field name="cin" label={t('members.register.cin')} hint={t('members.register.cinHint')} value={v.cin} errors={errors} autocomplete="off" />
      <Field name="firstName" label={t('members.register.firstName')} value={v.firstName} errors={errors} autocomplete="off" />
      <Field name="lastName" label={t('members.register.lastName')} value={v.lastName} errors={errors} autocomplete="off" />
      <Field name="birthDate" type="date" label={t('members.register.birthDate')} value={v.birthDate} errors={errors} autocomplete="off" />
      <SelectField name="sex" label={t('members.register.sex')} errors={errors}>
        {SEXES.map((s) => (
          <option key={s} value={s} selected={(v.sex ?? 'U') === s}>
            {t(`members.sex.${s}`)}
          </option>
        ))}
      </SelectField>
      <SelectField name="countyFips" label={t('members.register.county')} hint={t('members.register.countyHint')} errors={errors} required>
        <option value="">{t('members.form.choose')}</option>
        {CALIFORNIA_COUNTIES.map((c) => (
          <option key={c.fips} value={c.fips} selected={(v.countyFips ?? countyFips) === c.fips}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <Field name="street" label={t('members.register.street')} hint={t('members.register.streetHint')} value={v.street} errors={errors} required={false} autocomplete="off" />
      <Field name="city" label={t('members.register.city')} value={v.city} errors={errors} required={false} autocomplete="off" />
      <Field name="zip" label={t('members.register.zip')} value={v.zip} errors={errors} required={false} autocomplete="off" />
      <button class="usa-button" type="submit">
        {t('members.register.button')}
      </button>
    </PostForm>
  );
}

function ImportForm({ t, action, csrf, error }: { t: Translate; action: string; csrf: string; error: string | undefined }) {
  return (
    <UploadForm action={action} csrfToken={csrf}>
      <FormGroup id="file" label={t('members.import.file')} hint={t('members.import.fileHint')} error={error}>
        {(describedBy, err) => (
          <input class={err ? 'usa-file-input usa-input--error' : 'usa-file-input'} id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby={describedBy} aria-invalid={err ? 'true' : undefined} />
        )}
      </FormGroup>
      <button class="usa-button usa-button--outline" type="submit">
        {t('members.import.button')}
      </button>
    </UploadForm>
  );
}

function ImportReport({ ctx, report }: { ctx: PageContext; report: EligibilityImportResult }) {
  const { t } = ctx;
  return (
    <div data-testid="import-report">
      <SuccessAlert message={t('members.import.summary', { recorded: report.recorded, already: report.alreadyRecorded, rejected: report.rejected })} />
      <DataTable caption={t('members.import.caption')} columns={[t('members.import.colLine'), t('members.import.colOutcome'), t('members.import.colReason')]} variant="width-full" testId="import-lines">
        {report.rows.map((r) => (
          <tr key={r.line} data-outcome={r.outcome}>
            <th scope="row" data-label={t('members.import.colLine')}>
              {r.line}
            </th>
            <td data-label={t('members.import.colOutcome')}>{t(`members.import.outcome.${r.outcome}`)}</td>
            <td data-label={t('members.import.colReason')} lang={r.reason ? englishTextLang(ctx.locale) : undefined}>
              {r.reason ?? '—'}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

interface MembersPageState {
  refusal?: Refusal | undefined;
  report?: EligibilityImportResult | undefined;
}

interface MembersPageProps {
  ctx: PageContext;
  org: OrganizationRow;
  members: MemberListItem[];
  name: string;
  manage: boolean;
  showOrganizationLink: boolean;
  csrf: string;
  state: MembersPageState;
}

function MembersPage({ ctx, org, members, name, manage, showOrganizationLink, csrf, state }: MembersPageProps) {
  const { t, locale } = ctx;
  const { refusal } = state;
  const importRefusal = refusal?.form === 'import' ? refusal : undefined;
  return (
    <Layout ctx={ctx} title={t('members.list.title', { organization: org.name })} current="services">
      {showOrganizationLink && (
        <p>
          <a href={`/organizations/${org.id}`}>{t('members.list.back', { organization: org.name })}</a>
        </p>
      )}
      <h1>{t('members.list.title', { organization: org.name })}</h1>
      <p class="usa-intro">{t('members.list.lead')}</p>
      <form method="get" action={`/organizations/${org.id}/members`} class="usa-form" role="search" aria-label={t('members.list.filterLegend')}>
        <Field name="name" label={t('members.list.name')} hint={t('members.list.nameHint')} value={name} required={false} autocomplete="off" />
        <button class="usa-button usa-button--outline" type="submit">
          {t('members.list.filterButton')}
        </button>
      </form>
      {members.length === 0 ? (
        <p data-testid="no-members">{t('members.list.none')}</p>
      ) : (
        <DataTable caption={t('members.list.caption')} columns={[t('members.list.colName'), t('members.list.colCounty'), t('members.list.colEligible')]} variant="width-full" testId="members">
          {members.map((m) => (
            <tr key={m.id}>
              <th scope="row" data-label={t('members.list.colName')}>
                <a href={`/members/${m.id}`}>
                  {m.lastName}, {m.firstName}
                </a>
              </th>
              <td data-label={t('members.list.colCounty')}>{countyName(m.countyFips)}</td>
              <td data-label={t('members.list.colEligible')}>{m.eligibleToday ? t('members.list.eligible') : t('members.list.notEligible')}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {manage && (
        <Section id="register" title={t('members.register.heading')}>
          {refusal?.form === 'register' && <FormAlert heading={t('members.form.errorHeading')} message={refusal.message} lang={refusalLang(refusal, locale)} />}
          <RegisterForm t={t} action={`/organizations/${org.id}/members`} csrf={csrf} countyFips={org.countyFips} refusal={refusal} />
        </Section>
      )}
      {manage && (
        <Section id="eligibility-import" title={t('members.import.heading')}>
          {importRefusal && <FormAlert heading={t('members.import.errorHeading')} message={importRefusal.message} lang={refusalLang(importRefusal, locale)} />}
          {state.report && <ImportReport ctx={ctx} report={state.report} />}
          <ImportForm t={t} action={`/organizations/${org.id}/eligibility-import`} csrf={csrf} error={importRefusal?.errors.find((e) => e.path === 'file')?.message} />
        </Section>
      )}
    </Layout>
  );
}

type MemberView = Awaited<ReturnType<typeof getBeneficiary>>;

function EligibilityForm({ t, action, csrf, refusal }: { t: Translate; action: string; csrf: string; refusal: Refusal | undefined }) {
  const errors = errorsFor(refusal, 'eligibility');
  const v = valuesFor(refusal, 'eligibility');
  return (
    <PostForm action={action} csrfToken={csrf}>
      <h3>{t('members.eligibility.add')}</h3>
      <Field name="startsOn" type="date" label={t('members.eligibility.startsOn')} value={v.startsOn} errors={errors} />
      <Field name="endsOn" type="date" label={t('members.eligibility.endsOn')} hint={t('members.eligibility.endsOnHint')} value={v.endsOn} errors={errors} required={false} />
      <Field name="aidCode" label={t('members.eligibility.aidCode')} hint={t('members.eligibility.aidCodeHint')} value={v.aidCode} errors={errors} required={false} autocomplete="off" />
      <button class="usa-button usa-button--outline" type="submit">
        {t('members.eligibility.button')}
      </button>
    </PostForm>
  );
}

interface MemberPageState {
  refusal?: Refusal | undefined;
  done?: string | undefined;
}

interface MemberPageProps {
  ctx: PageContext;
  view: MemberView;
  org: OrganizationRow;
  manage: boolean;
  document: boolean;
  showOrganizationLink: boolean;
  csrf: string;
  state: MemberPageState;
}

function MemberPage({ ctx, view, org, manage, document, showOrganizationLink, csrf, state }: MemberPageProps) {
  const { t, locale } = ctx;
  const m = view.member;
  const name = `${m.firstName} ${m.lastName}`;
  const done = state.done === 'registered' ? t('members.member.registered') : state.done === 'eligibility' ? t('members.member.eligibilityRecorded') : undefined;
  return (
    <Layout ctx={ctx} title={name} current="services">
      <p>
        <a href={`/organizations/${org.id}/members`}>{t('members.member.back', { organization: org.name })}</a>
      </p>
      <h1>{name}</h1>
      {done && <SuccessAlert message={done} />}
      <FormAlert heading={t('members.form.errorHeading')} message={state.refusal?.message} lang={refusalLang(state.refusal, locale)} />
      <dl class="pss-facts" aria-label={t('members.member.facts')} data-testid="member-facts">
        <dt>{t('members.member.cin')}</dt>
        <dd data-testid="member-cin">{m.cin}</dd>
        <dt>{t('members.member.birthDate')}</dt>
        <dd>{m.birthDate}</dd>
        <dt>{t('members.member.sex')}</dt>
        <dd>{t(`members.sex.${m.sex}`, { defaultValue: m.sex })}</dd>
        <dt>{t('members.member.county')}</dt>
        <dd>{countyName(m.countyFips)}</dd>
        <dt>{t('members.member.organization')}</dt>
        <dd>{showOrganizationLink ? <a href={`/organizations/${org.id}`}>{org.name}</a> : org.name}</dd>
      </dl>
      {document && (
        <p>
          <a class="usa-button" href={`/organizations/${org.id}/services/new?member=${m.id}`}>
            {t('members.member.document')}
          </a>{' '}
          <a class="usa-button usa-button--outline" href={`/services?organizationId=${org.id}`}>
            {t('members.member.services')}
          </a>
        </p>
      )}
      <Section id="eligibility" title={t('members.eligibility.heading')}>
        {view.eligibility.length === 0 ? (
          <p data-testid="no-eligibility">{t('members.eligibility.none')}</p>
        ) : (
          <DataTable caption={t('members.eligibility.caption')} columns={[t('members.eligibility.colFrom'), t('members.eligibility.colTo'), t('members.eligibility.colAid'), t('members.eligibility.colSource')]} testId="eligibility">
            {view.eligibility.map((p) => (
              <tr key={p.id}>
                <th scope="row" data-label={t('members.eligibility.colFrom')}>
                  {p.startsOn}
                </th>
                <td data-label={t('members.eligibility.colTo')}>{p.endsOn ?? t('members.eligibility.open')}</td>
                <td data-label={t('members.eligibility.colAid')}>{p.aidCode ?? '—'}</td>
                <td data-label={t('members.eligibility.colSource')}>{t(`members.eligibility.source.${p.source}`, { defaultValue: p.source })}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {manage && <EligibilityForm t={t} action={`/members/${m.id}/eligibility`} csrf={csrf} refusal={state.refusal} />}
      </Section>
    </Layout>
  );
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The rights that shape a page about an organization's members. */
function rightsAt(req: FastifyRequest, org: OrganizationRow, asPeerId: string | null) {
  const resource = { organizationId: org.id, countyFips: org.countyFips };
  return {
    manage: can(req.actor, 'beneficiaries.manage', resource),
    document: asPeerId !== null || can(req.actor, 'encounters.document', resource),
    showOrganizationLink: can(req.actor, 'organizations.read', resource),
  };
}

export const membersPages: FastifyPluginAsync<DomainOptions> = async (app, { db, fieldCipher }) => {
  const signedIn = { onRequest: async (req: FastifyRequest) => requireActor(req) };
  const post = { ...signedIn, preHandler: (app as FastifyInstance).csrfProtection };

  const membersPage = async (req: IdRequest, reply: FastifyReply, state: MembersPageState = {}) => {
    const context = contextOf(req);
    const { org, asPeerId } = await reachedOr404(db, req.params.id, 'beneficiaries.read', context);
    const asked = (req.query as { name?: unknown } | undefined)?.name;
    const name = typeof asked === 'string' ? asked.slice(0, 100) : '';
    const members = await listBeneficiaries(db, { organizationId: org.id, name }, context);
    const rights = rightsAt(req, org, asPeerId);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <MembersPage ctx={req.pageContext()} org={org} members={members} name={name} manage={rights.manage} showOrganizationLink={rights.showOrganizationLink} csrf={reply.generateCsrf()} state={state} />,
      state.refusal?.status ?? 200,
    );
  };
  app.get<{ Params: { id: string } }>('/organizations/:id/members', signedIn, async (req, reply) => membersPage(req, reply));

  app.post<{ Params: { id: string } }>('/organizations/:id/members', post, async (req, reply) => {
    const values: Form = formFields(req);
    const result = await attempt('register', values, () => registerBeneficiary(db, fieldCipher, { ...values, organizationId: req.params.id }, contextOf(req)));
    if ('refused' in result) return membersPage(req, reply, { refusal: result.refused });
    return reply.redirect(`/members/${result.ok.id}?done=registered`, 303);
  });

  app.post<{ Params: { id: string } }>('/organizations/:id/eligibility-import', post, async (req, reply) => {
    const context = contextOf(req);
    await reachedOr404(db, req.params.id, 'beneficiaries.read', context);
    const { t } = req.pageContext();
    const result = await attempt('import', {}, async () => {
      const file = await formFile(req, 'file');
      if (!file || file.bytes.length === 0) throw new FormProblem(t('members.import.noFile'), [{ path: 'file', message: t('members.import.noFile') }]);
      return importEligibilityCsv(db, fieldCipher, { organizationId: req.params.id, csv: file.bytes }, context);
    });
    if ('refused' in result) return membersPage(req, reply, { refusal: result.refused });
    return membersPage(req, reply, { report: result.ok });
  });

  const memberPage = async (req: IdRequest, reply: FastifyReply, state: MemberPageState = {}) => {
    const context = contextOf(req);
    const view = await getBeneficiary(db, fieldCipher, req.params.id, context);
    const { org, asPeerId } = await reachedOr404(db, view.member.organizationId, 'beneficiaries.read', context);
    const rights = rightsAt(req, org, asPeerId);
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <MemberPage ctx={req.pageContext()} view={view} org={org} {...rights} csrf={reply.generateCsrf()} state={state} />, state.refusal?.status ?? 200);
  };
  app.get<{ Params: { id: string } }>('/members/:id', signedIn, async (req, reply) => memberPage(req, reply, { done: (req.query as { done?: string }).done }));

  app.post<{ Params: { id: string } }>('/members/:id/eligibility', post, async (req, reply) => {
    const values: Form = formFields(req);
    const result = await attempt('eligibility', values, () => recordEligibility(db, req.params.id, values, contextOf(req)));
    if ('refused' in result) return memberPage(req, reply, { refusal: result.refused });
    return reply.redirect(`/members/${req.params.id}?done=eligibility`, 303);
  });
};
