// Pieces the training pages share: labels for the vocabularies, number and file fields.
import { SPECIALIZATIONS } from '../certification/vocabulary.ts';
import type { FieldError } from '../lib/errors.ts';
import { FieldGroup, type FieldGroupProps } from '../web/forms.tsx';
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

export function NumberField({ value, required = true, ...frame }: FieldGroupProps & { value?: string | undefined; required?: boolean }) {
  return (
    <FieldGroup {...frame}>
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
    </FieldGroup>
  );
}

export function FileField({ accept, ...frame }: FieldGroupProps & { accept: string }) {
  return (
    <FieldGroup {...frame}>
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
    </FieldGroup>
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
