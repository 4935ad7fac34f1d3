// Build a batch of claims from an organization's billable services in a period: one claim per member per date of
// service and delivery system, a line per service, charges = units × the rate in force (integer cents). Every
// edit is run as of the date of service at build time; a claim with any failing edit is held, not sent.
import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { todayOf, type UseCaseContext } from '../access/context.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import { counties } from '../counties/counties.schema.ts';
import { queryRows, type Db } from '../db/client.ts';
import { gatherEncounterFacts } from '../encounters/encounter-facts.ts';
import { rowToValidate } from '../encounters/document-encounter.ts';
import { validateEncounter } from '../encounters/encounter-rules.ts';
import { encounterFlags, encounterParticipants, encounters } from '../encounters/encounters.schema.ts';
import { AppError } from '../lib/errors.ts';
import { isIsoDate } from '../lib/dates.ts';
import { reachOrganization } from '../organizations/organization-access.ts';
import { employments } from '../organizations/organizations.schema.ts';
import { coversOn } from '../organizations/periods.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { claimEdits, type LineForEdits } from './claim-edits.ts';
import { recordClaimState } from './claim-status.ts';
import { claimBatches, claimLines, claims } from './claims.schema.ts';
import { rateOn } from './fee-schedule.ts';
import { unitsFor } from './units.ts';

/** Claims in these states hold their services: a new build leaves those services out. */
const CLAIMED = sql`('ready', 'held', 'submitted', 'accepted', 'paid', 'partly_paid')`;

export interface BuildInput {
  organizationId: string;
  from: string;
  to: string;
}

