// Loading an application for an actor: its owner and certification staff may see it; only its owner may change
// what it says. Anyone else gets 404, never a hint that it exists.
import { eq } from 'drizzle-orm';
import { can } from '../access/can.ts';
import type { UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import type { ApplicationRow } from './application-status.ts';
import { applications, peers } from './certification.schema.ts';
import type { PeerRow } from './peer-record.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadApplication(db: Db, id: string, context: UseCaseContext): Promise<{ application: ApplicationRow; peer: PeerRow }> {
  const notFound = new AppError('not-found', 'No such application.');
  if (!UUID.test(id)) throw notFound;
  const [row] = await db.select({ application: applications, peer: peers }).from(applications).innerJoin(peers, eq(peers.id, applications.peerId)).where(eq(applications.id, id));
  if (!row || !can(context.actor, 'applications.read', { userId: row.peer.userId ?? '' })) throw notFound;
  return row;
}

/** The application, when the actor is the person it belongs to. */
export async function loadOwnApplication(db: Db, id: string, context: UseCaseContext): Promise<{ application: ApplicationRow; peer: PeerRow }> {
  const row = await loadApplication(db, id, context);
  if (context.actor.kind !== 'user' || row.peer.userId !== context.actor.userId) throw new AppError('not-found', 'No such application.');
  return row;
}

/** Statuses in which the applicant may still change the answers and documents. */
export const EDITABLE_STATUSES = ['draft', 'revision_requested'] as const;

export function requireEditable(application: ApplicationRow): void {
  if (!(EDITABLE_STATUSES as readonly string[]).includes(application.status)) {
    throw new AppError('conflict', `Application ${application.number} is ${application.status.replace(/_/g, ' ')}; it can no longer be changed.`);
  }
}
