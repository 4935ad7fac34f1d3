// Sign-in, sign-up, email confirmation, password reset and the signed-in person's account page.
// Forms post with a CSRF token; refused forms re-render with the message beside the field and lose nothing typed.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { canAny, type Action } from '../access/can.ts';
import { rolesOf } from '../access/roles.ts';
import type { Db } from '../db/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { Field, FormAlert, PostForm, SuccessAlert } from '../web/forms.tsx';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { englishTextLang } from '../web/i18n.ts';
import { clientOf } from './actor.plugin.ts';
import { roleLabel } from './role-label.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { signOut } from './sign-out.ts';
import { signIn } from './sign-in.ts';
import { requestPasswordReset, resetPassword, signUp, verifyEmail } from './users.service.ts';

export interface AccountsPagesOptions {
  db: Db;
  secureCookies: boolean;
  /** Base of links in emails; by default the address the request came to. */
  publicUrl?: string | undefined;
  /** Sign-in posts per minute from one address (on top of the per-account throttling). */
  signInPerMinute: number;
}

type Form = Record<string, string | undefined>;

/** Administration pages, each shown on the account page to those who may use it. */
const ADMIN_LINKS: Array<{ href: string; label: string; action: Action }> = [
  { href: '/admin/users', label: 'admin.usersTitle', action: 'users.list' },
  { href: '/admin/audit', label: 'auditLog.title', action: 'audit.read' },
  { href: '/admin/tokens', label: 'apiTokens.title', action: 'tokens.manage' },
  { href: '/admin/outbox', label: 'outbox.title', action: 'outbox.read' },
  { href: '/admin/jobs', label: 'jobs.title', action: 'jobs.manage' },
  { href: '/workbench', label: 'certification.nav.workbench', action: 'applications.review' },
  { href: '/rules', label: 'certification.workbench.rules.title', action: 'rules.read' },
  { href: '/workbench/imports', label: 'certification.imports.title', action: 'certifications.import' },
  { href: '/alerts', label: 'alerts.link', action: 'alerts.watch' },
];

interface Refusal {
  message?: string | undefined;
  errors?: FieldError[];
  status?: number;
}

function refusal(err: unknown): Refusal {
  if (!(err instanceof AppError)) throw err;
  // A form answered with its own page: wrong credentials are a refused form (400), not "sign in first" (401).
  return { message: err.message, errors: err.errors, status: err.status === 401 ? 400 : err.status };
}

function baseUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '');
}

