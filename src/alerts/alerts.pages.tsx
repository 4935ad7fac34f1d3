// /alerts: the signed-in person's watch list (with each number's registry status today), the add and remove forms,
// their webhook (the signing secret shown once, when made) and their recent alerts; /alerts/deliveries: the webhook
// delivery log. Every form posts with the CSRF token; the pages are never cached (one of them shows a secret).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Action } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { FormGroup, PostForm, SuccessAlert } from '../web/forms.tsx';
import { englishTextLang, formatTime, type Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { myDeliveries, myNotifications, myWatchList, myWebhook, type DeliveryView } from './alert-queries.ts';
import type { AlertsOptions } from './alerts.plugin.ts';
import { addWatches, removeWatch } from './watch-list.ts';
import { deleteWebhook, registerWebhook, rotateWebhookSecret } from './webhook-endpoint.ts';

interface PageState {
  successes?: string[];
  /** Numbers refused while others were added. */
  refusedNumbers?: Array<{ number: string; message: string }>;
  refusal?: Refusal;
  /** A signing secret made by this request: shown once. */
  secret?: string;
}

function statusText(t: Translate, status: string | null): string {
  return t(`alerts.status.${status ?? 'none'}`, { defaultValue: status ?? '' });
}

function fieldError(refusal: Refusal | undefined, form: string, path: string): string | undefined {
  if (refusal?.form !== form) return undefined;
  const messages = refusal.errors.filter((e) => e.path === path).map((e) => e.message);
  return messages.length === 0 ? undefined : messages.join(' ');
}

function AddForms({ t, csrfToken, refusal }: { t: Translate; csrfToken: string; refusal: Refusal | undefined }) {
  const oneError = fieldError(refusal, 'watch-one', 'numbers');
  const manyError = fieldError(refusal, 'watch-many', 'numbers');
  return (
    <>
      <h2>{t('alerts.addHeading')}</h2>
      <PostForm action="/alerts/watches" csrfToken={csrfToken}>
        <input type="hidden" name="form" value="watch-one" />
        <FormGroup id="add-number" label={t('alerts.addNumber')} hint={t('alerts.addNumberHint')} error={oneError}>
          {(describedBy, error) => (
            <input
              class={error ? 'usa-input usa-input--error' : 'usa-input'}
              id="add-number"
              name="numbers"
              type="text"
              autocomplete="off"
              spellcheck={false}
              required
              value={refusal?.form === 'watch-one' ? refusal.values.numbers : undefined}
              aria-describedby={describedBy}
              aria-invalid={error ? 'true' : undefined}
            />
          )}
        </FormGroup>
        <button class="usa-button" type="submit">
          {t('alerts.addButton')}
        </button>
      </PostForm>
      <h2>{t('alerts.addManyHeading')}</h2>
      <PostForm action="/alerts/watches" csrfToken={csrfToken}>
        <input type="hidden" name="form" value="watch-many" />
        <FormGroup id="add-many" label={t('alerts.addMany')} hint={t('alerts.addManyHint')} error={manyError}>
          {(describedBy, error) => (
            <textarea class={error ? 'usa-textarea usa-input--error' : 'usa-textarea'} id="add-many" name="numbers" required spellcheck={false} aria-describedby={describedBy} aria-invalid={error ? 'true' : undefined}>
              {refusal?.form === 'watch-many' ? (refusal.values.numbers ?? '') : ''}
            </textarea>
          )}
        </FormGroup>
        <button class="usa-button" type="submit">
          {t('alerts.addManyButton')}
        </button>
      </PostForm>
    </>
  );
}

function WebhookSection({ ctx, csrfToken, webhook, secret, refusal }: { ctx: PageContext; csrfToken: string; webhook: Awaited<ReturnType<typeof myWebhook>>; secret: string | undefined; refusal: Refusal | undefined }) {
  const { t, locale } = ctx;
  const urlError = fieldError(refusal, 'webhook', 'url');
  return (
    <section aria-labelledby="webhook-heading">
      <h2 id="webhook-heading">{t('alerts.webhookHeading')}</h2>
      <p>{t('alerts.webhookLead')}</p>
      {secret && (
        <div class="usa-summary-box margin-y-3" role="region" aria-labelledby="secret-heading" data-testid="webhook-secret">
          <div class="usa-summary-box__body">
            <h3 class="usa-summary-box__heading" id="secret-heading">
              {t('alerts.secretHeading')}
            </h3>
            <p>{t('alerts.secretOnce')}</p>
            <label class="usa-label" for="webhook-secret-value">
              {t('alerts.secretLabel')}
            </label>
            <input class="usa-input" id="webhook-secret-value" type="text" readonly value={secret} autocomplete="off" spellcheck={false} />
          </div>
        </div>
      )}
      {webhook ? (
        <>
          <p data-testid="webhook-url">
            {t('alerts.webhookCurrent')} <code>{webhook.url}</code>
          </p>
          <p class="usa-hint">
            {t('alerts.webhookRegistered', { date: formatTime(webhook.registeredAt, locale) })}
            {webhook.secretRotatedAt ? ` · ${t('alerts.webhookRotated', { date: formatTime(webhook.secretRotatedAt, locale) })}` : ''}
          </p>
        </>
      ) : (
        <p>{t('alerts.webhookNone')}</p>
      )}
      <PostForm action="/alerts/webhook" csrfToken={csrfToken}>
        <FormGroup id="webhook-url-input" label={t('alerts.webhookUrl')} hint={t('alerts.webhookUrlHint')} error={urlError}>
          {(describedBy, error) => (
            <input
              class={error ? 'usa-input usa-input--error' : 'usa-input'}
              id="webhook-url-input"
              name="url"
              type="url"
              autocomplete="url"
              required
              value={refusal?.form === 'webhook' ? refusal.values.url : (webhook?.url ?? undefined)}
              aria-describedby={describedBy}
              aria-invalid={error ? 'true' : undefined}
            />
          )}
        </FormGroup>
        <button class="usa-button" type="submit">
          {webhook ? t('alerts.webhookChangeButton') : t('alerts.webhookRegisterButton')}
        </button>
      </PostForm>
      {webhook && (
        <div class="margin-top-3">
          <PostForm action="/alerts/webhook/rotate" csrfToken={csrfToken}>
            <p class="usa-hint">{t('alerts.rotateHint')}</p>
            <button class="usa-button usa-button--outline" type="submit">
              {t('alerts.rotateButton')}
            </button>
          </PostForm>
          <PostForm action="/alerts/webhook/delete" csrfToken={csrfToken}>
            <p class="usa-hint">{t('alerts.deleteHint')}</p>
            <button class="usa-button usa-button--secondary" type="submit">
              {t('alerts.deleteButton')}
            </button>
          </PostForm>
        </div>
      )}
      <h3>{t('alerts.verifyHeading')}</h3>
      <p>{t('alerts.verifyText')}</p>
      <p>
        <a href="/alerts/deliveries">{t('alerts.deliveriesLink')}</a>
      </p>
    </section>
  );
}

function deliveryStatus(t: Translate, d: DeliveryView, locale: PageContext['locale']): string {
  if (d.status === 'delivered') return t('alerts.deliveryStatus.delivered', { date: d.deliveredAt ? formatTime(d.deliveredAt, locale) : '' });
  if (d.status === 'failed') return t('alerts.deliveryStatus.failed', { count: d.attempts });
  return t(`alerts.deliveryStatus.${d.status}`, { defaultValue: d.status });
}

function attemptResult(t: Translate, statusCode: number | null, error: string | null): string {
  return statusCode !== null ? t('alerts.resultStatus', { code: statusCode }) : (error ?? '');
}

export const alertsPages: FastifyPluginAsync<AlertsOptions> = async (app, { db, production }) => {
  const allowed = (action: Action) => ({ onRequest: async (req: FastifyRequest) => requireAllowed(req, action) });
  const csrf = { preHandler: (app as FastifyInstance).csrfProtection };
  const form = (req: FastifyRequest) => (req.body ?? {}) as Form;

  const alertsPage = async (req: FastifyRequest, reply: FastifyReply, state: PageState = {}) => {
    const ctx = req.pageContext();
    const { t, locale } = ctx;
    const context = contextOf(req);
    const [list, notifications, webhook] = await Promise.all([myWatchList(db, context), myNotifications(db, context), myWebhook(db, context)]);
    const csrfToken = reply.generateCsrf();
    const { refusal } = state;
    const lang = refusalLang(refusal, locale);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('alerts.title')}>
        <h1>{t('alerts.title')}</h1>
        <p class="usa-intro">{t('alerts.lead')}</p>
        {refusal && (
          <div class="usa-alert usa-alert--error" role="alert">
            <div class="usa-alert__body">
              <h2 class="usa-alert__heading">{t('alerts.errorHeading')}</h2>
              <p class="usa-alert__text" data-testid="form-error" lang={lang}>
                {refusal.message}
              </p>
              {refusal.errors.length > 1 && (
                <ul class="usa-list" lang={lang} data-testid="refused-numbers">
                  {refusal.errors.map((e, i) => (
                    <li key={i}>{e.message}</li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        )}
        {(state.successes ?? []).map((message, i) => (
          <SuccessAlert key={i} message={message} />
        ))}
        {state.refusedNumbers && state.refusedNumbers.length > 0 && (
          <div class="usa-alert usa-alert--warning" role="alert">
            <div class="usa-alert__body">
              <h2 class="usa-alert__heading">{t('alerts.refusedNumbers')}</h2>
              <ul class="usa-list" lang={englishTextLang(locale)} data-testid="refused-numbers">
                {state.refusedNumbers.map((r) => (
                  <li key={r.number}>{r.message}</li>
                ))}
              </ul>
            </div>
          </div>
        )}

        <h2>{t('alerts.listHeading')}</h2>
        {list.watches.length === 0 ? (
          <p data-testid="watch-list-empty">{t('alerts.listEmpty')}</p>
        ) : (
          <DataTable caption={t('alerts.listCaption', { date: list.today })} columns={[t('alerts.colNumber'), t('alerts.colName'), t('alerts.colStatus'), t('alerts.colAdded'), t('alerts.colRemove')]} variant="width-full" testId="watch-list">
            {list.watches.map((w) => (
              <tr key={w.number} data-number={w.number}>
                <th scope="row" data-label={t('alerts.colNumber')}>
                  <a href={`/registry/${encodeURIComponent(w.number)}`}>{w.number}</a>
                </th>
                <td data-label={t('alerts.colName')}>{w.fullName}</td>
                <td data-label={t('alerts.colStatus')} data-testid="watch-status">
                  {statusText(t, w.statusToday)}
                </td>
                <td data-label={t('alerts.colAdded')}>{formatTime(w.addedAt, locale)}</td>
                <td data-label={t('alerts.colRemove')}>
                  <form method="post" action="/alerts/watches/remove">
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <input type="hidden" name="number" value={w.number} />
                    <button class="usa-button usa-button--unstyled" type="submit">
                      {t('alerts.removeButton', { number: w.number })}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <AddForms t={t} csrfToken={csrfToken} refusal={refusal} />
        <WebhookSection ctx={ctx} csrfToken={csrfToken} webhook={webhook} secret={state.secret} refusal={refusal} />

        <h2>{t('alerts.notificationsHeading')}</h2>
        {notifications.length === 0 ? (
          <p>{t('alerts.notificationsEmpty')}</p>
        ) : (
          <DataTable caption={t('alerts.notificationsCaption')} columns={[t('alerts.colWhen'), t('alerts.colNumber'), t('alerts.colChange'), t('alerts.colEffective')]} variant="width-full" testId="notifications">
            {notifications.map((n) => (
              <tr key={n.id}>
                <td data-label={t('alerts.colWhen')}>{formatTime(n.createdAt, locale)}</td>
                <th scope="row" data-label={t('alerts.colNumber')}>
                  {n.number}
                </th>
                <td data-label={t('alerts.colChange')}>{t('alerts.change', { before: statusText(t, n.statusBefore), after: statusText(t, n.statusAfter) })}</td>
                <td data-label={t('alerts.colEffective')}>{n.effectiveOn}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Layout>,
      refusal?.status ?? 200,
    );
  };

  app.get('/alerts', { schema: { hide: true }, ...allowed('alerts.watch') }, (req, reply) => alertsPage(req, reply));

  app.post('/alerts/watches', { schema: { hide: true }, ...allowed('alerts.watch'), ...csrf }, async (req, reply) => {
    const values = form(req);
    const which = values.form === 'watch-many' ? 'watch-many' : 'watch-one';
    const { t, locale } = req.pageContext();
    const outcome = await attempt(which, values, () => addWatches(db, { numbers: values.numbers ?? '', locale }, contextOf(req)));
    if ('refused' in outcome) return alertsPage(req, reply, { refusal: outcome.refused });
    const { added, alreadyWatched, refused } = outcome.ok;
    const successes = [
      ...(added.length > 0 ? [t('alerts.added', { count: added.length })] : []),
      ...(alreadyWatched.length > 0 ? [t('alerts.alreadyWatched', { numbers: alreadyWatched.join(', ') })] : []),
    ];
    return alertsPage(req, reply, { successes, refusedNumbers: refused });
  });

  app.post('/alerts/watches/remove', { schema: { hide: true }, ...allowed('alerts.watch'), ...csrf }, async (req, reply) => {
    const number = form(req).number ?? '';
    await removeWatch(db, { number }, contextOf(req));
    return alertsPage(req, reply, { successes: [req.pageContext().t('alerts.removed', { number: number.trim().toUpperCase() })] });
  });

  app.post('/alerts/webhook', { schema: { hide: true }, ...allowed('alerts.webhook'), ...csrf }, async (req, reply) => {
    const values = form(req);
    const { t, locale } = req.pageContext();
    const outcome = await attempt('webhook', values, () => registerWebhook(db, { url: values.url ?? '', locale }, contextOf(req), { production }));
    if ('refused' in outcome) return alertsPage(req, reply, { refusal: outcome.refused });
    return alertsPage(req, reply, { successes: [t('alerts.savedUrl')], ...(outcome.ok.secret ? { secret: outcome.ok.secret } : {}) });
  });

  app.post('/alerts/webhook/rotate', { schema: { hide: true }, ...allowed('alerts.webhook'), ...csrf }, async (req, reply) => {
    const rotated = await rotateWebhookSecret(db, contextOf(req));
    return alertsPage(req, reply, { ...(rotated.secret ? { secret: rotated.secret } : {}) });
  });

  app.post('/alerts/webhook/delete', { schema: { hide: true }, ...allowed('alerts.webhook'), ...csrf }, async (req, reply) => {
    const { cancelled } = await deleteWebhook(db, contextOf(req));
    const { t } = req.pageContext();
    return alertsPage(req, reply, { successes: [t('alerts.deleted'), ...(cancelled > 0 ? [t('alerts.cancelled', { count: cancelled })] : [])] });
  });

  app.get('/alerts/deliveries', { schema: { hide: true }, ...allowed('alerts.webhook') }, async (req, reply) => {
    const ctx = req.pageContext();
    const { t, locale } = ctx;
    const deliveries = await myDeliveries(db, contextOf(req));
    const lang = englishTextLang(locale);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('alerts.deliveriesTitle')}>
        <h1>{t('alerts.deliveriesTitle')}</h1>
        <p class="usa-intro">{t('alerts.deliveriesLead')}</p>
        <p>
          <a href="/alerts">{t('alerts.backToAlerts')}</a>
        </p>
        {deliveries.length === 0 ? (
          <p data-testid="deliveries-empty">{t('alerts.deliveriesEmpty')}</p>
        ) : (
          <DataTable caption={t('alerts.deliveriesCaption')} columns={[t('alerts.colEvent'), t('alerts.colUrl'), t('alerts.colAttempts'), t('alerts.colLastResult'), t('alerts.colNext')]} variant="width-full" testId="deliveries">
            {deliveries.map((d) => (
              <tr key={d.id} data-event={d.eventId} data-status={d.status}>
                <th scope="row" data-label={t('alerts.colEvent')}>
                  {t('alerts.eventSummary', { number: d.number, status: statusText(t, d.statusAfter) })}
                  <div class="usa-hint">
                    <code>{d.eventId}</code>
                  </div>
                  <div>{deliveryStatus(t, d, locale)}</div>
                </th>
                <td data-label={t('alerts.colUrl')}>
                  <code>{d.attemptLog.at(-1)?.url ?? ''}</code>
                </td>
                <td data-label={t('alerts.colAttempts')}>
                  {d.attemptLog.length === 0 ? (
                    t('alerts.noAttemptYet')
                  ) : (
                    <ol class="usa-list margin-0" data-testid="attempts">
                      {d.attemptLog.map((a) => (
                        <li key={a.attemptNumber} lang={a.statusCode === null ? lang : undefined}>
                          {t('alerts.attemptLine', { attempt: a.attemptNumber, time: formatTime(a.attemptedAt, locale), result: attemptResult(t, a.statusCode, a.error), ms: a.durationMs })}
                        </li>
                      ))}
                    </ol>
                  )}
                </td>
                <td data-label={t('alerts.colLastResult')}>{d.attempts === 0 ? t('alerts.noAttemptYet') : attemptResult(t, d.lastStatusCode, d.lastError)}</td>
                <td data-label={t('alerts.colNext')}>{d.status === 'pending' && d.nextAttemptAt ? formatTime(d.nextAttemptAt, locale) : t('alerts.noNextAttempt')}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Layout>,
    );
  });
};
