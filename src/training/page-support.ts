// What every training page's routes share: the use-case context of a request, and turning a refused form into
// something to show beside it.
import type { FastifyRequest } from 'fastify';
import type { UseCaseContext } from '../access/context.ts';
import { clientOf } from '../accounts/actor.plugin.ts';
import { AppError, type FieldError } from '../lib/errors.ts';

export type Form = Record<string, string | undefined>;

/** A refused form, shown again on its page: which form, its message, the field errors and what was typed. */
export interface Refusal {
  form: string;
  message: string;
  errors: FieldError[];
  status: number;
  values: Form;
}

export function contextOf(req: FastifyRequest): UseCaseContext {
  return { actor: req.actor, ...clientOf(req) };
}

/** Run a form's use case; an AppError other than 404 becomes a refusal to show beside the form. */
export async function attempt<T>(form: string, values: Form, run: () => Promise<T>): Promise<{ ok: T } | { refused: Refusal }> {
  try {
    return { ok: await run() };
  } catch (err) {
    if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
    return { refused: { form, message: err.message, errors: err.errors, status: err.status, values } };
  }
}
