// Enforcement staff's pages: /enforcement (the dashboard: cases due and overdue, timeliness per clock), a case's
// file /enforcement/cases/:id (clocks, subject, assignment, notes, evidence, contacts, the decision, appeals) with a
// form for each step, staff entry of mailed complaints, and declared conflicts of interest. Every page is no-store:
// a case holds a complainant's identity and evidence.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { DataTable } from '../web/data-table.tsx';
import { attempt, contextOf, refusalLang, type Form, type Refusal } from '../web/form-refusal.ts';
import { Field, FormAlert, PostForm, SelectField, SuccessAlert, TextAreaField, UploadForm } from '../web/forms.tsx';
import { formatTime, type Translate } from '../web/i18n.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formFields } from '../web/multipart.ts';
import { sendPage } from '../web/web.plugin.ts';
import { decideAppeal, fileAppeal } from './appeals.ts';
import { CASE_VIEWS, caseTypeOf, getCaseFile, listCases, outcomeIdOf, readEvidence, timeliness, type CaseFile, type CaseListing, type CaseView } from './case-queries.ts';
import type { ClockReading } from './clocks.ts';
import { ComplaintForm, evidenceOf, providerChoices } from './complaint.pages.tsx';
import { declareConflict } from './conflicts.ts';
import { decideComplaint } from './decide-case.ts';
import { APPEAL_OUTCOMES, COMPLAINT_OUTCOMES, CONFLICT_RELATIONS, CONTACT_ROLES, PEER_APPEALABLE, PRIORITIES, PROVIDER_APPEALABLE, STAFF_CHANNELS } from './enforcement.vocabulary.ts';
import { fileComplaint } from './file-complaint.ts';
import { acknowledgeCase, addCaseContact, addCaseEvidence, addCaseNote, assignCase, extendCase, investigators, linkCaseSubject, setCasePriority } from './work-case.ts';

function ClockText({ t, reading }: { t: Translate; reading: ClockReading }) {
  const text =
    reading.state === 'due'
      ? t('enforcement.clockState.due', { date: reading.dueOn, count: reading.daysLeft ?? 0 })
      : reading.state === 'overdue'
        ? t('enforcement.clockState.overdue', { date: reading.dueOn, count: -(reading.daysLeft ?? 0) })
        : t(`enforcement.clockState.${reading.state}`, { date: reading.dueOn });
  const tag = reading.state === 'overdue' || reading.state === 'late' ? 'usa-tag bg-secondary-dark' : reading.state === 'met' ? 'usa-tag bg-green' : 'usa-tag bg-base';
  return (
    <span data-clock-state={reading.state}>
      <span class={tag}>{t(`enforcement.clockTag.${reading.state}`)}</span> {text}
    </span>
  );
}

