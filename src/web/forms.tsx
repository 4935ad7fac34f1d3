// Form pieces shared by every page with a form: the CSRF field, labelled inputs with their errors beside them,
// and the error summary. State-changing forms always POST with the CSRF token.
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

interface FrameProps {
  name: string;
  label: string;
  hint?: string | undefined;
  errors?: FieldError[] | undefined;
}

/** The error for a field, and what its control's aria-describedby should name. */
function fieldState({ name, hint, errors = [] }: FrameProps) {
  const error = errors.find((e) => e.path === name)?.message;
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { error, describedBy };
}

/** A USWDS form group: label, hint, the error beside the field, then the control. */
function FieldFrame({ name, label, hint, error, children }: FrameProps & { error: string | undefined; children: ComponentChildren }) {
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
      {children}
    </div>
  );
}

interface FieldProps extends FrameProps {
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string | undefined;
  autocomplete?: string;
  /** Fields are required unless said otherwise (filters are not). */
  required?: boolean;
}

export function Field({ type = 'text', value, autocomplete, required = true, ...frame }: FieldProps) {
  const { error, describedBy } = fieldState(frame);
  return (
    <FieldFrame {...frame} error={error}>
      <input
        class={error ? 'usa-input usa-input--error' : 'usa-input'}
        id={frame.name}
        name={frame.name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        required={required}
      />
    </FieldFrame>
  );
}

/** A labelled select; its options are the children. */
export function SelectField({ children, required = false, ...frame }: FrameProps & { required?: boolean; children: ComponentChildren }) {
  const { error, describedBy } = fieldState(frame);
  return (
    <FieldFrame {...frame} error={error}>
      <select
        class={error ? 'usa-select usa-input--error' : 'usa-select'}
        id={frame.name}
        name={frame.name}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        required={required}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

/** A labelled multi-line text field. */
export function TextAreaField({ value, required = true, ...frame }: FrameProps & { value?: string | undefined; required?: boolean }) {
  const { error, describedBy } = fieldState(frame);
  return (
    <FieldFrame {...frame} error={error}>
      <textarea
        class={error ? 'usa-textarea usa-input--error' : 'usa-textarea'}
        id={frame.name}
        name={frame.name}
        required={required}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
      >
        {value ?? ''}
      </textarea>
    </FieldFrame>
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
