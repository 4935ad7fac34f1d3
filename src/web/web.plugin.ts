// Web plumbing: each request's language and translator, the language cookie, and sending a rendered page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { isLocale, pickLocale, translator } from './i18n.ts';
import { canAny } from '../access/can.ts';
import { ANONYMOUS } from '../access/roles.ts';
import { renderDocument, type PageContext } from './layout.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    pageContext(): PageContext;
  }
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export function registerWeb(app: FastifyInstance, secureCookies: boolean): void {
  app.decorateRequest('pageContext', function (this: FastifyRequest): PageContext {
    const query = this.query as Record<string, unknown> | undefined;
    const locale = pickLocale(query?.lang, this.cookies.lang, this.headers['accept-language']);
    const actor = this.actor ?? ANONYMOUS;
    const areas = { workbench: canAny(actor, 'applications.review'), training: canAny(actor, 'training.read'), enforcement: canAny(actor, 'enforcement.cases.read') };
    return { locale, t: translator(locale), url: this.url, signedInAs: this.sessionUser?.displayName ?? null, areas };
  });

  // Choosing a language by link on a page remembers it, so the next page stays in that language.
  app.addHook('onRequest', async (req, reply) => {
    const lang = (req.query as Record<string, unknown> | undefined)?.lang;
    const isPage = req.method === 'GET' && !/^\/(api|assets|fhir)\//.test(req.url);
    if (isPage && isLocale(lang) && req.cookies.lang !== lang) {
      reply.setCookie('lang', lang, { path: '/', maxAge: ONE_YEAR_SECONDS, sameSite: 'lax', httpOnly: true, secure: secureCookies });
    }
  });
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('vary', 'Cookie, Accept-Language').send(renderDocument(page));
}
