// The home page: what the platform is, with live figures from the data.
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/client.ts';
import { listCountyParticipation } from '../counties/counties.service.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { Layout } from './layout.tsx';
import { sendPage } from './web.plugin.ts';

export const homePages: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const list = await listCountyParticipation(db, todayInCalifornia());
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('home.title')} current="home">
        <h1>{t('home.title')}</h1>
        <p class="usa-intro">{t('home.lead')}</p>
        <ul class="usa-card-group">
          <li class="usa-card tablet:grid-col-6">
            <div class="usa-card__container">
              <div class="usa-card__header">
                <h2 class="usa-card__heading">{t('home.countiesCardTitle')}</h2>
              </div>
              <div class="usa-card__body">
                <p>
                  {t('home.countiesCardBody', {
                    participating: list.participatingCount,
                    total: list.counties.length,
                    date: list.asOf,
                  })}
                </p>
              </div>
              <div class="usa-card__footer">
                <a class="usa-button" href="/counties">
                  {t('home.countiesCardLink')}
                </a>
              </div>
            </div>
          </li>
          <li class="usa-card tablet:grid-col-6">
            <div class="usa-card__container">
              <div class="usa-card__header">
                <h2 class="usa-card__heading">{t('home.apiCardTitle')}</h2>
              </div>
              <div class="usa-card__body">
                <p>{t('home.apiCardBody')}</p>
              </div>
              <div class="usa-card__footer">
                <a class="usa-button usa-button--outline" href="/docs">
                  {t('home.apiCardLink')}
                </a>
              </div>
            </div>
          </li>
        </ul>
      </Layout>,
    );
  });
};
