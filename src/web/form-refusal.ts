// What every page with forms shares on the way in and back: the use-case context of a request, and turning a
// refused form into something shown beside it (which form, its message, the field errors and what was typed).
import type { FastifyRequest } from 'fastify';
import type { UseCaseContext } from '../access/context.ts';
import { clientOf } from '../accounts/actor.plugin.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import type { Locale } from './i18n.ts';

export type Form = Record<string, string | undefined>;

/** A refused form, shown again on its page: which form, its message, the field errors and what was typed. */
export interface Refusal {
  form: string;
  message: string;
  errors: FieldError[];
  status: number;
  values: Form;
  /** The message is the page's own, in the page's language (a use case's is English). */
  translated?: boolean;
}

/** Who is asking, and from where: the context a page hands its use cases. */
export function contextOf(req: FastifyRequest): UseCaseContext {
  return { actor: req.actor, ...clientOf(req) };
}

/** A 400 naming the fields a page could not read, before any use case runs; its messages are translated. */
export class FormProblem extends AppError {
  constructor(message: string, errors: FieldError[]) {
    super('bad-request', message, errors);
  }
}

/** Run a form's use case; an AppError other than 404 becomes a refusal to show beside the form. */
export async function attempt<T>(form: string, values: Form, run: () => Promise<T>): Promise<{ ok: T } | { refused: Refusal }> {
  try {
    return { ok: await run() };
  } catch (err) {
    if (!(err instanceof AppError) || err.kind === 'not-found') throw err;
    return { refused: { form, message: err.message, errors: err.errors, status: err.status, values, translated: err instanceof FormProblem } };
  }
}

/** The lang of a refusal's message on a page in `locale`: use-case messages are English. */
export function refusalLang(refusal: Refusal | undefined, locale: Locale): 'en' | undefined {
  return refusal && !refusal.translated && locale !== 'en' ? 'en' : undefined;
}
