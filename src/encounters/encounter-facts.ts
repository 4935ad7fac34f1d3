// The facts a service is judged by, gathered as of its date of service: the rules in force that day, the peer's
// certification status (suspensions included, by the registry's own rule), employment, supervision, the county's
// participation and the organization's contract for the delivery system, each member's eligibility, and the
// peer's other services that day. One set of statements answers for one service (documenting it) or thousands
// (building claims), so both are judged by the same queries.
import { sql } from 'drizzle-orm';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import { statusOnSql } from '../certification/certification-status.ts';
import type { CertificationStatus } from '../certification/vocabulary.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { participationAsOf } from '../counties/counties.service.ts';
import type { DeliverySystem } from '../counties/reference-data.ts';
import { queryRows, type Db } from '../db/client.ts';
import { holidaysBetween } from '../enforcement/holiday-calendar.ts';
import { addDays } from '../lib/dates.ts';
import type { OrganizationRow } from '../organizations/organization-access.ts';
import type { ProgramRules } from '../rules/rule-definitions.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { AppError } from '../lib/errors.ts';
import { noteDueOn, type EncounterFacts } from './encounter-rules.ts';

/** One service to judge: saved (with its id, left out of its own overlap check) or not yet. */
export interface ServiceToJudge {
  peerId: string;
  serviceDate: string;
  startTime: string | null;
  endTime: string | null;
  deliverySystem: string;
  participantIds: readonly string[];
  encounterId?: string;
}

export interface FactsRequest extends ServiceToJudge {
  org: OrganizationRow;
  today: string;
}

/** The facts, plus the peer's NPI and taxonomy at the organization that day (what a claim's rendering provider needs). */
export type ServiceFacts = EncounterFacts & { rendering: { npi: string | null; taxonomy: string | null } | null };

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

interface PeerDayRow {
  i: number;
  cert_number: string | null;
  status: CertificationStatus | null;
  rendering_npi: string | null;
  taxonomy: string | null;
  employed: boolean;
  supervisor_name: string | null;
  training_completed_on: string | null;
  has_supervision: boolean;
  contracted: boolean;
  overlapping: Array<{ startTime: string; endTime: string }>;
}

/** Postgres arrays as one bound parameter each (drizzle would otherwise spread a JS array into a list). */
const arrayParam = (values: readonly unknown[], type: string) => sql`${sql.param(values)}::${sql.raw(type)}[]`;

