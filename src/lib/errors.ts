// The platform's one error type. Use cases throw it; the HTTP layer (src/http/errors.ts) turns it into
// problem+json or an error page, and the CLI into a message and a non-zero exit.

export interface FieldError {
  path: string;
  message: string;
}

export const PROBLEM_STATUS = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  /** The client accepts no representation the server has (e.g. XML from the FHIR API). */
  'not-acceptable': 406,
  conflict: 409,
  'rule-violation': 422,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemKind = keyof typeof PROBLEM_STATUS;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly errors: FieldError[] = [],
    /** A program rule's code, e.g. `renewal.ce_hours_short`, for 422s. */
    readonly code?: string,
  ) {
    super(message);
  }
  get status(): number {
    return PROBLEM_STATUS[this.kind];
  }
}
