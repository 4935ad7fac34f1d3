// Errors of the FHIR API as an R4 OperationOutcome (src/http/errors.ts renders every error under /fhir with it).
import type { IssueType, OperationOutcome } from './fhir.types.ts';

/** The R4 issue type that says what an HTTP error status means. */
export function issueTypeFor(status: number): IssueType {
  if (status === 404) return 'not-found';
  if (status === 401 || status === 403) return 'security';
  if (status === 405 || status === 406 || status === 415) return 'not-supported';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status === 503) return 'transient';
  if (status >= 500) return 'exception';
  if (status === 422) return 'processing';
  return 'invalid';
}

export function operationOutcome(status: number, diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: issueTypeFor(status), diagnostics }] };
}

/** Whether a request path belongs to the FHIR API. */
export function isFhirPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/fhir' || path.startsWith('/fhir/');
}
