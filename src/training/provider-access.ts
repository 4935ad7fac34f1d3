// Who reaches which provider. Staff roles hold the training actions statewide; the training_provider role holds
// them only for the providers the person is a member of (training_provider_members). A provider outside the
// actor's reach answers 404, as if it did not exist.
import { and, eq } from 'drizzle-orm';
import { can, type Action } from '../access/can.ts';
import { requireCan, type UseCaseContext } from '../access/context.ts';
import type { Actor } from '../access/roles.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { trainingProviderMembers, trainingProviders } from './training.schema.ts';
import { isUuid } from './training.vocabulary.ts';

/** The actor without its training_provider grants: what it may do whatever it is a member of. */
function withoutProviderRole(actor: Actor): Actor {
  return actor.kind === 'anonymous' ? actor : { ...actor, roles: actor.roles.filter((g) => g.role !== 'training_provider') };
}

/** Whether the actor may do the action to every provider (staff), not only those it is a member of. */
export function actsForEveryProvider(actor: Actor, action: Action): boolean {
  return can(withoutProviderRole(actor), action);
}

/**
 * The providers the actor is a member of. Membership belongs to a person: an API token acts with its own roles
 * only (src/access/roles.ts), so a token is a member of nothing.
 */
export async function memberProviderIds(db: Db, actor: Actor): Promise<string[]> {
  if (actor.kind !== 'user') return [];
  const rows = await db.select({ providerId: trainingProviderMembers.providerId }).from(trainingProviderMembers).where(eq(trainingProviderMembers.userId, actor.userId));
  return rows.map((r) => r.providerId);
}

async function isMember(db: Db, actor: Actor, providerId: string): Promise<boolean> {
  if (actor.kind !== 'user') return false;
  const [row] = await db
    .select({ providerId: trainingProviderMembers.providerId })
    .from(trainingProviderMembers)
    .where(and(eq(trainingProviderMembers.providerId, providerId), eq(trainingProviderMembers.userId, actor.userId)));
  return row !== undefined;
}

export function providerNotFound(id: string): AppError {
  return new AppError('not-found', `There is no training provider ${id}.`);
}

/** Whether the actor may do `action` to this (existing) provider: statewide, or as one of its members. */
export async function reachesProvider(db: Db, actor: Actor, action: Action, providerId: string): Promise<boolean> {
  if (!can(actor, action)) return false;
  return actsForEveryProvider(actor, action) || (await isMember(db, actor, providerId));
}

/**
 * The provider, when the actor may do `action` to it: 401/403 without any grant of the action, 404 when the
 * provider does not exist or is not the actor's.
 */
export async function requireProviderReach(db: Db, context: UseCaseContext, action: Action, what: string, providerId: string) {
  requireCan(context, action, what);
  if (!isUuid(providerId)) throw providerNotFound(providerId);
  const [provider] = await db.select().from(trainingProviders).where(eq(trainingProviders.id, providerId));
  if (!provider) throw providerNotFound(providerId);
  if (await reachesProvider(db, context.actor, action, providerId)) return provider;
  throw providerNotFound(providerId);
}
