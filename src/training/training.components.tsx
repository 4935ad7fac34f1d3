// Pieces the training pages share: labels for the vocabularies, number and file fields, the upload form.
import type { ComponentChildren } from 'preact';
import { SPECIALIZATIONS } from '../certification/vocabulary.ts';
import type { FieldError } from '../lib/errors.ts';
import type { Locale, Translate } from '../web/i18n.ts';
import type { ApprovalStatus } from './approval-status.ts';
import { TRAINING_TYPES } from './training.vocabulary.ts';
import type { RosterRejection } from './upload-roster.ts';

/** Languages offered in the forms: English and California's Medi-Cal threshold languages. Any ISO code is accepted. */
export const LANGUAGE_CHOICES = ['en', 'es', 'ar', 'fa', 'hmn', 'hy', 'ja', 'km', 'ko', 'pa', 'ru', 'tl', 'vi', 'zh'] as const;

/** A language's name in the page's language ("es" → "Spanish" / "español"), or its code if unknown. */
export function languageName(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function trainingLabel(t: Translate, type: string, specialization: string | null): string {
  const base = t(`training.types.${type}`);
  return specialization ? `${base}: ${t(`training.specializations.${specialization}`)}` : base;
}

const STATUS_TAG: Record<ApprovalStatus, string> = {
  current: 'bg-green',
  upcoming: 'bg-primary',
  expired: 'bg-base-dark',
  ended: 'bg-secondary-dark',
};

export function StatusTag({ t, status }: { t: Translate; status: ApprovalStatus }) {
  return <span class={`usa-tag ${STATUS_TAG[status]}`}>{t(`training.status.${status}`)}</span>;
}

/** Field errors of a use case under the names a form gives its fields (several forms share one page). */
export function renameErrors(errors: readonly FieldError[] | undefined, names: Record<string, string>): FieldError[] {
  return (errors ?? []).map((e) => ({ ...e, path: names[e.path] ?? e.path }));
}

interface FrameProps {
  name: string;
  label: string;
  hint?: string | undefined;
  errors?: FieldError[] | undefined;
}

/** The same form group as src/web/forms.tsx draws, for the controls it has none of (numbers, files). */
function Frame({ name, label, hint, errors, children }: FrameProps & { children: (describedBy: string | undefined, error: string | undefined) => ComponentChildren }) {
  const error = errors?.find((e) => e.path === name)?.message;
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <label class="usa-label" for={name}>
        {label}
      </label>
      {hint && (
        <div class="usa-hint" id={`${name}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <span class="usa-error-message" id={`${name}-error`}>
          {error}
        </span>
      )}
      {children(describedBy, error)}
    </div>
  );
}

export function NumberField({ value, required = true, ...frame }: FrameProps & { value?: string | undefined; required?: boolean }) {
  return (
    <Frame {...frame}>
      {(describedBy, error) => (
        <input
          class={error ? 'usa-input usa-input--small usa-input--error' : 'usa-input usa-input--small'}
          id={frame.name}
          name={frame.name}
          type="number"
          inputMode="decimal"
          min="0"
          step="0.01"
          value={value}
          required={required}
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
        />
      )}
    </Frame>
  );
}

export function FileField({ accept, ...frame }: FrameProps & { accept: string }) {
  return (
    <Frame {...frame}>
      {(describedBy, error) => (
        <input
          class="usa-file-input"
          id={frame.name}
          name={frame.name}
          type="file"
          accept={accept}
          required
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
        />
      )}
    </Frame>
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

export function TrainingTypeOptions({ t, selected }: { t: Translate; selected: string | undefined }) {
  return (
    <>
      <option value="">{t('training.form.choose')}</option>
      {TRAINING_TYPES.map((type) => (
        <option key={type} value={type} selected={selected === type}>
          {t(`training.types.${type}`)}
        </option>
      ))}
    </>
  );
}

export function SpecializationOptions({ t, selected }: { t: Translate; selected: string | undefined }) {
  return (
    <>
      <option value="">{t('training.form.noSpecialization')}</option>
      {SPECIALIZATIONS.map((s) => (
        <option key={s} value={s} selected={selected === s}>
          {t(`training.specializations.${s}`)}
        </option>
      ))}
    </>
  );
}

export function LanguageOptions({ locale, selected }: { locale: Locale; selected: string | undefined }) {
  const value = selected || 'en';
  return (
    <>
      {LANGUAGE_CHOICES.map((code) => (
        <option key={code} value={code} selected={value === code}>
          {`${languageName(code, locale)} (${code})`}
        </option>
      ))}
    </>
  );
}

/** A moment as people in California read it, in the page's language. */
export function californiaTime(at: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Los_Angeles' }).format(at);
}

/** A rejection's reason in the page's language. */
export function rejectionText(t: Translate, r: RosterRejection): string {
  return t(`training.rejections.${r.code}`, { date: r.completedOn, email: r.email || '—' });
}

/** The first rejections of a roster, each with its row, and a link to the rest. */
export function RejectionList({ t, rejections, limit, href }: { t: Translate; rejections: readonly RosterRejection[]; limit: number; href: string }) {
  const shown = rejections.slice(0, limit);
  return (
    <ul class="usa-list font-body-2xs margin-top-1">
      {shown.map((r) => (
        <li key={`${r.row}-${r.code}`}>{`${t('training.roster.rowLabel', { row: r.row })}: ${rejectionText(t, r)}`}</li>
      ))}
      {rejections.length > limit && (
        <li>
          <a href={href}>{t('training.roster.more', { count: rejections.length - limit })}</a>
        </li>
      )}
    </ul>
  );
}
