// /admin/audit: search the audit log by person, record, action and dates, page through the results, and download
// them as CSV (the download goes through /api/v1/audit.csv, which records it).
import type { FastifyPluginAsync } from 'fastify';
import { inArray, sql } from 'drizzle-orm';
import { requireAllowed } from '../access/guard.ts';
import { isRole } from '../access/roles.ts';
import { apiTokens, users } from '../accounts/accounts.schema.ts';
import type { Db } from '../db/client.ts';
import { isIsoDate } from '../lib/dates.ts';
import type { FieldError } from '../lib/errors.ts';
import type { Translate } from '../web/i18n.ts';
import { DataTable } from '../web/data-table.tsx';
import { Field, FormAlert } from '../web/forms.tsx';
import { Layout } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { AUDIT_PAGE_SIZE, searchAuditPage } from './audit.routes.ts';
import type { AuditFilter, AuditRow, FieldChange } from './audit.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE = 1_000_000;
/** The same limits as the API's query, so the CSV link always works for what the form accepts. */
const MAX_LENGTH = { person: 254, entityType: 100, entityId: 200, action: 100 } as const;
const SHOWN_VALUE_LENGTH = 80;

const FILTER_FIELDS = ['person', 'entityType', 'entityId', 'action', 'from', 'to'] as const;
type FilterField = (typeof FILTER_FIELDS)[number];
type FilterForm = Partial<Record<FilterField, string>>;

const californiaTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** An instant as California wall time, "2025-03-09 01:59:59 PST": the filters' days are California days too. */
export function formatCaliforniaTime(at: Date | string): string {
  const parts = Object.fromEntries(californiaTime.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

/** The query's filter fields as typed (trimmed; repeated parameters: the first). */
function formOf(query: unknown): { form: FilterForm; page: number } {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string | undefined => {
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
  };
  const form: FilterForm = {};
  for (const field of FILTER_FIELDS) {
    const value = text(q[field]);
    if (value !== undefined) form[field] = value;
  }
  const page = Number(text(q.page) ?? '1');
  return { form, page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1 };
}

/** The service's filter from the form, or the problems to show beside the fields. An unknown email matches nothing. */
async function filterOf(db: Db, form: FilterForm, t: Translate): Promise<{ filter: AuditFilter; errors: FieldError[]; matchesNothing: boolean }> {
  const errors: FieldError[] = [];
  const filter: AuditFilter = {};
  let matchesNothing = false;
  for (const field of ['entityType', 'entityId', 'action'] as const) {
    const value = form[field];
    if (value === undefined) continue;
    if (value.length > MAX_LENGTH[field]) errors.push({ path: field, message: t('auditLog.tooLong', { max: MAX_LENGTH[field] }) });
    else filter[field] = value;
  }
  for (const field of ['from', 'to'] as const) {
    const value = form[field];
    if (value === undefined) continue;
    if (isIsoDate(value)) filter[field] = value;
    else errors.push({ path: field, message: t('auditLog.badDate') });
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) errors.push({ path: 'to', message: t('auditLog.dateOrder') });
  const person = form.person;
  if (person !== undefined) {
    if (UUID.test(person)) {
      filter.actorUserId = person.toLowerCase();
    } else if (person.includes('@') && person.length <= MAX_LENGTH.person) {
      const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${person.toLowerCase()}`).limit(1);
      if (user) filter.actorUserId = user.id;
      else {
        matchesNothing = true;
        errors.push({ path: 'person', message: t('auditLog.unknownEmail', { email: person }) });
      }
    } else {
      errors.push({ path: 'person', message: t('auditLog.badPerson') });
    }
  }
  return { filter, errors, matchesNothing };
}

function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params.set(k, String(v));
  return params.toString();
}

/** Names for the people and tokens that appear as actors on this page. */
async function actorNames(db: Db, rows: AuditRow[]) {
  const userIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const tokenIds = [...new Set(rows.flatMap((r) => (r.actorTokenId ? [r.actorTokenId] : [])))];
  const people = userIds.length
    ? await db.select({ id: users.id, email: users.email, displayName: users.displayName }).from(users).where(inArray(users.id, userIds))
    : [];
  const tokens = tokenIds.length ? await db.select({ id: apiTokens.id, name: apiTokens.name }).from(apiTokens).where(inArray(apiTokens.id, tokenIds)) : [];
  return { people: new Map(people.map((p) => [p.id, p])), tokens: new Map(tokens.map((tk) => [tk.id, tk.name])) };
}

function shownValue(value: unknown): string {
  const text = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH - 1)}…` : text;
}

function Changes({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return <>—</>;
  return (
    <ul class="usa-list usa-list--unstyled">
      {changes.map((c, i) => (
        <li key={`${c.field}-${i}`}>
          <code>{c.field}</code>: {shownValue(c.before)} → {shownValue(c.after)}
        </li>
      ))}
    </ul>
  );
}


export const auditPages: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/admin/audit', { schema: { hide: true }, onRequest: async (req) => requireAllowed(req, 'audit.read') }, async (req, reply) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const { form, page } = formOf(req.query);
    const { filter, errors, matchesNothing } = await filterOf(db, form, t);
    const malformed = errors.length > 0 && !matchesNothing;
    const result = errors.length === 0 ? await searchAuditPage(db, filter, page) : { total: 0, page: 1, pageSize: AUDIT_PAGE_SIZE, rows: [] };
    const names = await actorNames(db, result.rows);
    const pages = Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE));
    const pageHref = (n: number) => `/admin/audit?${queryString({ ...form, page: n })}`;
    const csvHref = `/api/v1/audit.csv?${queryString({ actorUserId: filter.actorUserId, entityType: filter.entityType, entityId: filter.entityId, action: filter.action, from: filter.from, to: filter.to })}`;

    const who = (r: AuditRow) => {
      const role = r.actorRole ? (isRole(r.actorRole) ? t(`roles.${r.actorRole}`) : r.actorRole) : null;
      let name: string;
      if (r.actorTokenId) {
        const tokenName = names.tokens.get(r.actorTokenId);
        name = tokenName === undefined ? t('auditLog.unknownToken', { id: r.actorTokenId }) : t('auditLog.token', { name: tokenName });
      } else if (r.actorUserId) {
        const person = names.people.get(r.actorUserId);
        name = person ? `${person.displayName} <${person.email}>` : t('auditLog.unknownPerson', { id: r.actorUserId });
      } else {
        name = t('auditLog.platform');
      }
      return role ? `${name} (${role})` : name;
    };

    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('auditLog.title')}>
        <h1>{t('auditLog.title')}</h1>
        <p class="usa-intro">{t('auditLog.lead')}</p>
        <FormAlert heading={t('auditLog.errorSummary')} message={malformed ? errors.map((e) => e.message).join(' ') : undefined} />
        <h2>{t('auditLog.filtersHeading')}</h2>
        <form method="get" action="/admin/audit" class="usa-form usa-form--large" data-testid="audit-filters">
          <Field required={false} name="person" label={t('auditLog.person')} hint={t('auditLog.personHint')} value={form.person} errors={errors} />
          <Field required={false} name="entityType" label={t('auditLog.entityType')} hint={t('auditLog.entityTypeHint')} value={form.entityType} errors={errors} />
          <Field required={false} name="entityId" label={t('auditLog.entityId')} value={form.entityId} errors={errors} />
          <Field required={false} name="action" label={t('auditLog.action')} hint={t('auditLog.actionHint')} value={form.action} errors={errors} />
          <Field required={false} name="from" type="date" label={t('auditLog.from')} hint={t('auditLog.dateHint')} value={form.from} errors={errors} />
          <Field required={false} name="to" type="date" label={t('auditLog.to')} hint={t('auditLog.dateHint')} value={form.to} errors={errors} />
          <button class="usa-button" type="submit">
            {t('auditLog.search')}
          </button>
          <a class="usa-button usa-button--outline" href="/admin/audit">
            {t('auditLog.clear')}
          </a>
        </form>
        {errors.length === 0 && (
          <>
            <p data-testid="audit-total">{t('auditLog.found', { total: result.total })}</p>
            {result.total > 0 && (
              <p>
                <a href={csvHref} download data-testid="audit-csv">
                  {t('auditLog.download')}
                </a>{' '}
                <span class="usa-hint">{t('auditLog.downloadNote')}</span>
              </p>
            )}
          </>
        )}
        {result.rows.length === 0 ? (
          <p>{t('auditLog.empty')}</p>
        ) : (
          <DataTable
            caption={t('auditLog.caption')}
            columns={[t('auditLog.colTime'), t('auditLog.colWho'), t('auditLog.colAction'), t('auditLog.colEntity'), t('auditLog.colChanges'), t('auditLog.colReason')]}
            variant="width-full"
            testId="audit-entries"
          >
            {result.rows.map((r) => (
              <tr key={r.seq}>
                <td data-label={t('auditLog.colTime')}>
                  <time datetime={r.at}>{formatCaliforniaTime(r.at)}</time>
                </td>
                <td data-label={t('auditLog.colWho')}>{who(r)}</td>
                <th scope="row" data-label={t('auditLog.colAction')}>
                  <code>{r.action}</code>
                </th>
                <td data-label={t('auditLog.colEntity')}>
                  <code>{r.entityType}</code> {r.entityId}
                </td>
                <td data-label={t('auditLog.colChanges')}>
                  <Changes changes={r.changes} />
                </td>
                <td data-label={t('auditLog.colReason')}>{r.reason ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {pages > 1 && (
          <nav aria-label={t('auditLog.pagination')} class="usa-pagination" data-testid="audit-pagination">
            <ul class="usa-pagination__list">
              {result.page > 1 && (
                <li class="usa-pagination__item usa-pagination__arrow">
                  <a href={pageHref(Math.min(result.page - 1, pages))} class="usa-pagination__link usa-pagination__previous-page" rel="prev">
                    <span class="usa-pagination__link-text">{t('auditLog.previous')}</span>
                  </a>
                </li>
              )}
              <li class="usa-pagination__item usa-pagination__page-no">
                <span class="usa-pagination__button usa-current" aria-current="page">
                  {t('auditLog.pageOf', { page: result.page, pages })}
                </span>
              </li>
              {result.page < pages && (
                <li class="usa-pagination__item usa-pagination__arrow">
                  <a href={pageHref(result.page + 1)} class="usa-pagination__link usa-pagination__next-page" rel="next">
                    <span class="usa-pagination__link-text">{t('auditLog.next')}</span>
                  </a>
                </li>
              )}
            </ul>
          </nav>
        )}
      </Layout>,
      malformed ? 400 : 200,
    );
  });
};
