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
import { arrayParam, queryRows, type Db } from '../db/client.ts';
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

/** What holds for a peer on a day in a delivery system, whatever the service. */
interface PeerDayRow {
  k: number;
  cert_number: string | null;
  status: CertificationStatus | null;
  rendering_npi: string | null;
  taxonomy: string | null;
  employed: boolean;
  supervisor_name: string | null;
  training_completed_on: string | null;
  has_supervision: boolean;
  contracted: boolean;
}

/** What a date's facts share across the services of a build: read once per date, not once per chunk. */
export interface FactsMemo {
  rules: Map<string, ProgramRules>;
  participation: Map<string, DeliverySystem[]>;
}

export const newFactsMemo = (): FactsMemo => ({ rules: new Map(), participation: new Map() });

/** The facts for many services of one organization, in the order given. */
export async function gatherFactsForServices(db: Db, eligibility: EligibilityChecker, org: OrganizationRow, services: readonly ServiceToJudge[], today: string, memo: FactsMemo = newFactsMemo()): Promise<ServiceFacts[]> {
  if (services.length === 0) return [];
  const dates = [...new Set(services.map((s) => s.serviceDate))].sort();
  // One after another: inside a transaction the statements share one connection, and pg refuses to overlap them.
  const rulesByDate = memo.rules;
  const participationByDate = memo.participation;
  for (const d of dates) {
    if (!rulesByDate.has(d)) rulesByDate.set(d, await rulesAsOf(db, d));
    if (!participationByDate.has(d)) participationByDate.set(d, (await participationAsOf(db, d, org.countyFips)).get(org.countyFips) ?? []);
  }
  const holidays = await holidaysBetween(db, dates[0]!, addDays(dates.at(-1)!, 60));
  // A peer's day is asked once however many services it holds (a peer gives several a day).
  const dayKeys = new Map<string, number>();
  const days: ServiceToJudge[] = [];
  const dayOf = services.map((s) => {
    const key = `${s.peerId}|${s.serviceDate}|${s.deliverySystem}`;
    if (!dayKeys.has(key)) {
      dayKeys.set(key, days.length);
      days.push(s);
    }
    return dayKeys.get(key)!;
  });
  const peerDays = await queryRows<PeerDayRow>(
    db,
    sql`select r.k, c.number as cert_number,
          case when c.id is null then null else ${statusOnSql(sql`c.id`, sql`r.d`)} end as status,
          emp.individual_npi as rendering_npi, emp.taxonomy, emp.id is not null as employed,
          sup.display_name as supervisor_name, sup.training_completed_on::text, sup.user_id is not null as has_supervision,
          exists (select 1 from organization_contracts k where k.organization_id = ${org.id} and k.delivery_system = r.ds
                    and k.starts_on <= r.d and (k.ends_on is null or k.ends_on > r.d)) as contracted
        from unnest(${arrayParam(days.map((_, k) => k), 'int')}, ${arrayParam(days.map((s) => s.peerId), 'uuid')}, ${arrayParam(days.map((s) => s.serviceDate), 'date')},
                    ${arrayParam(days.map((s) => s.deliverySystem), 'text')}) as r(k, peer, d, ds)
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
        order by r.k`,
  );
  const overlapping = await overlapsOf(db, services);
  const members = await membersOf(db, org, services);
  const eligible = await eligibility.checkMany(
    db,
    members.map((m) => ({ beneficiaryId: m.id, date: services[m.i]!.serviceDate })),
  );
  const participantsOf = services.map((): Array<{ id: string; name: string; eligible: boolean }> => []);
  members.forEach((m, k) => participantsOf[m.i]!.push({ id: m.id, name: m.name, eligible: eligible[k]! }));
  const countyName = `${CALIFORNIA_COUNTIES.find((c) => c.fips === org.countyFips)?.name ?? org.countyFips} County`;
  return services.map((s, i) => {
    const row = peerDays[dayOf[i]!]!;
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
      overlapping: overlapping.get(i) ?? [],
      rendering: row.employed ? { npi: row.rendering_npi, taxonomy: row.taxonomy } : null,
    };
  });
}

/** The peer's other services that day whose times overlap each service's (only services with times are asked). */
async function overlapsOf(db: Db, services: readonly ServiceToJudge[]) {
  const timed = services.flatMap((s, i) => (s.startTime && s.endTime ? [{ i, s }] : []));
  const found = new Map<number, Array<{ startTime: string; endTime: string }>>();
  if (timed.length === 0) return found;
  const rows = await queryRows<{ i: number; start_time: string; end_time: string }>(
    db,
    sql`select r.i, to_char(x.start_time, 'HH24:MI') as start_time, to_char(x.end_time, 'HH24:MI') as end_time
        from unnest(${arrayParam(timed.map((t) => t.i), 'int')}, ${arrayParam(timed.map((t) => t.s.peerId), 'uuid')}, ${arrayParam(timed.map((t) => t.s.serviceDate), 'date')},
                    ${arrayParam(timed.map((t) => t.s.startTime), 'time')}, ${arrayParam(timed.map((t) => t.s.endTime), 'time')}, ${arrayParam(timed.map((t) => t.s.encounterId ?? null), 'uuid')}) as r(i, peer, d, s, e, enc)
        -- one index probe per service (peer, date), never a scan of every service: offset 0 keeps the planner from
        -- flattening the lateral subquery into a hash join over the whole table
        join lateral (select y.start_time, y.end_time from encounters y where y.peer_id = r.peer and y.service_date = r.d and (r.enc is null or y.id <> r.enc) and y.start_time < r.e and y.end_time > r.s offset 0) x on true
        order by r.i, x.start_time`,
  );
  for (const r of rows) found.set(r.i, [...(found.get(r.i) ?? []), { startTime: r.start_time, endTime: r.end_time }]);
  return found;
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
