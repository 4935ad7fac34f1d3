// /training: the providers the person may see (staff: all, with the form to add one); /training/providers/{id}:
// one provider's approvals, courses, rosters and members, with the forms staff and the provider's people use.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { canAny } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert, TextAreaField, UploadForm } from '../web/forms.tsx';
import { englishTextLang, formatTime } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields, formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { createCourse } from './create-course.ts';
import { createTrainingProvider } from './create-provider.ts';
import { hoursFromForm } from './form-checks.ts';
import { endProviderApproval, recordProviderApproval } from './provider-approvals.ts';
import { addProviderMember, removeProviderMember } from './provider-members.ts';
import {
  FileField,
  RejectionList,
  LanguageOptions,
  NumberField,
  SpecializationOptions,
  StatusTag,
  TrainingTypeOptions,
  languageName,
  renameErrors,
  trainingLabel,
} from './training.components.tsx';
import { getProviderDetail, listProviders, type ProviderDetail, type ProviderSummary } from './training-queries.ts';
import { PROVIDER_KINDS } from './training.vocabulary.ts';
import { uploadRoster } from './upload-roster.ts';

function ApprovalsSummary({ ctx, provider }: { ctx: PageContext; provider: ProviderSummary }) {
  const current = provider.approvals.filter((a) => a.status === 'current');
  if (current.length === 0) return <>{ctx.t('training.list.noCurrent')}</>;
  return (
    <ul class="usa-list usa-list--unstyled">
      {current.map((a) => (
        <li key={a.id}>{`${ctx.t(`training.types.${a.trainingType}`)} · ${languageName(a.language, ctx.locale)}`}</li>
      ))}
    </ul>
  );
}