function CaseTable({ t, cases }: { t: Translate; cases: CaseListing[] }) {
  return (
    <DataTable
      caption={t('enforcement.dashboard.caption')}
      columns={[t('enforcement.col.number'), t('enforcement.col.type'), t('enforcement.col.subject'), t('enforcement.col.priority'), t('enforcement.col.assignee'), t('enforcement.col.ack'), t('enforcement.col.decision')]}
      variant="width-full"
      testId="cases"
    >
      {cases.map((c) => (
        <tr key={c.id} data-case={c.number}>
          <th scope="row" data-label={t('enforcement.col.number')}>
            <a href={`/enforcement/cases/${c.id}`}>{c.number}</a>
            {c.flags > 0 && <span class="usa-tag bg-gold margin-left-1">{t('enforcement.flagged', { count: c.flags })}</span>}
          </th>
          <td data-label={t('enforcement.col.type')}>{t(`enforcement.caseKind.${c.type}.${c.kind}`)}</td>
          <td data-label={t('enforcement.col.subject')}>{c.subject ?? '—'}</td>
          <td data-label={t('enforcement.col.priority')}>{t(`enforcement.priority.${c.priority}`)}</td>
          <td data-label={t('enforcement.col.assignee')}>{c.assignee ?? t('enforcement.unassigned')}</td>
          <td data-label={t('enforcement.col.ack')}>
            <ClockText t={t} reading={c.acknowledgement} />
          </td>
          <td data-label={t('enforcement.col.decision')}>
            <ClockText t={t} reading={c.decision} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-heading`} class="margin-top-4">
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

const errorsFor = (refusal: Refusal | undefined, form: string) => (refusal?.form === form ? refusal.errors : []);
const valuesFor = (refusal: Refusal | undefined, form: string) => (refusal?.form === form ? refusal.values : {});

interface CasePageState {
  refusal?: Refusal | undefined;
  done?: string | undefined;
}

function CasePage({ ctx, file, csrf, people, state }: { ctx: PageContext; file: CaseFile; csrf: string; people: Array<{ id: string; name: string }>; state: CasePageState }) {
  const { t, locale } = ctx;
  const c = file.case;
  const open = c.status === 'open';
  const { refusal } = state;
  const action = (step: string) => `/enforcement/cases/${c.id}/${step}`;
  const appealable = file.outcome && !file.outcome.reversedByCaseId && [...PEER_APPEALABLE, ...PROVIDER_APPEALABLE].includes(file.outcome.kind as never) && !file.appeals.some((a) => a.status === 'open');
  return (
    <Layout ctx={ctx} title={t('enforcement.case.title', { number: c.number })} current="enforcement">
      <p>
        <a href="/enforcement">{t('enforcement.case.back')}</a>
      </p>
      <h1>{t('enforcement.case.title', { number: c.number })}</h1>
      {state.done && <SuccessAlert message={t(`enforcement.done.${state.done}`, { defaultValue: t('enforcement.done.saved') })} />}
      <FormAlert heading={t('enforcement.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, locale)} />
      <table class="usa-table usa-table--borderless" data-testid="case-summary">
        <tbody>
          <tr>
            <th scope="row">{t('enforcement.col.type')}</th>
            <td>{t(`enforcement.caseKind.${c.type}.${c.kind}`)}</td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.case.status')}</th>
            <td data-testid="case-status">{t(`enforcement.caseStatus.${c.status}`)}</td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.case.received')}</th>
            <td>
              {c.receivedOn} · {t(`enforcement.channel.${c.channel}`)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.col.ack')}</th>
            <td data-testid="clock-ack">
              <ClockText t={t} reading={file.acknowledgement} />
              {c.acknowledgedOn && ` · ${t('enforcement.case.acknowledgedHow', { date: c.acknowledgedOn, how: t(`enforcement.ackDone.${c.acknowledgedHow ?? 'letter'}`) })}`}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.col.decision')}</th>
            <td data-testid="clock-decision">
              <ClockText t={t} reading={file.decision} />
              {c.extendedTo && ` · ${t('enforcement.case.extended', { date: c.extendedTo, reason: c.extensionReason ?? '' })}`}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.col.subject')}</th>
            <td data-testid="case-subject">
              {file.subject.number ? (
                <a href={`/registry/${file.subject.number}`}>
                  {file.subject.name} ({file.subject.number})
                </a>
              ) : (
                (file.subject.providerName ?? c.subjectDescription ?? t('enforcement.case.noSubject'))
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.case.complainant')}</th>
            <td>{[c.complainantName, c.complainantEmail, c.complainantPhone].filter(Boolean).join(' · ') || t('enforcement.case.noContact')}</td>
          </tr>
          <tr>
            <th scope="row">{t('enforcement.case.conduct')}</th>
            <td>{[c.occurredOn, c.location].filter(Boolean).join(' · ') || '—'}</td>
          </tr>
          {file.appealed && (
            <tr>
              <th scope="row">{t('enforcement.case.appealed')}</th>
              <td data-testid="case-appealed">
                {t(`enforcement.outcome.${file.appealed.kind}`, { defaultValue: file.appealed.kind })} {file.appealed.caseNumber && `(${file.appealed.caseNumber})`} {file.appealed.startsOn ?? ''}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {c.flags.length > 0 && (
        <div class="usa-alert usa-alert--warning" role="region" aria-label={t('enforcement.case.flagsHeading')}>
          <div class="usa-alert__body">
            <h2 class="usa-alert__heading">{t('enforcement.case.flagsHeading')}</h2>
            <ul class="usa-list" data-testid="case-flags" lang="en">
              {c.flags.map((f) => (
                <li key={f.code} data-flag={f.code}>
                  {f.message}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <Section id="narrative" title={t(c.type === 'appeal' ? 'enforcement.case.grounds' : 'enforcement.case.narrative')}>
        <p class="text-pre-wrap" data-testid="case-narrative">
          {c.narrative}
        </p>
      </Section>

      {open && (
        <Section id="work" title={t('enforcement.case.workHeading')}>
          <div class="grid-row grid-gap">
            <div class="tablet:grid-col-6">
              <PostForm action={action('assign')} csrfToken={csrf}>
                <SelectField name="investigatorId" label={t('enforcement.case.assignee', { name: file.assignee ?? t('enforcement.unassigned') })} errors={errorsFor(refusal, 'assign')} required>
                  <option value="">{t('enforcement.form.choose')}</option>
                  {people.map((p) => (
                    <option key={p.id} value={p.id} selected={c.assignedTo === p.id}>
                      {p.name}
                    </option>
                  ))}
                </SelectField>
                <button class="usa-button" type="submit">
                  {t('enforcement.case.assignButton')}
                </button>
              </PostForm>
              <PostForm action={action('priority')} csrfToken={csrf}>
                <SelectField name="priority" label={t('enforcement.col.priority')} errors={errorsFor(refusal, 'priority')} required>
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p} selected={c.priority === p}>
                      {t(`enforcement.priority.${p}`)}
                    </option>
                  ))}
                </SelectField>
                <button class="usa-button usa-button--outline" type="submit">
                  {t('enforcement.case.priorityButton')}
                </button>
              </PostForm>
            </div>
            <div class="tablet:grid-col-6">
              {c.type === 'complaint' && (
                <PostForm action={action('subject')} csrfToken={csrf}>
                  <Field name="number" label={t('enforcement.case.linkNumber')} hint={t('enforcement.form.subjectNumberHint')} value={valuesFor(refusal, 'subject').number ?? file.subject.number ?? ''} errors={errorsFor(refusal, 'subject')} required={false} />
                  <Field name="occurredOn" type="date" label={t('enforcement.form.occurredOn')} value={valuesFor(refusal, 'subject').occurredOn ?? c.occurredOn ?? ''} errors={errorsFor(refusal, 'subject')} required={false} />
                  <button class="usa-button usa-button--outline" type="submit">
                    {t('enforcement.case.linkButton')}
                  </button>
                </PostForm>
              )}
            </div>
          </div>
          {!c.acknowledgedOn && (
            <PostForm action={action('acknowledge')} csrfToken={csrf}>
              <SelectField name="how" label={t('enforcement.case.ackHow')} errors={errorsFor(refusal, 'acknowledge')} required>
                <option value="email" disabled={!c.complainantEmail}>
                  {t('enforcement.ackHow.email')}
                </option>
                <option value="letter">{t('enforcement.ackHow.letter')}</option>
                <option value="phone">{t('enforcement.ackHow.phone')}</option>
              </SelectField>
              <Field name="on" id="ack-on" type="date" label={t('enforcement.case.ackOn')} hint={t('enforcement.case.ackOnHint')} errors={errorsFor(refusal, 'acknowledge')} required={false} />
              <button class="usa-button" type="submit">
                {t('enforcement.case.ackButton')}
              </button>
            </PostForm>
          )}
          {!c.extendedTo && (
            <PostForm action={action('extend')} csrfToken={csrf}>
              <Field name="days" label={t('enforcement.case.extendDays')} hint={t('enforcement.case.extendHint')} value={valuesFor(refusal, 'extend').days} errors={errorsFor(refusal, 'extend')} />
              <TextAreaField name="reason" id="extend-reason" label={t('enforcement.case.extendReason')} value={valuesFor(refusal, 'extend').reason} errors={errorsFor(refusal, 'extend')} />
              <button class="usa-button usa-button--outline" type="submit">
                {t('enforcement.case.extendButton')}
              </button>
            </PostForm>
          )}
        </Section>
      )}

      <Section id="notes" title={t('enforcement.case.notesHeading')}>
        {file.notes.length === 0 ? (
          <p>{t('enforcement.case.noNotes')}</p>
        ) : (
          <ol class="usa-list" data-testid="case-notes">
            {file.notes.map((n) => (
              <li key={n.id}>
                <span class="usa-hint">
                  {formatTime(n.at, locale)} · {n.author ?? '—'}
                </span>
                <p class="text-pre-wrap margin-top-05">{n.body}</p>
              </li>
            ))}
          </ol>
        )}
        <PostForm action={action('notes')} csrfToken={csrf}>
          <TextAreaField name="body" label={t('enforcement.case.noteLabel')} value={valuesFor(refusal, 'notes').body} errors={errorsFor(refusal, 'notes')} />
          <button class="usa-button usa-button--outline" type="submit">
            {t('enforcement.case.noteButton')}
          </button>
        </PostForm>
      </Section>

      <Section id="evidence" title={t('enforcement.case.evidenceHeading')}>
        {file.evidence.length === 0 ? (
          <p>{t('enforcement.case.noEvidence')}</p>
        ) : (
          <ul class="usa-list" data-testid="case-evidence">
            {file.evidence.map((e) => (
              <li key={e.id}>
                <a href={`/enforcement/cases/${c.id}/evidence/${e.id}`}>{e.filename}</a> ({Math.ceil(e.sizeBytes / 1024)} KB, {formatTime(e.at, locale)}){e.byComplainant ? ` · ${t('enforcement.case.fromComplainant')}` : ''}
              </li>
            ))}
          </ul>
        )}
        <UploadForm action={action('evidence')} csrfToken={csrf}>
          <div class="usa-form-group">
            <label class="usa-label" for="evidence1">
              {t('enforcement.form.evidence', { n: 1 })}
            </label>
            <input class="usa-file-input" id="evidence1" name="evidence1" type="file" accept="application/pdf,image/jpeg,image/png" />
          </div>
          <button class="usa-button usa-button--outline" type="submit">
            {t('enforcement.case.evidenceButton')}
          </button>
        </UploadForm>
      </Section>

      <Section id="contacts" title={t('enforcement.case.contactsHeading')}>
        {file.contacts.length > 0 && (
          <ul class="usa-list" data-testid="case-contacts">
            {file.contacts.map((k) => (
              <li key={k.id}>
                {k.name} · {t(`enforcement.contactRole.${k.role}`)} {[k.email, k.phone].filter(Boolean).join(' · ')} {k.note ?? ''}
              </li>
            ))}
          </ul>
        )}
        <PostForm action={action('contacts')} csrfToken={csrf}>
          <Field name="name" id="contact-name" label={t('enforcement.form.name')} value={valuesFor(refusal, 'contacts').name} errors={errorsFor(refusal, 'contacts')} />
          <SelectField name="role" label={t('enforcement.case.contactRole')} errors={errorsFor(refusal, 'contacts')} required>
            {CONTACT_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`enforcement.contactRole.${r}`)}
              </option>
            ))}
          </SelectField>
          <Field name="email" id="contact-email" type="email" label={t('enforcement.form.email')} errors={errorsFor(refusal, 'contacts')} required={false} />
          <Field name="phone" id="contact-phone" label={t('enforcement.form.phone')} errors={errorsFor(refusal, 'contacts')} required={false} />
          <Field name="note" id="contact-note" label={t('enforcement.case.contactNote')} errors={errorsFor(refusal, 'contacts')} required={false} />
          <button class="usa-button usa-button--outline" type="submit">
            {t('enforcement.case.contactButton')}
          </button>
        </PostForm>
      </Section>

      <Section id="decision" title={t('enforcement.case.decisionHeading')}>
        {file.outcome ? (
          <div data-testid="case-outcome">
            <p>
              <strong>{t(`enforcement.outcome.${file.outcome.kind}`)}</strong> · {t('enforcement.case.decidedOn', { date: file.outcome.decidedOn })}
              {file.outcome.startsOn && ` · ${t('enforcement.case.period', { from: file.outcome.startsOn, to: file.outcome.endsOn ?? '—' })}`}
            </p>
            <p class="text-pre-wrap">{file.outcome.reason}</p>
            {file.outcome.terms && <p class="text-pre-wrap">{file.outcome.terms}</p>}
            {file.outcome.publicSummary && <p>{t('enforcement.case.publicSummaryShown', { summary: file.outcome.publicSummary })}</p>}
            {file.outcome.reversedOn && <p data-testid="outcome-reversed">{t('enforcement.case.reversed', { date: file.outcome.reversedOn })}</p>}
            {file.appeals.length > 0 && (
              <ul class="usa-list">
                {file.appeals.map((a) => (
                  <li key={a.id}>
                    <a href={`/enforcement/cases/${a.id}`}>{a.number}</a> · {t(`enforcement.caseStatus.${a.status}`)}
                  </li>
                ))}
              </ul>
            )}
            {appealable && (
              <PostForm action={action('appeal')} csrfToken={csrf}>
                <h3>{t('enforcement.case.appealEntry')}</h3>
                <SelectField name="channel" id="appeal-channel" label={t('enforcement.form.channel')} errors={errorsFor(refusal, 'appeal')} required>
                  {STAFF_CHANNELS.map((ch) => (
                    <option key={ch} value={ch}>
                      {t(`enforcement.channel.${ch}`)}
                    </option>
                  ))}
                </SelectField>
                <Field name="receivedOn" id="appeal-received" type="date" label={t('enforcement.form.receivedOn')} errors={errorsFor(refusal, 'appeal')} required={false} />
                <Field name="name" id="appeal-name" label={t('enforcement.form.name')} errors={errorsFor(refusal, 'appeal')} required={false} />
                <Field name="email" id="appeal-email" type="email" label={t('enforcement.form.email')} errors={errorsFor(refusal, 'appeal')} required={false} />
                <TextAreaField name="grounds" label={t('enforcement.case.grounds')} value={valuesFor(refusal, 'appeal').grounds} errors={errorsFor(refusal, 'appeal')} />
                <button class="usa-button usa-button--outline" type="submit">
                  {t('enforcement.case.appealButton')}
                </button>
              </PostForm>
            )}
          </div>
        ) : open ? (
          <DecisionForm t={t} type={c.type} action={action('decide')} csrf={csrf} refusal={refusal} />
        ) : null}
      </Section>
    </Layout>
  );
}

function DecisionForm({ t, type, action, csrf, refusal }: { t: Translate; type: string; action: string; csrf: string; refusal: Refusal | undefined }) {
  const errors = errorsFor(refusal, 'decide');
  const values = valuesFor(refusal, 'decide');
  const outcomes = type === 'appeal' ? APPEAL_OUTCOMES : COMPLAINT_OUTCOMES;
  return (
    <PostForm action={action} csrfToken={csrf}>
      <SelectField name="outcome" label={t('enforcement.case.outcome')} hint={t(type === 'appeal' ? 'enforcement.case.appealOutcomeHint' : 'enforcement.case.outcomeHint')} errors={errors} required>
        <option value="">{t('enforcement.form.choose')}</option>
        {outcomes.map((o) => (
          <option key={o} value={o} selected={values.outcome === o}>
            {t(`enforcement.outcome.${o}`)}
          </option>
        ))}
      </SelectField>
      <TextAreaField name="reason" id="decide-reason" label={t('enforcement.case.reason')} value={values.reason} errors={errors} />
      {type === 'complaint' && (
        <>
          <TextAreaField name="terms" label={t('enforcement.case.terms')} hint={t('enforcement.case.termsHint')} value={values.terms} errors={errors} required={false} />
          <Field name="startsOn" type="date" label={t('enforcement.case.startsOn')} value={values.startsOn} errors={errors} required={false} />
          <Field name="endsOn" type="date" label={t('enforcement.case.endsOn')} hint={t('enforcement.case.endsOnHint')} value={values.endsOn} errors={errors} required={false} />
          <TextAreaField name="publicSummary" label={t('enforcement.case.publicSummary')} hint={t('enforcement.case.publicSummaryHint')} value={values.publicSummary} errors={errors} required={false} />
        </>
      )}
      <button class="usa-button" type="submit">
        {t('enforcement.case.decideButton')}
      </button>
    </PostForm>
  );
}

export const casesPages: FastifyPluginAsync<DomainOptions> = async (app, { db, storage }) => {
  const read = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'enforcement.cases.read') };
  const manage = { onRequest: async (req: FastifyRequest) => requireAllowed(req, 'enforcement.cases.manage'), preHandler: (app as FastifyInstance).csrfProtection };

  app.get('/enforcement', read, async (req, reply) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const asked = (req.query as { view?: string }).view;
    const view: CaseView = (CASE_VIEWS as readonly string[]).includes(asked ?? '') ? (asked as CaseView) : 'attention';
    const page = Math.min(10_000, Math.max(1, Number.parseInt((req.query as { page?: string }).page ?? '1', 10) || 1));
    const context = contextOf(req);
    const [{ cases, hasMore }, clocks] = await Promise.all([listCases(db, view, context, page), timeliness(db, context)]);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('enforcement.dashboard.title')} current="enforcement">
        <h1>{t('enforcement.dashboard.title')}</h1>
        <p class="usa-intro">{t('enforcement.dashboard.lead')}</p>
        <p>
          <a class="usa-button" href="/enforcement/cases/new">
            {t('enforcement.dashboard.enter')}
          </a>{' '}
          <a class="usa-button usa-button--outline" href="/enforcement/conflicts">
            {t('enforcement.dashboard.conflicts')}
          </a>
        </p>
        <DataTable caption={t('enforcement.dashboard.timeliness')} columns={[t('enforcement.col.clock'), t('enforcement.clockTag.met'), t('enforcement.clockTag.late'), t('enforcement.clockTag.due'), t('enforcement.clockTag.overdue')]} testId="timeliness">
          {clocks.map((k) => (
            <tr key={k.clock}>
              <th scope="row">{t(`enforcement.clock.${k.clock}`)}</th>
              <td>{k.met}</td>
              <td>{k.late}</td>
              <td>{k.due}</td>
              <td>{k.overdue}</td>
            </tr>
          ))}
        </DataTable>
        <nav aria-label={t('enforcement.dashboard.views')} class="margin-y-2">
          <ul class="usa-button-group">
            {CASE_VIEWS.map((v) => (
              <li class="usa-button-group__item" key={v}>
                <a class={v === view ? 'usa-button' : 'usa-button usa-button--outline'} href={`/enforcement?view=${v}`} aria-current={v === view ? 'page' : undefined}>
                  {t(`enforcement.view.${v}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {cases.length === 0 ? <p data-testid="no-cases">{t('enforcement.dashboard.none')}</p> : <CaseTable t={t} cases={cases} />}
        {(page > 1 || hasMore) && (
          <nav aria-label={t('enforcement.dashboard.pages')}>
            <p>
              {page > 1 && <a href={`/enforcement?view=${view}&page=${page - 1}`}>{t('enforcement.dashboard.previous')}</a>}
              {page > 1 && hasMore && ' · '}
              {hasMore && <a href={`/enforcement?view=${view}&page=${page + 1}`}>{t('enforcement.dashboard.next')}</a>}
            </p>
          </nav>
        )}
      </Layout>,
    );
  });

  const entryPage = async (req: FastifyRequest, reply: FastifyReply, refusal?: Refusal) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('enforcement.entry.title')} current="enforcement">
        <h1>{t('enforcement.entry.title')}</h1>
        <p class="usa-intro">{t('enforcement.entry.lead')}</p>
        <FormAlert heading={t('enforcement.form.errorHeading')} message={refusal?.message} lang={refusalLang(refusal, ctx.locale)} />
        <ComplaintForm ctx={ctx} action="/enforcement/cases" csrfToken={reply.generateCsrf()} providers={await providerChoices(db)} values={refusal?.values ?? {}} errors={refusal?.errors ?? []} account={null} staff />
      </Layout>,
      refusal?.status ?? 200,
    );
  };
  app.get('/enforcement/cases/new', { onRequest: manage.onRequest }, async (req, reply) => entryPage(req, reply));
  app.post('/enforcement/cases', manage, async (req, reply) => {
    const values: Form = formFields(req);
    const result = await attempt('complaint', values, async () => fileComplaint(db, storage, values, await evidenceOf(req), contextOf(req)));
    if ('refused' in result) return entryPage(req, reply, result.refused);
    return reply.redirect(`/enforcement/cases/${result.ok.id}?done=filed`, 303);
  });

  const casePage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, state: CasePageState = {}) => {
    const file = await getCaseFile(db, req.params.id, contextOf(req));
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <CasePage ctx={req.pageContext()} file={file} csrf={reply.generateCsrf()} people={await investigators(db)} state={state} />, state.refusal?.status ?? 200);
  };
  app.get<{ Params: { id: string } }>('/enforcement/cases/:id', read, async (req, reply) => casePage(req, reply, { done: (req.query as { done?: string }).done }));
  app.get<{ Params: { id: string; evidenceId: string } }>('/enforcement/cases/:id/evidence/:evidenceId', read, async (req, reply) => {
    const file = await readEvidence(db, storage, req.params.id, req.params.evidenceId, contextOf(req));
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.\- ]/g, '_')}"`)
      .header('cache-control', 'no-store')
      .send(file.bytes);
  });

  /** A step on a case: run it, back to the case page with what was done, or the page again with the refusal. */
  const step = (name: string, run: (req: FastifyRequest<{ Params: { id: string } }>, values: Form) => Promise<unknown>, onRequest = manage.onRequest) =>
    app.post<{ Params: { id: string } }>(`/enforcement/cases/:id/${name}`, { onRequest, preHandler: manage.preHandler }, async (req, reply) => {
      const values: Form = formFields(req);
      const result = await attempt(name, values, () => run(req, values));
      if ('refused' in result) return casePage(req, reply, { refusal: result.refused });
      return reply.redirect(`/enforcement/cases/${req.params.id}?done=${name}`, 303);
    });
  const id = (req: FastifyRequest<{ Params: { id: string } }>) => req.params.id;
  step('assign', (req, v) => assignCase(db, { caseId: id(req), investigatorId: v.investigatorId ?? '' }, contextOf(req)));
  step('priority', (req, v) => setCasePriority(db, { caseId: id(req), priority: v.priority ?? '' }, contextOf(req)));
  step('notes', (req, v) => addCaseNote(db, { caseId: id(req), body: v.body }, contextOf(req)));
  step('contacts', (req, v) => addCaseContact(db, { ...v, caseId: id(req) }, contextOf(req)));
  step('evidence', async (req) => addCaseEvidence(db, storage, { caseId: id(req), files: await evidenceOf(req) }, contextOf(req)));
  step('subject', (req, v) => linkCaseSubject(db, { ...v, caseId: id(req) }, contextOf(req)));
  step('acknowledge', (req, v) => acknowledgeCase(db, { caseId: id(req), how: v.how, on: v.on }, contextOf(req)));
  step('extend', (req, v) => extendCase(db, { caseId: id(req), days: v.days, reason: v.reason }, contextOf(req)));
  step(
    'decide',
    async (req, v) =>
      (await caseTypeOf(db, id(req))) === 'appeal' ? decideAppeal(db, { caseId: id(req), outcome: v.outcome, reason: v.reason }, contextOf(req)) : decideComplaint(db, { ...v, caseId: id(req) }, contextOf(req)),
    async (req) => requireAllowed(req, 'enforcement.decide'),
  );
  step('appeal', async (req, v) => fileAppeal(db, { ...v, outcomeId: await outcomeIdOf(db, id(req)), locale: req.pageContext().locale }, contextOf(req)));

  const conflictsPage = async (req: FastifyRequest, reply: FastifyReply, state: { refusal?: Refusal; done?: boolean } = {}) => {
    const ctx = req.pageContext();
    const { t } = ctx;
    const people = await investigators(db);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('enforcement.conflicts.title')} current="enforcement">
        <h1>{t('enforcement.conflicts.title')}</h1>
        <p class="usa-intro">{t('enforcement.conflicts.lead')}</p>
        {state.done && <SuccessAlert message={t('enforcement.conflicts.recorded')} />}
        <FormAlert heading={t('enforcement.form.errorHeading')} message={state.refusal?.message} lang={refusalLang(state.refusal, ctx.locale)} />
        <PostForm action="/enforcement/conflicts" csrfToken={reply.generateCsrf()}>
          <SelectField name="investigatorId" label={t('enforcement.conflicts.investigator')} errors={state.refusal?.errors} required>
            <option value="">{t('enforcement.form.choose')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <Field name="number" label={t('enforcement.conflicts.number')} errors={state.refusal?.errors} value={state.refusal?.values.number} />
          <SelectField name="relation" label={t('enforcement.conflicts.relation')} errors={state.refusal?.errors} required>
            {CONFLICT_RELATIONS.map((r) => (
              <option key={r} value={r}>
                {t(`enforcement.relation.${r}`)}
              </option>
            ))}
          </SelectField>
          <Field name="note" label={t('enforcement.case.contactNote')} errors={state.refusal?.errors} required={false} />
          <button class="usa-button" type="submit">
            {t('enforcement.conflicts.button')}
          </button>
        </PostForm>
      </Layout>,
      state.refusal?.status ?? 200,
    );
  };
  app.get('/enforcement/conflicts', { onRequest: manage.onRequest }, async (req, reply) => conflictsPage(req, reply, { done: (req.query as { done?: string }).done === '1' }));
  app.post('/enforcement/conflicts', manage, async (req, reply) => {
    const values: Form = formFields(req);
    const result = await attempt('conflict', values, () => declareConflict(db, { ...values, note: values.note || undefined }, contextOf(req)));
    if ('refused' in result) return conflictsPage(req, reply, { refusal: result.refused });
    return reply.redirect('/enforcement/conflicts?done=1', 303);
  });
};
