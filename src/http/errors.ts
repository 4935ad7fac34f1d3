// One error type for the whole platform, mapped to RFC 9457 problem+json in one place.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export interface FieldError {
  path: string;
  message: string;
}

export type ProblemKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rule-violation'
  | 'rate-limited'
  | 'internal';

const STATUS: Record<ProblemKind, { status: number; title: string }> = {
  'bad-request': { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Sign-in required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  'rule-violation': { status: 422, title: 'A program rule refuses this' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
};

/** Thrown by use cases; the HTTP layer turns it into problem+json, the CLI into a message and exit code. */
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
    return STATUS[this.kind].status;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
}

export function problemFor(kind: ProblemKind, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = STATUS[kind];
  return { type: `https://pss.example/problems/${kind}`, title, status, detail, ...extra };
}

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/** Installs the error and not-found handlers. `renderPage` lets web routes answer with an HTML error page. */
export function registerErrorHandling(
  app: FastifyInstance,
  renderPage: (req: FastifyRequest, reply: FastifyReply, problem: Problem) => FastifyReply,
): void {
  const wantsHtml = (req: FastifyRequest) =>
    !req.url.startsWith('/api/') && !req.url.startsWith('/fhir/') && (req.headers.accept ?? '').includes('text/html');

  const respond = (req: FastifyRequest, reply: FastifyReply, problem: Problem) =>
    wantsHtml(req) ? renderPage(req, reply, problem) : sendProblem(reply, { ...problem, instance: req.url.split('?')[0] });

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
      req.log.error({ err: error }, 'request failed');
      return respond(req, reply, problemFor('internal', 'Something went wrong on our side. It has been logged.'));
    }
    // Fastify's own 4xx errors (bad JSON, body too large, unsupported media type): the message is safe to show.
    const kind: ProblemKind = status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : 'bad-request';
    return respond(req, reply, { ...problemFor(kind, error.message), status });
  });

  app.setNotFoundHandler((req, reply) =>
    respond(req, reply, problemFor('not-found', `There is nothing at ${req.url.split('?')[0]}.`)),
  );
}