/** The facts for many services of one organization, in the order given. */
export async function gatherFactsForServices(db: Db, eligibility: EligibilityChecker, org: OrganizationRow, services: readonly ServiceToJudge[], today: string): Promise<ServiceFacts[]> {
  if (services.length === 0) return [];
  const dates = [...new Set(services.map((s) => s.serviceDate))].sort();
  // One after another: inside a transaction the statements share one connection, and pg refuses to overlap them.
  const rulesByDate = new Map<string, ProgramRules>();
  const participationByDate = new Map<string, DeliverySystem[]>();
  for (const d of dates) {
    rulesByDate.set(d, await rulesAsOf(db, d));
    participationByDate.set(d, (await participationAsOf(db, d, org.countyFips)).get(org.countyFips) ?? []);
  }
  const holidays = await holidaysBetween(db, dates[0]!, addDays(dates.at(-1)!, 60));
  const peerDays = await queryRows<PeerDayRow>(
    db,
    sql`select r.i, c.number as cert_number,
          case when c.id is null then null else ${statusOnSql(sql`c.id`, sql`r.d`)} end as status,
          emp.individual_npi as rendering_npi, emp.taxonomy, emp.id is not null as employed,
          sup.display_name as supervisor_name, sup.training_completed_on::text, sup.user_id is not null as has_supervision,
          exists (select 1 from organization_contracts k where k.organization_id = ${org.id} and k.delivery_system = r.ds
                    and k.starts_on <= r.d and (k.ends_on is null or k.ends_on > r.d)) as contracted,
          case when r.s is null or r.e is null then '[]'::json else (
            select coalesce(json_agg(json_build_object('startTime', to_char(x.start_time, 'HH24:MI'), 'endTime', to_char(x.end_time, 'HH24:MI')) order by x.start_time), '[]'::json)
            from encounters x
            where x.peer_id = r.peer and x.service_date = r.d and (r.enc is null or x.id <> r.enc) and x.start_time < r.e and x.end_time > r.s
          ) end as overlapping
        from unnest(${arrayParam(services.map((_, i) => i), 'int')}, ${arrayParam(services.map((s) => s.peerId), 'uuid')}, ${arrayParam(services.map((s) => s.serviceDate), 'date')},
                    ${arrayParam(services.map((s) => s.startTime), 'time')}, ${arrayParam(services.map((s) => s.endTime), 'time')}, ${arrayParam(services.map((s) => s.deliverySystem), 'text')},
                    ${arrayParam(services.map((s) => s.encounterId ?? null), 'uuid')}) as r(i, peer, d, s, e, ds, enc)
        left join certifications c on c.peer_id = r.peer
        left join lateral (
          select e.id, e.individual_npi, e.taxonomy from employments e
          where e.organization_id = ${org.id} and e.peer_id = r.peer and e.starts_on <= r.d and (e.ends_on is null or e.ends_on > r.d)
          limit 1) emp on true
        left join lateral (
          select u.id as user_id, u.display_name, v.training_completed_on from supervision_assignments a
          join supervisors v on v.user_id = a.supervisor_user_id join users u on u.id = v.user_id
          where a.organization_id = ${org.id} and a.peer_id = r.peer and a.starts_on <= r.d and (a.ends_on is null or a.ends_on > r.d)
          order by v.training_completed_on asc nulls last limit 1) sup on true
        order by r.i`,
  );
  const members = await membersOf(db, org, services);
  const asks = members.map((m) => ({ beneficiaryId: m.id, date: services[m.i]!.serviceDate }));
  const eligible = await eligibility.checkMany(db, asks);
  const participantsOf = services.map((): Array<{ id: string; name: string; eligible: boolean }> => []);
  members.forEach((m, k) => participantsOf[m.i]!.push({ id: m.id, name: m.name, eligible: eligible[k]! }));
  const countyName = `${CALIFORNIA_COUNTIES.find((c) => c.fips === org.countyFips)?.name ?? org.countyFips} County`;
  return services.map((s, i) => {
  const row = peerDays[i]!;
  return {
    today,
    holidays,
    rules: serviceRules(rulesByDate.get(s.serviceDate)!),
    peerNumber: row.cert_number ?? 'The peer',
    certificationStatus: row.status,
    employed: row.employed,
    organizationName: org.name,
    contracted: org.kind === 'county_operated' ? 'county_operated' : row.contracted,
    supervision: row.has_supervision ? { supervisorName: row.supervisor_name!, trainingCompletedOn: row.training_completed_on } : null,
    countyName,
    countyParticipates: participationByDate.get(s.serviceDate)!.includes(s.deliverySystem as DeliverySystem),
    participants: participantsOf[i]!,
    overlapping: row.overlapping,
    rendering: row.employed ? { npi: row.rendering_npi, taxonomy: row.taxonomy } : null,
  };
  });
}

/** The services' participants who are members of the organization (others are not, and fail the rules). */
async function membersOf(db: Db, org: OrganizationRow, services: readonly ServiceToJudge[]) {
  const pairs = services.flatMap((s, i) => s.participantIds.map((id) => ({ i, id })));
  if (pairs.length === 0) return [];
  return queryRows<{ i: number; id: string; name: string }>(
  db,
  sql`select p.i, b.id, b.first_name || ' ' || b.last_name as name
      from unnest(${arrayParam(pairs.map((p) => p.i), 'int')}, ${arrayParam(pairs.map((p) => p.id), 'uuid')}) with ordinality as p(i, id, n)
      join beneficiaries b on b.id = p.id and b.organization_id = ${org.id}
      order by p.n`,
  );
}

/** The facts for one service. */
export async function gatherEncounterFacts(db: Db, eligibility: EligibilityChecker, r: FactsRequest): Promise<EncounterFacts> {
  const [facts] = await gatherFactsForServices(db, eligibility, r.org, [r], r.today);
  return facts!;
}
