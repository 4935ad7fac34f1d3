// Read-only questions the staff workbench asks beyond the review use cases: finding a certification, one
// certification in full, and the exam results files posted so far.
import { asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { applications, certificationCycles, certifications, certificationStatusChanges, examImports, peers } from './certification.schema.ts';
import { certificationStatusOn, statusHistory } from './certification-status.ts';
import type { ExamImportRejection } from './exam-import.ts';
import type { CertificationStatus } from './vocabulary.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// `certifications.read` also lets a peer read their own record; an empty resource asks for the statewide grant,
// so only certifying and enforcement staff may look at anyone's.
const ANYONES = {};

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface CertificationSearchRow {
  id: string;
  number: string;
  name: string;
  status: CertificationStatus | null;
  firstIssuedOn: string;
  issuedOn: string;
  expiresOn: string;
}

/** Certifications whose number or legal name contains `q` (all when empty), by number, at most 100, with the status today. */
export async function searchCertifications(db: Db, input: { q?: string | undefined }, context: UseCaseContext): Promise<{ rows: CertificationSearchRow[]; limited: boolean }> {
  requireCan(context, 'certifications.read', 'search certifications', ANYONES);
  const today = todayOf(context);
  const term = (input.q ?? '').trim().replace(/\s+/g, ' ');
  const fullName = sql`${peers.legalFirstName} || ' ' || coalesce(${peers.legalMiddleName} || ' ', '') || ${peers.legalLastName}`;
  const shortName = sql`${peers.legalFirstName} || ' ' || ${peers.legalLastName}`;
  const limit = 100;
  const rows = await db
    .select({
      id: certifications.id,
      number: certifications.number,
      name: sql<string>`trim(${shortName})`,
      firstIssuedOn: certifications.firstIssuedOn,
      issuedOn: certifications.issuedOn,
      expiresOn: certifications.expiresOn,
      // The same answer as certificationStatusOn(), for every row in one query: the recorded status in force today,
      // and expired when it says active but no term covers today.
      recorded: sql<string | null>`(select s.status from ${certificationStatusChanges} s where s.certification_id = ${certifications.id} and s.effective_on <= ${today} order by s.effective_on desc, s.recorded_at desc limit 1)`,
      covered: sql<boolean>`exists (select 1 from ${certificationCycles} y where y.certification_id = ${certifications.id} and y.issued_on <= ${today} and y.expires_on > ${today})`,
    })
    .from(certifications)
    .innerJoin(peers, eq(peers.id, certifications.peerId))
    .where(term === '' ? undefined : or(ilike(certifications.number, likePattern(term)), ilike(fullName, likePattern(term)), ilike(shortName, likePattern(term))))
    .orderBy(asc(certifications.number))
    .limit(limit + 1);
  return {
    limited: rows.length > limit,
    rows: rows.slice(0, limit).map(({ recorded, covered, ...r }) => ({
      ...r,
      status: recorded === 'active' && !covered ? 'expired' : ((recorded as CertificationStatus | null) ?? null),
    })),
  };
}

/** One certification for staff: the status today, its terms, the effective-dated history and the holder's applications. */
export async function certificationDetail(db: Db, id: string, context: UseCaseContext) {
  requireCan(context, 'certifications.read', 'see certifications', ANYONES);
  if (!UUID.test(id)) throw new AppError('not-found', 'No such certification.');
  const [row] = await db.select({ certification: certifications, peer: peers }).from(certifications).innerJoin(peers, eq(peers.id, certifications.peerId)).where(eq(certifications.id, id));
  if (!row) throw new AppError('not-found', 'No such certification.');
  const today = todayOf(context);
  const { certification, peer } = row;
  return {
    certification,
    holder: { legalFirstName: peer.legalFirstName, legalMiddleName: peer.legalMiddleName, legalLastName: peer.legalLastName, email: peer.email },
    today,
    statusToday: await certificationStatusOn(db, certification.id, today),
    cycles: await db.select().from(certificationCycles).where(eq(certificationCycles.certificationId, certification.id)).orderBy(asc(certificationCycles.issuedOn)),
    history: await statusHistory(db, certification.id),
    applications: await db
      .select({ id: applications.id, number: applications.number, pathway: applications.pathway, status: applications.status, submittedAt: applications.submittedAt })
      .from(applications)
      .where(eq(applications.peerId, peer.id))
      .orderBy(desc(applications.createdAt)),
  };
}

/** A certification's number, for links to it (null when there is no such certification). */
export async function certificationNumberOf(db: Db, id: string, context: UseCaseContext): Promise<string | null> {
  requireCan(context, 'certifications.read', 'see certifications', ANYONES);
  if (!UUID.test(id)) return null;
  const [row] = await db.select({ number: certifications.number }).from(certifications).where(eq(certifications.id, id));
  return row?.number ?? null;
}

export interface ExamImportSummary {
  id: string;
  filename: string;
  rowCount: number;
  recorded: number;
  rejections: ExamImportRejection[];
  importedAt: Date;
}

/** The exam results files posted, newest first. */
export async function recentExamImports(db: Db, context: UseCaseContext, limit = 20): Promise<ExamImportSummary[]> {
  requireCan(context, 'exams.record', 'see exam result imports');
  const rows = await db.select().from(examImports).orderBy(desc(examImports.importedAt)).limit(limit);
  return rows.map((r) => ({ id: r.id, filename: r.filename, rowCount: r.rowCount, recorded: r.recorded, rejections: r.rejections as ExamImportRejection[], importedAt: r.importedAt }));
}

/** One posted results file with its rejections, or undefined. */
export async function examImportResult(db: Db, id: string, context: UseCaseContext): Promise<ExamImportSummary | undefined> {
  requireCan(context, 'exams.record', 'see exam result imports');
  if (!UUID.test(id)) return undefined;
  const [r] = await db.select().from(examImports).where(eq(examImports.id, id));
  return r && { id: r.id, filename: r.filename, rowCount: r.rowCount, recorded: r.recorded, rejections: r.rejections as ExamImportRejection[], importedAt: r.importedAt };
}
