// The parts of /workbench/applications/{id} that show the application: summary, answers, documents, what is
// missing, training, the ethics signature, fees (with the settlement form the fees report shares), exam attempts
// and the timeline.
import { can } from '../access/can.ts';
import type { Actor } from '../access/roles.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { DataTable } from '../web/data-table.tsx';
import { type Form, FormProblem, type Refusal } from '../web/form-refusal.ts';
import { formatTime, type Translate } from '../web/i18n.ts';
import type { PageContext } from '../web/layout.tsx';
import type { getApplicationDetail } from './application-queries.ts';
import { Answers } from './application.types.ts';
import type { FeeRow } from './fees.ts';
import { SETTLEMENTS, type Settlement } from './vocabulary.ts';
import { dateOf, errorOf, formatMoney, Input, Select } from './workbench.components.tsx';

export type Detail = Awaited<ReturnType<typeof getApplicationDetail>>;

export const ANSWER_KEYS = Object.keys(Answers.shape) as Array<keyof Answers>;
const COUNTY_NAMES = new Map(CALIFORNIA_COUNTIES.map((c) => [c.fips, c.name]));

export const w = (t: Translate, key: string, options?: Record<string, unknown>) => t(`certification.workbench.${key}`, options ?? {});

export function revisionFieldLabel(t: Translate, field: string): string {
  if (field === 'general') return w(t, 'actions.revisionGeneral');
  if (field.startsWith('document.')) return t(`certification.labels.document.${field.slice('document.'.length)}`);
  return w(t, `answers.${field}`);
}

function answerText(t: Translate, key: keyof Answers, value: unknown): string {
  if (typeof value === 'boolean') return value ? w(t, 'common.yes') : w(t, 'common.answeredNo');
  if (key === 'education') return t(`certification.labels.education.${String(value)}`);
  if (key === 'livedExperience') return w(t, `livedExperience.${String(value)}`);
  if (key === 'countyFips') return `${COUNTY_NAMES.get(String(value)) ?? ''} (${String(value)})`.trim();
  return String(value);
}

function legalName(p: { legalFirstName: string; legalMiddleName: string | null; legalLastName: string }): string {
  return [p.legalFirstName, p.legalMiddleName, p.legalLastName].filter(Boolean).join(' ');
}

