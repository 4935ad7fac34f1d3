// The applicant's form, one step per page so it works on a phone and every step is saved: the steps a pathway has,
// and each step's fields. Values are the saved answers (or what was just posted, when a save was refused).
import type { ComponentChildren } from 'preact';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import type { FieldError } from '../lib/errors.ts';
import { Field, SelectField } from '../web/forms.tsx';
import type { Translate } from '../web/i18n.ts';
import { EDUCATION_LEVELS } from './application.types.ts';
import { LIVED_EXPERIENCE, type Pathway } from './vocabulary.ts';

export const STEPS = ['personal', 'eligibility', 'reciprocity', 'grandparenting', 'documents', 'ce', 'sign'] as const;
export type Step = (typeof STEPS)[number];

export function stepsOf(pathway: Pathway): Step[] {
  switch (pathway) {
    case 'initial':
      return ['personal', 'eligibility', 'documents', 'sign'];
    case 'reciprocity':
      return ['personal', 'eligibility', 'reciprocity', 'documents', 'sign'];
    case 'grandparenting':
      return ['personal', 'eligibility', 'grandparenting', 'documents', 'sign'];
    case 'renewal':
    case 'reinstatement':
      return ['ce', 'sign'];
  }
}

export function isStep(value: unknown): value is Step {
  return typeof value === 'string' && (STEPS as readonly string[]).includes(value);
}

/** The step a field is asked on, so "what is missing" can link to it. */
export function stepOfField(path: string, pathway: Pathway): Step {
  if (path.startsWith('document.')) return 'documents';
  const steps = stepsOf(pathway);
  const byField: Record<string, Step> = {
    legalFirstName: 'personal',
    legalMiddleName: 'personal',
    legalLastName: 'personal',
    dateOfBirth: 'personal',
    education: 'eligibility',
    livedExperience: 'eligibility',
    willingToShare: 'eligibility',
    dedicatedToRecovery: 'eligibility',
    outOfStateState: 'reciprocity',
    outOfStateCertificationNumber: 'reciprocity',
    outOfStateActive: 'reciprocity',
    outOfStateNoPendingDiscipline: 'reciprocity',
    experienceHours: 'reciprocity',
    employedAsPeerOn: 'grandparenting',
    ceAttested: 'ce',
    training: steps.includes('ce') ? 'ce' : 'sign',
  };
  const step = byField[path];
  return step && steps.includes(step) ? step : 'sign';
}

export type Values = Record<string, unknown>;

