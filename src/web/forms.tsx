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

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  hint?: string;
  autocomplete?: string;
  errors?: FieldError[];
}

export function Field({ name, label, type = 'text', value, hint, autocomplete, errors = [] }: FieldProps) {
  const error = errors.find((e) => e.path === name)?.message;
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
      <input
        class={error ? 'usa-input usa-input--error' : 'usa-input'}
        id={name}
        name={name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        required
      />
    </div>
  );
}

/** The message of a refused form, at the top, announced to screen readers. */
export function FormAlert({ heading, message }: { heading: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <div class="usa-alert usa-alert--error" role="alert">
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">{heading}</h2>
        <p class="usa-alert__text" data-testid="form-error">
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
