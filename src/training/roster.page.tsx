// /training/rosters/{id}: what one roster credited, and each row it could not credit with the reason.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { DataTable } from '../web/data-table.tsx';
import { contextOf } from '../web/form-refusal.ts';
import { englishTextLang, formatTime } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { languageName, rejectionText, trainingLabel } from './training.components.tsx';
import { getRosterResult, type RosterDetail } from './training-queries.ts';

function RosterPage({ ctx, roster }: { ctx: PageContext; roster: RosterDetail }) {
  const { t } = ctx;
  const rejectCols = [t('training.roster.colRow'), t('training.roster.colEmail'), t('training.roster.colDate'), t('training.roster.colReason')];
  const creditCols = [t('training.roster.colPerson'), t('training.roster.colEmail'), t('training.roster.colDate'), t('training.roster.colHours'), t('training.roster.colLawEthics')];
  return (
    <Layout ctx={ctx} title={t('training.rosterPage.title', { file: roster.filename })}>
      <p>
        <a href={`/training/providers/${roster.providerId}#rosters`}>{t('training.rosterPage.back', { name: roster.providerName })}</a>
      </p>
      <h1>{t('training.rosterPage.title', { file: roster.filename })}</h1>
      <dl>
        <dt class="text-bold">{t('training.rosterPage.course')}</dt>
        <dd>
          <span lang={roster.course.language}>{roster.course.title}</span>
          {` (${trainingLabel(t, roster.course.trainingType, roster.course.specialization)}, ${languageName(roster.course.language, ctx.locale)})`}
        </dd>
        <dt class="text-bold">{t('training.rosterPage.uploaded')}</dt>
        <dd>{roster.uploadedBy ? t('training.rosterPage.uploadedBy', { when: formatTime(roster.uploadedAt, ctx.locale), name: roster.uploadedBy }) : formatTime(roster.uploadedAt, ctx.locale)}</dd>
        <dt class="text-bold">{t('training.rosterPage.fingerprint')}</dt>
        <dd class="font-mono-2xs text-wrap">
          {roster.sha256}
        </dd>
      </dl>
      <div class="usa-summary-box margin-y-3" role="region" aria-labelledby="roster-summary">
        <div class="usa-summary-box__body">
          <h2 class="usa-summary-box__heading" id="roster-summary" data-testid="roster-summary">
            {t('training.rosterPage.summary', { count: roster.rowCount, credited: roster.credited, rejected: roster.rejections.length })}
          </h2>
        </div>
      </div>
      <h2>{t('training.rosterPage.rejectedHeading')}</h2>
      {roster.rejections.length === 0 ? (
        <p>{t('training.rosterPage.noRejections')}</p>
      ) : (
        <DataTable caption={t('training.rosterPage.rejectedCaption')} columns={rejectCols} variant="width-full" testId="rejections">
          {roster.rejections.map((r) => (
            <tr key={`${r.row}-${r.code}`} data-code={r.code}>
              <th scope="row" data-label={rejectCols[0]}>{String(r.row)}</th>
              <td data-label={rejectCols[1]}>{r.email}</td>
              <td data-label={rejectCols[2]}>{r.completedOn}</td>
              <td data-label={rejectCols[3]}>
                {rejectionText(t, r)}
                <div class="usa-hint font-body-3xs" lang={englishTextLang(ctx.locale)}>
                  {r.reason}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>{t('training.rosterPage.creditedHeading')}</h2>
      {roster.completions.length === 0 ? (
        <p>{t('training.rosterPage.noneCredited')}</p>
      ) : (
        <DataTable caption={t('training.rosterPage.creditedCaption')} columns={creditCols} variant="width-full" testId="credited">
          {roster.completions.map((c) => (
            <tr key={`${c.email ?? ''}-${c.completedOn}`}>
              <th scope="row" data-label={creditCols[0]}>{c.peerName}</th>
              <td data-label={creditCols[1]}>{c.email}</td>
              <td data-label={creditCols[2]}>{c.completedOn}</td>
              <td data-label={creditCols[3]}>{String(c.hours)}</td>
              <td data-label={creditCols[4]}>{String(c.lawEthicsHours)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

export const rosterPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  app.get('/training/rosters/:id', { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'training.read'), schema: { hide: true } }, async (req, reply) => {
    const roster = await getRosterResult(db, (req.params as { id: string }).id, contextOf(req));
    return sendPage(reply, <RosterPage ctx={req.pageContext()} roster={roster} />);
  });
};
