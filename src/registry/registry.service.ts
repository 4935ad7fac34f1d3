// The public registry entry of one certification: who, which number, the status today and on a date asked about,
// the dates and specializations. Built from the same public facts a certificate shows, which hold nothing private.
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { fullLegalName, type CertificateData } from '../certification/certificate-data.ts';
import { statusOnSql } from '../certification/certification-status.ts';
import { certificationCycles, certifications, certificationStatusChanges, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { creditedSpecializationsSql } from '../training/training-credit.ts';
import { eq, sql } from 'drizzle-orm';
import { publicActionsSql, type PublicAction } from '../enforcement/public-actions.ts';
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
  /** Final disciplinary actions the registry discloses (kind, dates, public summary), oldest first. */
  publicActions: PublicAction[];
  /** Public history: each status from its date, and each term with its last day (no reasons: they may be private). A change
   *  reversed on appeal, and the change that reversed it, are left out: the dates follow what stands. */
  history: { statuses: Array<{ status: CertificationStatus; from: string }>; terms: Array<{ issuedOn: string; validThrough: string; kind: string }> };
}

/**
 * The entry's one statement, prepared once per database handle: the status rule, the history and the
 * specializations are subqueries, so a lookup is one round trip, and PostgreSQL keeps its plan (docs/PERFORMANCE.md).
 * Only the columns the registry shows are read, so nothing private can reach it by accident.
 */
function prepareEntry(db: Db) {
  const today = sql`${sql.placeholder('today')}::date`;
  const asOf = sql`${sql.placeholder('asOf')}::date`;
  const c = certifications;
  return db
    .select({
      number: c.number,
      first: peers.legalFirstName,
      middle: peers.legalMiddleName,
      last: peers.legalLastName,
      firstIssuedOn: sql<string>`${c.firstIssuedOn}::text`,
      issuedOn: sql<string>`${c.issuedOn}::text`,
      expiresOn: sql<string>`${c.expiresOn}::text`,
      statusToday: statusOnSql(c.id, today),
      statusAsOf: statusOnSql(c.id, asOf),
      statuses: sql<Array<{ status: CertificationStatus; from: string }>>`(
        select coalesce(json_agg(json_build_object('status', s.status, 'from', s.effective_on) order by s.effective_on, s.recorded_at), '[]'::json)
        from ${certificationStatusChanges} s
        where s.certification_id = ${c.id} and s.reverses_change_id is null
          and not exists (select 1 from ${certificationStatusChanges} r where r.reverses_change_id = s.id))`,
      terms: sql<Array<{ issuedOn: string; expiresOn: string; kind: string }>>`(
        select coalesce(json_agg(json_build_object('issuedOn', y.issued_on, 'expiresOn', y.expires_on, 'kind', y.kind) order by y.issued_on), '[]'::json)
        from ${certificationCycles} y where y.certification_id = ${c.id})`,
      specializations: creditedSpecializationsSql(peers.id),
      publicActions: publicActionsSql(c.id, today),
    })
    .from(c)
    .innerJoin(peers, eq(peers.id, c.peerId))
    .where(eq(c.number, sql.placeholder('number')))
    .prepare('registry_entry');
}

const preparedEntries = new WeakMap<Db, ReturnType<typeof prepareEntry>>();

/** The entry for a certification number, or a 404 (numbers are case-insensitive: pss-100001 is PSS-100001). */
export async function registryEntry(db: Db, number: string, options: { today?: string; asOf?: string } = {}): Promise<RegistryEntry> {
  const canonical = number.trim().toUpperCase();
  if (!CERTIFICATION_NUMBER.test(canonical)) throw notOnRegistry(canonical);
  const today = options.today ?? todayInCalifornia();
  let statement = preparedEntries.get(db);
  if (!statement) preparedEntries.set(db, (statement = prepareEntry(db)));
  const [row] = await statement.execute({ number: canonical, today, asOf: options.asOf ?? null });
  if (!row) throw notOnRegistry(canonical);
  return {
    number: row.number,
    fullName: fullLegalName({ first: row.first, middle: row.middle, last: row.last }),
    today,
    statusToday: row.statusToday,
    firstIssuedOn: row.firstIssuedOn,
    issuedOn: row.issuedOn,
    validThrough: addDays(row.expiresOn, -1),
    specializations: row.specializations,
    asOf: options.asOf ? { date: options.asOf, status: row.statusAsOf } : null,
    publicActions: row.publicActions,
    history: {
      statuses: row.statuses,
      terms: row.terms.map((t) => ({ issuedOn: t.issuedOn, validThrough: addDays(t.expiresOn, -1), kind: t.kind })),
    },
  };
}

const notOnRegistry = (number: string) => new AppError('not-found', `No certification ${number.slice(0, 40)} is on the registry.`);
