// /admin/tokens: the API tokens, a form to create one (its secret is shown on the answer page, once) and a revoke
// button per token. Forms post with the CSRF token.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import { ROLES } from '../access/roles.ts';
import { requestAuditContext } from '../audit/audit.routes.ts';
import { formatCaliforniaTime } from '../audit/audit.pages.tsx';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import type { Db } from '../db/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert } from '../web/forms.tsx';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { englishTextLang } from '../web/i18n.ts';
import { roleLabel } from './role-label.ts';
import { tokenCreatorOf } from './api-tokens.routes.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.ts';

type Form = Record<string, string | undefined>;

interface PageState {
  form?: Form;
  refused?: { message: string; errors: FieldError[] };
  created?: { name: string; token: string };
  revoked?: string;
  status?: number;
}

const COUNTIES_BY_NAME = [...CALIFORNIA_COUNTIES].sort((a, b) => a.name.localeCompare(b.name));

/** The service names grants by position (`roles.0.countyFips`); the form has one role and one county field. */
function formErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({
    ...e,
    path: /^roles\.\d+\.countyFips$/.test(e.path) ? 'countyFips' : e.path.startsWith('roles') ? 'role' : e.path,
  }));
}



export const apiTokenPages: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  const allowed = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'tokens.manage') };
  const csrf = { preHandler: (app as FastifyInstance).csrfProtection };

  const tokensPage = async (req: FastifyRequest, reply: FastifyReply, state: PageState = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const tokens = await listApiTokens(db);
    const csrfToken = reply.generateCsrf();
    const form = state.form ?? {};
    const errors = state.refused?.errors ?? [];
    // A page showing a secret must not be kept by a cache or offered again from history.
    if (state.created) void reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('apiTokens.title')}>
        <h1>{t('apiTokens.title')}</h1>
        <p class="usa-intro">{t('apiTokens.lead')}</p>
        {state.created && (
          <div class="usa-alert usa-alert--success" role="status">
            <div class="usa-alert__body">
              <h2 class="usa-alert__heading">{t('apiTokens.created', { name: state.created.name })}</h2>
              <div class="usa-form-group">
                <label class="usa-label" for="new-token">
                  {t('apiTokens.newToken')}
                </label>
                <input class="usa-input" id="new-token" type="text" readonly value={state.created.token} data-testid="new-token" aria-describedby="new-token-note" />
              </div>
              <p class="usa-alert__text" id="new-token-note">
                {t('apiTokens.createdNote')}
              </p>
            </div>
          </div>
        )}
        {state.revoked !== undefined && <SuccessAlert message={t('apiTokens.revoked', { name: state.revoked })} />}
        {tokens.length === 0 ? (
          <p>{t('apiTokens.empty')}</p>
        ) : (
          <DataTable
            caption={t('apiTokens.caption')}
            columns={[
              t('apiTokens.colName'),
              t('apiTokens.colRoles'),
              t('apiTokens.colCreatedBy'),
              t('apiTokens.colCreated'),
              t('apiTokens.colLastUsed'),
              t('apiTokens.colStatus'),
              t('apiTokens.colRevoke'),
            ]}
            variant="width-full"
            testId="api-tokens"
          >
            {tokens.map((tk) => (
              <tr key={tk.id} data-token-id={tk.id}>
                <th scope="row" data-label={t('apiTokens.colName')}>
                  {tk.name}
                </th>
                <td data-label={t('apiTokens.colRoles')}>
                  <ul class="usa-list usa-list--unstyled">
                    {tk.roles.map((g) => (
                      <li key={`${g.role}-${g.countyFips ?? ''}`}>{roleLabel(t, g)}</li>
                    ))}
                  </ul>
                </td>
                <td data-label={t('apiTokens.colCreatedBy')}>{`${tk.createdBy.displayName} <${tk.createdBy.email}>`}</td>
                <td data-label={t('apiTokens.colCreated')}>{formatCaliforniaTime(tk.createdAt)}</td>
                <td data-label={t('apiTokens.colLastUsed')}>{tk.lastUsedAt ? formatCaliforniaTime(tk.lastUsedAt) : t('apiTokens.never')}</td>
                <td data-label={t('apiTokens.colStatus')}>
                  {tk.revokedAt ? t('apiTokens.revokedAt', { time: formatCaliforniaTime(tk.revokedAt) }) : t('apiTokens.active')}
                </td>
                <td data-label={t('apiTokens.colRevoke')}>
                  {!tk.revokedAt && (
                    <form method="post" action={`/admin/tokens/${tk.id}/revoke`}>
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <button class="usa-button usa-button--secondary" type="submit">
                        {t('apiTokens.revokeButton', { name: tk.name })}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <h2>{t('apiTokens.createHeading')}</h2>
        <p>{t('apiTokens.createLead')}</p>
        <FormAlert heading={t('apiTokens.errorSummary')} message={state.refused?.message} lang={englishTextLang(ctx.locale)} />
        <PostForm action="/admin/tokens" csrfToken={csrfToken}>
          <Field name="name" label={t('apiTokens.name')} hint={t('apiTokens.nameHint')} value={form.name} errors={errors} />
          <SelectField name="role" label={t('apiTokens.role')} errors={errors}>
            {ROLES.map((r) => (
              <option key={r} value={r} selected={form.role === r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="countyFips" label={t('apiTokens.county')} hint={t('apiTokens.countyHint')} errors={errors}>
            <option value="" selected={!form.countyFips}>
              {t('apiTokens.countyNone')}
            </option>
            {COUNTIES_BY_NAME.map((c) => (
              <option key={c.fips} value={c.fips} selected={form.countyFips === c.fips}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <button class="usa-button" type="submit">
            {t('apiTokens.createButton')}
          </button>
        </PostForm>
      </Layout>,
      state.status ?? 200,
    );
  };

  app.get('/admin/tokens', { schema: { hide: true }, ...allowed }, (req, reply) => tokensPage(req, reply));

  app.post('/admin/tokens', { schema: { hide: true }, ...allowed, ...csrf }, async (req, reply) => {
    const body = (req.body ?? {}) as Form;
    const form: Form = { name: String(body.name ?? ''), role: String(body.role ?? ''), countyFips: String(body.countyFips ?? '') };
    try {
      const created = await createApiToken(
        db,
        { name: form.name ?? '', roles: [{ role: form.role ?? '', countyFips: form.countyFips || null }] },
        tokenCreatorOf(req),
        requestAuditContext(req, 'tokens.manage'),
      );
      return await tokensPage(req, reply, { created: { name: (form.name ?? '').trim(), token: created.token } });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return tokensPage(req, reply, { form, refused: { message: err.message, errors: formErrors(err.errors) }, status: err.status });
    }
  });

  app.post('/admin/tokens/:id/revoke', { schema: { hide: true }, ...allowed, ...csrf }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { name } = await revokeApiToken(db, id, requestAuditContext(req, 'tokens.manage'));
    return tokensPage(req, reply, { revoked: name });
  });
};
