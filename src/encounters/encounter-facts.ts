// The facts a service is judged by, gathered as of its date of service: the rules in force that day, the peer's
// certification status (suspensions included, by the registry's own rule), employment, supervision, the county's
// participation and the organization's contract for the delivery system, each member's eligibility, and the
// peer's other services that day.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { users } from '../accounts/accounts.schema.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import { certifications } from '../certification/certification.schema.ts';
import { certificationStatusOn } from '../certification/certification-status.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { participatesOn } from '../counties/counties.service.ts';
import type { DeliverySystem } from '../counties/reference-data.ts';
import type { Db } from '../db/client.ts';
import { holidaysBetween } from '../enforcement/holiday-calendar.ts';
import { addDays } from '../lib/dates.ts';
import type { OrganizationRow } from '../organizations/organization-access.ts';
import { employments, organizationContracts, supervisionAssignments, supervisors } from '../organizations/organizations.schema.ts';
import { coversOn } from '../organizations/periods.ts';
import type { ProgramRules } from '../rules/rule-definitions.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { AppError } from '../lib/errors.ts';
import { noteDueOn, type EncounterFacts } from './encounter-rules.ts';
import { encounters } from './encounters.schema.ts';

export interface FactsRequest {
  org: OrganizationRow;
  peerId: string;
  serviceDate: string;
  startTime: string | null;
  endTime: string | null;
  deliverySystem: string;
  participantIds: readonly string[];
  /** The encounter itself, when it is saved (left out of the overlap check). */
  encounterId?: string;
  today: string;
}

/** The program rules a service is judged by, from the rules in force on its date. */
export function serviceRules(rules: ProgramRules): EncounterFacts['rules'] {
  return {
    noteDueBusinessDays: rules['services.note_due_business_days'],
    maxMinutes: rules['services.max_minutes_per_encounter'],
    carePlanRequired: rules['services.care_plan_required'],
    cosignRequired: rules['services.supervisor_cosign_required'],
    supervisorTrainingRequired: rules['services.supervisor_training_required'],
    telehealthConsentRequired: rules['services.telehealth_consent_required'],
  };
}

/** The day a service's note is due, by the rule in force on its date (null when no rule is in force then). */
export async function noteDueFor(db: Db, serviceDate: string): Promise<string | null> {
  try {
    const [rules, holidays] = await Promise.all([rulesAsOf(db, serviceDate), holidaysBetween(db, serviceDate, addDays(serviceDate, 60))]);
    return noteDueOn(serviceDate, { holidays, rules: serviceRules(rules) });
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
}

export async function gatherEncounterFacts(db: Db, eligibility: EligibilityChecker, r: FactsRequest): Promise<EncounterFacts> {
  const on = r.serviceDate;
  const [rules, holidays, [cert], [employed], [supervision], participates, [contract], members, overlapping] = await Promise.all([
    rulesAsOf(db, on),
    holidaysBetween(db, on, addDays(on, 60)),
    db.select({ id: certifications.id, number: certifications.number }).from(certifications).where(eq(certifications.peerId, r.peerId)),
    db.select({ id: employments.id }).from(employments).where(and(eq(employments.organizationId, r.org.id), eq(employments.peerId, r.peerId), coversOn(employments, on))).limit(1),
    db
      .select({ supervisorName: users.displayName, trainingCompletedOn: supervisors.trainingCompletedOn })
      .from(supervisionAssignments)
      .innerJoin(supervisors, eq(supervisors.userId, supervisionAssignments.supervisorUserId))
      .innerJoin(users, eq(users.id, supervisors.userId))
      .where(and(eq(supervisionAssignments.organizationId, r.org.id), eq(supervisionAssignments.peerId, r.peerId), coversOn(supervisionAssignments, on)))
      .orderBy(sql`${supervisors.trainingCompletedOn} asc nulls last`)
      .limit(1),
    participatesOn(db, r.org.countyFips, r.deliverySystem as DeliverySystem, on),
    db.select({ id: organizationContracts.id }).from(organizationContracts).where(and(eq(organizationContracts.organizationId, r.org.id), eq(organizationContracts.deliverySystem, r.deliverySystem), coversOn(organizationContracts, on))).limit(1),
    r.participantIds.length === 0 ? [] : db.select({ id: beneficiaries.id, firstName: beneficiaries.firstName, lastName: beneficiaries.lastName }).from(beneficiaries).where(and(eq(beneficiaries.organizationId, r.org.id), inArray(beneficiaries.id, [...r.participantIds]))),
    r.startTime && r.endTime
      ? db
          .select({ startTime: encounters.startTime, endTime: encounters.endTime })
          .from(encounters)
          .where(
            and(
              eq(encounters.peerId, r.peerId),
              eq(encounters.serviceDate, on),
              r.encounterId ? ne(encounters.id, r.encounterId) : undefined,
              sql`${encounters.startTime} < ${r.endTime}::time and ${encounters.endTime} > ${r.startTime}::time`,
            ),
          )
      : [],
  ]);
  const participants = await Promise.all(members.map(async (m) => ({ id: m.id, name: `${m.firstName} ${m.lastName}`, eligible: (await eligibility.check(db, m.id, on)).eligible })));
  return {
    today: r.today,
    holidays,
    rules: serviceRules(rules),
    peerNumber: cert?.number ?? 'The peer',
    certificationStatus: cert ? await certificationStatusOn(db, cert.id, on) : null,
    employed: employed !== undefined,
    organizationName: r.org.name,
    contracted: r.org.kind === 'county_operated' ? 'county_operated' : contract !== undefined,
    supervision: supervision ?? null,
    countyName: `${CALIFORNIA_COUNTIES.find((c) => c.fips === r.org.countyFips)?.name ?? r.org.countyFips} County`,
    countyParticipates: participates,
    participants,
    overlapping: overlapping.map((o) => ({ startTime: o.startTime!.slice(0, 5), endTime: o.endTime!.slice(0, 5) })),
  };
}
