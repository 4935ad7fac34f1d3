// What a certificate (and the public registry entry) says about a certification: the legal name, number, dates,
// status today and specializations — and nothing private (no email, birth date, county, application or fee).
import { eq } from 'drizzle-orm';
import { refuse, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { creditedCompletions, summarizeTraining } from '../training/training-credit.ts';
import { certifications, peers } from './certification.schema.ts';
import { certificationStatusOn } from './certification-status.ts';
import type { CertificationStatus } from './vocabulary.ts';

export interface CertificateData {
  certificationId: string;
  legalName: { first: string; middle: string | null; last: string };
  /** First, middle and last, as on the photo ID. */
  fullName: string;
  number: string;
  firstIssuedOn: string;
  /** The current term: [issuedOn, expiresOn). */
  issuedOn: string;
  expiresOn: string;
  /** The term's last day (expires_on − 1 day), the date people read as "valid through". */
  validThrough: string;
  /** The status on `asOf` (today), from the effective-dated history; null before the first issue. */
  status: CertificationStatus | null;
  asOf: string;
  specializations: Array<{ specialization: string; completedOn: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function fullLegalName(name: { first: string; middle: string | null; last: string }): string {
  return [name.first, name.middle, name.last].filter((part) => part !== null && part.trim() !== '').join(' ');
}

/** The certificate's facts, or a 404 when there is no such certification. */
export async function getCertificateData(db: Db, certificationId: string, today: string = todayInCalifornia()): Promise<CertificateData> {
  // Only the columns a certificate shows are read, so nothing private can reach one by accident.
  const [row] = UUID.test(certificationId)
    ? await db
        .select({
          id: certifications.id,
          number: certifications.number,
          firstIssuedOn: certifications.firstIssuedOn,
          issuedOn: certifications.issuedOn,
          expiresOn: certifications.expiresOn,
          peerId: peers.id,
          first: peers.legalFirstName,
          middle: peers.legalMiddleName,
          last: peers.legalLastName,
        })
        .from(certifications)
        .innerJoin(peers, eq(peers.id, certifications.peerId))
        .where(eq(certifications.id, certificationId))
    : [];
  if (!row) throw new AppError('not-found', 'No such certification.');
  const legalName = { first: row.first, middle: row.middle, last: row.last };
  return {
    certificationId: row.id,
    legalName,
    fullName: fullLegalName(legalName),
    number: row.number,
    firstIssuedOn: row.firstIssuedOn,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    validThrough: addDays(row.expiresOn, -1),
    status: await certificationStatusOn(db, row.id, today),
    asOf: today,
    specializations: summarizeTraining(await creditedCompletions(db, row.peerId)).specializations,
  };
}

/** The certification with this number, its peer and the peer's account, if any (case-insensitive: PSS-123456). */
export async function certificationByNumber(db: Db, number: string): Promise<{ certificationId: string; peerId: string; number: string; userId: string | null } | undefined> {
  const [row] = await db
    .select({ certificationId: certifications.id, peerId: certifications.peerId, number: certifications.number, userId: peers.userId })
    .from(certifications)
    .innerJoin(peers, eq(peers.id, certifications.peerId))
    .where(eq(certifications.number, number.trim().toUpperCase()));
  return row;
}

/** The id of the certification with this number, if any. */
export async function certificationIdByNumber(db: Db, number: string): Promise<string | undefined> {
  return (await certificationByNumber(db, number))?.certificationId;
}

/**
 * The signed-in person's own certificate: 404 when they hold no certification, 409 when it is not active today
 * (a certificate is only printed for a certification someone may rely on).
 */
export async function ownCertificateData(db: Db, context: UseCaseContext): Promise<CertificateData> {
  const { actor } = context;
  if (actor.kind !== 'user') refuse(context, 'download a certificate of its own');
  requireCan(context, 'certifications.read', 'see this certification', { userId: actor.userId });
  const [own] = await db.select({ id: certifications.id }).from(certifications).innerJoin(peers, eq(peers.id, certifications.peerId)).where(eq(peers.userId, actor.userId));
  if (!own) throw new AppError('not-found', 'You hold no certification, so there is no certificate to download.');
  const data = await getCertificateData(db, own.id, todayOf(context));
  if (data.status !== 'active') {
    throw new AppError(
      'conflict',
      `Certification ${data.number} is ${data.status ?? 'not yet issued'} today (${data.asOf}); a certificate can only be downloaded while the certification is active.`,
      [],
      'certificate.not_active',
    );
  }
  return data;
}

/**
 * Any certification's certificate, for certifying staff. Printing the official document is the certifier's act on
 * a certification, like changing its status, so it takes that right; enforcement staff read records, not print them.
 * The certificate states the status today, whatever it is.
 */
export async function staffCertificateData(db: Db, certificationId: string, context: UseCaseContext): Promise<CertificateData> {
  requireCan(context, 'certifications.status.change', 'print certificates');
  return getCertificateData(db, certificationId, todayOf(context));
}
