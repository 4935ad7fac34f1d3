// /rules: every program rule in force on a date with its authority, one rule's history (?key=), and for those who
// may edit rules the form that records a change from today or later.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { canAny } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import type { Actor } from '../access/roles.ts';
import { doneOf, formatMoney, queryString, WorkbenchNav } from '../certification/workbench.components.tsx';
import type { DomainOptions } from '../http/domain-options.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, type Form, FormProblem, type Refusal, refusalLang } from '../web/form-refusal.ts';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert } from '../web/forms.tsx';
import { formatTime, type Locale, type Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { sendPage } from '../web/web.plugin.ts';
import { isRuleKey, RULE_DESCRIPTIONS, RULE_KEYS, RULE_SCHEMAS, type RuleKey } from './rule-definitions.ts';
import { recordRuleChange, ruleHistory, ruleRowsAsOf, type RuleRow } from './rules.service.ts';

const w = (t: Translate, key: string, options?: Record<string, unknown>) => t(`certification.workbench.rules.${key}`, options ?? {});

/** A rule's value as the change form takes it back: numbers, lists as [a, b], dates; fees also in dollars. */
function valueText(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

function ValueCell({ t, locale, row }: { t: Translate; locale: Locale; row: RuleRow }) {
  const fee = row.key.startsWith('fee.') && typeof row.value === 'number';
  return (
    <>
      <code>{valueText(row.value)}</code>
      {fee && ` ${w(t, 'dollars', { amount: formatMoney(row.value as number, locale) })}`}
    </>
  );
}

interface State {
  asOf: string;
  asOfError: boolean;
  key: RuleKey | undefined;
  done: boolean;
  refusal: Refusal | undefined;
}

function RulesPage({ ctx, actor, rows, history, state, csrfToken }: { ctx: PageContext; actor: Actor; rows: RuleRow[]; history: RuleRow[]; state: State; csrfToken: string }) {
  const { t } = ctx;
  const english = ctx.locale === 'en' ? undefined : 'en';
  const cols = [w(t, 'colKey'), w(t, 'colDescription'), w(t, 'colValue'), w(t, 'colFrom'), w(t, 'colAuthority'), w(t, 'colNote'), w(t, 'colHistory')];
  const historyCols = [w(t, 'colFrom'), w(t, 'colValue'), w(t, 'colAuthority'), w(t, 'colNote'), w(t, 'colRecorded')];
  const inForce = new Set(rows.map((r) => r.id));
  const values: Form = state.refusal?.values ?? {};
  const today = todayInCalifornia();
  return (
    <Layout ctx={ctx} title={w(t, 'title')} current="workbench">
      <WorkbenchNav t={t} actor={actor} current="rules" />
      <h1>{w(t, 'title')}</h1>
      <p class="usa-intro">{w(t, 'lead')}</p>
      {state.done && <SuccessAlert message={w(t, 'recorded')} />}
      <FormAlert heading={t('certification.workbench.common.errorSummary')} message={state.refusal?.message} lang={refusalLang(state.refusal, ctx.locale)} />
      <form method="get" action="/rules" class="usa-form">
        <Field name="asOf" type="date" label={w(t, 'asOf')} value={state.asOf} errors={state.asOfError ? [{ path: 'asOf', message: w(t, 'asOfError') }] : undefined} />
        <button class="usa-button" type="submit">
          {w(t, 'show')}
        </button>
      </form>
      <DataTable caption={w(t, 'caption', { date: state.asOf })} columns={cols} variant="width-full" testId="rules">
        {rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <th scope="row" data-label={cols[0]}>
              <code>{r.key}</code>
            </th>
            <td data-label={cols[1]} lang={english}>
              {isRuleKey(r.key) ? RULE_DESCRIPTIONS[r.key] : ''}
            </td>
            <td data-label={cols[2]} data-testid={`value-${r.key}`}>
              <ValueCell t={t} locale={ctx.locale} row={r} />
            </td>
            <td data-label={cols[3]}>{r.effectiveFrom}</td>
            <td data-label={cols[4]} lang={english}>
              {r.authority}
            </td>
            <td data-label={cols[5]} lang={r.note ? english : undefined}>
              {r.note ?? ''}
            </td>
            <td data-label={cols[6]}>
              <a href={`/rules?asOf=${state.asOf}&key=${encodeURIComponent(r.key)}#history`} aria-label={w(t, 'historyLink', { key: r.key })}>
                {w(t, 'colHistory')}
              </a>
            </td>
          </tr>
        ))}
      </DataTable>
      {state.key && (
        <section aria-labelledby="history" class="margin-top-4">
          <h2 id="history">{w(t, 'historyHeading', { key: state.key })}</h2>
          <p lang={english}>{RULE_DESCRIPTIONS[state.key]}</p>
          <DataTable caption={w(t, 'historyCaption', { key: state.key })} columns={historyCols} variant="width-full" testId="rule-history">
            {history.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label={historyCols[0]}>
                  {r.effectiveFrom}
                  {inForce.has(r.id) && <span class="usa-tag margin-left-1">{w(t, 'inForce', { date: state.asOf })}</span>}
                </th>
                <td data-label={historyCols[1]}>
                  <ValueCell t={t} locale={ctx.locale} row={r} />
                </td>
                <td data-label={historyCols[2]} lang={english}>
                  {r.authority}
                </td>
                <td data-label={historyCols[3]} lang={r.note ? english : undefined}>
                  {r.note ?? ''}
                </td>
                <td data-label={historyCols[4]}>{formatTime(r.recordedAt, ctx.locale)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
      {canAny(actor, 'rules.edit') && (
        <section aria-labelledby="change" class="margin-top-4">
          <h2 id="change">{w(t, 'changeHeading')}</h2>
          <p>{w(t, 'changeLead')}</p>
          <PostForm action="/rules" csrfToken={csrfToken}>
            <SelectField name="key" label={w(t, 'key')} errors={state.refusal?.errors} required>
              {RULE_KEYS.map((k) => (
                <option key={k} value={k} selected={(values.key ?? state.key) === k}>
                  {k}
                </option>
              ))}
            </SelectField>
            <Field name="value" label={w(t, 'value')} hint={w(t, 'valueHint')} value={values.value} errors={state.refusal?.errors} />
            <Field name="effectiveFrom" type="date" label={w(t, 'effectiveFrom')} value={values.effectiveFrom ?? today} errors={state.refusal?.errors} />
            <Field name="authority" label={w(t, 'authority')} value={values.authority} errors={state.refusal?.errors} />
            <Field name="note" label={w(t, 'note')} value={values.note} errors={state.refusal?.errors} required={false} />
            <button class="usa-button" type="submit">
              {w(t, 'changeButton')}
            </button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}

/** The form's text as the rule's kind of value: a list (JSON), a number, or a date string; the use case checks the rest. */
function valueFromText(t: Translate, key: string, text: string): unknown {
  const trimmed = text.trim();
  const invalid = () => new FormProblem(w(t, 'valueError'), [{ path: 'value', message: w(t, 'valueError') }]);
  if (!isRuleKey(key)) return trimmed; // recordRuleChange names the unknown rule
  const type = RULE_SCHEMAS[key].def.type;
  if (type === 'array') {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      throw invalid();
    }
  }
  if (type === 'number') {
    const n = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(n)) throw invalid();
    return n;
  }
  return trimmed;
}

export const rulesPages: FastifyPluginAsync<DomainOptions> = async (app, { db }) => {
  const render = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const ctx = req.pageContext();
    const asked = queryString(req, 'asOf');
    const asOfError = asked !== '' && !isIsoDate(asked);
    const asOf = asked !== '' && !asOfError ? asked : todayInCalifornia();
    const keyParam = queryString(req, 'key');
    const key = isRuleKey(keyParam) ? keyParam : undefined;
    const state: State = { asOf, asOfError, key, done: !refusal && doneOf(req, ['recorded']) !== undefined, refusal };
    const rows = await ruleRowsAsOf(db, asOf);
    const history = key ? await ruleHistory(db, key) : [];
    return sendPage(reply, <RulesPage ctx={ctx} actor={req.actor} rows={rows} history={history} state={state} csrfToken={reply.generateCsrf()} />, refusal?.status ?? (asOfError ? 400 : 200));
  };

  app.get('/rules', { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'rules.read'), schema: { hide: true } }, (req, reply) => render(req, reply));

  app.post(
    '/rules',
    { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'rules.edit'), preHandler: (app as FastifyInstance).csrfProtection, schema: { hide: true } },
    async (req, reply) => {
      const values = (req.body ?? {}) as Form;
      const key = values.key ?? '';
      const { t } = req.pageContext();
      const outcome = await attempt('change', values, () => {
        const effectiveFrom = values.effectiveFrom?.trim() ?? '';
        // The use case compares dates as text; anything but a calendar date must stop here.
        if (!isIsoDate(effectiveFrom)) throw new FormProblem(w(t, 'effectiveFromError'), [{ path: 'effectiveFrom', message: w(t, 'effectiveFromError') }]);
        return recordRuleChange(db, { key, value: valueFromText(t, key, values.value ?? ''), effectiveFrom, authority: values.authority ?? '', note: values.note }, contextOf(req));
      });
      if ('refused' in outcome) return render(req, reply, outcome.refused);
      return reply.redirect(`/rules?done=recorded&key=${encodeURIComponent(outcome.ok.key)}#history`, 303);
    },
  );
};