function ProvidersPage({ ctx, providers, canCreate, canRecord, csrfToken, refusal }: {
  ctx: PageContext;
  providers: ProviderSummary[];
  canCreate: boolean;
  canRecord: boolean;
  csrfToken: string;
  refusal?: Refusal | undefined;
}) {
  const { t } = ctx;
  const values = refusal?.values ?? {};
  return (
    <Layout ctx={ctx} title={t('training.list.title')}>
      <h1>{t('training.list.title')}</h1>
      <p class="usa-intro">{canCreate ? t('training.list.leadStaff') : t('training.list.leadMember')}</p>
      {canRecord && (
        <p>
          <a class="usa-button usa-button--outline" href="/training/completions/new">
            {t('training.list.recordCompletion')}
          </a>
        </p>
      )}
      {providers.length === 0 ? (
        <p data-testid="no-providers">{canCreate ? t('training.list.none') : t('training.list.noneMember')}</p>
      ) : (
        <DataTable
          caption={t('training.list.caption')}
          columns={[t('training.list.colProvider'), t('training.list.colKind'), t('training.list.colApprovals'), t('training.list.colCourses')]}
          variant="width-full"
          testId="providers"
        >
          {providers.map((p) => (
            <tr key={p.id}>
              <th scope="row" data-label={t('training.list.colProvider')}>
                <a href={`/training/providers/${p.id}`}>{p.name}</a>
              </th>
              <td data-label={t('training.list.colKind')}>{t(`training.kinds.${p.kind}`)}</td>
              <td data-label={t('training.list.colApprovals')}>
                <ApprovalsSummary ctx={ctx} provider={p} />
              </td>
              <td data-label={t('training.list.colCourses')}>{String(p.courses.length)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {canCreate && (
        <section aria-labelledby="add-provider" class="margin-top-4">
          <h2 id="add-provider">{t('training.provider.addHeading')}</h2>
          <FormAlert heading={t('training.form.errorSummary')} message={refusal?.message} lang={englishTextLang(ctx.locale)} />
          <PostForm action="/training/providers" csrfToken={csrfToken}>
            <Field name="name" label={t('training.provider.name')} value={values.name} errors={refusal?.errors} />
            <SelectField name="kind" label={t('training.provider.kind')} errors={refusal?.errors} required>
              {PROVIDER_KINDS.map((k) => (
                <option key={k} value={k} selected={values.kind === k}>
                  {t(`training.kinds.${k}`)}
                </option>
              ))}
            </SelectField>
            <Field name="leadAgency" label={t('training.provider.leadAgency')} hint={t('training.provider.leadAgencyHint')} value={values.leadAgency} errors={refusal?.errors} required={false} />
            <Field name="contactEmail" type="email" label={t('training.provider.contactEmail')} value={values.contactEmail} errors={refusal?.errors} />
            <button class="usa-button" type="submit">
              {t('training.provider.addButton')}
            </button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}

const DONE = ['created', 'approval', 'approvalEnded', 'course', 'memberAdded', 'memberRemoved'] as const;

function ApprovalsSection({ ctx, provider }: { ctx: PageContext; provider: ProviderDetail }) {
  const { t } = ctx;
  const cols = [t('training.approval.colType'), t('training.approval.colLanguage'), t('training.approval.colFrom'), t('training.approval.colTo'), t('training.approval.colStatus'), t('training.approval.colEnded')];
  return (
    <section aria-labelledby="approvals">
      <h2 id="approvals">{t('training.approval.heading')}</h2>
      {provider.approvals.length === 0 ? (
        <p>{t('training.approval.none')}</p>
      ) : (
        <DataTable caption={t('training.approval.caption', { name: provider.name })} columns={cols} variant="width-full" testId="approvals">
          {provider.approvals.map((a) => (
            <tr key={a.id} data-status={a.status}>
              <th scope="row" data-label={cols[0]}>{t(`training.types.${a.trainingType}`)}</th>
              <td data-label={cols[1]}>{languageName(a.language, ctx.locale)}</td>
              <td data-label={cols[2]}>{a.approvedFrom}</td>
              <td data-label={cols[3]}>{a.approvedTo}</td>
              <td data-label={cols[4]}>
                <StatusTag t={t} status={a.status} />
              </td>
              <td data-label={cols[5]}>
                {a.endedOn ? (
                  <>
                    {a.endedOn}
                    {a.endReason && (
                      <>
                        {': '}
                        <span lang={englishTextLang(ctx.locale)}>{a.endReason}</span>
                      </>
                    )}
                  </>
                ) : (
                  t('training.approval.notEnded')
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function ApprovalForms({ ctx, provider, csrfToken, refusal }: { ctx: PageContext; provider: ProviderDetail; csrfToken: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const mine = (form: string) => (refusal?.form === form ? refusal : undefined);
  const add = mine('approval');
  const end = mine('endApproval');
  const addErrors = renameErrors(add?.errors, { trainingType: 'approvalType', language: 'approvalLanguage' });
  const endErrors = renameErrors(end?.errors, { endedOn: 'endedOn', reason: 'endReason' });
  const endable = provider.approvals.filter((a) => a.endedOn === null && a.status !== 'expired');
  return (
    <>
      <h3 id="add-approval">{t('training.approval.addHeading')}</h3>
      <FormAlert heading={t('training.form.errorSummary')} message={add?.message} lang={englishTextLang(ctx.locale)} />
      <PostForm action={`/training/providers/${provider.id}/approvals`} csrfToken={csrfToken}>
        <SelectField name="approvalType" label={t('training.form.trainingType')} errors={addErrors} required>
          <TrainingTypeOptions t={t} selected={add?.values.approvalType} />
        </SelectField>
        <SelectField name="approvalLanguage" label={t('training.form.language')} hint={t('training.approval.languageHint')} errors={addErrors} required>
          <LanguageOptions locale={ctx.locale} selected={add?.values.approvalLanguage} />
        </SelectField>
        <Field name="approvedFrom" type="date" label={t('training.approval.from')} value={add?.values.approvedFrom} errors={addErrors} />
        <Field name="approvedTo" type="date" label={t('training.approval.to')} hint={t('training.approval.toHint')} value={add?.values.approvedTo} errors={addErrors} />
        <button class="usa-button" type="submit">
          {t('training.approval.addButton')}
        </button>
      </PostForm>
      {endable.length > 0 && (
        <>
          <h3 id="end-approval">{t('training.approval.endHeading')}</h3>
          <p>{t('training.approval.endLead')}</p>
          <FormAlert heading={t('training.form.errorSummary')} message={end?.message} lang={englishTextLang(ctx.locale)} />
          <PostForm action={`/training/providers/${provider.id}/approvals/end`} csrfToken={csrfToken}>
            <SelectField name="approvalId" label={t('training.approval.which')} errors={endErrors} required>
              {endable.map((a) => (
                <option key={a.id} value={a.id} selected={end?.values.approvalId === a.id}>
                  {`${t(`training.types.${a.trainingType}`)} · ${languageName(a.language, ctx.locale)} · ${a.approvedFrom} – ${a.approvedTo}`}
                </option>
              ))}
            </SelectField>
            <Field name="endedOn" type="date" label={t('training.approval.endedOn')} hint={t('training.approval.endedOnHint')} value={end?.values.endedOn} errors={endErrors} />
            <TextAreaField name="endReason" label={t('training.approval.endReason')} value={end?.values.endReason} errors={endErrors} />
            <button class="usa-button usa-button--secondary" type="submit">
              {t('training.approval.endButton')}
            </button>
          </PostForm>
        </>
      )}
    </>
  );
}

function CoursesSection({ ctx, provider, csrfToken, refusal }: { ctx: PageContext; provider: ProviderPageData; csrfToken: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const cols = [t('training.course.colTitle'), t('training.course.colType'), t('training.course.colLanguage'), t('training.course.colHours'), t('training.course.colLawEthics')];
  const add = refusal?.form === 'course' ? refusal : undefined;
  const errors = renameErrors(add?.errors, {
    trainingType: 'courseType',
    specialization: 'courseSpecialization',
    language: 'courseLanguage',
    title: 'courseTitle',
    hours: 'courseHours',
    lawEthicsHours: 'courseLawEthicsHours',
  });
  return (
    <section aria-labelledby="courses" class="margin-top-4">
      <h2 id="courses">{t('training.course.heading')}</h2>
      {provider.courses.length === 0 ? (
        <p>{t('training.course.none')}</p>
      ) : (
        <DataTable caption={t('training.course.caption', { name: provider.name })} columns={cols} variant="width-full" testId="courses">
          {provider.courses.map((c) => (
            <tr key={c.id}>
              <th scope="row" data-label={cols[0]}>
                <span lang={c.language}>{c.title}</span>
              </th>
              <td data-label={cols[1]}>{trainingLabel(t, c.trainingType, c.specialization)}</td>
              <td data-label={cols[2]}>{languageName(c.language, ctx.locale)}</td>
              <td data-label={cols[3]}>{String(c.hours)}</td>
              <td data-label={cols[4]}>{String(c.lawEthicsHours)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {provider.may.addCourses && (
        <>
          <h3 id="add-course">{t('training.course.addHeading')}</h3>
          <p>{t('training.course.addLead')}</p>
          <FormAlert heading={t('training.form.errorSummary')} message={add?.message} lang={englishTextLang(ctx.locale)} />
          <PostForm action={`/training/providers/${provider.id}/courses`} csrfToken={csrfToken}>
            <Field name="courseTitle" label={t('training.course.title')} value={add?.values.courseTitle} errors={errors} />
            <SelectField name="courseType" label={t('training.form.trainingType')} errors={errors} required>
              <TrainingTypeOptions t={t} selected={add?.values.courseType} />
            </SelectField>
            <SelectField name="courseSpecialization" label={t('training.form.specialization')} hint={t('training.form.specializationHint')} errors={errors}>
              <SpecializationOptions t={t} selected={add?.values.courseSpecialization} />
            </SelectField>
            <SelectField name="courseLanguage" label={t('training.form.language')} errors={errors} required>
              <LanguageOptions locale={ctx.locale} selected={add?.values.courseLanguage} />
            </SelectField>
            <NumberField name="courseHours" label={t('training.form.hours')} hint={t('training.course.hoursHint', provider.courseHours)} value={add?.values.courseHours} errors={errors} />
            <NumberField name="courseLawEthicsHours" label={t('training.form.lawEthicsHours')} hint={t('training.form.lawEthicsHint')} value={add?.values.courseLawEthicsHours ?? '0'} errors={errors} />
            <button class="usa-button" type="submit">
              {t('training.course.addButton')}
            </button>
          </PostForm>
        </>
      )}
    </section>
  );
}

function RostersSection({ ctx, provider, csrfToken, refusal }: { ctx: PageContext; provider: ProviderDetail; csrfToken: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const cols = [t('training.roster.colUploaded'), t('training.roster.colCourse'), t('training.roster.colFile'), t('training.roster.colRows'), t('training.roster.colCredited'), t('training.roster.colRejected')];
  const upload = refusal?.form === 'roster' ? refusal : undefined;
  const errors = renameErrors(upload?.errors, { courseId: 'rosterCourseId', file: 'rosterFile' });
  return (
    <section aria-labelledby="rosters" class="margin-top-4">
      <h2 id="rosters">{t('training.roster.heading')}</h2>
      {provider.may.uploadRosters && provider.courses.length > 0 && (
        <>
          <h3 id="upload-roster">{t('training.roster.uploadHeading')}</h3>
          <p>{t('training.roster.uploadLead')}</p>
          <p class="font-mono-xs">email, legal_first_name, legal_last_name, completed_on, hours, law_ethics_hours</p>
          <FormAlert heading={t('training.form.errorSummary')} message={upload?.message} lang={englishTextLang(ctx.locale)} />
          <UploadForm action={`/training/providers/${provider.id}/rosters`} csrfToken={csrfToken}>
            <SelectField name="rosterCourseId" label={t('training.roster.course')} errors={errors} required>
              {provider.courses.map((c) => (
                <option key={c.id} value={c.id} selected={upload?.values.rosterCourseId === c.id}>
                  {`${c.title} (${trainingLabel(t, c.trainingType, c.specialization)}, ${languageName(c.language, ctx.locale)})`}
                </option>
              ))}
            </SelectField>
            <FileField name="rosterFile" label={t('training.roster.file')} hint={t('training.roster.fileHint')} accept=".csv,text/csv" errors={errors} />
            <button class="usa-button" type="submit">
              {t('training.roster.uploadButton')}
            </button>
          </UploadForm>
        </>
      )}
      {provider.rosters.length === 0 ? (
        <p>{t('training.roster.none')}</p>
      ) : (
        <DataTable caption={t('training.roster.caption', { name: provider.name })} columns={cols} variant="width-full" testId="rosters">
          {provider.rosters.map((r) => (
            <tr key={r.id}>
              <th scope="row" data-label={cols[0]}>
                <a href={`/training/rosters/${r.id}`}>{formatTime(r.uploadedAt, ctx.locale)}</a>
              </th>
              <td data-label={cols[1]}>
                <span lang={r.courseLanguage}>{r.courseTitle}</span>
              </td>
              <td data-label={cols[2]}>{r.filename}</td>
              <td data-label={cols[3]}>{String(r.rowCount)}</td>
              <td data-label={cols[4]}>{String(r.credited)}</td>
              <td data-label={cols[5]}>
                {String(r.rejections.length)}
                {r.rejections.length > 0 && <RejectionList t={t} rejections={r.rejections} limit={5} href={`/training/rosters/${r.id}`} />}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function MembersSection({ ctx, provider, csrfToken, refusal }: { ctx: PageContext; provider: ProviderDetail; csrfToken: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const add = refusal?.form === 'member' ? refusal : undefined;
  const errors = renameErrors(add?.errors, { email: 'memberEmail' });
  return (
    <section aria-labelledby="members" class="margin-top-4">
      <h2 id="members">{t('training.member.heading')}</h2>
      {provider.members.length === 0 ? (
        <p>{t('training.member.none')}</p>
      ) : (
        <ul class="usa-list" data-testid="members">
          {provider.members.map((m) => (
            <li key={m.userId}>
              {`${m.displayName} (${m.email})`}
              {provider.may.manage && (
                <>
                  {' '}
                  <form method="post" action={`/training/providers/${provider.id}/members/${m.userId}/remove`} class="display-inline">
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <button class="usa-button usa-button--unstyled" type="submit">
                      {t('training.member.remove', { name: m.displayName })}
                    </button>
                  </form>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {provider.may.manage && (
        <>
          <h3 id="add-member">{t('training.member.addHeading')}</h3>
          <p>{t('training.member.addLead')}</p>
          <FormAlert heading={t('training.form.errorSummary')} message={add?.message} lang={englishTextLang(ctx.locale)} />
          <PostForm action={`/training/providers/${provider.id}/members`} csrfToken={csrfToken}>
            <Field name="memberEmail" type="email" label={t('training.member.email')} value={add?.values.memberEmail} errors={errors} />
            <button class="usa-button" type="submit">
              {t('training.member.addButton')}
            </button>
          </PostForm>
        </>
      )}
    </section>
  );
}

/** The provider, and the hours the program sets for core and specialization courses (the course form's hint). */
type ProviderPageData = ProviderDetail & { courseHours: { core: number; specialization: number } };

function ProviderPage({ ctx, provider, csrfToken, done, refusal }: { ctx: PageContext; provider: ProviderPageData; csrfToken: string; done: string | undefined; refusal: Refusal | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={provider.name}>
      <p>
        <a href="/training">{t('training.provider.back')}</a>
      </p>
      <h1>{provider.name}</h1>
      <dl>
        <dt class="text-bold">{t('training.provider.kind')}</dt>
        <dd>{t(`training.kinds.${provider.kind}`)}</dd>
        {provider.leadAgency && (
          <>
            <dt class="text-bold">{t('training.provider.leadAgency')}</dt>
            <dd>{provider.leadAgency}</dd>
          </>
        )}
        <dt class="text-bold">{t('training.provider.contactEmail')}</dt>
        <dd>
          <a href={`mailto:${provider.contactEmail}`}>{provider.contactEmail}</a>
        </dd>
      </dl>
      {done && <SuccessAlert message={t(`training.done.${done}`)} />}
      <ApprovalsSection ctx={ctx} provider={provider} />
      {provider.may.manage && <ApprovalForms ctx={ctx} provider={provider} csrfToken={csrfToken} refusal={refusal} />}
      <CoursesSection ctx={ctx} provider={provider} csrfToken={csrfToken} refusal={refusal} />
      <RostersSection ctx={ctx} provider={provider} csrfToken={csrfToken} refusal={refusal} />
      <MembersSection ctx={ctx} provider={provider} csrfToken={csrfToken} refusal={refusal} />
    </Layout>
  );
}

export const trainingPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const reader = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'training.read'), schema: { hide: true } };
  const post = (action: Parameters<typeof requireAllowed>[1]) => ({
    onRequest: async (req: FastifyRequest) => requireAllowed(req, action),
    preHandler: (app as FastifyInstance).csrfProtection,
    schema: { hide: true },
  });

  const listPage = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const providers = await listProviders(db, contextOf(req));
    const page = (
      <ProvidersPage
        ctx={req.pageContext()}
        providers={providers}
        canCreate={canAny(req.actor, 'training.providers.manage')}
        canRecord={canAny(req.actor, 'training.completions.record')}
        csrfToken={reply.generateCsrf()}
        refusal={refusal}
      />
    );
    return sendPage(reply, page, refusal?.status ?? 200);
  };

  const providerPage = async (req: FastifyRequest, reply: FastifyReply, id: string, refusal?: Refusal) => {
    const detail = await getProviderDetail(db, id, contextOf(req));
    const rules = await rulesAsOf(db, todayInCalifornia());
    const provider = { ...detail, courseHours: { core: rules['training.core_hours'], specialization: rules['specialization.hours'] } };
    const done = (req.query as Record<string, unknown>).done;
    const notice = refusal === undefined && typeof done === 'string' && (DONE as readonly string[]).includes(done) ? done : undefined;
    return sendPage(reply, <ProviderPage ctx={req.pageContext()} provider={provider} csrfToken={reply.generateCsrf()} done={notice} refusal={refusal} />, refusal?.status ?? 200);
  };

  app.get('/training', reader, (req, reply) => listPage(req, reply));

  app.post('/training/providers', post('training.providers.manage'), async (req, reply) => {
    const values = formFields(req);
    const result = await attempt('provider', values, () =>
      createTrainingProvider(db, { name: values.name ?? '', kind: values.kind ?? '', leadAgency: values.leadAgency, contactEmail: values.contactEmail ?? '' }, contextOf(req)),
    );
    if ('refused' in result) return listPage(req, reply, result.refused);
    return reply.redirect(`/training/providers/${result.ok.id}?done=created`, 303);
  });

  app.get('/training/providers/:id', reader, (req, reply) => providerPage(req, reply, (req.params as { id: string }).id));

  /** A provider page form: run it, then back to the page with its outcome (or the form again with its errors). */
  const providerForm =
    (form: string, done: (typeof DONE)[number], run: (req: FastifyRequest, providerId: string, values: Form) => Promise<unknown>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const { id } = req.params as { id: string };
      const values = formFields(req);
      const result = await attempt(form, values, () => run(req, id, values));
      if ('refused' in result) return providerPage(req, reply, id, result.refused);
      return reply.redirect(`/training/providers/${id}?done=${done}#${form === 'roster' ? 'rosters' : 'main-content'}`, 303);
    };

  app.post(
    '/training/providers/:id/approvals',
    post('training.providers.manage'),
    providerForm('approval', 'approval', (req, providerId, v) =>
      recordProviderApproval(
        db,
        { providerId, trainingType: v.approvalType ?? '', language: v.approvalLanguage ?? '', approvedFrom: v.approvedFrom ?? '', approvedTo: v.approvedTo ?? '' },
        contextOf(req),
      ),
    ),
  );

  app.post(
    '/training/providers/:id/approvals/end',
    post('training.providers.manage'),
    providerForm('endApproval', 'approvalEnded', async (req, providerId, v) => {
      // The approval must be this provider's: the form only offers those, and a forged id is not found here.
      const provider = await getProviderDetail(db, providerId, contextOf(req));
      if (!provider.approvals.some((a) => a.id === v.approvalId)) {
        throw new AppError('bad-request', 'Choose one of this provider’s approvals.', [{ path: 'approvalId', message: 'Choose one of this provider’s approvals.' }]);
      }
      return endProviderApproval(db, { approvalId: v.approvalId ?? '', endedOn: v.endedOn ?? '', reason: v.endReason ?? '' }, contextOf(req));
    }),
  );

  app.post(
    '/training/providers/:id/courses',
    post('training.courses.manage'),
    providerForm('course', 'course', (req, providerId, v) =>
      createCourse(
        db,
        {
          providerId,
          trainingType: v.courseType ?? '',
          specialization: v.courseSpecialization,
          language: v.courseLanguage ?? '',
          title: v.courseTitle ?? '',
          hours: hoursFromForm(v.courseHours),
          lawEthicsHours: hoursFromForm(v.courseLawEthicsHours, 0),
        },
        contextOf(req),
      ),
    ),
  );

  app.post(
    '/training/providers/:id/members',
    post('training.providers.manage'),
    providerForm('member', 'memberAdded', (req, providerId, v) => addProviderMember(db, { providerId, email: v.memberEmail ?? '' }, contextOf(req))),
  );

  app.post('/training/providers/:id/members/:userId/remove', post('training.providers.manage'), async (req, reply) => {
    const { id, userId } = req.params as { id: string; userId: string };
    await removeProviderMember(db, { providerId: id, userId }, contextOf(req));
    return reply.redirect(`/training/providers/${id}?done=memberRemoved`, 303);
  });

  app.post('/training/providers/:id/rosters', post('training.rosters.upload'), async (req, reply) => {
    const { id } = req.params as { id: string };
    const values = formFields(req);
    // The provider first: someone else's provider is not found, whatever the form holds.
    const provider = await getProviderDetail(db, id, contextOf(req));
    const result = await attempt('roster', values, async () => {
      const courseId = values.rosterCourseId ?? '';
      if (!provider.may.uploadRosters || !provider.courses.some((c) => c.id === courseId)) {
        throw new AppError('bad-request', 'Choose one of this provider’s courses.', [{ path: 'courseId', message: 'Choose one of this provider’s courses.' }]);
      }
      const file = await formFile(req, 'rosterFile');
      if (!file) throw new AppError('bad-request', 'Choose the roster file (CSV) to upload.', [{ path: 'file', message: 'Choose the roster file (CSV) to upload.' }]);
      return uploadRoster(db, { courseId, filename: file.filename, bytes: file.bytes }, contextOf(req));
    });
    if ('refused' in result) return providerPage(req, reply, id, result.refused);
    return reply.redirect(`/training/rosters/${result.ok.id}`, 303);
  });
};
