// Reading cases: the dashboard (open cases with their clocks, due and overdue first, and timeliness per clock), one
// case's whole file (every read audited), an evidence file (audited), and what a person may appeal. The public
// actions the registry discloses are in public-actions.ts.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { actorUserId, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { users } from '../accounts/accounts.schema.ts';
import { applications, certifications, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { addDays } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { memberProviderIds } from '../training/provider-access.ts';
import { trainingProviders } from '../training/training.schema.ts';
import { auditCase, caseNotFound, type CaseRow } from './case-record.ts';
import { decisionDueOn, readClock, type ClockReading } from './clocks.ts';
import { caseContacts, caseEvidence, caseNotes, caseOutcomes, enforcementCases } from './enforcement.schema.ts';
import { PEER_APPEALABLE, PROVIDER_APPEALABLE, PROVIDER_DECISIONS } from './enforcement.vocabulary.ts';

export const CASE_VIEWS = ['attention', 'open', 'mine', 'decided', 'all'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

export interface CaseListing {
  id: string;
  number: string;
  type: string;
  kind: string;
  status: string;
  priority: string;
  receivedOn: string;
  subject: string | null;
  assignee: string | null;
  flags: number;
  acknowledgement: ClockReading;
  decision: ClockReading;
}

/** Within this many days a clock counts as needing attention on the dashboard. */
const SOON_DAYS = 14;

const clocksOf = (c: Pick<CaseRow, 'acknowledgeBy' | 'acknowledgedOn' | 'decideBy' | 'extendedTo' | 'decidedOn'>, today: string) => ({
  acknowledgement: readClock(c.acknowledgeBy, c.acknowledgedOn, today),
  decision: readClock(decisionDueOn(c), c.decidedOn, today),
});

/** What identifies a case in a list or an answer: number, type, state, priority, receipt. */
export function caseHeadline(c: CaseRow) {
  return { id: c.id, number: c.number, type: c.type, kind: c.kind, status: c.status, priority: c.priority, receivedOn: c.receivedOn };
}

/** Cases a page of the dashboard lists; the next page starts after them. */
export const CASES_PER_PAGE = 100;

/**
 * SQL for "needs attention" — an open case whose acknowledgement or decision is overdue or due within two weeks —
 * the rule `readClock` applies row by row, so the dashboard can filter and page in the database.
 */
function needsAttentionSql(today: string) {
  const soon = addDays(today, SOON_DAYS);
  return and(
    eq(enforcementCases.status, 'open'),
    sql`((${enforcementCases.acknowledgedOn} is null and ${enforcementCases.acknowledgeBy} <= ${soon})
         or coalesce(${enforcementCases.extendedTo}, ${enforcementCases.decideBy}) <= ${soon})`,
  );
}

export interface CasePage {
  cases: CaseListing[];
  page: number;
  hasMore: boolean;
}

export async function listCases(db: Db, view: CaseView, context: UseCaseContext, page = 1): Promise<CasePage> {
  requireCan(context, 'enforcement.cases.read', 'see enforcement cases');
  const today = todayOf(context);
  const where =
    view === 'attention'
      ? needsAttentionSql(today)
      : view === 'decided'
      ? eq(enforcementCases.status, 'decided')
      : view === 'all'
        ? undefined
        : view === 'mine'
          ? and(eq(enforcementCases.status, 'open'), eq(enforcementCases.assignedTo, actorUserId(context.actor) ?? '00000000-0000-0000-0000-000000000000'))
          : eq(enforcementCases.status, 'open');
  const rows = await db
    .select({ c: enforcementCases, certNumber: certifications.number, providerName: trainingProviders.name, assignee: users.displayName })
    .from(enforcementCases)
    .leftJoin(certifications, eq(certifications.id, enforcementCases.subjectCertificationId))
    .leftJoin(trainingProviders, eq(trainingProviders.id, enforcementCases.subjectProviderId))
    .leftJoin(users, eq(users.id, enforcementCases.assignedTo))
    .where(where)
    .orderBy(view === 'decided' || view === 'all' ? desc(enforcementCases.receivedOn) : asc(sql`coalesce(${enforcementCases.extendedTo}, ${enforcementCases.decideBy})`), asc(enforcementCases.number))
    .limit(CASES_PER_PAGE + 1)
    .offset((Math.max(1, Math.floor(page)) - 1) * CASES_PER_PAGE);
  const listings = rows.map(({ c, certNumber, providerName, assignee }) => ({
    ...caseHeadline(c),
    subject: certNumber ?? providerName ?? c.subjectDescription,
    assignee,
    flags: c.flags.length,
    ...clocksOf(c, today),
  }));
  return { cases: listings.slice(0, CASES_PER_PAGE), page: Math.max(1, Math.floor(page)), hasMore: listings.length > CASES_PER_PAGE };
}

export interface Timeliness {
  clock: 'acknowledgement' | 'decision';
  met: number;
  late: number;
  due: number;
  overdue: number;
}

/** Timeliness per clock over every case received in [from, to] (PROGRAM.md §10.2). */
export async function timeliness(db: Db, context: UseCaseContext, range: { from?: string; to?: string } = {}): Promise<Timeliness[]> {
  requireCan(context, 'enforcement.cases.read', 'see enforcement reports');
  const today = todayOf(context);
  const rows = await db
    .select({ acknowledgeBy: enforcementCases.acknowledgeBy, acknowledgedOn: enforcementCases.acknowledgedOn, decideBy: enforcementCases.decideBy, extendedTo: enforcementCases.extendedTo, decidedOn: enforcementCases.decidedOn })
    .from(enforcementCases)
    .where(and(range.from ? sql`${enforcementCases.receivedOn} >= ${range.from}` : undefined, range.to ? sql`${enforcementCases.receivedOn} <= ${range.to}` : undefined, sql`${enforcementCases.status} <> 'withdrawn'`));
  const tally = (clock: Timeliness['clock']): Timeliness => {
    const t: Timeliness = { clock, met: 0, late: 0, due: 0, overdue: 0 };
    for (const r of rows) t[clocksOf(r, today)[clock].state]++;
    return t;
  };
  return [tally('acknowledgement'), tally('decision')];
}

export interface CaseFile {
  case: CaseRow;
  acknowledgement: ClockReading;
  decision: ClockReading;
  subject: { number: string | null; name: string | null; providerName: string | null };
  assignee: string | null;
  notes: Array<{ id: string; body: string; author: string | null; at: Date }>;
  evidence: Array<{ id: string; filename: string; contentType: string; sizeBytes: number; description: string | null; at: Date; byComplainant: boolean }>;
  contacts: Array<typeof caseContacts.$inferSelect>;
  outcome: (typeof caseOutcomes.$inferSelect) | null;
  /** For an appeal: the decision appealed, with its case number. */
  appealed: { kind: string; caseNumber: string; startsOn: string | null; endsOn: string | null } | null;
  /** Appeals filed against this case's outcome. */
  appeals: Array<{ id: string; number: string; status: string }>;
}

/** One case's whole file. Every read is audited: the case holds a complainant's identity and evidence. */
export async function getCaseFile(db: Db, caseId: string, context: UseCaseContext): Promise<CaseFile> {
  requireCan(context, 'enforcement.cases.read', 'see enforcement cases');
  const [c] = /^[0-9a-f-]{36}$/i.test(caseId) ? await db.select().from(enforcementCases).where(eq(enforcementCases.id, caseId)) : [];
  if (!c) throw caseNotFound();
  const today = todayOf(context);
  const [subjectRow] = c.subjectCertificationId
    ? await db
        .select({ number: certifications.number, first: peers.legalFirstName, last: peers.legalLastName })
        .from(certifications)
        .innerJoin(peers, eq(peers.id, certifications.peerId))
        .where(eq(certifications.id, c.subjectCertificationId))
    : [];
  const [provider] = c.subjectProviderId ? await db.select({ name: trainingProviders.name }).from(trainingProviders).where(eq(trainingProviders.id, c.subjectProviderId)) : [];
  const [assignee] = c.assignedTo ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, c.assignedTo)) : [];
  const notes = await db.select({ id: caseNotes.id, body: caseNotes.body, author: users.displayName, at: caseNotes.createdAt }).from(caseNotes).leftJoin(users, eq(users.id, caseNotes.authorId)).where(eq(caseNotes.caseId, c.id)).orderBy(asc(caseNotes.createdAt));
  const evidence = await db.select().from(caseEvidence).where(eq(caseEvidence.caseId, c.id)).orderBy(asc(caseEvidence.uploadedAt));
  const contacts = await db.select().from(caseContacts).where(eq(caseContacts.caseId, c.id)).orderBy(asc(caseContacts.addedAt));
  const [outcome] = await db.select().from(caseOutcomes).where(eq(caseOutcomes.caseId, c.id));
  const [appealed] = c.appealedOutcomeId
    ? await db.select({ kind: caseOutcomes.kind, caseNumber: enforcementCases.number, startsOn: caseOutcomes.startsOn, endsOn: caseOutcomes.endsOn }).from(caseOutcomes).innerJoin(enforcementCases, eq(enforcementCases.id, caseOutcomes.caseId)).where(eq(caseOutcomes.id, c.appealedOutcomeId))
    : [];
  const appeals = outcome ? await db.select({ id: enforcementCases.id, number: enforcementCases.number, status: enforcementCases.status }).from(enforcementCases).where(eq(enforcementCases.appealedOutcomeId, outcome.id)) : [];
  await db.transaction((tx) => auditCase(tx, context, 'enforcement.case.read', c));
  return {
    case: c,
    ...clocksOf(c, today),
    subject: { number: subjectRow?.number ?? null, name: subjectRow ? `${subjectRow.first} ${subjectRow.last}` : null, providerName: provider?.name ?? null },
    assignee: assignee?.name ?? null,
    notes,
    evidence: evidence.map((e) => ({ id: e.id, filename: e.filename, contentType: e.contentType, sizeBytes: e.sizeBytes, description: e.description, at: e.uploadedAt, byComplainant: e.uploadedBy === c.complainantUserId || e.uploadedBy === null })),
    contacts,
    outcome: outcome ?? null,
    appealed: appealed ?? (c.appealedApplicationId ? { kind: 'application_denial', caseNumber: '', startsOn: null, endsOn: null } : c.appealedDecision ? { kind: c.appealedDecision, caseNumber: '', startsOn: null, endsOn: null } : null),
    appeals,
  };
}

