// /admin/jobs: the scheduled jobs, how their last run went, and a "Run now" form per job (system administrators).
import os from 'node:os';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import { requestAuditContext } from '../audit/audit.routes.ts';
import { formatCaliforniaTime } from '../audit/audit.pages.tsx';
import type { DomainOptions } from '../http/domain-options.ts';
import { AppError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { FormAlert, PostForm, SuccessAlert } from '../web/forms.tsx';
import { englishTextLang, type Translate } from '../web/i18n.ts';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { listJobs, resultCounts, runJobNow, type JobOutcome, type JobResult, type JobStatus } from './job-runner.ts';
import { platformJobs } from './platform-jobs.ts';

interface PageState {
  ran?: JobOutcome;
  refused?: string;
  status?: number;
}

function every(t: Translate, seconds: number): string {
  if (seconds % 3600 === 0) return t('jobs.everyHours', { hours: seconds / 3600 });
  if (seconds % 60 === 0) return t('jobs.everyMinutes', { minutes: seconds / 60 });
  return t('jobs.everySeconds', { seconds });
}

function jobName(t: Translate, name: string): string {
  return t(`jobs.jobNames.${name}`, { defaultValue: name });
}

/** Counts as "due 2 · expired 2 · failed 0", then each listed failure. */
function ResultView({ t, result, lang }: { t: Translate; result: JobResult; lang: 'en' | undefined }) {
  const counts = resultCounts(result);
  const failures = Array.isArray(result.failures) ? result.failures : [];
  return (
    <div>
      <p class="margin-0">{counts.map(([k, v]) => `${t(`jobs.counts.${k}`, { defaultValue: k })} ${String(v)}`).join(' · ')}</p>
      {failures.length > 0 && (
        <ul class="usa-list" lang={lang}>
          {failures.map((f, i) => {
            const { record, error } = (f ?? {}) as { record?: string; error?: string };
            return <li key={i}>{t('jobs.failureItem', { record: record ?? '', error: error ?? '' })}</li>;
          })}
        </ul>
      )}
    </div>
  );
}

function LastRun({ t, job }: { t: Translate; job: JobStatus }) {
  if (job.running && job.lastStartedAt) return <>{t('jobs.runningSince', { time: formatCaliforniaTime(job.lastStartedAt), instance: job.lockedBy ?? '' })}</>;
  if (!job.lastStartedAt || !job.lastFinishedAt) return <>{t('jobs.never')}</>;
  return <>{t('jobs.finished', { started: formatCaliforniaTime(job.lastStartedAt), finished: formatCaliforniaTime(job.lastFinishedAt) })}</>;
}

/** Web runs name their instance apart from the background runner of the same process. */
const WEB_INSTANCE = `${os.hostname()}:${process.pid} (web)`;

export const jobsPages: FastifyPluginAsync<DomainOptions> = async (app, { db, publicUrl }) => {
  const allowed = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'jobs.manage') };
  const csrf = { preHandler: (app as FastifyInstance).csrfProtection };
  const jobsFor = (req: FastifyRequest) => platformJobs({ baseUrl: publicUrl ?? `${req.protocol}://${req.host}` });

  const jobsPage = async (req: FastifyRequest, reply: FastifyReply, state: PageState = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const lang = englishTextLang(ctx.locale);
    const jobs = await listJobs(db, jobsFor(req));
    const csrfToken = reply.generateCsrf();
    const { ran } = state;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('jobs.title')}>
        <h1>{t('jobs.title')}</h1>
        <p class="usa-intro">{t('jobs.lead')}</p>
        <FormAlert heading={t('jobs.refusedHeading')} message={state.refused} lang={lang} />
        {ran && ran.error !== null && <FormAlert heading={t('jobs.failedHeading', { job: jobName(t, ran.name) })} message={ran.error} lang={lang} />}
        {ran && ran.result && (
          <>
            <SuccessAlert message={t('jobs.ran', { job: jobName(t, ran.name) })} />
            <div data-testid="run-result">
              <ResultView t={t} result={ran.result} lang={lang} />
            </div>
          </>
        )}
        <DataTable
          caption={t('jobs.caption')}
          columns={[t('jobs.colJob'), t('jobs.colEvery'), t('jobs.colLastRun'), t('jobs.colResult'), t('jobs.colError'), t('jobs.colNextRun'), t('jobs.colRun')]}
          variant="width-full"
          testId="jobs"
        >
          {jobs.map((job) => (
            <tr key={job.name} data-job={job.name}>
              <th scope="row" data-label={t('jobs.colJob')}>
                {jobName(t, job.name)}
                <div class="usa-hint">{t(`jobs.jobHelp.${job.name}`, { defaultValue: job.description })}</div>
                <code>{job.name}</code>
              </th>
              <td data-label={t('jobs.colEvery')}>{every(t, job.intervalSeconds)}</td>
              <td data-label={t('jobs.colLastRun')}>
                <LastRun t={t} job={job} />
              </td>
              <td data-label={t('jobs.colResult')}>{job.lastResult ? <ResultView t={t} result={job.lastResult} lang={lang} /> : t('jobs.noResult')}</td>
              <td data-label={t('jobs.colError')} lang={job.lastError ? lang : undefined}>
                {job.lastError ?? t('jobs.noError')}
              </td>
              <td data-label={t('jobs.colNextRun')}>{job.nextRunAt && job.lastStartedAt ? formatCaliforniaTime(job.nextRunAt) : t('jobs.atNextCheck')}</td>
              <td data-label={t('jobs.colRun')}>
                <PostForm action="/admin/jobs/run" csrfToken={csrfToken}>
                  <input type="hidden" name="name" value={job.name} />
                  <button class="usa-button usa-button--outline" type="submit" disabled={job.running}>
                    {t('jobs.runButton', { job: jobName(t, job.name) })}
                  </button>
                </PostForm>
              </td>
            </tr>
          ))}
        </DataTable>
      </Layout>,
      state.status ?? 200,
    );
  };

  app.get('/admin/jobs', { schema: { hide: true }, ...allowed }, (req, reply) => jobsPage(req, reply));

  app.post('/admin/jobs/run', { schema: { hide: true }, ...allowed, ...csrf }, async (req, reply) => {
    const name = String((req.body as Record<string, unknown> | undefined)?.name ?? '');
    try {
      const ran = await runJobNow(db, name, { jobs: jobsFor(req), instanceId: WEB_INSTANCE, requestedBy: requestAuditContext(req, 'jobs.manage') });
      return await jobsPage(req, reply, { ran });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return jobsPage(req, reply, { refused: err.message, status: err.status });
    }
  });
};