export const accountsPages: FastifyPluginAsync<AccountsPagesOptions> = async (app, { db, secureCookies, publicUrl, signInPerMinute }) => {
  const csrf = { preHandler: (app as FastifyInstance).csrfProtection };
  const links = (req: FastifyRequest) => {
    const base = baseUrl(req, publicUrl);
    return {
      verify: (token: string) => `${base}/verify-email?token=${encodeURIComponent(token)}`,
      reset: (token: string) => `${base}/reset-password?token=${encodeURIComponent(token)}`,
      signIn: `${base}/sign-in`,
      forgot: `${base}/forgot-password`,
    };
  };

  const signInPage = (req: FastifyRequest, reply: FastifyReply, form: Form = {}, refused: Refusal = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('auth.signInTitle')} current="sign-in">
        <h1>{t('auth.signInTitle')}</h1>
        <p class="usa-intro">{t('auth.signInLead')}</p>
        <FormAlert heading={t('auth.errorSummary')} message={refused.message} lang={englishTextLang(ctx.locale)} />
        <PostForm action="/sign-in" csrfToken={reply.generateCsrf()}>
          <Field name="email" type="email" label={t('auth.email')} value={form.email} autocomplete="username" errors={refused.errors} />
          <Field name="password" type="password" label={t('auth.password')} autocomplete="current-password" errors={refused.errors} />
          <button class="usa-button" type="submit">
            {t('auth.signInButton')}
          </button>
        </PostForm>
        <p>
          <a href="/forgot-password">{t('auth.forgotLink')}</a>
        </p>
        <p>
          {t('auth.noAccount')} <a href="/sign-up">{t('auth.signUpLink')}</a>
        </p>
      </Layout>,
      refused.status ?? 200,
    );
  };

  app.get('/sign-in', { schema: { hide: true } }, (req, reply) => signInPage(req, reply));
  app.post('/sign-in', { schema: { hide: true }, config: { rateLimit: { max: signInPerMinute, timeWindow: '1 minute' } }, ...csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    try {
      const { sessionId } = await signIn(db, { email: form.email ?? '', password: form.password ?? '', ...clientOf(req) });
      setSessionCookie(reply, sessionId, secureCookies);
      return reply.redirect('/account', 303);
    } catch (err) {
      return signInPage(req, reply, { email: form.email }, refusal(err));
    }
  });

  const signUpPage = (req: FastifyRequest, reply: FastifyReply, form: Form = {}, refused: Refusal = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('auth.signUpTitle')}>
        <h1>{t('auth.signUpTitle')}</h1>
        <p class="usa-intro">{t('auth.signUpLead')}</p>
        <FormAlert heading={t('auth.errorSummary')} message={refused.message} lang={englishTextLang(ctx.locale)} />
        <PostForm action="/sign-up" csrfToken={reply.generateCsrf()}>
          <Field name="displayName" label={t('auth.displayName')} value={form.displayName} autocomplete="name" errors={refused.errors} />
          <Field name="email" type="email" label={t('auth.email')} value={form.email} autocomplete="email" errors={refused.errors} />
          <Field
            name="password"
            type="password"
            label={t('auth.password')}
            hint={t('auth.showPassword')}
            autocomplete="new-password"
            errors={refused.errors}
          />
          <button class="usa-button" type="submit">
            {t('auth.signUpButton')}
          </button>
        </PostForm>
      </Layout>,
      refused.status ?? 200,
    );
  };

  const messagePage = (req: FastifyRequest, reply: FastifyReply, title: string, message: string) => {
    const ctx = req.pageContext();
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        <SuccessAlert message={message} />
        <p>
          <a href="/sign-in">{ctx.t('auth.signInTitle')}</a>
        </p>
      </Layout>,
    );
  };

  app.get('/sign-up', { schema: { hide: true } }, (req, reply) => signUpPage(req, reply));
  app.post('/sign-up', { schema: { hide: true }, ...csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    try {
      const { signIn: signInLink, forgot, verify } = links(req);
      await signUp(
        db,
        { email: form.email ?? '', displayName: form.displayName ?? '', password: form.password ?? '' },
        { verify, signIn: signInLink, reset: forgot },
        { actor: {}, ...clientOf(req) },
      );
      const { t } = req.pageContext();
      return messagePage(req, reply, t('auth.checkEmailTitle'), t('auth.checkEmail', { email: form.email?.trim() }));
    } catch (err) {
      return signUpPage(req, reply, { email: form.email, displayName: form.displayName }, refusal(err));
    }
  });

  // Mail scanners open links, so the link only shows a button; the POST uses the token.
  const tokenPage = (req: FastifyRequest, reply: FastifyReply, kind: 'verify' | 'reset', refused: Refusal = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const token = String((req.query as Form).token ?? (req.body as Form | undefined)?.token ?? '');
    const title = kind === 'verify' ? t('auth.verifyTitle') : t('auth.resetTitle');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        <FormAlert heading={t('auth.errorSummary')} message={refused.message} lang={englishTextLang(ctx.locale)} />
        <PostForm action={kind === 'verify' ? '/verify-email' : '/reset-password'} csrfToken={reply.generateCsrf()}>
          <input type="hidden" name="token" value={token} />
          {kind === 'reset' && (
            <Field
              name="password"
              type="password"
              label={t('auth.newPassword')}
              hint={t('auth.showPassword')}
              autocomplete="new-password"
              errors={refused.errors}
            />
          )}
          <button class="usa-button" type="submit">
            {kind === 'verify' ? t('auth.verifyButton') : t('auth.resetButton')}
          </button>
        </PostForm>
      </Layout>,
      refused.status ?? 200,
    );
  };

  app.get('/verify-email', { schema: { hide: true } }, (req, reply) => tokenPage(req, reply, 'verify'));
  app.post('/verify-email', { schema: { hide: true }, ...csrf }, async (req, reply) => {
    try {
      await verifyEmail(db, ((req.body ?? {}) as Form).token ?? '', { actor: {}, ...clientOf(req) });
      const { t } = req.pageContext();
      return messagePage(req, reply, t('auth.verifiedTitle'), t('auth.verified'));
    } catch (err) {
      return tokenPage(req, reply, 'verify', refusal(err));
    }
  });

  const forgotPage = (req: FastifyRequest, reply: FastifyReply, form: Form = {}, refused: Refusal = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('auth.forgotTitle')}>
        <h1>{t('auth.forgotTitle')}</h1>
        <p class="usa-intro">{t('auth.forgotLead')}</p>
        <FormAlert heading={t('auth.errorSummary')} message={refused.message} lang={englishTextLang(ctx.locale)} />
        <PostForm action="/forgot-password" csrfToken={reply.generateCsrf()}>
          <Field name="email" type="email" label={t('auth.email')} value={form.email} autocomplete="email" errors={refused.errors} />
          <button class="usa-button" type="submit">
            {t('auth.forgotButton')}
          </button>
        </PostForm>
      </Layout>,
      refused.status ?? 200,
    );
  };

  app.get('/forgot-password', { schema: { hide: true } }, (req, reply) => forgotPage(req, reply));
  app.post('/forgot-password', { schema: { hide: true }, ...csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    await requestPasswordReset(db, form.email ?? '', links(req).reset, { actor: {}, ...clientOf(req) });
    const { t } = req.pageContext();
    return messagePage(req, reply, t('auth.checkEmailTitle'), t('auth.checkEmail', { email: form.email?.trim() }));
  });

  app.get('/reset-password', { schema: { hide: true } }, (req, reply) => tokenPage(req, reply, 'reset'));
  app.post('/reset-password', { schema: { hide: true }, ...csrf }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    try {
      await resetPassword(db, form.token ?? '', form.password ?? '', { actor: {}, ...clientOf(req) });
      clearSessionCookie(reply, secureCookies);
      const { t } = req.pageContext();
      return messagePage(req, reply, t('auth.resetTitle'), t('auth.resetDone'));
    } catch (err) {
      return tokenPage(req, reply, 'reset', refusal(err));
    }
  });

  app.get('/account', { schema: { hide: true } }, async (req, reply) => {
    const user = req.sessionUser;
    if (!user) return reply.redirect('/sign-in', 303);
    const ctx = req.pageContext();
    const { t } = ctx;
    const roles = rolesOf(req.actor); // loaded with the session
    const csrfToken = reply.generateCsrf();
    const adminLinks = ADMIN_LINKS.filter((l) => canAny(req.actor, l.action));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('auth.accountTitle')} current="account">
        <h1>{t('auth.accountTitle')}</h1>
        <p data-testid="signed-in-as">{t('auth.signedInAs', { name: user.displayName, email: user.email })}</p>
        <h2>{t('auth.rolesHeading')}</h2>
        {roles.length === 0 ? (
          <p>{t('auth.noRoles')}</p>
        ) : (
          <ul data-testid="roles">
            {roles.map((r) => (
              <li key={`${r.role}-${r.countyFips ?? ''}`}>
                {roleLabel(t, r)}
              </li>
            ))}
          </ul>
        )}
        {adminLinks.length > 0 && (
          <>
            <h2>{t('auth.adminHeading')}</h2>
            <ul data-testid="admin-links">
              {adminLinks.map((l) => (
                <li key={l.href}>
                  <a href={l.href}>{t(l.label)}</a>
                </li>
              ))}
            </ul>
          </>
        )}
        <form method="post" action="/sign-out" class="display-inline-block margin-right-2">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button class="usa-button" type="submit">
            {t('auth.signOut')}
          </button>
        </form>
        <form method="post" action="/sign-out?everywhere=true" class="display-inline-block">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button class="usa-button usa-button--outline" type="submit">
            {t('auth.signOutEverywhere')}
          </button>
        </form>
      </Layout>,
    );
  });

  app.post('/sign-out', { schema: { hide: true }, ...csrf }, async (req, reply) => {
    const user = req.sessionUser;
    const sessionId = req.cookies[SESSION_COOKIE];
    if (user && sessionId) {
      await signOut(db, { userId: user.userId, sessionId, everywhere: (req.query as Form).everywhere === 'true' }, clientOf(req));
    }
    clearSessionCookie(reply, secureCookies);
    return messagePage(req, reply, req.pageContext().t('auth.signOut'), req.pageContext().t('auth.signedOut'));
  });
};