const UUID = /^[0-9a-f-]{36}$/i;

/** A case's type (complaint or appeal), for routing a decision form; a 404 when there is no such case. */
export async function caseTypeOf(db: Db, caseId: string): Promise<string> {
  const [row] = UUID.test(caseId) ? await db.select({ type: enforcementCases.type }).from(enforcementCases).where(eq(enforcementCases.id, caseId)) : [];
  if (!row) throw caseNotFound();
  return row.type;
}

/** The decision of a case, if it has one (what an appeal entered by staff appeals). */
export async function outcomeIdOf(db: Db, caseId: string): Promise<string | undefined> {
  const [row] = UUID.test(caseId) ? await db.select({ id: caseOutcomes.id }).from(caseOutcomes).where(eq(caseOutcomes.caseId, caseId)) : [];
  return row?.id;
}

/** An evidence file's bytes, for enforcement staff; the read is audited. */
export async function readEvidence(db: Db, storage: DocumentStorage, caseId: string, evidenceId: string, context: UseCaseContext) {
  requireCan(context, 'enforcement.cases.read', 'see evidence');
  const uuid = /^[0-9a-f-]{36}$/i;
  const [row] = uuid.test(caseId) && uuid.test(evidenceId) ? await db.select({ e: caseEvidence, number: enforcementCases.number }).from(caseEvidence).innerJoin(enforcementCases, eq(enforcementCases.id, caseEvidence.caseId)).where(and(eq(caseEvidence.id, evidenceId), eq(caseEvidence.caseId, caseId))) : [];
  if (!row) throw new AppError('not-found', 'There is no such evidence.');
  const bytes = await storage.get(row.e.storageKey);
  await db.transaction((tx) => auditCase(tx, context, 'enforcement.evidence.read', { number: row.number }, [{ field: 'evidence', before: null, after: row.e.id }]));
  return { filename: row.e.filename, contentType: row.e.contentType, bytes };
}

