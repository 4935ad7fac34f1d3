// The person record behind an account: found by user id, created on first application.
import { eq } from 'drizzle-orm';
import { users } from '../accounts/accounts.schema.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { peers } from './certification.schema.ts';

export type PeerRow = typeof peers.$inferSelect;

export async function findPeerByUser(db: Db, userId: string): Promise<PeerRow | undefined> {
  const [peer] = await db.select().from(peers).where(eq(peers.userId, userId));
  return peer;
}

/** The applicant's person record; on the first application it is made from the account (names filled in later). */
export async function ensurePeerForUser(tx: Db, userId: string): Promise<PeerRow> {
  const existing = await findPeerByUser(tx, userId);
  if (existing) return existing;
  const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('not-found', 'No such account.');
  const [peer] = await tx.insert(peers).values({ userId, email: user.email, legalFirstName: '', legalLastName: '' }).returning();
  if (!peer) throw new Error('insert returned no row');
  return peer;
}

/** Names and contact details from the answers, so the person record follows the application. */
export async function updatePeerFromAnswers(
  tx: Db,
  peerId: string,
  a: { legalFirstName?: string | undefined; legalMiddleName?: string | undefined; legalLastName?: string | undefined; dateOfBirth?: string | undefined; countyFips?: string | undefined },
): Promise<void> {
  const patch: Partial<typeof peers.$inferInsert> = {};
  if (a.legalFirstName !== undefined) patch.legalFirstName = a.legalFirstName;
  if (a.legalMiddleName !== undefined) patch.legalMiddleName = a.legalMiddleName || null;
  if (a.legalLastName !== undefined) patch.legalLastName = a.legalLastName;
  if (a.dateOfBirth !== undefined) patch.dateOfBirth = a.dateOfBirth;
  if (a.countyFips !== undefined) patch.countyFips = a.countyFips;
  if (Object.keys(patch).length > 0) await tx.update(peers).set(patch).where(eq(peers.id, peerId));
}