export async function buildClaimBatch(db: Db, eligibility: EligibilityChecker, input: BuildInput, context: UseCaseContext) {
  if (!isIsoDate(input.from) || !isIsoDate(input.to) || input.to < input.from) throw new AppError('bad-request', 'Give the period as two dates, the first not after the second.', [{ path: 'from', message: 'Check the period.' }]);
  const { org } = await reachOrganization(db, input.organizationId, 'claims.manage', context, 'build claims for this organization');
  const buildDate = todayOf(context);
  const [county] = await db.select({ planCode: counties.planCode }).from(counties).where(eq(counties.fips, org.countyFips));
  const services = await db
    .select()
    .from(encounters)
    .where(
      and(
        eq(encounters.organizationId, org.id),
        eq(encounters.status, 'billable'),
        gte(encounters.serviceDate, input.from),
        lte(encounters.serviceDate, input.to),
        sql`not exists (select 1 from ${claimLines} l join ${claims} c on c.id = l.claim_id where l.encounter_id = ${encounters.id} and c.state in ${CLAIMED})`,
      ),
    )
    .orderBy(encounters.serviceDate, encounters.startTime, encounters.id);
  if (services.length === 0) throw new AppError('rule-violation', `No billable service of ${org.name} from ${input.from} to ${input.to} is waiting to be claimed.`, [], 'claims.nothing_to_build');

  const ids = services.map((s) => s.id);
  const [participants, flags] = await Promise.all([
    db.select({ encounterId: encounterParticipants.encounterId, beneficiaryId: encounterParticipants.beneficiaryId }).from(encounterParticipants).where(inArray(encounterParticipants.encounterId, ids)),
    db.select({ encounterId: encounterFlags.encounterId }).from(encounterFlags).where(and(inArray(encounterFlags.encounterId, ids), eq(encounterFlags.resolved, false))),
  ]);
  const memberIds = [...new Set(participants.map((p) => p.beneficiaryId))];
  const members = new Map((await db.select().from(beneficiaries).where(inArray(beneficiaries.id, memberIds))).map((m) => [m.id, m]));

  // One claim per member, date of service and delivery system.
  type Pending = { memberId: string; serviceDate: string; deliverySystem: string; placeOfService: string; lines: LineForEdits[] };
  const pending = new Map<string, Pending>();
  for (const service of services) {
    const rules = await rulesAsOf(db, service.serviceDate);
    const procedure = rules['claims.procedure_codes'][service.component as 'engagement'];
    const units = unitsFor(service.minutes, procedure.unitMinutes, rules['claims.unit_rounding']);
    const modifiers = procedure.modifiers.join(':');
    const rate = county ? await rateOn(db, { planCode: county.planCode, deliverySystem: service.deliverySystem, procedureCode: procedure.code, modifiers }, service.serviceDate) : null;
    const [employment] = await db.select({ npi: employments.individualNpi, taxonomy: employments.taxonomy }).from(employments).where(and(eq(employments.organizationId, org.id), eq(employments.peerId, service.peerId), coversOn(employments, service.serviceDate))).limit(1);
    const theirs = participants.filter((p) => p.encounterId === service.id).map((p) => p.beneficiaryId);
    const facts = await gatherEncounterFacts(db, eligibility, { org, peerId: service.peerId, serviceDate: service.serviceDate, startTime: service.startTime?.slice(0, 5) ?? null, endTime: service.endTime?.slice(0, 5) ?? null, deliverySystem: service.deliverySystem, participantIds: theirs, encounterId: service.id, today: buildDate });
    const failures = validateEncounter(rowToValidate(service), facts);
    for (const memberId of theirs) {
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
        renderingNpi: employment?.npi ?? null,
        taxonomy: employment?.taxonomy ?? null,
        diagnosisCode: service.diagnosisCode,
        // A member's own eligibility is judged on their own claim, not on the group's.
        serviceFailures: failures.filter((f) => f.code !== 'member.not_eligible' || facts.participants.some((p) => p.id === memberId && !p.eligible)),
        openFlags: flags.filter((f) => f.encounterId === service.id).length,
      });
    }
  }

  const limits = await rulesAsOf(db, buildDate);
  return db.transaction(async (tx) => {
    const [batch] = await tx.insert(claimBatches).values({ organizationId: org.id, periodFrom: input.from, periodTo: input.to, builtOn: buildDate, builtBy: context.actor.kind === 'user' ? context.actor.userId : null }).returning();
    let ready = 0;
    let held = 0;
    for (const p of pending.values()) {
      const member = members.get(p.memberId)!;
      const edits = claimEdits({ serviceDate: p.serviceDate, billingNpi: org.npi, memberAddress: { street: member.street, city: member.city, zip: member.zip }, lines: p.lines }, { buildDate, maxUnitsPerMemberDay: limits['claims.max_units_per_member_day'], timelyFilingDays: limits['claims.timely_filing_days'] });
      const [{ n }] = (await queryRows<{ n: string }>(tx, sql`select nextval('claim_number_seq')::text as n`)) as [{ n: string }];
      const controlNumber = `C${n}`;
      const lines = p.lines.map((l) => ({ ...l, chargeCents: l.units * (l.rateCents ?? 0) }));
      const [claim] = await tx
        .insert(claims)
        .values({ batchId: batch!.id, organizationId: org.id, beneficiaryId: p.memberId, serviceDate: p.serviceDate, deliverySystem: p.deliverySystem, controlNumber, state: edits.length > 0 ? 'held' : 'ready', placeOfService: p.placeOfService, totalCents: lines.reduce((s, l) => s + l.chargeCents, 0), edits })
        .returning();
      await tx.insert(claimLines).values(
        lines.map((l) => ({
          claimId: claim!.id,
          encounterId: l.encounterId,
          lineNumber: l.lineNumber,
          procedureCode: l.procedureCode,
          modifiers: l.modifiers,
          units: l.units,
          rateCents: l.rateCents ?? 0,
          chargeCents: l.chargeCents,
          controlNumber: `${controlNumber}-${l.lineNumber}`,
          renderingNpi: l.renderingNpi,
        })),
      );
      await recordClaimState(tx, { id: claim!.id, controlNumber, state: 'new' }, edits.length > 0 ? 'held' : 'ready', edits.length > 0 ? `held by ${edits.length} edit(s)` : 'built', context);
      if (edits.length > 0) held++;
      else ready++;
    }
    return { batch: batch!, ready, held };
  });
}

