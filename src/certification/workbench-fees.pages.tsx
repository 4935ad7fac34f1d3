// /workbench/fees: the fees charged and not settled (by kind), their total, a settlement form per fee; and the same
// rows as CSV for finance.
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../access/can.ts';
import type { Action } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, type Form, type Refusal, refusalLang } from '../web/form-refusal.ts';
import { FormAlert, SelectField, SuccessAlert } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { outstandingFees, settleFee, type OutstandingFee } from './fees.ts';
import { FEE_KINDS, type FeeKind } from './vocabulary.ts';
import { SettleFeeForm, settlementOf } from './workbench-application.sections.tsx';
import { doneOf, formatMoney, queryString, WorkbenchNav } from './workbench.components.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function kindOf(value: string | undefined): FeeKind | undefined {
  return (FEE_KINDS as readonly string[]).includes(value ?? '') ? (value as FeeKind) : undefined;
}

function FeesPage({ ctx, actor, rows, totalCents, kind, csrfToken, done, refusal }: {
  ctx: PageContext;
  actor: Actor;
  rows: OutstandingFee[];
  totalCents: number;
  kind: FeeKind | undefined;
  csrfToken: string;
  done: boolean;
  refusal: Refusal | undefined;
}) {
  const { t } = ctx;
  const w = (key: string, options?: Record<string, unknown>) => t(`certification.workbench.fees.${key}`, options ?? {});
  const settle = can(actor, 'fees.settle');
  const cols = [w('colFee'), w('colName'), w('colApplication'), w('colCharged'), w('colAmount'), ...(settle ? [w('colSettle')] : [])];
  return (
    <Layout ctx={ctx} title={w('title')} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="fees" />
      <h1>{w('title')}</h1>
      <p class="usa-intro">{w('lead')}</p>
      {done && <SuccessAlert message={t('certification.workbench.done.settled')} />}
      <FormAlert heading={t('certification.workbench.common.errorSummary')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
      <form method="get" action="/workbench/fees" class="usa-form">
        <SelectField name="kind" label={w('kind')}>
          <option value="">{w('kindAll')}</option>
          {FEE_KINDS.map((k) => (
            <option key={k} value={k} selected={kind === k}>
              {t(`certification.labels.fee.${k}`)}
            </option>
          ))}
        </SelectField>
        <button class="usa-button" type="submit">
          {t('certification.workbench.common.filter')}
        </button>
      </form>
      <p class="margin-top-3 text-bold" data-testid="fees-total">
        {w('total', { amount: formatMoney(totalCents, ctx.locale), count: rows.length })}
      </p>
      <p>
        <a href={`/workbench/fees.csv${kind ? `?kind=${kind}` : ''}`} download>
          {w('csv')}
        </a>
      </p>
      {rows.length === 0 ? (
        <p data-testid="fees-empty">{w('empty')}</p>
      ) : (
        <DataTable caption={w('caption', { count: rows.length })} columns={cols} variant="width-full" testId="outstanding-fees">
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" data-label={cols[0]}>
                {t(`certification.labels.fee.${r.kind}`)}
              </th>
              <td data-label={cols[1]}>{r.peerName}</td>
              <td data-label={cols[2]}>{r.applicationId ? <a href={`/workbench/applications/${r.applicationId}`}>{r.applicationNumber}</a> : ''}</td>
              <td data-label={cols[3]}>{r.chargedOn}</td>
              <td data-label={cols[4]}>{formatMoney(r.amountCents, ctx.locale)}</td>
              {settle && (
                <td data-label={cols[5]}>
                  <details open={refusal?.form === `settle-${r.id}` ? true : undefined}>
                    <summary>{w('settleSummary')}</summary>
                    <SettleFeeForm ctx={ctx} fee={r} action={`/workbench/fees/${r.id}/settle`} csrfToken={csrfToken} refusal={refusal} hidden={kind ? { kind } : {}} />
                  </details>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </Layout>
  );
}

/** A cell a spreadsheet would run as a formula (=, +, -, @) is kept as text. */
function cell(value: string | null): string {
  const text = value ?? '';
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export const FEES_CSV_COLUMNS = ['fee_id', 'kind', 'amount_usd', 'charged_on', 'application_number', 'legal_name'] as const;

export function feesCsv(rows: readonly OutstandingFee[]): string {
  return stringify(
    rows.map((r) => ({ fee_id: r.id, kind: r.kind, amount_usd: (r.amountCents / 100).toFixed(2), charged_on: r.chargedOn, application_number: cell(r.applicationNumber), legal_name: cell(r.peerName) })),
    { header: true, columns: [...FEES_CSV_COLUMNS] },
  );
}

export const feesPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const gate = (action: Action) => ({ onRequest: async (req: FastifyRequest) => requireAllowed(req, action), schema: { hide: true } });

  const render = async (req: FastifyRequest, reply: FastifyReply, kind: FeeKind | undefined, refusal?: Refusal) => {
    const { rows, totalCents } = await outstandingFees(db, contextOf(req), { kind });
    const done = !refusal && doneOf(req, ['settled']) !== undefined;
    return sendPage(
      reply,
      <FeesPage ctx={req.pageContext()} actor={req.actor} rows={rows} totalCents={totalCents} kind={kind} csrfToken={reply.generateCsrf()} done={done} refusal={refusal} />,
      refusal?.status ?? 200,
    );
  };

  app.get('/workbench/fees', gate('fees.report'), (req, reply) => render(req, reply, kindOf(queryString(req, 'kind'))));

  app.get('/workbench/fees.csv', gate('fees.report'), async (req, reply) => {
    const { rows } = await outstandingFees(db, contextOf(req), { kind: kindOf(queryString(req, 'kind')) });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="outstanding-fees-${todayInCalifornia()}.csv"`)
      .header('cache-control', 'no-store')
      .send(feesCsv(rows));
  });

  app.post('/workbench/fees/:feeId/settle', { ...gate('fees.settle'), preHandler: (app as FastifyInstance).csrfProtection }, async (req, reply) => {
    const { feeId } = req.params as { feeId: string };
    const values = (req.body ?? {}) as Form;
    const kind = kindOf(values.kind);
    // settleFee looks the fee up by id; anything but a UUID names no fee.
    if (!UUID.test(feeId)) throw new AppError('not-found', 'No such fee.');
    const outcome = await attempt(`settle-${feeId}`, values, () => settleFee(db, settlementOf(req.pageContext().t, feeId, values), contextOf(req)));
    if ('refused' in outcome) return render(req, reply, kind, outcome.refused);
    return reply.redirect(`/workbench/fees?done=settled${kind ? `&kind=${kind}` : ''}`, 303);
  });
};
