// What the workbench pages share: the request's use-case context, turning a refused form into something shown
// beside it, the links between the workbench pages, form controls whose id differs from their name (several
// forms of one kind on a page), and the formats of money and times.
import type { ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { can, canAny } from '../access/can.ts';
import type { UseCaseContext } from '../access/context.ts';
import type { Actor } from '../access/roles.ts';
import { clientOf } from '../accounts/actor.plugin.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { Locale, Translate } from '../web/i18n.ts';

export type Form = Record<string, string | undefined>;

/** A refused form, shown again on its page: which form, its message, the field errors and what was typed. */
export interface Refusal {
  form: string;
  message: string;
  errors: FieldError[];
  status: number;
  values: Form;
  /** The message is the page's own, in the page's language (a use case's is English). */
  translated: boolean;
}

export function contextOf(req: FastifyRequest): UseCaseContext {
  return { actor: req.actor, ...clientOf(req) };
}

/** Run a form's use case; an AppError other than 404 becomes a refusal to show beside the form. */
export async function attempt<T>(form: string, values: Form, run: () => Promise<T>): Promise<{ ok: T } | { refused: Refusal }> {
  try {
    return { ok: await run() };
  } catch (err) {
    if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
    return { refused: { form, message: err.message, errors: err.errors, status: err.status, values, translated: err instanceof FormProblem } };
  }
}

/** A 400 naming the fields a page could not read, before any use case runs; its messages are translated. */
export class FormProblem extends AppError {
  constructor(message: string, errors: FieldError[]) {
    super('bad-request', message, errors);
  }
}

/** The lang of a refusal's message on a page in `locale`: use-case messages are English. */
export function refusalLang(refusal: Refusal | undefined, locale: Locale): 'en' | undefined {
  return refusal && !refusal.translated && locale !== 'en' ? 'en' : undefined;
}

/** The `?done=` notice of a page after a redirect, when it is one the page knows. */
export function doneOf(req: FastifyRequest, known: readonly string[]): string | undefined {
  const done = (req.query as Record<string, unknown>).done;
  return typeof done === 'string' && known.includes(done) ? done : undefined;
}

export function queryString(req: FastifyRequest, name: string): string {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** The workbench pages this actor may open (statewide grants: `certifications.read` is also a peer's own record). */
export function WorkbenchNav({ t, actor, current }: { t: Translate; actor: Actor; current: 'queue' | 'fees' | 'exams' | 'certifications' | 'rules' }) {
  const links = [
    { key: 'queue', href: '/workbench', show: canAny(actor, 'applications.review') },
    { key: 'fees', href: '/workbench/fees', show: canAny(actor, 'fees.report') },
    { key: 'exams', href: '/workbench/exams', show: canAny(actor, 'exams.record') },
    { key: 'certifications', href: '/workbench/certifications', show: can(actor, 'certifications.read', {}) },
    { key: 'imports', href: '/workbench/imports', show: canAny(actor, 'certifications.import') },
    { key: 'rules', href: '/rules', show: canAny(actor, 'rules.read') },
  ].filter((l) => l.show);
  return (
    <nav aria-label={t('certification.workbench.nav.label')} class="margin-bottom-3">
      <ul class="usa-button-group">
        {links.map((l) => (
          <li class="usa-button-group__item" key={l.key}>
            <a
              href={l.href}
              class={l.key === current ? 'usa-button usa-button--outline usa-button--active' : 'usa-button usa-button--outline'}
              aria-current={l.key === current ? 'page' : undefined}
            >
              {t(`certification.workbench.nav.${l.key}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function formatMoney(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'es' ? 'es-US' : 'en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/** A moment as people in California read it, in the page's language. */
export function formatTime(at: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Los_Angeles' }).format(at);
}

/** The California date of a moment, written YYYY-MM-DD like every other date on these pages. */
export function dateOf(at: Date | null): string | null {
  return at === null ? null : todayInCalifornia(at);
}

interface GroupProps {
  /** Unique on the page; the control's name may repeat across forms. */
  id: string;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

/** The USWDS form group src/web/forms.tsx draws, for a control whose id is not its name. */
function Group({ id, label, hint, error, children }: GroupProps & { children: (describedBy: string | undefined) => ComponentChildren }) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <label class="usa-label" for={id}>
        {label}
      </label>
      {hint && (
        <div class="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <span class="usa-error-message" id={`${id}-error`}>
          {error}
        </span>
      )}
      {children(describedBy)}
    </div>
  );
}

export function Input({ type = 'text', value, required = false, min, step, ...group }: GroupProps & { type?: 'text' | 'date' | 'number'; value?: string | undefined; required?: boolean; min?: string; step?: string }) {
  return (
    <Group {...group}>
      {(describedBy) => (
        <input
          class={group.error ? 'usa-input usa-input--error' : 'usa-input'}
          id={group.id}
          name={group.name}
          type={type}
          value={value}
          min={min}
          step={step}
          inputMode={type === 'number' ? 'numeric' : undefined}
          required={required}
          aria-describedby={describedBy}
          aria-invalid={group.error ? 'true' : undefined}
        />
      )}
    </Group>
  );
}

export function Select({ required = false, children, ...group }: GroupProps & { required?: boolean; children: ComponentChildren }) {
  return (
    <Group {...group}>
      {(describedBy) => (
        <select
          class={group.error ? 'usa-select usa-input--error' : 'usa-select'}
          id={group.id}
          name={group.name}
          required={required}
          aria-describedby={describedBy}
          aria-invalid={group.error ? 'true' : undefined}
        >
          {children}
        </select>
      )}
    </Group>
  );
}

export function FileInput({ accept, ...group }: Omit<GroupProps, 'name'> & { accept: string }) {
  return (
    <Group {...group} name={group.id}>
      {(describedBy) => (
        <input class="usa-file-input" id={group.id} name={group.id} type="file" accept={accept} required aria-describedby={describedBy} aria-invalid={group.error ? 'true' : undefined} />
      )}
    </Group>
  );
}

/** A form that uploads a file: multipart, with the CSRF token as its first field. */
export function UploadForm({ action, csrfToken, children }: { action: string; csrfToken: string; children: ComponentChildren }) {
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="usa-form usa-form--large">
      <input type="hidden" name="_csrf" value={csrfToken} />
      {children}
    </form>
  );
}

/** The field error with this path, when the refusal is this form's. */
export function errorOf(refusal: Refusal | undefined, form: string, path: string): string | undefined {
  return refusal?.form === form ? refusal.errors.find((e) => e.path === path)?.message : undefined;
}
