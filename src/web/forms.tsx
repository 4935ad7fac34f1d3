// Form pieces shared by every page with a form: the CSRF field (url-encoded and upload forms), the one USWDS form
// group every labelled control is drawn in, with its error beside it, and the alerts. State-changing forms always
// POST with the CSRF token.
import type { ComponentChildren } from 'preact';
import type { FieldError } from '../lib/errors.ts';

export function PostForm({ action, csrfToken, children }: { action: string; csrfToken: string; children: ComponentChildren }) {
  return (
    <form method="post" action={action} class="usa-form usa-form--large">
      <input type="hidden" name="_csrf" value={csrfToken} />
      {children}
    </form>
  );
}

/** A multipart form for a file upload (PostForm sends url-encoded forms), with the CSRF token as its first field. */
export function UploadForm({ action, csrfToken, children }: { action: string; csrfToken: string; children: ComponentChildren }) {
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="usa-form usa-form--large">
      <input type="hidden" name="_csrf" value={csrfToken} />
      {children}
    </form>
  );
}

interface FormGroupProps {
  /** The control's id: what the label is for, and the stem of the hint's and error's ids. Unique on the page; the
   * control's name may differ (several forms of one kind on a page). */
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Announce the error as it appears (role="alert"), for forms shown without an error summary. */
  announceError?: boolean;
  /** The control, given what its aria-describedby should name and the error. */
  children: (describedBy: string | undefined, error: string | undefined) => ComponentChildren;
}

/** A USWDS form group: label, hint, the error beside the field, then the control. Every form control is drawn in one. */
export function FormGroup({ id, label, hint, error, announceError = false, children }: FormGroupProps) {
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
        <span class="usa-error-message" id={`${id}-error`} role={announceError ? 'alert' : undefined}>
          {error}
        </span>
      )}
      {children(describedBy, error)}
    </div>
  );
}

/** A field named by its form: its id is its name, its error the one with its name as path. */
export interface FieldGroupProps {
  name: string;
  /** The control's id when the page has two fields of one name (two forms); by default the name. */
  id?: string | undefined;
  label: string;
  hint?: string | undefined;
  errors?: FieldError[] | undefined;
}

/** The form group of a field named by its form. */
export function FieldGroup({ name, id, label, hint, errors, children }: FieldGroupProps & { children: FormGroupProps['children'] }) {
  return (
    <FormGroup id={id ?? name} label={label} hint={hint} error={errors?.find((e) => e.path === name)?.message}>
      {children}
    </FormGroup>
  );
}

interface FieldProps extends FieldGroupProps {
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string | undefined;
  autocomplete?: string;
  /** Fields are required unless said otherwise (filters are not). */
  required?: boolean;
}

export function Field({ type = 'text', value, autocomplete, required = true, ...frame }: FieldProps) {
  return (
    <FieldGroup {...frame}>
      {(describedBy, error) => (
        <input
          class={error ? 'usa-input usa-input--error' : 'usa-input'}
          id={frame.id ?? frame.name}
          name={frame.name}
          type={type}
          value={type === 'password' ? undefined : value}
          autocomplete={autocomplete}
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
          required={required}
        />
      )}
    </FieldGroup>
  );
}

/** A labelled select; its options are the children. */
export function SelectField({ children, required = false, ...frame }: FieldGroupProps & { required?: boolean; children: ComponentChildren }) {
  return (
    <FieldGroup {...frame}>
      {(describedBy, error) => (
        <select
          class={error ? 'usa-select usa-input--error' : 'usa-select'}
          id={frame.id ?? frame.name}
          name={frame.name}
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
          required={required}
        >
          {children}
        </select>
      )}
    </FieldGroup>
  );
}

/** A labelled multi-line text field. */
export function TextAreaField({ value, required = true, ...frame }: FieldGroupProps & { value?: string | undefined; required?: boolean }) {
  return (
    <FieldGroup {...frame}>
      {(describedBy, error) => (
        <textarea
          class={error ? 'usa-textarea usa-input--error' : 'usa-textarea'}
          id={frame.id ?? frame.name}
          name={frame.name}
          required={required}
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
        >
          {value ?? ''}
        </textarea>
      )}
    </FieldGroup>
  );
}

/** The message of a refused form, at the top, announced to screen readers. */
export function FormAlert({ heading, message, lang }: { heading: string; message: string | undefined; lang?: string | undefined }) {
  if (!message) return null;
  return (
    <div class="usa-alert usa-alert--error" role="alert">
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">{heading}</h2>
        <p class="usa-alert__text" data-testid="form-error" lang={lang}>
          {message}
        </p>
      </div>
    </div>
  );
}

export function SuccessAlert({ message }: { message: string }) {
  return (
    <div class="usa-alert usa-alert--success" role="status">
      <div class="usa-alert__body">
        <p class="usa-alert__text" data-testid="form-success">
          {message}
        </p>
      </div>
    </div>
  );
}
