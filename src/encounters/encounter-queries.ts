// Reading documented services: one encounter with its members, failures and flags; lists with filters for the
// caseload views (a peer's own services, a supervisor's supervisees), the organization and county views, and the
// CSV export. Lists read only what the actor's scope allows; every read is audited (encounters name members).
import { stringify } from 'csv-stringify/sync';
import { and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { todayOf, type UseCaseContext } from '../access/context.ts';
import { auditRead } from '../audit/audit-reads.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import { certifications, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { IsoDate } from '../lib/dates.ts';
import { parseInput } from '../lib/parse-input.ts';
import { organizationsInScope, ownPeerId } from '../organizations/organization-access.ts';
import { providerOrganizations, supervisionAssignments } from '../organizations/organizations.schema.ts';
import { coversOn } from '../organizations/periods.ts';
import { reachEncounter } from './document-encounter.ts';
import { encounterFlags, encounterParticipants, encounters } from './encounters.schema.ts';
import { COMPONENTS } from './encounters.types.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const EncounterFilter = z.object({
  organizationId: z.preprocess(blank, z.string().uuid().optional()),
  countyFips: z.preprocess(blank, z.string().regex(/^06\d{3}$/).optional()),
  peerNumber: z.preprocess(blank, z.string().trim().toUpperCase().optional()),
  /** draft, billable, flagged (an open retro-check flag) or failing (validation failures). */
  state: z.preprocess(blank, z.enum(['draft', 'billable', 'flagged', 'failing']).optional()),
  component: z.preprocess(blank, z.enum(COMPONENTS).optional()),
  deliverySystem: z.preprocess(blank, z.enum(['SMHS', 'DMC', 'DMC_ODS']).optional()),
  from: z.preprocess(blank, IsoDate.optional()),
  to: z.preprocess(blank, IsoDate.optional()),
  /** mine: a peer's own services, or a supervisor's supervisees' (by assignment on the date of service). */
  caseload: z.preprocess(blank, z.enum(['mine']).optional()),
  page: z.preprocess((v) => (blank(v) === undefined ? 1 : Number(v)), z.number().int().min(1).max(10_000)),
});
export type EncounterFilter = z.infer<typeof EncounterFilter>;

export const PAGE_SIZE = 50;
const EXPORT_LIMIT = 50_000;

const openFlags = sql<number>`(select count(*)::int from ${encounterFlags} f where f.encounter_id = ${encounters.id} and not f.resolved)`;

/** The condition for the actor's reach and the filter, or null when the actor reaches nothing. */
async function listCondition(db: Db, filter: EncounterFilter, context: UseCaseContext): Promise<SQL | undefined | null> {
  const scope = await organizationsInScope(db, 'encounters.read', context, { peerWork: false });
  const myPeer = await ownPeerId(db, context);
  const reach: SQL | undefined = scope === 'all' ? undefined : or(scope.length > 0 ? inArray(encounters.organizationId, scope) : undefined, myPeer ? eq(encounters.peerId, myPeer) : undefined);
  if (scope !== 'all' && scope.length === 0 && !myPeer) return null;
  const me = context.actor.kind === 'user' ? context.actor.userId : null;
  const caseload =
    filter.caseload === 'mine'
      ? or(
          myPeer ? eq(encounters.peerId, myPeer) : undefined,
          me ? sql`exists (select 1 from ${supervisionAssignments} where ${supervisionAssignments.peerId} = ${encounters.peerId} and ${supervisionAssignments.organizationId} = ${encounters.organizationId} and ${supervisionAssignments.supervisorUserId} = ${me} and ${coversOn(supervisionAssignments, encounters.serviceDate)})` : undefined,
        ) ?? sql`false`
      : undefined;
  const state =
    filter.state === 'flagged' ? sql`${openFlags} > 0` : filter.state === 'failing' ? sql`jsonb_array_length(${encounters.failures}) > 0` : filter.state ? eq(encounters.status, filter.state) : undefined;
  return and(
    reach ?? sql`true`,
    caseload,
    state,
    filter.organizationId ? eq(encounters.organizationId, filter.organizationId) : undefined,
    filter.countyFips ? eq(providerOrganizations.countyFips, filter.countyFips) : undefined,
    filter.peerNumber ? eq(certifications.number, filter.peerNumber) : undefined,
    filter.component ? eq(encounters.component, filter.component) : undefined,
    filter.deliverySystem ? eq(encounters.deliverySystem, filter.deliverySystem) : undefined,
    filter.from ? gte(encounters.serviceDate, filter.from) : undefined,
    filter.to ? lte(encounters.serviceDate, filter.to) : undefined,
  );
}

