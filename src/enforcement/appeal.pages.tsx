// /appeals/new: a signed-in peer (or a training provider's member) appeals a decision about them — the decisions
// they may appeal are listed, with a form for the grounds. The answer is an appeal number and an acknowledgement.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { attempt, contextOf, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { FormAlert, PostForm, SelectField, TextAreaField } from '../web/forms.tsx';
import { Layout } from '../web/layout.tsx';
import { formFields } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { fileAppeal } from './appeals.ts';
import { appealableFor, type Appealable } from './case-queries.ts';

/** The select's value for a choice: what the POST handler reads back. */
const choiceValue = (c: Appealable) => (c.outcomeId ? `outcome:${c.outcomeId}` : c.applicationId ? `application:${c.applicationId}` : `decision:${c.decision?.kind}:${c.decision?.providerId}`);

export const appealPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const signedIn = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'appeals.file', { userId: req.actor.kind === 'user' ? req.actor.userId : '' }) };
  const csrf = (app as FastifyInstance).csrfProtection;

  const page = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal, filed?: string) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const choices = await appealableFor(db, contextOf(req));
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('enforcement.appeal.title')}>
        <h1>{t('enforcement.appeal.title')}</h1>
        <p class="usa-intro">{t('enforcement.appeal.lead')}</p>
        {filed && (
          <div class="usa-alert usa-alert--success" role="status">
            <div class="usa-alert__body">
              <p class="usa-alert__text">
                {t('enforcement.appeal.filed')} <strong data-testid="appeal-number">{filed}</strong>
              </p>
            </div>
          </div>
        )}
        <FormAlert heading={t('enforcement.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
        {choices.length === 0 ? (
          <p data-testid="nothing-to-appeal">{t('enforcement.appeal.none')}</p>
        ) : (
          <PostForm action="/appeals" csrfToken={reply.generateCsrf()}>
            <input type="hidden" name="locale" value={ctx.locale} />
            <SelectField name="decision" label={t('enforcement.appeal.decision')} errors={refusal?.errors} required>
              {choices.map((c) => (
                <option key={choiceValue(c)} value={choiceValue(c)}>
                  {[t(`enforcement.outcome.${c.kind}`), c.label, c.decidedOn].filter(Boolean).join(' · ')}
                </option>
              ))}
            </SelectField>
            <TextAreaField name="grounds" label={t('enforcement.case.grounds')} hint={t('enforcement.appeal.groundsHint')} value={refusal?.values.grounds} errors={refusal?.errors} />
            <button class="usa-button" type="submit">
              {t('enforcement.appeal.button')}
            </button>
          </PostForm>
        )}
      </Layout>,
      refusal?.status ?? (filed ? 201 : 200),
    );
  };

  app.get('/appeals/new', signedIn, async (req, reply) => page(req, reply));
  app.post('/appeals', { ...signedIn, preHandler: csrf }, async (req, reply) => {
    const values: Form = formFields(req);
    const [kind, id, providerId] = (values.decision ?? '').split(':');
    const target = kind === 'outcome' ? { outcomeId: id } : kind === 'application' ? { applicationId: id } : kind === 'decision' ? { decision: id, providerId } : {};
    const input = { grounds: values.grounds, locale: values.locale, ...target };
    const result = await attempt('appeal', values, () => fileAppeal(db, input, contextOf(req)));
    if ('refused' in result) return page(req, reply, result.refused);
    return page(req, reply, undefined, result.ok.number);
  });
};
