// Fixture: a certified peer on record (person, certification, optional later status and specializations), written
// through the certification core the way an issue or an import writes one.
import { systemContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { trainingCompletions } from '../training/training.schema.ts';
import { peers } from './certification.schema.ts';
import { changeCertificationStatus } from './certification-status.ts';
import { issueCertification } from './issue-certification.ts';
import type { CertificationStatus, Specialization } from './vocabulary.ts';

export interface CertifiedPeerInput {
  userId?: string | null;
  first: string;
  middle?: string | null;
  last: string;
  number: string;
  firstIssuedOn?: string;
  issuedOn: string;
  expiresOn: string;
  email?: string | null;
  dateOfBirth?: string | null;
  countyFips?: string | null;
  specializations?: Array<{ code: Specialization; completedOn: string }>;
  /** A status after the issue, from a date. */
  later?: { to: Exclude<CertificationStatus, 'active'>; effectiveOn: string };
}

export async function certifyPeer(db: Db, input: CertifiedPeerInput): Promise<{ peerId: string; certificationId: string }> {
  const context = systemContext('test');
  return db.transaction(async (tx) => {
    const [peer] = await tx
      .insert(peers)
      .values({
        userId: input.userId ?? null,
        legalFirstName: input.first,
        legalMiddleName: input.middle ?? null,
        legalLastName: input.last,
        email: input.email ?? null,
        dateOfBirth: input.dateOfBirth ?? null,
        countyFips: input.countyFips ?? null,
      })
      .returning({ id: peers.id });
    if (!peer) throw new Error('insert returned no row');
    const cert = await issueCertification(
      tx,
      { peerId: peer.id, number: input.number, pathway: 'initial', issuedOn: input.issuedOn, expiresOn: input.expiresOn, firstIssuedOn: input.firstIssuedOn ?? input.issuedOn, kind: 'imported' },
      context,
    );
    if (input.later) await changeCertificationStatus(tx, { certificationId: cert.id, to: input.later.to, effectiveOn: input.later.effectiveOn, reasonCode: 'test' }, context);
    for (const s of input.specializations ?? []) {
      await tx.insert(trainingCompletions).values({ peerId: peer.id, trainingType: 'specialization', specialization: s.code, hours: 40, completedOn: s.completedOn, source: 'manual' });
    }
    return { peerId: peer.id, certificationId: cert.id };
  });
}
