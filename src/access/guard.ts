// The one way routes refuse: 401 to someone not signed in, 403 to someone signed in without the right.
// Where revealing that a record exists would leak, use cases answer 404 themselves instead.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { can, canAny, type Action, type Resource } from './can.ts';

export function requireAllowed(req: FastifyRequest, action: Action, resource?: Resource): void {
  const allowed = resource === undefined ? canAny(req.actor, action) : can(req.actor, action, resource);
  if (allowed) return;
  if (req.actor.kind === 'anonymous') throw new AppError('unauthorized', 'Sign in to see this page.');
  throw new AppError('forbidden', 'Your account does not have access to this.');
}

/** Routes whose use case decides who may act (by organization, employment, ownership): 401 for anyone not signed in. */
export function requireActor(req: FastifyRequest): void {
  if (req.actor.kind === 'anonymous') throw new AppError('unauthorized', 'Sign in, or send an API token, to use this.');
}
