// /workbench/certifications: find a certification by name or number; /workbench/certifications/{id}: its status
// today, its two-year terms and its effective-dated status history, for certifying and enforcement staff.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { can } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { DataTable } from '../web/data-table.tsx';
import { contextOf } from '../web/form-refusal.ts';
import { formatTime } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { certificationDetail, searchCertifications, type CertificationSearchRow } from './workbench-queries.ts';
import { dateOf, Input, queryString, WorkbenchNav } from './workbench.components.tsx';

type Detail = Awaited<ReturnType<typeof certificationDetail>>;

function ListPage({ ctx, actor, q, rows, limited }: { ctx: PageContext; actor: Actor; q: string; rows: CertificationSearchRow[]; limited: boolean }) {
  const { t } = ctx;
  const w = (key: string, options?: Record<string, unknown>) => t(`certification.workbench.certifications.${key}`, options ?? {});
  const status = (s: string | null) => (s ? t(`certification.labels.certificationStatus.${s}`) : w('notYet'));
  const cols = [w('colNumber'), w('colName'), w('colStatus'), w('colFirstIssued'), w('colIssued'), w('colExpires')];
  return (
    <Layout ctx={ctx} title={w('title')} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="certifications" />
      <h1>{w('title')}</h1>
      <p class="usa-intro">{w('lead')}</p>
      <form method="get" action="/workbench/certifications" class="usa-form" role="search">
        <Input id="q" name="q" label={w('search')} value={q} />
        <button class="usa-button" type="submit">
          {w('searchButton')}
        </button>
      </form>
      {rows.length === 0 ? (
        <p class="margin-top-3" data-testid="certifications-empty">
          {w('empty')}
        </p>
      ) : (
        <>
          {limited && <p class="margin-top-3">{w('limited', { count: rows.length })}</p>}
          <DataTable caption={w('caption', { count: rows.length })} columns={cols} variant="width-full" testId="certifications">
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label={cols[0]}>
                  <a href={`/workbench/certifications/${r.id}`}>{r.number}</a>
                </th>
                <td data-label={cols[1]}>{r.name}</td>
                <td data-label={cols[2]}>{status(r.status)}</td>
                <td data-label={cols[3]}>{r.firstIssuedOn}</td>
                <td data-label={cols[4]}>{r.issuedOn}</td>
                <td data-label={cols[5]}>{r.expiresOn}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </Layout>
  );
}

function DetailPage({ ctx, actor, detail }: { ctx: PageContext; actor: Actor; detail: Detail }) {
  const { t } = ctx;
  const w = (key: string, options?: Record<string, unknown>) => t(`certification.workbench.certification.${key}`, options ?? {});
  const { certification: c, holder } = detail;
  const title = w('title', { number: c.number });
  const english = ctx.locale === 'en' ? undefined : 'en';
  const cycleCols = [w('colFrom'), w('colUntil'), w('colKind'), w('colApplication')];
  const historyCols = [w('colEffective'), w('colStatus'), w('colReasonCode'), w('colReason'), w('colRecorded')];
  const appCols = [w('colNumber'), w('colPathway'), w('colApplicationStatus')];
  const applicationNumbers = new Map(detail.applications.map((a) => [a.id, a.number]));
  const review = can(actor, 'applications.review');
  const appLink = (id: string | null) => {
    if (!id) return '';
    const number = applicationNumbers.get(id) ?? id;
    return review ? <a href={`/workbench/applications/${id}`}>{number}</a> : number;
  };
  return (
    <Layout ctx={ctx} title={title} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="certifications" />
      <p>
        <a href="/workbench/certifications">{w('back')}</a>
      </p>
      <h1>{title}</h1>
      <dl data-testid="certification-summary">
        <dt class="text-bold">{w('holder')}</dt>
        <dd>{[holder.legalFirstName, holder.legalMiddleName, holder.legalLastName].filter(Boolean).join(' ')}</dd>
        <dt class="text-bold">{w('email')}</dt>
        <dd>{holder.email ?? t('certification.workbench.common.notRecorded')}</dd>
        <dt class="text-bold">{w('statusToday', { date: detail.today })}</dt>
        <dd data-testid="status-today">{detail.statusToday ? t(`certification.labels.certificationStatus.${detail.statusToday}`) : t('certification.workbench.certifications.notYet')}</dd>
        <dt class="text-bold">{w('firstIssued')}</dt>
        <dd>{c.firstIssuedOn}</dd>
        <dt class="text-bold">{w('initialPathway')}</dt>
        <dd>{t(`certification.labels.pathway.${c.initialPathway}`)}</dd>
        <dt class="text-bold">{w('currentTerm')}</dt>
        <dd>{w('term', { from: c.issuedOn, to: c.expiresOn })}</dd>
      </dl>
      {can(actor, 'certifications.status.change') && (
        <p>
          <a class="usa-button usa-button--outline" href={`/workbench/certifications/${c.id}/certificate.pdf`}>
            {w('certificate')}
          </a>
        </p>
      )}
      <section aria-labelledby="cycles">
        <h2 id="cycles">{w('cyclesHeading')}</h2>
        <DataTable caption={w('cyclesCaption', { number: c.number })} columns={cycleCols} variant="width-full" testId="cycles">
          {detail.cycles.map((y) => (
            <tr key={y.id}>
              <th scope="row" data-label={cycleCols[0]}>
                {y.issuedOn}
              </th>
              <td data-label={cycleCols[1]}>{y.expiresOn}</td>
              <td data-label={cycleCols[2]}>{w(`cycleKind.${y.kind}`)}</td>
              <td data-label={cycleCols[3]}>{appLink(y.applicationId)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section aria-labelledby="history">
        <h2 id="history">{w('historyHeading')}</h2>
        <DataTable caption={w('historyCaption', { number: c.number })} columns={historyCols} variant="width-full" testId="status-history">
          {detail.history.map((h) => (
            <tr key={h.id}>
              <th scope="row" data-label={historyCols[0]}>
                {h.effectiveOn}
              </th>
              <td data-label={historyCols[1]}>{t(`certification.labels.certificationStatus.${h.status}`)}</td>
              <td data-label={historyCols[2]} lang={english}>
                {h.reasonCode.replace(/_/g, ' ')}
              </td>
              <td data-label={historyCols[3]} lang={h.reason ? english : undefined}>
                {h.reason ?? ''}
              </td>
              <td data-label={historyCols[4]}>{formatTime(h.recordedAt, ctx.locale)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      {detail.applications.length > 0 && (
        <section aria-labelledby="applications">
          <h2 id="applications">{w('applicationsHeading')}</h2>
          <DataTable caption={w('applicationsCaption')} columns={appCols} variant="width-full" testId="holder-applications">
            {detail.applications.map((a) => (
              <tr key={a.id}>
                <th scope="row" data-label={appCols[0]}>
                  {appLink(a.id)}
                </th>
                <td data-label={appCols[1]}>{t(`certification.labels.pathway.${a.pathway}`)}</td>
                <td data-label={appCols[2]}>
                  {t(`certification.labels.applicationStatus.${a.status}`)}
                  {a.submittedAt ? ` (${dateOf(a.submittedAt)})` : ''}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </Layout>
  );
}

export const certificationsPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  // An empty resource asks for the statewide grant: certifications.read also covers a peer's own record.
  const gate = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'certifications.read', {}), schema: { hide: true } };

  app.get('/workbench/certifications', gate, async (req, reply) => {
    const q = queryString(req, 'q').slice(0, 200);
    const { rows, limited } = await searchCertifications(db, { q }, contextOf(req));
    return sendPage(reply, <ListPage ctx={req.pageContext()} actor={req.actor} q={q} rows={rows} limited={limited} />);
  });

  app.get('/workbench/certifications/:id', gate, async (req, reply) => {
    const detail = await certificationDetail(db, (req.params as { id: string }).id, contextOf(req));
    return sendPage(reply, <DetailPage ctx={req.pageContext()} actor={req.actor} detail={detail} />);
  });
};
