// The certification staff workbench: /workbench (the review queue) and document downloads here; one application,
// fees, exam results and certifications in their own files, registered from this one.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import type { FieldError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { contextOf } from '../web/form-refusal.ts';
import { SelectField } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { reviewQueue } from './application-queries.ts';
import { readDocument } from './save-application.ts';
import { APPLICATION_STATUSES, PATHWAYS, type ApplicationStatus } from './vocabulary.ts';
import { applicationPages } from './workbench-application.pages.tsx';
import { certificationsPages } from './workbench-certifications.pages.tsx';
import { examsPages } from './workbench-exams.pages.tsx';
import { feesPages } from './workbench-fees.pages.tsx';
import { dateOf, Input, queryString, WorkbenchNav } from './workbench.components.tsx';

type Queue = Awaited<ReturnType<typeof reviewQueue>>;

interface QueueFilters {
  status: string;
  pathway: string;
  minAgeDays: string;
}

function QueuePage({ ctx, actor, queue, filters, errors }: { ctx: PageContext; actor: Actor; queue: Queue; filters: QueueFilters; errors: FieldError[] }) {
  const { t } = ctx;
  const w = (key: string, options?: Record<string, unknown>) => t(`certification.workbench.queue.${key}`, options ?? {});
  const cols = [w('colNumber'), w('colName'), w('colPathway'), w('colStatus'), w('colSubmitted'), w('colWaiting'), w('colValidThrough')];
  return (
    <Layout ctx={ctx} title={w('title')} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="queue" />
      <h1>{w('title')}</h1>
      <p class="usa-intro">{w('lead')}</p>
      <p data-testid="review-target">{w('target', { days: queue.targetDays })}</p>
      <section aria-labelledby="filters">
        <h2 id="filters">{w('filtersHeading')}</h2>
        {errors.length > 0 && (
          <div class="usa-alert usa-alert--error usa-alert--slim" role="alert">
            <div class="usa-alert__body">
              <p class="usa-alert__text">{w('badFilter')}</p>
            </div>
          </div>
        )}
        <form method="get" action="/workbench" class="usa-form">
          <SelectField name="status" label={w('status')} errors={errors}>
            <option value="">{w('statusOpen')}</option>
            {APPLICATION_STATUSES.map((s) => (
              <option key={s} value={s} selected={filters.status === s}>
                {t(`certification.labels.applicationStatus.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField name="pathway" label={w('pathway')} errors={errors}>
            <option value="">{w('pathwayAll')}</option>
            {PATHWAYS.map((p) => (
              <option key={p} value={p} selected={filters.pathway === p}>
                {t(`certification.labels.pathway.${p}`)}
              </option>
            ))}
          </SelectField>
          <Input id="minAgeDays" name="minAgeDays" type="number" min="0" step="1" label={w('minAgeDays')} value={filters.minAgeDays} error={errors.find((e) => e.path === 'minAgeDays')?.message} />
          <button class="usa-button" type="submit">
            {t('certification.workbench.common.filter')}
          </button>
        </form>
      </section>
      {queue.rows.length === 0 ? (
        <p data-testid="queue-empty">{w('empty')}</p>
      ) : (
        <DataTable caption={w('caption', { count: queue.rows.length })} columns={cols} variant="width-full" testId="queue">
          {queue.rows.map((r) => (
            <tr key={r.id} data-overdue={r.overdue ? 'true' : undefined}>
              <th scope="row" data-label={cols[0]}>
                <a href={`/workbench/applications/${r.id}`}>{r.number}</a>
              </th>
              <td data-label={cols[1]}>{r.name}</td>
              <td data-label={cols[2]}>{t(`certification.labels.pathway.${r.pathway}`)}</td>
              <td data-label={cols[3]}>{t(`certification.labels.applicationStatus.${r.status}`)}</td>
              <td data-label={cols[4]}>{dateOf(r.submittedAt) ?? w('notSubmitted')}</td>
              <td data-label={cols[5]}>
                {String(r.ageDays)} {r.overdue && <span class="usa-tag bg-secondary-dark">{w('pastTarget')}</span>}
              </td>
              <td data-label={cols[6]}>{r.validThrough ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

/** `Content-Disposition` for a stored file name: an ASCII fallback and the exact name (RFC 6266 / 5987). */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const workbenchPages: FastifyPluginAsync<DomainOptions> = async (app, options) => {
  const { db, storage } = options;

  app.get('/workbench', { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'applications.review'), schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    const filters: QueueFilters = { status: queryString(req, 'status'), pathway: queryString(req, 'pathway'), minAgeDays: queryString(req, 'minAgeDays').trim() };
    const errors: FieldError[] = [];
    const status = (APPLICATION_STATUSES as readonly string[]).includes(filters.status) ? (filters.status as ApplicationStatus) : undefined;
    if (filters.status !== '' && !status) errors.push({ path: 'status', message: ctx.t('certification.workbench.common.choose') });
    const pathway = (PATHWAYS as readonly string[]).includes(filters.pathway) ? filters.pathway : undefined;
    if (filters.pathway !== '' && !pathway) errors.push({ path: 'pathway', message: ctx.t('certification.workbench.common.choose') });
    let minAgeDays: number | undefined;
    if (filters.minAgeDays !== '') {
      const n = Number(filters.minAgeDays);
      if (Number.isInteger(n) && n >= 0 && n <= 100_000) minAgeDays = n;
      else errors.push({ path: 'minAgeDays', message: ctx.t('certification.workbench.queue.minAgeDaysError') });
    }
    const queue = await reviewQueue(db, { status, pathway, minAgeDays }, contextOf(req));
    return sendPage(reply, <QueuePage ctx={ctx} actor={req.actor} queue={queue} filters={filters} errors={errors} />, errors.length > 0 ? 400 : 200);
  });

  // A peer may read their own documents (the use case answers 404 for anyone else's); staff read every one.
  app.get('/workbench/documents/:id', { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'documents.read'), schema: { hide: true } }, async (req, reply) => {
    const doc = await readDocument(db, storage, (req.params as { id: string }).id, contextOf(req));
    return reply.type(doc.contentType).header('content-disposition', attachment(doc.filename)).header('cache-control', 'no-store').send(doc.bytes);
  });

  await app.register(applicationPages, options);
  await app.register(feesPages, options);
  await app.register(examsPages, options);
  await app.register(certificationsPages, options);
};
