// /workbench/imports: bulk import of already-certified peers — past imports, the upload form, and one import's
// page (status, progress, rejection report), which refreshes itself while the import runs.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { loggableError } from '../http/errors.ts';
import { AppError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { contextOf } from '../web/form-refusal.ts';
import { FormAlert, SuccessAlert, UploadForm } from '../web/forms.tsx';
import { englishTextLang } from '../web/i18n.ts';
import { Layout, renderDocument, type PageContext } from '../web/layout.tsx';
import { formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { PEER_IMPORT_COLUMNS } from './import-peers.parse.ts';
import { listPeerImports, peerImportView, RunningPeerImports, type PeerImportListItem, type PeerImportProgress, type PeerImportSummary } from './import-peers.ts';

/** The imports running in this process (one web process holds its own; the record holds the outcome). */
export const runningPeerImports = new RunningPeerImports();

const REFRESH_SECONDS = 2;
const STATUS_TAG: Record<string, string> = { running: 'bg-primary', imported: 'bg-green', rejected: 'bg-secondary-dark', failed: 'bg-secondary-dark' };

/** A timestamp as staff in California read it: 2025-06-01 14:03. */
function when(at: Date): string {
  return at.toLocaleString('sv-SE', { timeZone: 'America/Los_Angeles' }).slice(0, 16);
}

function StatusTag({ ctx, status }: { ctx: PageContext; status: string }) {
  return <span class={`usa-tag ${STATUS_TAG[status] ?? ''}`}>{ctx.t(`certification.imports.status.${status}`)}</span>;
}

interface ListNotice {
  error?: string;
  /** The error is a use case's (English) message rather than one of the page's own strings. */
  errorInEnglish?: boolean;
  status?: number;
}

function ListPage({ ctx, imports, csrfToken, notice }: { ctx: PageContext; imports: PeerImportSummary[]; csrfToken: string; notice: ListNotice }) {
  const { t } = ctx;
  const error = notice.error;
  return (
    <Layout ctx={ctx} title={t('certification.imports.title')} current="workbench">
      <h1>{t('certification.imports.title')}</h1>
      <p class="usa-intro">{t('certification.imports.lead')}</p>
      <h2>{t('certification.imports.uploadHeading')}</h2>
      <FormAlert heading={t('certification.imports.errorHeading')} message={error} lang={notice.errorInEnglish ? englishTextLang(ctx.locale) : undefined} />
      <UploadForm action="/workbench/imports" csrfToken={csrfToken}>
        <div class={error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
          <label class="usa-label" for="file">
            {t('certification.imports.fileLabel')}
          </label>
          <div class="usa-hint" id="file-hint">
            {t('certification.imports.fileHint', { columns: PEER_IMPORT_COLUMNS.join(', ') })}
          </div>
          <input
            class="usa-file-input"
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            aria-describedby="file-hint"
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
        <button class="usa-button" type="submit">
          {t('certification.imports.uploadButton')}
        </button>
      </UploadForm>
      <h2>{t('certification.imports.listHeading')}</h2>
      {imports.length === 0 ? (
        <p>{t('certification.imports.none')}</p>
      ) : (
        <DataTable
          caption={t('certification.imports.listCaption')}
          columns={[t('certification.imports.colStarted'), t('certification.imports.colFile'), t('certification.imports.colStatus'), t('certification.imports.colRows'), t('certification.imports.colImported'), t('certification.imports.colBy')]}
          variant="width-full"
          testId="peer-imports"
        >
          {imports.map((i) => (
            <tr key={i.id}>
              <td data-label={t('certification.imports.colStarted')}>{when(i.startedAt)}</td>
              <th scope="row" data-label={t('certification.imports.colFile')}>
                <a href={`/workbench/imports/${i.id}`}>{i.filename}</a>
              </th>
              <td data-label={t('certification.imports.colStatus')}>
                <StatusTag ctx={ctx} status={i.status} />
              </td>
              <td data-label={t('certification.imports.colRows')}>{i.totalRows}</td>
              <td data-label={t('certification.imports.colImported')}>{i.imported}</td>
              <td data-label={t('certification.imports.colBy')}>{i.importedByName ?? t('certification.imports.byCommandLine')}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

function Progress({ ctx, item, progress, running }: { ctx: PageContext; item: PeerImportListItem; progress: PeerImportProgress | null; running: boolean }) {
  const { t } = ctx;
  const processed = running ? (progress?.processed ?? 0) : item.processedRows;
  const total = running ? (progress?.total ?? 0) : item.totalRows;
  return (
    <div class="margin-y-3">
      {running && progress && <p class="margin-bottom-1">{t(`certification.imports.phase.${progress.phase}`)}</p>}
      <label class="usa-label margin-top-0" for="import-progress">
        {t('certification.imports.progressLabel')}
      </label>
      {/* No total yet (the file is being read): an indeterminate bar. */}
      <progress id="import-progress" max={Math.max(total, 1)} value={running && !progress ? undefined : processed} data-testid="import-progress">
        {t('certification.imports.progressValue', { processed, total })}
      </progress>
      <p class="margin-top-05">{t('certification.imports.progressValue', { processed, total })}</p>
    </div>
  );
}

function DetailPage({ ctx, item, progress, running }: { ctx: PageContext; item: PeerImportListItem; progress: PeerImportProgress | null; running: boolean }) {
  const { t } = ctx;
  const lang = englishTextLang(ctx.locale);
  return (
    <Layout ctx={ctx} title={t('certification.imports.detailTitle', { file: item.filename })} current="workbench">
      <p>
        <a href="/workbench/imports">{t('certification.imports.back')}</a>
      </p>
      <h1>{t('certification.imports.detailTitle', { file: item.filename })}</h1>
      <p data-testid="import-status">
        <StatusTag ctx={ctx} status={item.status} />
      </p>
      <p>
        {t('certification.imports.started', { at: when(item.startedAt), by: item.importedByName ?? t('certification.imports.byCommandLine') })}{' '}
        {item.finishedAt && t('certification.imports.finished', { at: when(item.finishedAt) })}
      </p>
      {item.status === 'running' && (
        <p>
          {t('certification.imports.running')} <a href={`/workbench/imports/${item.id}`}>{t('certification.imports.refreshNow')}</a>
        </p>
      )}
      <Progress ctx={ctx} item={item} progress={progress} running={running} />
      {item.status === 'imported' && <SuccessAlert message={t('certification.imports.importedSummary', { count: item.imported })} />}
      {item.status === 'rejected' && <FormAlert heading={t('certification.imports.errorHeading')} message={t('certification.imports.rejectedSummary', { count: item.rejections.length })} />}
      {item.status === 'failed' && (
        <div class="usa-alert usa-alert--error" role="alert">
          <div class="usa-alert__body">
            <h2 class="usa-alert__heading">{t('certification.imports.errorHeading')}</h2>
            <p class="usa-alert__text">{t('certification.imports.failedSummary')}</p>
            <p class="usa-alert__text" data-testid="import-error">
              {t('certification.imports.failedReason')} <span lang={lang}>{item.error}</span>
            </p>
          </div>
        </div>
      )}
      {item.rejections.length > 0 && (
        <DataTable
          caption={t('certification.imports.reportCaption')}
          columns={[t('certification.imports.colRow'), t('certification.imports.colColumn'), t('certification.imports.colReason')]}
          variant="width-full"
          testId="rejections"
        >
          {item.rejections.map((r, i) => (
            <tr key={i}>
              <th scope="row" data-label={t('certification.imports.colRow')}>
                {r.row}
              </th>
              <td data-label={t('certification.imports.colColumn')}>{r.column === '' ? t('certification.imports.wholeRow') : <code>{r.column}</code>}</td>
              <td data-label={t('certification.imports.colReason')} lang={lang}>
                {r.reason}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

/**
 * A page that reloads itself: a refresh <meta> in the head (the strict CSP rules out a script). The layout has no
 * slot for head elements, so it goes in after rendering.
 */
function sendRefreshingPage(reply: FastifyReply, page: VNode): FastifyReply {
  const html = renderDocument(page).replace('</head>', `<meta http-equiv="refresh" content="${REFRESH_SECONDS}"></head>`);
  return reply.status(200).type('text/html; charset=utf-8').header('vary', 'Cookie, Accept-Language').header('cache-control', 'no-store').send(html);
}

export const peerImportPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const guard = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'certifications.import') };
  // Closing the app waits for imports under way, so none is cut off half-recorded.
  app.addHook('onClose', () => runningPeerImports.idle());

  const listPage = async (req: FastifyRequest, reply: FastifyReply, notice: ListNotice = {}) => {
    const imports = await listPeerImports(db, contextOf(req));
    return sendPage(reply, <ListPage ctx={req.pageContext()} imports={imports} csrfToken={reply.generateCsrf()} notice={notice} />, notice.status ?? 200);
  };

  app.get('/workbench/imports', { ...guard, schema: { hide: true } }, (req, reply) => listPage(req, reply));

  app.post('/workbench/imports', { ...guard, preHandler: (app as FastifyInstance).csrfProtection, schema: { hide: true } }, async (req, reply) => {
    const { t } = req.pageContext();
    try {
      const file = await formFile(req, 'file');
      if (!file || file.bytes.length === 0) return await listPage(req, reply, { error: t('certification.imports.noFile'), status: 400 });
      const record = await runningPeerImports.start(db, { filename: file.filename, bytes: file.bytes }, contextOf(req), req.sessionUser?.displayName ?? null, (err) =>
        req.log.error({ err: loggableError(err) }, 'peer import could not record its outcome'),
      );
      return await reply.redirect(`/workbench/imports/${record.id}`, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return listPage(req, reply, { error: err.message, errorInEnglish: true, status: err.status });
    }
  });

  app.get('/workbench/imports/:id', { ...guard, schema: { hide: true } }, async (req, reply) => {
    const view = await peerImportView(db, (req.params as { id: string }).id, contextOf(req), runningPeerImports);
    const page = <DetailPage ctx={req.pageContext()} item={view.item} progress={view.progress} running={view.running} />;
    return view.item.status === 'running' ? sendRefreshingPage(reply, page) : sendPage(reply, page);
  });
};
