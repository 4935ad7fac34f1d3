// The "as of a date" form of the public pages (the counties map, a registry entry): a GET form with one date
// field, ?asOf=YYYY-MM-DD, its error announced as it appears.
import { FormGroup } from './forms.tsx';

export function AsOfForm({ action, label, hint, button, value, error, required = false }: { action: string; label: string; hint: string; button: string; value: string; error?: string | undefined; required?: boolean }) {
  return (
    <form method="get" action={action} class="usa-form">
      <FormGroup id="asOf" label={label} hint={hint} error={error} announceError>
        {(describedBy) => (
          <input
            class={error ? 'usa-input usa-input--error' : 'usa-input'}
            id="asOf"
            name="asOf"
            type="date"
            value={value}
            required={required}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={describedBy}
          />
        )}
      </FormGroup>
      <button class="usa-button" type="submit">
        {button}
      </button>
    </form>
  );
}