function text(values: Values, name: string): string | undefined {
  const v = values[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** A question with one answer from a few, as a USWDS radio fieldset. */
function Choice({ name, legend, options, values, errors }: { name: string; legend: string; options: Array<[string, string]>; values: Values; errors?: FieldError[] | undefined; children?: ComponentChildren }) {
  const error = errors?.find((e) => e.path === name)?.message;
  return (
    <fieldset class={error ? 'usa-fieldset usa-form-group usa-form-group--error' : 'usa-fieldset usa-form-group'} aria-describedby={error ? `${name}-error` : undefined}>
      <legend class="usa-legend">{legend}</legend>
      {error && (
        <span class="usa-error-message" id={`${name}-error`}>
          {error}
        </span>
      )}
      {options.map(([value, label]) => (
        <div class="usa-radio" key={value}>
          <input class="usa-radio__input" id={`${name}-${value}`} type="radio" name={name} value={value} checked={values[name] === value} />
          <label class="usa-radio__label" for={`${name}-${value}`}>
            {label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** A yes/no question as a USWDS radio fieldset; saved booleans and posted "yes"/"no" both select. */
export function YesNo({ t, name, legend, values, errors }: { t: Translate; name: string; legend: string; values: Values; errors?: FieldError[] | undefined }) {
  const v = values[name];
  const answer = v === true || v === 'yes' ? 'yes' : v === false || v === 'no' ? 'no' : undefined;
  const options: Array<[string, string]> = [
    ['yes', t('certification.portal.fields.yes')],
    ['no', t('certification.portal.fields.no')],
  ];
  return <Choice name={name} legend={legend} options={options} values={{ [name]: answer }} errors={errors} />;
}

/** The fields of a step that asks questions (documents and sign have pages of their own). */
export function StepFields({ t, step, values, errors, experienceHours }: { t: Translate; step: Step; values: Values; errors?: FieldError[] | undefined; experienceHours: number }) {
  const f = (key: string) => t(`certification.portal.fields.${key}`);
  switch (step) {
    case 'personal':
      return (
        <>
          <Field name="legalFirstName" label={f('legalFirstName')} hint={f('legalNameHint')} value={text(values, 'legalFirstName')} autocomplete="given-name" errors={errors} />
          <Field name="legalMiddleName" label={f('legalMiddleName')} value={text(values, 'legalMiddleName')} autocomplete="additional-name" required={false} errors={errors} />
          <Field name="legalLastName" label={f('legalLastName')} value={text(values, 'legalLastName')} autocomplete="family-name" errors={errors} />
          <Field name="dateOfBirth" type="date" label={f('dateOfBirth')} value={text(values, 'dateOfBirth')} autocomplete="bday" errors={errors} />
          <Field name="phone" label={f('phone')} value={text(values, 'phone')} autocomplete="tel" required={false} errors={errors} />
          <SelectField name="countyFips" label={f('countyFips')} errors={errors}>
            <option value="">{f('countyNone')}</option>
            {CALIFORNIA_COUNTIES.map((c) => (
              <option key={c.fips} value={c.fips} selected={values.countyFips === c.fips}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </>
      );
    case 'eligibility':
      return (
        <>
          <Choice name="education" legend={f('education')} options={EDUCATION_LEVELS.map((e) => [e, t(`certification.labels.education.${e}`)])} values={values} errors={errors} />
          <p class="usa-hint">{f('educationHint')}</p>
          <Choice name="livedExperience" legend={f('livedExperience')} options={LIVED_EXPERIENCE.map((e) => [e, t(`certification.labels.livedExperience.${e}`)])} values={values} errors={errors} />
          <YesNo t={t} name="willingToShare" legend={f('willingToShare')} values={values} errors={errors} />
          <YesNo t={t} name="dedicatedToRecovery" legend={f('dedicatedToRecovery')} values={values} errors={errors} />
        </>
      );
    case 'reciprocity':
      return (
        <>
          <Field name="outOfStateState" label={f('outOfStateState')} value={text(values, 'outOfStateState')} errors={errors} />
          <Field name="outOfStateCertificationNumber" label={f('outOfStateCertificationNumber')} value={text(values, 'outOfStateCertificationNumber')} errors={errors} />
          <YesNo t={t} name="outOfStateActive" legend={f('outOfStateActive')} values={values} errors={errors} />
          <YesNo t={t} name="outOfStateNoPendingDiscipline" legend={f('outOfStateNoPendingDiscipline')} values={values} errors={errors} />
          <Field name="experienceHours" label={f('experienceHours')} hint={t('certification.portal.fields.experienceHoursHint', { hours: experienceHours })} value={text(values, 'experienceHours')} errors={errors} />
        </>
      );
    case 'grandparenting':
      return (
        <>
          <Field name="employedAsPeerOn" type="date" label={f('employedAsPeerOn')} value={text(values, 'employedAsPeerOn')} errors={errors} />
          <Field name="employerName" label={f('employerName')} value={text(values, 'employerName')} required={false} errors={errors} />
        </>
      );
    case 'ce':
      return (
        <div class="usa-checkbox">
          <input class="usa-checkbox__input" id="ceAttested" type="checkbox" name="ceAttested" value="yes" checked={values.ceAttested === true || values.ceAttested === 'yes'} />
          <label class="usa-checkbox__label" for="ceAttested">
            {f('ceAttested')}
          </label>
        </div>
      );
    default:
      return null;
  }
}
