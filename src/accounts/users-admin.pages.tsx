// /admin/users: the people an administrator manages, inviting someone, and one person's roles and status.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import { ROLES, isRole, type RoleGrant } from '../access/roles.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import type { Db } from '../db/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert } from '../web/forms.tsx';
import type { Translate } from '../web/i18n.ts';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { englishTextLang } from '../web/i18n.ts';
import { clientOf } from './actor.plugin.ts';
import { roleLabel } from './role-label.ts';
import { type ManagedUser, getManagedUser, grantRole, inviteUser, listManagedUsers, revokeRole, sendPasswordReset, setDeactivated } from './users-admin.service.ts';

type Form = Record<string, string | undefined>;
interface Notice {
  success?: string;
  error?: string;
  errors?: FieldError[];
  status?: number;
  form?: Form;
}



function RoleAndCountyFields({ t, form, errors }: { t: Translate; form: Form; errors?: FieldError[] | undefined }) {
  return (
    <>
      <SelectField name="role" label={t('admin.role')} errors={errors} required>
        {ROLES.map((r) => (
          <option key={r} value={r} selected={form.role === r}>
            {t(`roles.${r}`)}
          </option>
        ))}
      </SelectField>
      <SelectField name="countyFips" label={t('admin.county')} hint={t('admin.countyHint')} errors={errors}>
        <option value="">{t('admin.countyNone')}</option>
        {CALIFORNIA_COUNTIES.map((c) => (
          <option key={c.fips} value={c.fips} selected={form.countyFips === c.fips}>
            {c.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}

function statusLabel(t: Translate, person: ManagedUser): string {
  if (person.deactivated) return t('admin.deactivated');
  if (person.invited) return t('admin.invitedStatus');
  return person.emailVerified ? t('admin.active') : t('admin.unverified');
}

/** The role and county of a form, or a 400 naming the field. */
function grantFrom(form: Form): RoleGrant {
  if (!form.role || !isRole(form.role)) throw new AppError('bad-request', 'Choose a role.', [{ path: 'role', message: 'Choose a role.' }]);
  return { role: form.role, countyFips: form.countyFips ? form.countyFips : null };
}

export const usersAdminPages: FastifyPluginAsync<{ db: Db; publicUrl?: string | undefined }> = async (app, { db, publicUrl }) => {
  const guard = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'users.list') };
  const post = { ...guard, preHandler: (app as FastifyInstance).csrfProtection, schema: { hide: true } };
  const link = (req: FastifyRequest) => (token: string) =>
    `${(publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '')}/reset-password?token=${encodeURIComponent(token)}`;

  const listPage = async (req: FastifyRequest, reply: FastifyReply, notice: Notice = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const people = await listManagedUsers(db, req.actor);
    const form = notice.form ?? {};
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('admin.usersTitle')}>
        <h1>{t('admin.usersTitle')}</h1>
        <p class="usa-intro">{t('admin.usersLead')}</p>
        {notice.success && <SuccessAlert message={notice.success} />}
        <DataTable caption={t('admin.usersCaption')} columns={[t('admin.colName'), t('admin.colEmail'), t('admin.colRoles'), t('admin.colStatus')]} variant="width-full" testId="users">
          {people.map((p) => (
            <tr key={p.id}>
              <th scope="row" data-label={t('admin.colName')}>
                <a href={`/admin/users/${p.id}`}>{p.displayName}</a>
              </th>
              <td data-label={t('admin.colEmail')}>{p.email}</td>
              <td data-label={t('admin.colRoles')}>{p.roles.map((r) => roleLabel(t, r)).join('; ')}</td>
              <td data-label={t('admin.colStatus')}>{statusLabel(t, p)}</td>
            </tr>
          ))}
        </DataTable>
        <h2>{t('admin.inviteHeading')}</h2>
        <p>{t('admin.inviteLead')}</p>
        <FormAlert heading={t('auth.errorSummary')} message={notice.error} lang={englishTextLang(ctx.locale)} />
        <PostForm action="/admin/users" csrfToken={reply.generateCsrf()}>
          <Field name="displayName" label={t('auth.displayName')} value={form.displayName} errors={notice.errors} />
          <Field name="email" type="email" label={t('auth.email')} value={form.email} errors={notice.errors} />
          <RoleAndCountyFields t={t} form={form} errors={notice.errors} />
          <button class="usa-button" type="submit">
            {t('admin.inviteButton')}
          </button>
        </PostForm>
      </Layout>,
      notice.status ?? 200,
    );
  };

  app.get('/admin/users', { ...guard, schema: { hide: true } }, (req, reply) => listPage(req, reply));
  app.post('/admin/users', post, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    try {
      const grant = grantFrom(form);
      await inviteUser(db, { email: form.email ?? '', displayName: form.displayName ?? '', ...grant, inviteLink: link(req) }, { actor: req.actor, ...clientOf(req) });
      return listPage(req, reply, { success: req.pageContext().t('admin.invited', { email: form.email?.trim() }) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return listPage(req, reply, { error: err.message, errors: err.errors, status: err.status, form });
    }
  });

  const personPage = async (req: FastifyRequest, reply: FastifyReply, userId: string, notice: Notice = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const person = await getManagedUser(db, req.actor, userId);
    const csrfToken = reply.generateCsrf();
    const action = (verb: string) => `/admin/users/${person.id}/${verb}`;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('admin.userTitle', { name: person.displayName })}>
        <p>
          <a href="/admin/users">{t('admin.back')}</a>
        </p>
        <h1>{t('admin.userTitle', { name: person.displayName })}</h1>
        <p>
          {person.email} · {statusLabel(t, person)}
        </p>
        {notice.success && <SuccessAlert message={notice.success} />}
        <FormAlert heading={t('auth.errorSummary')} message={notice.error} lang={englishTextLang(ctx.locale)} />
        <h2>{t('auth.rolesHeading')}</h2>
        {person.roles.length === 0 ? (
          <p>{t('auth.noRoles')}</p>
        ) : (
          <ul class="usa-list" data-testid="person-roles">
            {person.roles.map((r) => (
              <li key={`${r.role}-${r.countyFips ?? ''}`}>
                {roleLabel(t, r)}{' '}
                <form method="post" action={action('roles/revoke')} class="display-inline">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <input type="hidden" name="role" value={r.role} />
                  <input type="hidden" name="countyFips" value={r.countyFips ?? ''} />
                  <button class="usa-button usa-button--unstyled" type="submit">
                    {t('admin.revokeButton', { role: t(`roles.${r.role}`) })}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <h2>{t('admin.grantHeading')}</h2>
        <PostForm action={action('roles')} csrfToken={csrfToken}>
          <RoleAndCountyFields t={t} form={notice.form ?? {}} errors={notice.errors} />
          <button class="usa-button" type="submit">
            {t('admin.grantButton')}
          </button>
        </PostForm>
        <form method="post" action={action(person.deactivated ? 'reactivate' : 'deactivate')} class="display-inline-block margin-top-4 margin-right-2">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button class="usa-button usa-button--secondary" type="submit">
            {person.deactivated ? t('admin.reactivateButton') : t('admin.deactivateButton')}
          </button>
        </form>
        <form method="post" action={action('reset')} class="display-inline-block">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button class="usa-button usa-button--outline" type="submit">
            {t('admin.resetButton')}
          </button>
        </form>
      </Layout>,
      notice.status ?? 200,
    );
  };

  app.get('/admin/users/:userId', { ...guard, schema: { hide: true } }, (req, reply) => personPage(req, reply, (req.params as { userId: string }).userId));

  /** Run a change on one person, then show their page with the outcome. */
  const change = (run: (req: FastifyRequest, userId: string, form: Form) => Promise<string>) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { userId } = req.params as { userId: string };
    const form = (req.body ?? {}) as Form;
    try {
      const success = await run(req, userId, form);
      return personPage(req, reply, userId, { success });
    } catch (err) {
      if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
      return personPage(req, reply, userId, { error: err.message, errors: err.errors, status: err.status, form });
    }
  };
  const context = (req: FastifyRequest) => ({ actor: req.actor, ...clientOf(req) });
  const saved = (req: FastifyRequest) => req.pageContext().t('admin.saved');

  app.post('/admin/users/:userId/roles', post, change(async (req, userId, form) => (await grantRole(db, userId, grantFrom(form), context(req)), saved(req))));
  app.post('/admin/users/:userId/roles/revoke', post, change(async (req, userId, form) => (await revokeRole(db, userId, grantFrom(form), context(req)), saved(req))));
  app.post('/admin/users/:userId/deactivate', post, change(async (req, userId) => (await setDeactivated(db, userId, true, context(req)), saved(req))));
  app.post('/admin/users/:userId/reactivate', post, change(async (req, userId) => (await setDeactivated(db, userId, false, context(req)), saved(req))));
  app.post(
    '/admin/users/:userId/reset',
    post,
    change(async (req, userId) => req.pageContext().t('admin.resetSent', { email: await sendPasswordReset(db, userId, link(req), context(req)) })),
  );
};
