// Build a batch of claims from an organization's billable services in a period: one claim per member per date of
// service and delivery system, a line per service, charges = units × the rate in force (integer cents). Every
// edit is run as of the date of service at build time; a claim with any failing edit is held, not sent.
// Set-based, in chunks of whole days (a member's claim never straddles two): the facts of thousands of services
// come from one set of statements, and claims, lines and state changes are written as arrays, so a county's quarter
// builds in seconds. One transaction: a batch is built whole or not at all.
import { eq, sql } from 'drizzle-orm';
import { v7 as timeOrderedUuid } from 'uuid';
import { auditContext, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import { counties } from '../counties/counties.schema.ts';
import { arrayParam, queryRows, type Db } from '../db/client.ts';
import { rowToValidate } from '../encounters/document-encounter.ts';
import { gatherFactsForServices, newFactsMemo, type FactsMemo } from '../encounters/encounter-facts.ts';
import { validateEncounter } from '../encounters/encounter-rules.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { AppError } from '../lib/errors.ts';
import { isIsoDate } from '../lib/dates.ts';
import { reachOrganization, type OrganizationRow } from '../organizations/organization-access.ts';
import type { ProgramRules } from '../rules/rule-definitions.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { claimEdits, type ClaimRules, type LineForEdits } from './claim-edits.ts';
import { recordClaimStates } from './claim-status.ts';
import { claimBatches } from './claims.schema.ts';
import { rateTableOf, type RateAnswer, type RateKey } from './fee-schedule.ts';
import { unitsFor } from './units.ts';

/** Claims in these states hold their services: a new build leaves those services out. */
const CLAIMED = arrayParam(['ready', 'held', 'submitted', 'accepted', 'paid', 'partly_paid'], 'text');

/** About this many services are judged and written at a time. */
const CHUNK_SERVICES = 5000;

export interface BuildInput {
  organizationId: string;
  from: string;
  to: string;
}

type EncounterRow = typeof encounters.$inferSelect;

/** What a line is made from: a service, one of its members, and the facts of its date. */
export interface ServiceForClaim {
  service: EncounterRow;
  memberIds: readonly string[];
}

export interface PendingClaim {
  memberId: string;
  serviceDate: string;
  deliverySystem: string;
  placeOfService: string;
  lines: LineForEdits[];
}

/** The claims (one per member, date and delivery system) that a set of services makes, with every line's facts. */
export async function claimsForServices(
  db: Db,
  eligibility: EligibilityChecker,
  org: OrganizationRow,
  items: readonly ServiceForClaim[],
  tools: { buildDate: string; rulesOn: (date: string) => Promise<ProgramRules>; rateOn: (key: RateKey, date: string) => RateAnswer; memo: FactsMemo },
): Promise<PendingClaim[]> {
  if (items.length === 0) return [];
  const ids = items.map((i) => i.service.id);
  const facts = await gatherFactsForServices(
    db,
    eligibility,
    org,
    items.map(({ service: s, memberIds }) => ({ peerId: s.peerId, serviceDate: s.serviceDate, startTime: s.startTime?.slice(0, 5) ?? null, endTime: s.endTime?.slice(0, 5) ?? null, deliverySystem: s.deliverySystem, participantIds: memberIds, encounterId: s.id })),
    tools.buildDate,
    tools.memo,
  );
  const flags = await queryRows<{ encounter_id: string; n: number }>(db, sql`select encounter_id, count(*)::int as n from encounter_flags where resolved = false and encounter_id = any(${arrayParam(ids, 'uuid')}) group by encounter_id`);
  const openFlags = new Map(flags.map((f) => [f.encounter_id, f.n]));
  const pending = new Map<string, PendingClaim>();
  for (const [k, { service, memberIds }] of items.entries()) {
    const fact = facts[k]!;
    const rules = await tools.rulesOn(service.serviceDate);
    const procedure = rules['claims.procedure_codes'][service.component as 'engagement'];
    const units = unitsFor(service.minutes, procedure.unitMinutes, rules['claims.unit_rounding']);
    const modifiers = procedure.modifiers.join(':');
    const rate = tools.rateOn({ deliverySystem: service.deliverySystem, procedureCode: procedure.code, modifiers }, service.serviceDate);
    const failures = validateEncounter(rowToValidate(service), fact);
    for (const memberId of memberIds) {
      const key = `${memberId}|${service.serviceDate}|${service.deliverySystem}`;
      const claim = pending.get(key) ?? { memberId, serviceDate: service.serviceDate, deliverySystem: service.deliverySystem, placeOfService: service.placeOfService, lines: [] };
      pending.set(key, claim);
      claim.lines.push({
        lineNumber: claim.lines.length + 1,
        encounterId: service.id,
        procedureCode: procedure.code,
        modifiers,
        units,
        rateCents: rate?.rateCents ?? null,
        startTime: service.startTime?.slice(0, 5) ?? null,
        renderingNpi: fact.rendering?.npi ?? null,
        taxonomy: fact.rendering?.taxonomy ?? null,
        diagnosisCode: service.diagnosisCode,
        // A member's own eligibility is judged on their own claim, not on the group's.
        serviceFailures: failures.filter((f) => f.code !== 'member.not_eligible' || fact.participants.some((p) => p.id === memberId && !p.eligible)),
        openFlags: openFlags.get(service.id) ?? 0,
      });
    }
  }
  return [...pending.values()];
}

/** Tools for building: rules per date and the county plan's fee schedule, each read once. */
export async function buildTools(db: Db, org: OrganizationRow, buildDate: string) {
  const [county] = await db.select({ planCode: counties.planCode }).from(counties).where(eq(counties.fips, org.countyFips));
  const rateOn = county ? await rateTableOf(db, county.planCode) : () => null;
  const memo = newFactsMemo();
  const rulesOn = async (date: string) => {
    if (!memo.rules.has(date)) memo.rules.set(date, await rulesAsOf(db, date));
    return memo.rules.get(date)!;
  };
  // The claim-level limits are those in force on the day of the build.
  const today = await rulesOn(buildDate);
  const limits: ClaimRules = { buildDate, maxUnitsPerMemberDay: today['claims.max_units_per_member_day'], timelyFilingDays: today['claims.timely_filing_days'] };
  return { buildDate, rateOn, rulesOn, memo, limits };
}

export interface ClaimToWrite extends PendingClaim {
  frequency?: '1' | '7' | '8';
  replacesClaimId?: string | null;
  payerControlNumber?: string | null;
  /** False for a void: it takes back what was sent and is not judged again. */
  judged?: boolean;
}

/** Edits run, numbers drawn, and the claims, their lines and their first state written — as arrays, not row by row. */
export async function writeClaims(tx: Db, batchId: string, org: OrganizationRow, pending: readonly ClaimToWrite[], limits: ClaimRules, reason: (held: boolean, edits: number) => string, context: UseCaseContext) {
  if (pending.length === 0) return { ready: 0, held: 0, claimIds: [] as string[] };
  const members = new Map(
    (await queryRows<{ id: string; street: string | null; city: string | null; zip: string | null }>(tx, sql`select id, street, city, zip from beneficiaries where id = any(${arrayParam([...new Set(pending.map((p) => p.memberId))], 'uuid')})`)).map((m) => [m.id, m]),
  );
  const numbers = await queryRows<{ n: string }>(tx, sql`select nextval('claim_number_seq')::text as n from generate_series(1, ${pending.length})`);
  const claimRows: Array<{ id: string; controlNumber: string; edits: number; editsJson: string; total: number; p: ClaimToWrite }> = [];
  const lineRows: Array<{ id: string; claimId: string; encounterId: string; lineNumber: number; procedureCode: string; modifiers: string; units: number; rateCents: number; chargeCents: number; controlNumber: string; renderingNpi: string | null }> = [];
  pending.forEach((p, i) => {
    const member = members.get(p.memberId)!;
    const edits = p.judged === false ? [] : claimEdits({ serviceDate: p.serviceDate, billingNpi: org.npi, memberAddress: { street: member.street, city: member.city, zip: member.zip }, lines: p.lines }, limits);
    // Time-ordered ids: a batch's claims and lines follow one another in the key's index as they do on disk, so
    // a whole batch moved, paid or looked up touches its pages in order rather than at random.
    const id = timeOrderedUuid();
    const controlNumber = `C${numbers[i]!.n}`;
    let total = 0;
    for (const l of p.lines) {
      const chargeCents = l.units * (l.rateCents ?? 0);
      total += chargeCents;
      lineRows.push({ id: timeOrderedUuid(), claimId: id, encounterId: l.encounterId, lineNumber: l.lineNumber, procedureCode: l.procedureCode, modifiers: l.modifiers, units: l.units, rateCents: l.rateCents ?? 0, chargeCents, controlNumber: `${controlNumber}-${l.lineNumber}`, renderingNpi: l.renderingNpi });
    }
    claimRows.push({ id, controlNumber, edits: edits.length, editsJson: JSON.stringify(edits), total, p });
  });
  const col = <T,>(rows: readonly T[], pick: (r: T) => unknown, type: string) => arrayParam(rows.map(pick), type);
  await tx.execute(sql`
    insert into claims (id, batch_id, organization_id, beneficiary_id, service_date, delivery_system, control_number, frequency, replaces_claim_id, payer_control_number, state, place_of_service, total_cents, edits)
    select id, ${batchId}::uuid, ${org.id}::uuid, member, d, ds, cn, f, rep, pcn, st, pos, total, edits
    from unnest(${col(claimRows, (r) => r.id, 'uuid')}, ${col(claimRows, (r) => r.p.memberId, 'uuid')}, ${col(claimRows, (r) => r.p.serviceDate, 'date')}, ${col(claimRows, (r) => r.p.deliverySystem, 'text')},
                ${col(claimRows, (r) => r.controlNumber, 'text')}, ${col(claimRows, (r) => r.p.frequency ?? '1', 'text')}, ${col(claimRows, (r) => r.p.replacesClaimId ?? null, 'uuid')}, ${col(claimRows, (r) => r.p.payerControlNumber ?? null, 'text')},
                ${col(claimRows, (r) => (r.edits > 0 ? 'held' : 'ready'), 'text')}, ${col(claimRows, (r) => r.p.placeOfService, 'text')}, ${col(claimRows, (r) => r.total, 'int')}, ${col(claimRows, (r) => r.editsJson, 'jsonb')})
      as t(id, member, d, ds, cn, f, rep, pcn, st, pos, total, edits)`);
  await tx.execute(sql`
    insert into claim_lines (id, claim_id, encounter_id, line_number, procedure_code, modifiers, units, rate_cents, charge_cents, control_number, rendering_npi)
    select * from unnest(${col(lineRows, (r) => r.id, 'uuid')}, ${col(lineRows, (r) => r.claimId, 'uuid')}, ${col(lineRows, (r) => r.encounterId, 'uuid')}, ${col(lineRows, (r) => r.lineNumber, 'int')}, ${col(lineRows, (r) => r.procedureCode, 'text')},
                         ${col(lineRows, (r) => r.modifiers, 'text')}, ${col(lineRows, (r) => r.units, 'int')}, ${col(lineRows, (r) => r.rateCents, 'int')}, ${col(lineRows, (r) => r.chargeCents, 'int')},
                         ${col(lineRows, (r) => r.controlNumber, 'text')}, ${col(lineRows, (r) => r.renderingNpi, 'text')})`);
  await recordClaimStates(tx, claimRows.map((r) => ({ id: r.id, controlNumber: r.controlNumber, from: 'new' as const, to: r.edits > 0 ? ('held' as const) : ('ready' as const), reason: reason(r.edits > 0, r.edits) })), context);
  const held = claimRows.filter((r) => r.edits > 0).length;
  return { ready: claimRows.length - held, held, claimIds: claimRows.map((r) => r.id) };
}

/** Whole days of the period, in groups of about CHUNK_SERVICES services. */
function dayChunks(days: ReadonlyArray<{ d: string; n: number }>): Array<{ from: string; to: string }> {
  const chunks: Array<{ from: string; to: string; n: number }> = [];
  for (const day of days) {
    const last = chunks.at(-1);
    if (last && last.n + day.n <= CHUNK_SERVICES) Object.assign(last, { to: day.d, n: last.n + day.n });
    else chunks.push({ from: day.d, to: day.d, n: day.n });
  }
  return chunks;
}

export async function buildClaimBatch(db: Db, eligibility: EligibilityChecker, input: BuildInput, context: UseCaseContext) {
  if (!isIsoDate(input.from) || !isIsoDate(input.to) || input.to < input.from) throw new AppError('bad-request', 'Give the period as two dates, the first not after the second.', [{ path: 'from', message: 'Check the period.' }]);
  const { org } = await reachOrganization(db, input.organizationId, 'claims.manage', context, 'build claims for this organization');
  const buildDate = todayOf(context);
  const waiting = (from: string, to: string) =>
    sql`e.organization_id = ${org.id} and e.status = 'billable' and e.service_date between ${from}::date and ${to}::date
        and not exists (select 1 from claim_lines l join claims c on c.id = l.claim_id where l.encounter_id = e.id and c.state = any(${CLAIMED}))`;
  return db.transaction(async (tx) => {
    const days = await queryRows<{ d: string; n: number }>(tx, sql`select e.service_date::text as d, count(*)::int as n from encounters e where ${waiting(input.from, input.to)} group by 1 order by 1`);
    if (days.length === 0) throw new AppError('rule-violation', `No billable service of ${org.name} from ${input.from} to ${input.to} is waiting to be claimed.`, [], 'claims.nothing_to_build');
    const [batch] = await tx.insert(claimBatches).values({ organizationId: org.id, periodFrom: input.from, periodTo: input.to, builtOn: buildDate, builtBy: context.actor.kind === 'user' ? context.actor.userId : null }).returning();
    const tools = await buildTools(tx, org, buildDate);
    let ready = 0;
    let held = 0;
    for (const chunk of dayChunks(days)) {
      const services = await tx
        .select()
        .from(encounters)
        .where(sql`${encounters.id} in (select e.id from encounters e where ${waiting(chunk.from, chunk.to)})`)
        .orderBy(encounters.serviceDate, encounters.startTime, encounters.id);
      const participants = await queryRows<{ encounter_id: string; beneficiary_id: string }>(tx, sql`select encounter_id, beneficiary_id from encounter_participants where encounter_id = any(${arrayParam(services.map((s) => s.id), 'uuid')}) order by beneficiary_id`);
      const membersOf = new Map<string, string[]>();
      for (const p of participants) membersOf.set(p.encounter_id, [...(membersOf.get(p.encounter_id) ?? []), p.beneficiary_id]);
      const pending = await claimsForServices(tx, eligibility, org, services.map((service) => ({ service, memberIds: membersOf.get(service.id) ?? [] })), tools);
      const written = await writeClaims(tx, batch!.id, org, pending, tools.limits, (isHeld, n) => (isHeld ? `held by ${n} edit(s)` : 'built'), context);
      ready += written.ready;
      held += written.held;
    }
    await recordAudit(tx, { ...auditContext(context), action: 'claims.batch.build', entityType: 'claim_batch', entityId: batch!.id, changes: [{ field: 'claims', before: null, after: { ready, held } }], reason: `${input.from} to ${input.to}` });
    return { batch: batch!, ready, held };
  });
}
