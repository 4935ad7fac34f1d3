// Test helper: validate a response body against the FHIR R4 definitions (the `fhir` package's validator, with
// unexpected properties as errors), plus the primitive formats that validator checks only loosely (its patterns
// are unanchored): id, date, dateTime, instant, code, uri. Its warnings count too, but one: a code outside a
// value set bound less than `required` (it errs on those), which R4 allows — Practitioner.qualification.code is
// bound by example only, and our credential and specialization codes are in code systems of our own.
import { Fhir, type ValidatorMessage } from 'fhir';

const fhir = new Fhir();

const PRIMITIVE_FORMATS: Record<string, RegExp> = {
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  date: /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/,
  dateTime: /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/,
  instant: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/,
  code: /^[^\s]+( [^\s]+)*$/,
  uri: /^\S+$/,
  url: /^\S+$/,
  canonical: /^\S+$/,
};

/** Every error or warning the R4 definitions find in this resource; empty when it is valid. */
export function r4Problems(resource: unknown): string[] {
  const result = fhir.validate(resource as object, {
    errorOnUnexpected: true,
    onBeforeValidateProperty: (_resource, property, path, value): ValidatorMessage[] => {
      const format = PRIMITIVE_FORMATS[property._type];
      const values: unknown[] = Array.isArray(value) ? value : [value];
      return format && values.some((v) => typeof v !== 'string' || !format.test(v))
        ? [{ location: path, severity: 'error' as ValidatorMessage['severity'], message: `not a valid ${property._type}: ${JSON.stringify(value)}` }]
        : [];
    },
  });
  const counts = (m: ValidatorMessage) =>
    m.severity === 'error' || m.severity === 'fatal' || (m.severity === 'warning' && !/not found in value set/.test(m.message ?? ''));
  const problems = result.messages.filter(counts).map((m) => `${m.location}: ${m.message}`);
  return result.valid ? problems : ['invalid', ...problems];
}
