// AppError, validation errors and fastify's own errors → RFC 9457 problem+json (API), an OperationOutcome (FHIR
// API) or an error page (web), in one place.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { FHIR_JSON } from '../fhir/fhir.vocabulary.ts';
import { isFhirPath, operationOutcome } from '../fhir/operation-outcome.ts';
import { AppError, PROBLEM_STATUS, type FieldError, type ProblemKind } from '../lib/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
}

/** A problem whose meaning is its HTTP status: RFC 9457 `about:blank` with the status phrase as its title. */
export function problemFor(kind: ProblemKind, detail: string, extra: Partial<Problem> = {}): Problem {
  return problemWithStatus(PROBLEM_STATUS[kind], detail, extra);
}

function problemWithStatus(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...extra };
}

/**
 * What may be logged of an unexpected error. Database errors carry their bound parameters in the message
 * (drizzle: "Failed query: … params: …"), and parameters will be beneficiary data, so only the SQL state,
 * the driver's message and the stack frames are kept.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const isQueryError = error.name === 'DrizzleQueryError' || /params:/.test(error.message);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: error.name,
    message: isQueryError ? (cause?.message ?? 'database query failed') : error.message,
    ...(cause && 'code' in cause ? { sqlState: String(cause.code) } : {}),
    stack: frames.slice(0, 12).join('\n'),
  };
}

/** Installs the error and not-found handlers. `renderPage` lets web routes answer with an HTML error page. */
export function registerErrorHandling(
  app: FastifyInstance,
  renderPage: (req: FastifyRequest, reply: FastifyReply, problem: Problem) => FastifyReply,
): void {
  const wantsHtml = (req: FastifyRequest) =>
    !req.url.startsWith('/api/') && !isFhirPath(req.url) && (req.headers.accept ?? '').includes('text/html');

  const respond = (req: FastifyRequest, reply: FastifyReply, problem: Problem) => {
    void reply.header('vary', 'Accept');
    if (isFhirPath(req.url)) {
      const diagnostics = problem.errors?.length ? problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : problem.detail;
      return reply.status(problem.status).type(FHIR_JSON).send(operationOutcome(problem.status, diagnostics));
    }
    if (wantsHtml(req)) return renderPage(req, reply, problem);
    return reply
      .status(problem.status)
      .type('application/problem+json')
      .send({ ...problem, instance: req.url.split('?')[0] });
  };

  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    if (error instanceof AppError) {
      return respond(req, reply, problemFor(error.kind, error.message, {
        ...(error.errors.length ? { errors: error.errors } : {}),
        ...(error.code ? { code: error.code } : {}),
      }));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        path: [error.validationContext, ...v.instancePath.split('/')].filter(Boolean).join('.'),
        message: v.message,
      }));
      return respond(req, reply, problemFor('bad-request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }));
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err: loggableError(error) }, 'request failed');
      return respond(req, reply, problemFor('internal', 'Something went wrong on our side. It has been logged.'));
    }
    if (error.code?.startsWith('FST_CSRF')) {
      return respond(req, reply, problemFor('forbidden', 'This form has expired or was opened in another session. Reload the page and try again.', { code: 'form.expired' }));
    }
    // Fastify's own 4xx errors (bad JSON, body too large, forbidden path): their messages are safe to show.
    return respond(req, reply, problemWithStatus(status, error.message));
  });

  app.setNotFoundHandler((req, reply) =>
    respond(req, reply, problemFor('not-found', `There is nothing at ${req.url.split('?')[0]}.`)),
  );
}
