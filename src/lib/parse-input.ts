// A use case's input checked against its zod contract: the value, or a 400 AppError naming each field's problem
// (the form shows them beside the fields; the API returns them in problem+json).
import type { z } from 'zod';
import { AppError } from './errors.ts';

export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown, fallback = 'Check the form.'): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? 'form'), message: i.message }));
  throw new AppError('bad-request', errors[0]?.message ?? fallback, errors);
}
