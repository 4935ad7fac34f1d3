// /workbench/exams: post the exam vendor's results file and see what each posted file recorded and refused.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, FormProblem, type Refusal, refusalLang } from '../web/form-refusal.ts';
import { FormAlert, UploadForm } from '../web/forms.tsx';
import { formatTime } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFile } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { importExamResults } from './exam-import.ts';
import { examImportResult, recentExamImports, type ExamImportSummary } from './workbench-queries.ts';
import { errorOf, FileInput, queryString, WorkbenchNav } from './workbench.components.tsx';

function ImportResult({ ctx, result }: { ctx: PageContext; result: ExamImportSummary }) {
  const { t } = ctx;
  const w = (key: string, options?: Record<string, unknown>) => t(`certification.workbench.exams.${key}`, options ?? {});
  const cols = [w('colRow'), w('colCandidate'), w('colReason')];
  return (
    <section aria-labelledby="import-result" class="margin-top-3" data-testid="import-result">
      <h2 id="import-result">{w('resultHeading', { file: result.filename })}</h2>
      <p data-testid="import-summary">{w('summary', { rows: result.rowCount, recorded: result.recorded, rejected: result.rejections.length })}</p>
      {result.rejections.length === 0 ? (
        <p>{w('allRecorded')}</p>
      ) : (
        <DataTable caption={w('rejectionsCaption')} columns={cols} variant="width-full" testId="rejections">
          {result.rejections.map((r) => (
            <tr key={r.row}>
              <th scope="row" data-label={cols[0]}>
                {String(r.row)}
              </th>
              <td data-label={cols[1]}>{r.candidateId}</td>
              <td data-label={cols[2]} lang={ctx.locale === 'en' ? undefined : 'en'}>
                {r.reason}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function ExamsPage({ ctx, actor, csrfToken, result, past, refusal }: { ctx: PageContext; actor: Actor; csrfToken: string; result: ExamImportSummary | undefined; past: ExamImportSummary[]; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const w = (key: string, options?: Record<string, unknown>) => t(`certification.workbench.exams.${key}`, options ?? {});
  const cols = [w('colFile'), w('colPosted'), w('colRows'), w('colRecorded'), w('colRejected')];
  return (
    <Layout ctx={ctx} title={w('title')} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="exams" />
      <h1>{w('title')}</h1>
      <p class="usa-intro">{w('lead')}</p>
      {result && <ImportResult ctx={ctx} result={result} />}
      <section aria-labelledby="upload" class="margin-top-3">
        <h2 id="upload">{w('uploadHeading')}</h2>
        <FormAlert heading={t('certification.workbench.common.errorSummary')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
        <UploadForm action="/workbench/exams/import" csrfToken={csrfToken}>
          <FileInput id="file" label={w('file')} hint={w('fileHint')} accept=".csv,text/csv" error={errorOf(refusal, 'import', 'file')} />
          <button class="usa-button" type="submit">
            {w('uploadButton')}
          </button>
        </UploadForm>
      </section>
      <section aria-labelledby="past" class="margin-top-3">
        <h2 id="past">{w('pastHeading')}</h2>
        {past.length === 0 ? (
          <p>{w('noneYet')}</p>
        ) : (
          <DataTable caption={w('pastCaption')} columns={cols} variant="width-full" testId="past-imports">
            {past.map((p) => (
              <tr key={p.id}>
                <th scope="row" data-label={cols[0]}>
                  <a href={`/workbench/exams?importId=${p.id}`}>{p.filename}</a>
                </th>
                <td data-label={cols[1]}>{formatTime(p.importedAt, ctx.locale)}</td>
                <td data-label={cols[2]}>{String(p.rowCount)}</td>
                <td data-label={cols[3]}>{String(p.recorded)}</td>
                <td data-label={cols[4]}>{String(p.rejections.length)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </Layout>
  );
}

export const examsPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const gate = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'exams.record'), schema: { hide: true } };

  const render = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const context = contextOf(req);
    const importId = queryString(req, 'importId');
    const result = importId === '' ? undefined : await examImportResult(db, importId, context);
    const past = await recentExamImports(db, context);
    return sendPage(reply, <ExamsPage ctx={req.pageContext()} actor={req.actor} csrfToken={reply.generateCsrf()} result={result} past={past} refusal={refusal} />, refusal?.status ?? 200);
  };

  app.get('/workbench/exams', gate, (req, reply) => render(req, reply));

  app.post('/workbench/exams/import', { ...gate, preHandler: (app as FastifyInstance).csrfProtection }, async (req, reply) => {
    const { t } = req.pageContext();
    const outcome = await attempt('import', {}, async () => {
      const file = await formFile(req, 'file');
      if (!file) throw new FormProblem(t('certification.workbench.exams.noFile'), [{ path: 'file', message: t('certification.workbench.exams.noFile') }]);
      return importExamResults(db, { filename: file.filename, bytes: file.bytes }, contextOf(req));
    });
    if ('refused' in outcome) return render(req, reply, outcome.refused);
    return reply.redirect(`/workbench/exams?importId=${outcome.ok.id}`, 303);
  });
};
