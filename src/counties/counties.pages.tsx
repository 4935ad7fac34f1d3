// Public pages: /counties (map, totals and table as of a date) and /counties/{fips} (plan, participation, history).
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AsOfForm } from '../web/as-of-form.tsx';
import { californiaMap } from '../web/california-map.ts';
import type { Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { DataTable } from '../web/data-table.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { requireAllowed } from '../access/guard.ts';
import { clientOf } from '../accounts/actor.plugin.ts';
import type { FieldError } from '../lib/errors.ts';
import { renderCountyPage, type ParticipationForm } from './county.page.tsx';
import { recordParticipationChange } from './record-participation.ts';
import { listCountyParticipation, type ParticipationList } from './counties.service.ts';
import { combinationLabel, dataLang, SourceNotes } from './counties.components.tsx';
import { DELIVERY_SYSTEM_CODES, type DeliverySystem } from './reference-data.ts';


function combinationClass(systems: ReadonlyArray<DeliverySystem>): string {
  return systems.length === 0 ? 'sys-none' : `sys-${systems.join('-')}`;
}

function CountyMap({ t, list }: { t: Translate; list: ParticipationList }) {
  const map = californiaMap();
  const systemsOf = new Map(list.counties.map((c) => [c.fips, c.deliverySystems]));
  return (
    <svg
      class="county-map"
      viewBox={`0 0 ${map.width} ${map.height}`}
      role="img"
      aria-labelledby="county-map-title county-map-desc"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="county-map-title">{t('counties.mapTitle')}</title>
      <desc id="county-map-desc">{t('counties.mapDesc', { date: list.asOf })}</desc>
      {map.counties.map((shape) => {
        const systems = systemsOf.get(shape.fips) ?? [];
        return (
          <path key={shape.fips} d={shape.d} class={combinationClass(systems)} data-fips={shape.fips}>
            <title>{`${shape.name}: ${combinationLabel(t, systems)}`}</title>
          </path>
        );
      })}
    </svg>
  );
}

function Legend({ t, list }: { t: Translate; list: ParticipationList }) {
  const combos = new Map<string, DeliverySystem[]>();
  const counts = new Map<string, number>();
  for (const c of list.counties) {
    const key = combinationClass(c.deliverySystems);
    combos.set(key, c.deliverySystems);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const ordered = [...combos.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  return (
    <section aria-labelledby="legend-heading">
      <h2 id="legend-heading" class="font-heading-md">
        {t('counties.legend')}
      </h2>
      <ul class="legend">
        {ordered.map(([key, systems]) => (
          <li key={key}>
            <span class={`swatch ${key}`} aria-hidden="true"></span>
            {`${combinationLabel(t, systems)} (${counts.get(key) ?? 0})`}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CountiesPage({ ctx, list, error }: { ctx: PageContext; list: ParticipationList; error?: string | undefined }) {
  const { t } = ctx;
  const qs = `asOf=${list.asOf}`;
  return (
    <Layout ctx={ctx} title={t('counties.title')} current="counties">
      <h1>{t('counties.title')}</h1>
      <p class="usa-intro">{t('counties.lead')}</p>
      <AsOfForm action="/counties" label={t('counties.asOfLabel')} hint={t('counties.asOfHint')} button={t('counties.show')} value={list.asOf} error={error} />
      <div class="usa-summary-box margin-y-4" role="region" aria-labelledby="summary-heading">
        <div class="usa-summary-box__body">
          <h2 class="usa-summary-box__heading" id="summary-heading" data-testid="participation-summary">
            {t('counties.summary', { participating: list.participatingCount, date: list.asOf })}
          </h2>
          <div class="usa-summary-box__text">
            {list.source ? (
              <>
                {list.source.statedCount !== null && list.source.statedCount !== list.source.listedCount && (
                  <p data-testid="stated-vs-listed">
                    {t('counties.statedVsListed', { listed: list.source.listedCount, stated: list.source.statedCount })}
                  </p>
                )}
                <p>
                  {t('counties.sourceLabel')} <span lang={dataLang(ctx.locale)}>{list.source.source}</span>,{' '}
                  {t('counties.effectiveFrom', { date: list.source.effectiveOn })}
                </p>
                <SourceNotes
                  ctx={ctx}
                  // The count mismatch is already said in the sentence above.
                  notes={list.source.warnings.filter((w) => !(w.code === 'count_mismatch' && list.source?.statedCount !== null))}
                />
              </>
            ) : (
              <p>{t('counties.noData')}</p>
            )}
            <ul>
              {DELIVERY_SYSTEM_CODES.map((s) => (
                <li key={s}>{t('counties.totalFor', { system: t(`systems.${s}`), count: list.totals[s] })}</li>
              ))}
            </ul>
          </div>
        </div>
      </div>
      <div class="grid-row grid-gap">
        <div class="tablet:grid-col-7">
          <CountyMap t={t} list={list} />
        </div>
        <div class="tablet:grid-col-5">
          <Legend t={t} list={list} />
          <p>
            <a href={`/api/v1/counties.csv?${qs}`}>{t('counties.downloadCsv')}</a>
            {' · '}
            <a href={`/api/v1/counties?${qs}`}>{t('counties.apiLink')}</a>
          </p>
        </div>
      </div>
      <DataTable
        caption={t('counties.tableCaption', { date: list.asOf })}
        columns={[t('counties.colCounty'), t('counties.colFips'), t('counties.colPlan'), t('counties.colSystems')]}
        variant="usa-table--striped width-full"
        testId="counties-table"
      >
        {list.counties.map((c) => (
          <tr key={c.fips} data-participating={c.deliverySystems.length > 0 ? 'yes' : 'no'}>
            <th scope="row" data-label={t('counties.colCounty')}>
              <a href={`/counties/${c.fips}?${qs}`}>{c.name}</a>
            </th>
            <td data-label={t('counties.colFips')}>{c.fips}</td>
            <td data-label={t('counties.colPlan')}>{c.plan.name}</td>
            <td data-label={t('counties.colSystems')}>{combinationLabel(t, c.deliverySystems)}</td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

/** The asOf query of a web page: a bad date is a form error shown beside the field, not a dead end. */
function readAsOf(t: Translate, raw: unknown): { asOf: string; error?: string } {
  if (raw === undefined || raw === '') return { asOf: todayInCalifornia() };
  if (typeof raw === 'string' && isIsoDate(raw)) return { asOf: raw };
  return { asOf: todayInCalifornia(), error: t('counties.asOfError', { value: String(raw) }) };
}

export const countiesPages: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/counties', { schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    const { asOf, error } = readAsOf(ctx.t, (req.query as Record<string, unknown>).asOf);
    const list = await listCountyParticipation(db, asOf);
    return sendPage(reply, <CountiesPage ctx={ctx} list={list} error={error} />, error ? 400 : 200);
  });

  app.get('/counties/:fips', { schema: { hide: true } }, async (req, reply) => {
    const { fips } = req.params as { fips: string };
    const { asOf, error } = readAsOf(req.pageContext().t, (req.query as Record<string, unknown>).asOf);
    return renderCountyPage(req, reply, db, { fips, asOf, asOfError: error });
  });

  app.post(
    '/counties/:fips/participation',
    { schema: { hide: true }, onRequest: async (req) => requireAllowed(req, 'counties.participation.edit'), preHandler: app.csrfProtection },
    async (req, reply) => {
      const { fips } = req.params as { fips: string };
      const form = (req.body ?? {}) as ParticipationForm;
      const input = {
        fips,
        deliverySystem: form.deliverySystem as DeliverySystem,
        participating: form.participating === 'yes',
        effectiveOn: form.effectiveOn ?? '',
        reason: form.reason ?? '',
      };
      const errors: FieldError[] = [];
      if (!(DELIVERY_SYSTEM_CODES as readonly string[]).includes(form.deliverySystem ?? '')) errors.push({ path: 'deliverySystem', message: req.pageContext().t('participationEdit.system') });
      if (!isIsoDate(input.effectiveOn)) errors.push({ path: 'effectiveOn', message: req.pageContext().t('counties.asOfError', { value: input.effectiveOn }) });
      try {
        if (errors.length > 0) throw new AppError('bad-request', errors.map((e) => e.message).join(' '), errors);
        await recordParticipationChange(db, input, { actor: req.actor, ...clientOf(req) });
        return reply.redirect(`/counties/${fips}?asOf=${input.effectiveOn}&recorded=1`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
        return renderCountyPage(req, reply, db, { fips, asOf: todayInCalifornia(), edit: { form, message: err.message, errors: err.errors, status: err.status } });
      }
    },
  );
};
