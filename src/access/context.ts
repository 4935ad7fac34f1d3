// Who is acting in a use case and from where, and the pieces every use case needs from it: the refusal, the
// audit row's actor, the user id to stamp on a record.
import { AppError } from '../lib/errors.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import type { AuditEntry } from '../audit/audit.service.ts';
import { can, type Action, type Resource } from './can.ts';
import type { Actor } from './roles.ts';

export interface UseCaseContext {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
  /** "Today" for the use case (tests and jobs pass one); defaults to the date in California. */
  today?: string;
  /** Set when the platform itself acts (a scheduled job, an import at start): recorded as the audit row's role. */
  system?: string;
}

/** The person behind the actor (for a token, none): stamped as recorded_by / decided_by. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/** The actor, address and browser of an audit row. */
export function auditContext(context: UseCaseContext): Pick<AuditEntry, 'actor' | 'ip' | 'userAgent'> {
  const { actor } = context;
  return {
    actor: { userId: actorUserId(actor), tokenId: actor.kind === 'token' ? actor.tokenId : null, ...(context.system ? { role: `system:${context.system}` } : {}) },
    ip: context.ip ?? null,
    userAgent: context.userAgent ?? null,
  };
}

/** The date a use case treats as today. */
export function todayOf(context: UseCaseContext): string {
  return context.today ?? todayInCalifornia();
}

/** The platform acting on its own (a scheduled job): no person, named in the audit log. */
export function systemContext(name: string, today?: string): UseCaseContext {
  return { actor: { kind: 'anonymous' }, system: name, ...(today ? { today } : {}) };
}

/** 401 for someone not signed in, 403 for someone who is: "Your account may not <what>." */
export function refuse(context: UseCaseContext, what: string): never {
  throw new AppError(context.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', `Your account may not ${what}.`);
}

/** Refuse unless can(actor, action, resource). */
export function requireCan(context: UseCaseContext, action: Action, what: string, resource?: Resource): void {
  if (!can(context.actor, action, resource)) refuse(context, what);
}