export function Summary({ ctx, detail, certificationNumber }: { ctx: PageContext; detail: Detail; certificationNumber: string | null }) {
  const { t } = ctx;
  const { application: a, peer } = detail;
  const items = (a.revisionItems ?? []) as Array<{ field: string; message: string }>;
  return (
    <section aria-labelledby="summary">
      <h2 id="summary">{w(t, 'application.summaryHeading')}</h2>
      <dl data-testid="summary">
        <dt class="text-bold">{w(t, 'application.applicant')}</dt>
        <dd>{legalName(peer) || w(t, 'common.notRecorded')}</dd>
        <dt class="text-bold">{w(t, 'application.email')}</dt>
        <dd>{peer.email ?? w(t, 'common.notRecorded')}</dd>
        <dt class="text-bold">{w(t, 'application.pathway')}</dt>
        <dd>{t(`certification.labels.pathway.${a.pathway}`)}</dd>
        <dt class="text-bold">{w(t, 'application.status')}</dt>
        <dd data-testid="application-status">{t(`certification.labels.applicationStatus.${a.status}`)}</dd>
        <dt class="text-bold">{w(t, 'application.submitted')}</dt>
        <dd>{a.submittedAt ? formatTime(a.submittedAt, ctx.locale) : w(t, 'queue.notSubmitted')}</dd>
        {a.approvedOn && (
          <>
            <dt class="text-bold">{w(t, 'application.approvedOn')}</dt>
            <dd>{a.approvedOn}</dd>
          </>
        )}
        {a.validThrough && (
          <>
            <dt class="text-bold">{w(t, 'application.validThrough')}</dt>
            <dd>{a.validThrough}</dd>
          </>
        )}
        {a.candidateId && (
          <>
            <dt class="text-bold">{w(t, 'application.candidateId')}</dt>
            <dd>{a.candidateId}</dd>
          </>
        )}
        {a.decisionReason && (
          <>
            <dt class="text-bold">{w(t, 'application.decisionReason')}</dt>
            <dd lang={ctx.locale === 'en' ? undefined : 'en'}>{a.decisionReason}</dd>
          </>
        )}
        {a.certificationId && certificationNumber && (
          <>
            <dt class="text-bold">{w(t, 'application.certification')}</dt>
            <dd>
              <a href={`/workbench/certifications/${a.certificationId}`}>{certificationNumber}</a>
            </dd>
          </>
        )}
        <dt class="text-bold">{w(t, 'application.nextStep')}</dt>
        <dd data-testid="next-step">{w(t, `nextStep.${detail.nextStep}`)}</dd>
      </dl>
      {a.status === 'revision_requested' && items.length > 0 && (
        <>
          <h3>{w(t, 'application.revisionsAsked')}</h3>
          <ul class="usa-list" data-testid="revision-items">
            {items.map((i, n) => (
              <li key={n}>
                <span class="text-bold">{revisionFieldLabel(t, i.field)}</span>
                {': '}
                <span lang={ctx.locale === 'en' ? undefined : 'en'}>{i.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function AnswersSection({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const { t } = ctx;
  const answers = detail.application.answers as Record<string, unknown>;
  const shown = ANSWER_KEYS.filter((k) => answers[k] !== undefined && answers[k] !== null && answers[k] !== '');
  return (
    <section aria-labelledby="answers">
      <h2 id="answers">{w(t, 'application.answersHeading')}</h2>
      {shown.length === 0 ? (
        <p>{w(t, 'application.noAnswers')}</p>
      ) : (
        <dl data-testid="answers">
          {shown.map((k) => (
            <div key={k}>
              <dt class="text-bold">{w(t, `answers.${k}`)}</dt>
              <dd>{answerText(t, k, answers[k])}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function DocumentsSection({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const { t } = ctx;
  const cols = [w(t, 'application.colKind'), w(t, 'application.colFile'), w(t, 'application.colSize'), w(t, 'application.colUploaded')];
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">{w(t, 'application.documentsHeading')}</h2>
      {detail.documents.length === 0 ? (
        <p>{w(t, 'application.noDocuments')}</p>
      ) : (
        <DataTable caption={w(t, 'application.documentsCaption', { number: detail.application.number })} columns={cols} variant="width-full" testId="documents">
          {detail.documents.map((d) => (
            <tr key={d.id}>
              <th scope="row" data-label={cols[0]}>
                {t(`certification.labels.document.${d.kind}`)}
              </th>
              <td data-label={cols[1]}>
                <a href={`/workbench/documents/${d.id}`} aria-label={w(t, 'application.download', { file: d.filename })}>
                  {d.filename}
                </a>
              </td>
              <td data-label={cols[2]}>{w(t, 'application.sizeKb', { size: Math.max(1, Math.round(d.sizeBytes / 1024)) })}</td>
              <td data-label={cols[3]}>{formatTime(d.uploadedAt, ctx.locale)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function ProblemsAndTraining({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const { t } = ctx;
  const editable = detail.application.status === 'draft' || detail.application.status === 'revision_requested';
  const { training } = detail;
  return (
    <>
      <section aria-labelledby="problems">
        <h2 id="problems">{w(t, 'application.problemsHeading')}</h2>
        {detail.problems.length > 0 ? (
          <ul class="usa-list" data-testid="problems" lang={ctx.locale === 'en' ? undefined : 'en'}>
            {detail.problems.map((p) => (
              <li key={`${p.path}-${p.code}`}>{p.message}</li>
            ))}
          </ul>
        ) : (
          <p data-testid="problems">{editable ? w(t, 'application.noProblems') : w(t, 'application.problemsChecked')}</p>
        )}
      </section>
      <section aria-labelledby="training">
        <h2 id="training">{w(t, 'application.trainingHeading')}</h2>
        <dl data-testid="training">
          <dt class="text-bold">{w(t, 'application.coreTraining')}</dt>
          <dd>{training.coreCompletedOn ?? w(t, 'application.coreMissing')}</dd>
          <dt class="text-bold">{w(t, 'application.ceHours')}</dt>
          <dd>{String(training.ceHours)}</dd>
          <dt class="text-bold">{w(t, 'application.lawEthicsHours')}</dt>
          <dd>{String(training.lawEthicsHours)}</dd>
        </dl>
      </section>
    </>
  );
}

export function EthicsSection({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const { t } = ctx;
  const cols = [w(t, 'application.colVersion'), w(t, 'application.colSignedName'), w(t, 'application.colSignedAt')];
  return (
    <section aria-labelledby="ethics">
      <h2 id="ethics">{w(t, 'application.ethicsHeading')}</h2>
      {detail.affirmations.length === 0 ? (
        <p>{w(t, 'application.noEthics')}</p>
      ) : (
        <DataTable caption={w(t, 'application.ethicsCaption')} columns={cols} variant="width-full" testId="ethics">
          {detail.affirmations.map((a) => (
            <tr key={a.signedAt.toISOString()}>
              <th scope="row" data-label={cols[0]}>
                {a.codeVersion}
              </th>
              <td data-label={cols[1]}>{a.signedName}</td>
              <td data-label={cols[2]}>{formatTime(a.signedAt, ctx.locale)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** The form that records how one fee was settled; its controls' ids carry the fee's id (several on a page). */
export function SettleFeeForm({ ctx, fee, action, csrfToken, refusal, hidden }: { ctx: PageContext; fee: Pick<FeeRow, 'id' | 'kind' | 'amountCents'>; action: string; csrfToken: string; refusal: Refusal | undefined; hidden?: Record<string, string> }) {
  const { t } = ctx;
  const form = `settle-${fee.id}`;
  const values = refusal?.form === form ? refusal.values : {};
  const id = (name: string) => `${name}-${fee.id}`;
  return (
    <form method="post" action={action} class="usa-form" data-testid={`settle-${fee.id}`}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <fieldset class="usa-fieldset">
        <legend class="usa-legend">{w(t, 'actions.settleHeading', { fee: t(`certification.labels.fee.${fee.kind}`), amount: formatMoney(fee.amountCents, ctx.locale) })}</legend>
        <Select id={id('settlement')} name="settlement" label={w(t, 'actions.settlement')} error={errorOf(refusal, form, 'settlement')} required>
          <option value="">{w(t, 'common.choose')}</option>
          {SETTLEMENTS.map((s) => (
            <option key={s} value={s} selected={values.settlement === s}>
              {t(`certification.labels.settlement.${s}`)}
            </option>
          ))}
        </Select>
        <Input id={id('reference')} name="reference" label={w(t, 'actions.reference')} hint={w(t, 'actions.referenceHint')} value={values.reference} error={errorOf(refusal, form, 'reference')} />
        <Input id={id('note')} name="note" label={w(t, 'actions.note')} value={values.note} error={errorOf(refusal, form, 'note')} />
        <button class="usa-button" type="submit">
          {w(t, 'actions.settleButton')}
        </button>
      </fieldset>
    </form>
  );
}

export function FeesSection({ ctx, detail, actor, csrfToken, refusal }: { ctx: PageContext; detail: Detail; actor: Actor; csrfToken: string; refusal: Refusal | undefined }) {
  const { t } = ctx;
  const cols = [w(t, 'application.colFee'), w(t, 'application.colAmount'), w(t, 'application.colCharged'), w(t, 'application.colSettled'), w(t, 'application.colReference')];
  const open = detail.fees.filter((f) => f.settledAt === null);
  return (
    <section aria-labelledby="fees">
      <h2 id="fees">{w(t, 'application.feesHeading')}</h2>
      {detail.fees.length === 0 ? (
        <p>{w(t, 'application.noFees')}</p>
      ) : (
        <DataTable caption={w(t, 'application.feesCaption', { number: detail.application.number })} columns={cols} variant="width-full" testId="fees">
          {detail.fees.map((f) => (
            <tr key={f.id}>
              <th scope="row" data-label={cols[0]}>
                {t(`certification.labels.fee.${f.kind}`)}
              </th>
              <td data-label={cols[1]}>{formatMoney(f.amountCents, ctx.locale)}</td>
              <td data-label={cols[2]}>{f.chargedOn}</td>
              <td data-label={cols[3]}>
                {f.settledAt ? w(t, 'application.settledAs', { settlement: t(`certification.labels.settlement.${f.settlement ?? 'payment'}`), date: dateOf(f.settledAt) }) : <span class="usa-tag bg-secondary-dark">{w(t, 'application.outstanding')}</span>}
              </td>
              <td data-label={cols[4]}>{f.reference ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {can(actor, 'fees.settle') &&
        open.map((f) => (
          <SettleFeeForm key={f.id} ctx={ctx} fee={f} action={`/workbench/applications/${detail.application.id}/fees/${f.id}/settle`} csrfToken={csrfToken} refusal={refusal} />
        ))}
    </section>
  );
}

export function ExamSection({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const { t } = ctx;
  const cols = [w(t, 'application.colAttempt'), w(t, 'application.colTakenOn'), w(t, 'application.colResult'), w(t, 'application.colScore'), w(t, 'application.colSource')];
  return (
    <section aria-labelledby="exam">
      <h2 id="exam">{w(t, 'application.examHeading')}</h2>
      <p data-testid="attempts-used">{w(t, 'application.attemptsUsed', { used: detail.attempts.length, limit: detail.attemptLimit })}</p>
      {detail.attempts.length > 0 && (
        <DataTable caption={w(t, 'application.attemptsCaption')} columns={cols} variant="width-full" testId="attempts">
          {detail.attempts.map((a) => (
            <tr key={a.id}>
              <th scope="row" data-label={cols[0]}>
                {String(a.attemptNumber)}
              </th>
              <td data-label={cols[1]}>{a.takenOn}</td>
              <td data-label={cols[2]}>{t(`certification.labels.examResult.${a.result}`)}</td>
              <td data-label={cols[3]}>{a.score === null ? '' : String(a.score)}</td>
              <td data-label={cols[4]}>{w(t, `application.source.${a.source}`)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function TimelineSection({ ctx, detail }: { ctx: PageContext; detail: Detail }) {
  const { t } = ctx;
  const cols = [w(t, 'application.colWhen'), w(t, 'application.colFrom'), w(t, 'application.colTo'), w(t, 'application.colReason')];
  const status = (s: string | null) => (s ? t(`certification.labels.applicationStatus.${s}`) : w(t, 'application.created'));
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">{w(t, 'application.timelineHeading')}</h2>
      <DataTable caption={w(t, 'application.timelineCaption', { number: detail.application.number })} columns={cols} variant="width-full" testId="timeline">
        {detail.events.map((e) => (
          <tr key={e.id}>
            <th scope="row" data-label={cols[0]}>
              {formatTime(e.at, ctx.locale)}
            </th>
            <td data-label={cols[1]}>{status(e.fromStatus)}</td>
            <td data-label={cols[2]}>{status(e.toStatus)}</td>
            <td data-label={cols[3]} lang={e.reason && ctx.locale !== 'en' ? 'en' : undefined}>
              {e.reason ?? ''}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** The settlement form's fields, as settleFee takes them. */
export function settlementOf(t: Translate, feeId: string, values: Form): { feeId: string; settlement: Settlement; reference: string; note: string } {
  const settlement = values.settlement ?? '';
  if (!(SETTLEMENTS as readonly string[]).includes(settlement)) throw new FormProblem(w(t, 'actions.formError'), [{ path: 'settlement', message: w(t, 'actions.settlementError') }]);
  return { feeId, settlement: settlement as Settlement, reference: values.reference ?? '', note: values.note ?? '' };
}
