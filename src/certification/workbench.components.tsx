// What the workbench pages share: the `?done=` notice and query values, the links between the workbench pages,
// form controls whose id differs from their name (several forms of one kind on a page), a refused form's field
// errors, money and dates. Refusals themselves are src/web/form-refusal.ts; form groups src/web/forms.tsx.
import type { ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { can, canAny } from '../access/can.ts';
import type { Actor } from '../access/roles.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { Refusal } from '../web/form-refusal.ts';
import { FormGroup } from '../web/forms.tsx';
import type { Locale, Translate } from '../web/i18n.ts';

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

export function Input({ type = 'text', value, required = false, min, step, ...group }: GroupProps & { type?: 'text' | 'date' | 'number'; value?: string | undefined; required?: boolean; min?: string; step?: string }) {
  return (
    <FormGroup id={group.id} label={group.label} hint={group.hint} error={group.error}>
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
    </FormGroup>
  );
}

export function Select({ required = false, children, ...group }: GroupProps & { required?: boolean; children: ComponentChildren }) {
  return (
    <FormGroup id={group.id} label={group.label} hint={group.hint} error={group.error}>
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
    </FormGroup>
  );
}

export function FileInput({ accept, ...group }: Omit<GroupProps, 'name'> & { accept: string }) {
  return (
    <FormGroup id={group.id} label={group.label} hint={group.hint} error={group.error}>
      {(describedBy) => (
        <input class="usa-file-input" id={group.id} name={group.id} type="file" accept={accept} required aria-describedby={describedBy} aria-invalid={group.error ? 'true' : undefined} />
      )}
    </FormGroup>
  );
}

/** The field error with this path, when the refusal is this form's. */
export function errorOf(refusal: Refusal | undefined, form: string, path: string): string | undefined {
  return refusal?.form === form ? refusal.errors.find((e) => e.path === path)?.message : undefined;
}
