// The HTML page for errors on web routes (API routes answer with problem+json instead).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../http/errors.ts';
import { Layout } from './layout.tsx';
import { sendPage } from './web.plugin.ts';

export function renderErrorPage(req: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const ctx = req.pageContext();
  const { t } = ctx;
  const title = problem.status === 404 ? t('errors.notFoundTitle') : problem.status === 400 ? t('errors.badRequestTitle') : t('errors.title');
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {problem.status === 404 || problem.code === 'form.expired' ? (
        <p class="usa-intro">{problem.status === 404 ? t('errors.notFoundDetail') : t('errors.formExpired')}</p>
      ) : (
        <p class="usa-intro" lang={ctx.locale === 'en' ? undefined : 'en'}>
          {problem.detail}
        </p>
      )}
      <p>
        <a href="/">{t('errors.home')}</a>
      </p>
    </Layout>,
    problem.status,
  );
}