function listQuery(db: Db, where: SQL | undefined) {
  return db
    .select({
      id: encounters.id,
      serviceDate: encounters.serviceDate,
      startTime: encounters.startTime,
      endTime: encounters.endTime,
      minutes: encounters.minutes,
      component: encounters.component,
      deliverySystem: encounters.deliverySystem,
      modality: encounters.modality,
      placeOfService: encounters.placeOfService,
      status: encounters.status,
      failures: encounters.failures,
      openFlags,
      peerNumber: certifications.number,
      peerName: sql<string>`${peers.legalFirstName} || ' ' || ${peers.legalLastName}`,
      organizationId: encounters.organizationId,
      organizationName: providerOrganizations.name,
      countyFips: providerOrganizations.countyFips,
      participantCount: sql<number>`(select count(*)::int from ${encounterParticipants} p where p.encounter_id = ${encounters.id})`,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(encounters)
    .innerJoin(providerOrganizations, eq(providerOrganizations.id, encounters.organizationId))
    .innerJoin(peers, eq(peers.id, encounters.peerId))
    .innerJoin(certifications, eq(certifications.peerId, peers.id))
    .where(where);
}

export type EncounterListItem = Omit<Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number], 'total'>;

export async function listEncounters(db: Db, input: unknown, context: UseCaseContext): Promise<{ rows: EncounterListItem[]; total: number; page: number; pageSize: number }> {
  const filter = parseInput(EncounterFilter, input, 'Check the filters.');
  const where = await listCondition(db, filter, context);
  if (where === null) return { rows: [], total: 0, page: filter.page, pageSize: PAGE_SIZE };
  const rows = await listQuery(db, where)
    .orderBy(desc(encounters.serviceDate), asc(encounters.startTime), asc(encounters.id))
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE);
  await auditRead(db, context, { action: 'encounter.read', entityType: 'encounter', ids: rows.map((r) => r.id), how: 'list' });
  return { rows: rows.map(({ total: _total, ...r }) => r), total: rows[0]?.total ?? 0, page: filter.page, pageSize: PAGE_SIZE };
}

/** The services matching the filter as CSV (no member is named in it: the id leads back to the record). */
export async function exportEncountersCsv(db: Db, input: unknown, context: UseCaseContext): Promise<string> {
  const filter = parseInput(EncounterFilter, input, 'Check the filters.');
  const where = await listCondition(db, filter, context);
  const rows = where === null ? [] : await listQuery(db, where).orderBy(asc(encounters.serviceDate), asc(encounters.startTime), asc(encounters.id)).limit(EXPORT_LIMIT);
  await auditRead(db, context, { action: 'encounter.read', entityType: 'encounter', ids: rows.map((r) => r.id), how: 'csv export' });
  return stringify(
    rows.map((r) => [r.id, r.serviceDate, r.startTime?.slice(0, 5) ?? '', r.endTime?.slice(0, 5) ?? '', r.minutes, r.component, r.deliverySystem, r.modality, r.placeOfService, r.status, r.failures.map((f) => f.code).join(' '), r.openFlags, r.peerNumber, r.organizationName, r.countyFips, r.participantCount]),
    { header: true, columns: ['encounter_id', 'service_date', 'start_time', 'end_time', 'minutes', 'component', 'delivery_system', 'modality', 'place_of_service', 'status', 'failures', 'open_flags', 'peer_number', 'organization', 'county_fips', 'participants'] },
  );
}

/** One encounter with its members (names), failures and open flags; audited as a read. */
export async function getEncounter(db: Db, encounterId: string, context: UseCaseContext) {
  const { row, reach } = await reachEncounter(db, encounterId, 'encounters.read', context);
  const [participants, flags, [peer]] = await Promise.all([
    db
      .select({ id: beneficiaries.id, firstName: beneficiaries.firstName, lastName: beneficiaries.lastName })
      .from(encounterParticipants)
      .innerJoin(beneficiaries, eq(beneficiaries.id, encounterParticipants.beneficiaryId))
      .where(eq(encounterParticipants.encounterId, row.id))
      .orderBy(asc(beneficiaries.lastName)),
    db.select().from(encounterFlags).where(eq(encounterFlags.encounterId, row.id)).orderBy(desc(encounterFlags.raisedAt)),
    db.select({ number: certifications.number, firstName: peers.legalFirstName, lastName: peers.legalLastName, userId: peers.userId }).from(peers).innerJoin(certifications, eq(certifications.peerId, peers.id)).where(eq(peers.id, row.peerId)),
  ]);
  await auditRead(db, context, { action: 'encounter.read', entityType: 'encounter', ids: [row.id], how: 'record' });
  return { encounter: row, organization: reach.org, participants, flags, peer: peer!, today: todayOf(context) };
}