export interface Appealable {
  outcomeId?: string;
  applicationId?: string;
  /** A provider decision made outside the platform, described by the appellant: its kind and the provider. */
  decision?: { kind: string; providerId: string };
  kind: string;
  decidedOn: string;
  label: string;
}

/** What the signed-in person may appeal: outcomes about them or their provider not yet reversed, and denied applications. */
export async function appealableFor(db: Db, context: UseCaseContext): Promise<Appealable[]> {
  const userId = actorUserId(context.actor);
  if (!userId || context.actor.kind !== 'user') return [];
  const providerIds = await memberProviderIds(db, context.actor);
  const outcomes = await db
    .select({ id: caseOutcomes.id, kind: caseOutcomes.kind, decidedOn: caseOutcomes.decidedOn, number: enforcementCases.number })
    .from(caseOutcomes)
    .innerJoin(enforcementCases, eq(enforcementCases.id, caseOutcomes.caseId))
    .leftJoin(peers, eq(peers.id, caseOutcomes.subjectPeerId))
    .where(
      and(
        isNull(caseOutcomes.reversedByCaseId),
        sql`((${peers.userId} = ${userId} and ${inArray(caseOutcomes.kind, [...PEER_APPEALABLE])}) or (${providerIds.length > 0 ? inArray(caseOutcomes.subjectProviderId, providerIds) : sql`false`} and ${inArray(caseOutcomes.kind, [...PROVIDER_APPEALABLE])}))`,
      ),
    );
  const denied = await db
    .select({ id: applications.id, number: applications.number, decidedAt: applications.decidedAt, updatedAt: applications.updatedAt })
    .from(applications)
    .innerJoin(peers, eq(peers.id, applications.peerId))
    .where(and(eq(peers.userId, userId), eq(applications.status, 'denied')));
  const providers = providerIds.length > 0 ? await db.select({ id: trainingProviders.id, name: trainingProviders.name }).from(trainingProviders).where(inArray(trainingProviders.id, providerIds)) : [];
  return [
    ...outcomes.map((o) => ({ outcomeId: o.id, kind: o.kind, decidedOn: o.decidedOn, label: o.number })),
    ...denied.map((a) => ({ applicationId: a.id, kind: 'application_denial', decidedOn: (a.decidedAt ?? a.updatedAt).toISOString().slice(0, 10), label: String(a.number) })),
    ...providers.flatMap((p) => PROVIDER_DECISIONS.map((kind) => ({ decision: { kind, providerId: p.id }, kind, decidedOn: '', label: p.name }))),
  ];
}
