// The public registry entry of one certification: who, which number, the status today and on a date asked about,
// the dates and specializations. Built from the certificate's facts, which hold nothing private.
import type { Db } from '../db/client.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { certificationIdByNumber, getCertificateData, type CertificateData } from '../certification/certificate-data.ts';
import { certificationStatusOn, statusHistory } from '../certification/certification-status.ts';
import { certificationCycles } from '../certification/certification.schema.ts';
import { asc, eq } from 'drizzle-orm';
import { CERTIFICATION_NUMBER } from '../certification/issue-certification.ts';
import type { CertificationStatus } from '../certification/vocabulary.ts';

export interface RegistryEntry {
  number: string;
  fullName: string;
  today: string;
  /** Null only before the first issue date. */
  statusToday: CertificationStatus | null;
  firstIssuedOn: string;
  /** The most recent term, with its last day. */
  issuedOn: string;
  validThrough: string;
  specializations: CertificateData['specializations'];
  /** The answer to "was it active on this date?", when a date was asked about. */
  asOf: { date: string; status: CertificationStatus | null } | null;
  /** Public history: each status from its date, and each term with its last day (no reasons: they may be private). */
  history: { statuses: Array<{ status: CertificationStatus; from: string }>; terms: Array<{ issuedOn: string; validThrough: string; kind: string }> };
}

async function publicHistory(db: Db, certificationId: string): Promise<RegistryEntry['history']> {
  const statuses = (await statusHistory(db, certificationId)).map((s) => ({ status: s.status as CertificationStatus, from: s.effectiveOn }));
  const terms = await db
    .select({ issuedOn: certificationCycles.issuedOn, expiresOn: certificationCycles.expiresOn, kind: certificationCycles.kind })
    .from(certificationCycles)
    .where(eq(certificationCycles.certificationId, certificationId))
    .orderBy(asc(certificationCycles.issuedOn));
  return { statuses, terms: terms.map((t) => ({ issuedOn: t.issuedOn, validThrough: addDays(t.expiresOn, -1), kind: t.kind })) };
}

/** The entry for a certification number, or a 404 (numbers are case-insensitive: pss-100001 is PSS-100001). */
export async function registryEntry(db: Db, number: string, options: { today?: string; asOf?: string } = {}): Promise<RegistryEntry> {
  const canonical = number.trim().toUpperCase();
  const id = CERTIFICATION_NUMBER.test(canonical) ? await certificationIdByNumber(db, canonical) : undefined;
  if (!id) throw new AppError('not-found', `No certification ${canonical.slice(0, 40)} is on the registry.`);
  const data = await getCertificateData(db, id, options.today ?? todayInCalifornia());
  return {
    number: data.number,
    fullName: data.fullName,
    today: data.asOf,
    statusToday: data.status,
    firstIssuedOn: data.firstIssuedOn,
    issuedOn: data.issuedOn,
    validThrough: data.validThrough,
    specializations: data.specializations,
    asOf: options.asOf ? { date: options.asOf, status: await certificationStatusOn(db, id, options.asOf) } : null,
    history: await publicHistory(db, id),
  };
}
