// GET /registry/:number — the public verification page a certificate's QR code opens: the certification today and,
// on request (?asOf=YYYY-MM-DD), its status on a date. Names, number, status, dates and specializations only.
import type { FastifyPluginAsync } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Db } from '../db/client.ts';
import { isIsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { AsOfForm } from '../web/as-of-form.tsx';
import type { Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { registryEntry, type RegistryEntry } from './registry.service.ts';

function statusLabel(t: Translate, status: string | null): string {
  return t(`registry.status.${status ?? 'none'}`);
}

function Row({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={testId}>{children}</td>
    </tr>
  );
}

function EntryPage({ ctx, entry, asOfValue, asOfError }: { ctx: PageContext; entry: RegistryEntry; asOfValue: string; asOfError: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('registry.title', { number: entry.number })}>
      <h1>{t('registry.title', { number: entry.number })}</h1>
      <p class="usa-intro">{t('registry.lead')}</p>
      <table class="usa-table usa-table--borderless" data-testid="registry-entry">
        <caption>{t('registry.detailsCaption')}</caption>
        <tbody>
          <Row label={t('registry.name')} testId="registry-name">
            {entry.fullName}
          </Row>
          <Row label={t('registry.number')}>{entry.number}</Row>
          <Row label={t('registry.statusToday', { date: entry.today })} testId="registry-status">
            <strong>{statusLabel(t, entry.statusToday)}</strong>
          </Row>
          {entry.statusToday === 'active' && (
            <Row label={t('registry.validThrough')} testId="registry-valid-through">
              {entry.validThrough}
            </Row>
          )}
          <Row label={t('registry.term')}>{t('registry.termValue', { from: entry.issuedOn, to: entry.validThrough })}</Row>
          <Row label={t('registry.firstIssued')}>{entry.firstIssuedOn}</Row>
          <Row label={t('registry.specializations')} testId="registry-specializations">
            {entry.specializations.length === 0 ? (
              t('registry.noSpecializations')
            ) : (
              <ul class="usa-list usa-list--unstyled">
                {entry.specializations.map((s) => (
                  <li key={s.specialization}>{t('registry.specializationDated', { name: t(`registry.specialization.${s.specialization}`), date: s.completedOn })}</li>
                ))}
              </ul>
            )}
          </Row>
        </tbody>
      </table>
      <h2>{t('registry.asOfHeading')}</h2>
      <p>{t('registry.asOfLead')}</p>
      {entry.asOf && (
        <div class="usa-alert usa-alert--info usa-alert--slim" role="status">
          <div class="usa-alert__body">
            <p class="usa-alert__text" data-testid="registry-as-of">
              {t('registry.asOfAnswer', { date: entry.asOf.date, status: statusLabel(t, entry.asOf.status) })}
            </p>
          </div>
        </div>
      )}
      <AsOfForm action={`/registry/${entry.number}`} label={t('registry.asOfLabel')} hint={t('registry.asOfHint')} button={t('registry.asOfButton')} value={asOfValue} error={asOfError} required />
    </Layout>
  );
}

function NotFoundPage({ ctx, number }: { ctx: PageContext; number: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('registry.notFoundTitle', { number })}>
      <h1>{t('registry.notFoundTitle', { number })}</h1>
      <p class="usa-intro">{t('registry.notFoundBody')}</p>
    </Layout>
  );
}

export const registryPages: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/registry/:number', { schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    const { number } = req.params as { number: string };
    const raw = (req.query as { asOf?: unknown }).asOf;
    const asOfValue = typeof raw === 'string' ? raw.trim() : '';
    const asOfError = asOfValue !== '' && !isIsoDate(asOfValue) ? ctx.t('registry.asOfError', { value: asOfValue.slice(0, 40) }) : undefined;
    // A registry change must show at once (PROGRAM.md §7: within 72 hours); and names are not for search engines.
    void reply.header('cache-control', 'no-cache').header('x-robots-tag', 'noindex');
    try {
      const entry = await registryEntry(db, number, asOfValue !== '' && !asOfError ? { asOf: asOfValue } : {});
      return sendPage(reply, <EntryPage ctx={ctx} entry={entry} asOfValue={asOfValue} asOfError={asOfError} />, asOfError ? 400 : 200);
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'not-found') throw err;
      return sendPage(reply, <NotFoundPage ctx={ctx} number={number.trim().toUpperCase().slice(0, 40)} />, 404);
    }
  });
};
