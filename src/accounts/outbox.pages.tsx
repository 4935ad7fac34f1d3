// /admin/outbox: the email the platform has written, for administrators. Without SMTP it is the only way out.
import type { FastifyPluginAsync } from 'fastify';
import { requireAllowed } from '../access/guard.ts';
import type { Db } from '../db/client.ts';
import { DataTable } from '../web/data-table.tsx';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { listOutbox } from './outbox.ts';

export const outboxPages: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/admin/outbox', { schema: { hide: true }, onRequest: async (req) => requireAllowed(req, 'outbox.read') }, async (req, reply) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const messages = await listOutbox(db);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('outbox.title')}>
        <h1>{t('outbox.title')}</h1>
        <p class="usa-intro">{t('outbox.lead')}</p>
        {messages.length === 0 ? (
          <p>{t('outbox.empty')}</p>
        ) : (
          <DataTable
            caption={t('outbox.caption')}
            columns={[t('outbox.colCreated'), t('outbox.colTo'), t('outbox.colSubject'), t('outbox.colStatus'), t('outbox.colText')]}
            variant="width-full"
            testId="outbox"
          >
            {messages.map((m) => (
              <tr key={m.id}>
                <td data-label={t('outbox.colCreated')}>{m.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                <th scope="row" data-label={t('outbox.colTo')}>
                  {m.to}
                </th>
                <td data-label={t('outbox.colSubject')} lang={ctx.locale === 'en' ? undefined : 'en'}>
                  {m.subject}
                </td>
                <td data-label={t('outbox.colStatus')}>
                  {m.sentAt ? t('outbox.sent') : m.error ? t('outbox.failed', { error: m.error }) : t('outbox.waiting')}
                </td>
                <td data-label={t('outbox.colText')} lang={ctx.locale === 'en' ? undefined : 'en'}>
                  <pre class="outbox-text">{m.text}</pre>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Layout>,
    );
  });
};
