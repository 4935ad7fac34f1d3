// Who reaches an organization's records, in one place: can() decides for grants (an administrator, the county's
// administrators, the organization's own staff and supervisors); a peer reaches their employer's records for the
// few actions a peer does at work (documenting their own services, choosing the member they served) while employed
// there that day. Everyone else gets the same 404 as a missing organization, so ids reveal nothing.
import { and, eq, inArray } from 'drizzle-orm';
import { can, scopeCounties, scopeOrganizations, type Action } from '../access/can.ts';
import { refuse, todayOf, type UseCaseContext } from '../access/context.ts';
import { peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { employments, providerOrganizations } from './organizations.schema.ts';
import { coversOn } from './periods.ts';

export type OrganizationRow = typeof providerOrganizations.$inferSelect;

/** What a peer employed by the organization may do there without an organization grant. */
const PEER_AT_WORK: ReadonlySet<Action> = new Set(['beneficiaries.read', 'encounters.read', 'encounters.document']);

export interface OrganizationReach {
  org: OrganizationRow;
  /** Set when the actor reaches it as a peer employed there (their records only). */
  asPeerId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const organizationNotFound = () => new AppError('not-found', 'There is no such organization.');

/** The peer record of the signed-in person, if they are employed by the organization on the date. */
export async function employedPeerOf(db: Db, userId: string, organizationId: string, date: string): Promise<string | null> {
  const [row] = await db
    .select({ peerId: peers.id })
    .from(peers)
    .innerJoin(employments, eq(employments.peerId, peers.id))
    .where(and(eq(peers.userId, userId), eq(employments.organizationId, organizationId), coversOn(employments, date)))
    .limit(1);
  return row?.peerId ?? null;
}

/** The organization, if the actor may do `action` there; a missing one is 404, one out of reach 403. */
export async function reachOrganization(db: Db, organizationId: string, action: Action, context: UseCaseContext, what: string): Promise<OrganizationReach> {
  const [org] = UUID.test(organizationId) ? await db.select().from(providerOrganizations).where(eq(providerOrganizations.id, organizationId)) : [];
  if (!org) throw organizationNotFound();
  // The platform itself (a job, the command line on the server) acts for every organization.
  if (context.system || can(context.actor, action, { organizationId: org.id, countyFips: org.countyFips })) return { org, asPeerId: null };
  const { actor } = context;
  if (actor.kind === 'user' && PEER_AT_WORK.has(action)) {
    const peerId = await employedPeerOf(db, actor.userId, org.id, todayOf(context));
    if (peerId) return { org, asPeerId: peerId };
  }
  refuse(context, what);
}

/**
 * The organizations whose records the actor may act on: 'all', or their ids — with `peerWork` (the default), also
 * where the actor is employed as a peer today (for lists that then show a peer only their own records, pass false
 * and add those separately).
 */
export async function organizationsInScope(db: Db, action: Action, context: UseCaseContext, options: { peerWork?: boolean } = {}): Promise<'all' | string[]> {
  if (context.system) return 'all';
  const counties = scopeCounties(context.actor, action);
  if (counties === 'all') return 'all';
  const ids = new Set(scopeOrganizations(context.actor, action));
  if (counties.length > 0) {
    for (const r of await db.select({ id: providerOrganizations.id }).from(providerOrganizations).where(inArray(providerOrganizations.countyFips, counties))) ids.add(r.id);
  }
  const { actor } = context;
  if (actor.kind === 'user' && PEER_AT_WORK.has(action) && options.peerWork !== false) {
    const today = todayOf(context);
    const rows = await db
      .select({ id: employments.organizationId })
      .from(employments)
      .innerJoin(peers, eq(peers.id, employments.peerId))
      .where(and(eq(peers.userId, actor.userId), coversOn(employments, today)));
    for (const r of rows) ids.add(r.id);
  }
  return [...ids].sort();
}

/** The signed-in person's own peer record, if any (a peer's caseload is the services they rendered). */
export async function ownPeerId(db: Db, context: UseCaseContext): Promise<string | null> {
  if (context.actor.kind !== 'user') return null;
  const [row] = await db.select({ id: peers.id }).from(peers).where(eq(peers.userId, context.actor.userId));
  return row?.id ?? null;
}
