// A synthetic claiming program at scale, for a benchmark of building claims: N billable services spread over a
// period and over up to 58 counties, each county taking part in SMHS, one contracted provider organization per
// county with its SMHS contract, certified peers employed and supervised there (by supervisors whose training is
// complete), members with street addresses, encrypted CINs and birth dates and eligibility periods, and a fee
// schedule for every plan and procedure code. Rows are shaped as the use cases write them (organizations.service.ts,
// issue-certification.ts and certification-status.ts, beneficiaries.service.ts, document-encounter.ts when a
// service is marked billable, fee-schedule.ts) but loaded set-based — unnest() arrays in batches inside one
// transaction — and without audit rows: this is synthetic data, not a record of anyone's act.
//
// Every service passes validateEncounter as of its date, so every claim a build makes from it is ready, except
// those of the ~1% of members deliberately left without eligibility for most of the period: their claims on those
// dates are held by `service.member.not_eligible` alone. The loader returns the exact numbers to expect.
//
// How services are laid out, so that no rule or claim edit fails by accident:
// - each peer works up to six 90-minute slots a business day (08:00, 09:30, 11:00, 13:00, 14:30, 16:00) and a
//   service lasts 15–90 minutes from its slot's start: a peer's services never overlap;
// - each organization's members are split in three classes, a class serving two slots of the day; at one slot
//   the peers serve disjoint members (a base offset for the slot, then 4 members apart per peer). So a member has
//   at most two services a day, at different times: no overlap, no duplicate line, at most 12 units a claim;
// - notes are signed by the rendering peer on the day or the next (never after the note's due date), care plan,
//   telehealth consent and the supervisor's co-signature are given whenever a rule in force in the period asks.
//
// Loading: one transaction; a superuser's load skips the foreign-key triggers (set local session_replication_role =
// replica; the schema has no other triggers) and the next batch is made while the previous one is inserted.
// Measured on 2 cores with PostgreSQL 15 on 127.0.0.1: 1,000,000 services in 50 counties over 2026-01-01…2026-09-30
// load in ~40 s (1,060,552 claim lines, a 784 MB database); building every organization's batch over it with
// buildClaimBatch then gave exactly the expected ready and held claims.
//
// Usage as a script (a dedicated database, dropped and recreated, migrated and loaded with reference data):
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/claims-data.ts \
//     [--encounters 1000000] [--counties 50] [--from 2026-01-01] [--to 2026-09-30] [--seed 1] [--drop]
import { createHash, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { CALIFORNIA_COUNTIES } from '../src/counties/california-counties.ts';
import { behavioralHealthPlans } from '../src/counties/reference-data.ts';
import { openDb, type Database } from '../src/db/client.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { npiCheckDigit } from '../src/identifiers/npi.ts';
import { addBusinessDays } from '../src/lib/business-days.ts';
import { addDays, addYears, daysBetween, isIsoDate, todayInCalifornia } from '../src/lib/dates.ts';
import { createFieldCipher, deriveFieldKeys, type FieldCipher } from '../src/lib/field-crypto.ts';
import { unitsFor, type UnitRounding } from '../src/claims/units.ts';
import { prng } from './registry-data.ts';

/** What the loader needs of a connection: pg.Client, a pg.PoolClient or PGlite. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface ClaimsScaleOptions {
  /** Billable services in total (exactly). */
  encounters: number;
  /** Distinct California counties, one provider organization each (default 50, at most 58). */
  counties?: number;
  /** The period of service, both days included. */
  from: string;
  to: string;
  /** Every choice follows from it (ids excepted: they are random UUIDs). */
  seed?: number;
  /** How CINs and birth dates are encrypted (default: benchFieldCipher(), a fixed bench key). */
  cipher?: FieldCipher;
  /** Rows a statement (default 20,000). */
  batch?: number;
  /** Share of services that are educational groups of 2–4 members (default 0.03). */
  groupShare?: number;
  /** Share of members left without eligibility for most of the period (default 0.01, at least one per organization). */
  ineligibleShare?: number;
  /** Certifications stay active through max(to, today) (default: today in California). */
  today?: string;
  /** Check every foreign key while loading (default: skipped when the connection may, a superuser's; see the result). */
  foreignKeyChecks?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface ScaleOrganization {
  id: string;
  name: string;
  countyFips: string;
  countyName: string;
  planCode: string;
  npi: string;
  /** A provider staff person of the organization (claims.manage there), to build as staff rather than as the platform. */
  staffUserId: string;
  peers: number;
  members: number;
  encounters: number;
  /** Claim lines a build of the whole period makes: one per service and member. */
  lines: number;
  /** Claims: one per member, date of service and delivery system. */
  claims: number;
  /** Of those, held by service.member.not_eligible and nothing else. */
  heldClaims: number;
}

export interface ClaimsScale {
  from: string;
  to: string;
  organizations: ScaleOrganization[];
  counts: {
    counties: number;
    organizations: number;
    supervisors: number;
    peers: number;
    members: number;
    /** Members left without eligibility from a date early in the period to after its end. */
    ineligibleMembers: number;
    eligibilityPeriods: number;
    encounters: number;
    groupEncounters: number;
    participationChanges: number;
    feeScheduleRates: number;
  };
  /** What building claims for every organization over [from, to] gives. */
  expected: { lines: number; claims: number; readyClaims: number; heldClaims: number; heldLines: number };
  /** Build on a date in this range: not before the last service (date.future), not past timely filing for the first. */
  buildOn: { earliest: string; latest: string };
  /** Whether foreign keys were checked during the load (false: skipped, the data being consistent by construction). */
  foreignKeyChecks: boolean;
  seconds: number;
}

const CIN_FIELD = 'beneficiaries.cin'; // the field names beneficiaries.service.ts encrypts under
const BIRTH_DATE_FIELD = 'beneficiaries.birth_date';
const SLOTS = ['08:00', '09:30', '11:00', '13:00', '14:30', '16:00'] as const;
const SLOT_MINUTES = 90;
const PER_PEER_DAY = 0.55; // share of a peer's slots that are used
const COMPONENTS = ['engagement', 'therapeutic_activity', 'educational_group'] as const;
const MODALITIES = ['in_person', 'video', 'audio_only'] as const;
const CONSENTS = [null, 'verbal', 'written'] as const;
const PLACES = ['11', '12', '53', '99', '10', '02'] as const; // office (the site), home, CMHC, other; telehealth at home, elsewhere
const DIAGNOSES = ['F331', 'F332', 'F411', 'F4310', 'F319', 'F200', 'F250', 'F1020', 'F1120', 'F603'] as const;
// prettier-ignore
const NOTES: ReadonlyArray<readonly [string, string]> = [
  ['Met to plan the move to outpatient care; the member set two recovery goals.', 'Meet next week; call the clinic together.'],
  ['Shared lived experience of returning to work; practised what to say to a new employer.', 'Follow up on the application on Friday.'],
  ['Accompanied the member to the benefits office; the appointment was kept.', 'Review the letter from the county when it arrives.'],
  ['Worked through the wellness recovery action plan: early warning signs and supports.', 'Bring the finished plan to the next meeting.'],
  ['Group: coping with stress at home; each member named one strategy to try.', 'Next session on sleep and routines.'],
  ['Talked through the week since discharge; the member is attending the day programme.', 'Check in by phone on Wednesday.'],
  ['Helped the member prepare questions for the psychiatrist visit.', 'Debrief after the visit.'],
  ['Connected the member with a local peer-run drop-in centre.', 'Visit the centre together next Tuesday.'],
];
// prettier-ignore
const FIRST = ['María', 'José', 'Juan', 'Luis', 'Ana', 'Guadalupe', 'Rosa', 'Sofía', 'Alejandro', 'Andrés', 'Raúl', 'Inés', 'Minh', 'Linh', 'Thanh', 'Wei', 'Mei', 'Jun', 'Maricel', 'Rodel',
  'James', 'Mary', 'Michael', 'Jennifer', 'David', 'Linda', 'Robert', 'Patricia', 'Jamal', 'Aaliyah', 'Imani', 'Andre', 'Ji-woo', 'Priya', 'Arjun', 'Armen', 'Ani', 'Ahmad', 'Fatima', 'Omar', 'Chloé', 'Zoë', 'Seán'];
// prettier-ignore
const LAST = ['García', 'Hernández', 'López', 'Martínez', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Flores', 'Núñez', 'De la Cruz', 'Nguyen', 'Tran', 'Le', 'Pham', 'Wang', 'Li', 'Chen', 'Wong',
  'Santos', 'Reyes', 'Dela Cruz', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Washington', "O'Brien", 'Kim', 'Park', 'Patel', 'Singh', 'Sargsyan', 'Khan', 'Nakamura', 'Müller'];
const STREETS = ['Main St', 'Oak Ave', 'Elm St', 'Mission Blvd', 'El Camino Real', 'Broadway', 'Cedar Ln', 'Pine St', 'Valley Rd', 'Sierra Way', 'Vista Dr', 'Las Palmas Ave'];
/** Population-weighted shares of the services (every other county 1), and the city used in addresses. */
const COUNTY_WEIGHTS: Record<string, number> = { '06037': 25, '06073': 8, '06059': 8, '06065': 6, '06071': 6, '06085': 5, '06001': 4, '06067': 4, '06013': 3, '06019': 3, '06029': 2, '06075': 2 };
const CITIES: Record<string, string> = { '06037': 'Los Angeles', '06073': 'San Diego', '06059': 'Santa Ana', '06065': 'Riverside', '06071': 'San Bernardino', '06085': 'San Jose', '06001': 'Oakland', '06067': 'Sacramento', '06013': 'Martinez', '06019': 'Fresno', '06029': 'Bakersfield', '06075': 'San Francisco' };
/** Last letters a CIN is known to end in (src/identifiers/cin.ts warns on the others). */
const CIN_LETTERS = 'ACDEFGHMNTUVWXYZ';
const SOURCE = 'Synthetic benchmark data (bench/claims-data.ts)';

/** A field cipher from a fixed key, so a bench (and an 837P written from its claims) can read back what it loaded. */
export function benchFieldCipher(): FieldCipher {
  return createFieldCipher(deriveFieldKeys(createHash('sha256').update('pss bench field key v1').digest(), 'bench'));
}

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const between = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const npiFrom = (first9: string) => `${first9}${npiCheckDigit(first9)}`;

/** Column arrays of rows (unnest's parameters). */
const columns = (rows: readonly unknown[][], width: number) => Array.from({ length: width }, (_, k) => rows.map((r) => r[k] ?? null));

async function insertRows(q: Queryable, text: string, rows: readonly unknown[][], width: number, batch: number, extra: unknown[] = []): Promise<void> {
  for (let at = 0; at < rows.length; at += batch) await q.query(text, [...columns(rows.slice(at, at + batch), width), ...extra]);
}

/** For each rule key, every value in force on some day of [from, to] (the latest row on a date wins). */
async function rulesDuring(q: Queryable, from: string, to: string): Promise<Map<string, unknown[]>> {
  const { rows } = (await q.query(`select key, value, effective_from::text as on from program_rules where effective_from <= $1::date order by key, effective_from, recorded_at`, [to])) as {
    rows: Array<{ key: string; value: unknown; on: string }>;
  };
  const byKey = new Map<string, Map<string, unknown>>();
  for (const r of rows) {
    const dates = byKey.get(r.key) ?? new Map<string, unknown>();
    dates.set(r.on, r.value); // later recorded rows of the same date overwrite
    byKey.set(r.key, dates);
  }
  const during = new Map<string, unknown[]>();
  for (const [key, dates] of byKey) {
    const sorted = [...dates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const atStart = sorted.filter(([on]) => on <= from).at(-1);
    during.set(key, [...(atStart ? [atStart[1]] : []), ...sorted.filter(([on]) => on > from).map(([, v]) => v)]);
  }
  return during;
}

interface Procedure {
  code: string;
  modifiers: string[];
  unitMinutes: number | null;
}

interface PlannedOrg {
  fips: string;
  countyName: string;
  planCode: string;
  city: string;
  id: string;
  name: string;
  npi: string;
  siteId: string;
  staffUserId: string;
  encounters: number;
  peers: number;
  /** Members per class (three classes). */
  classSize: number;
  peerBase: number;
  memberBase: number;
  supervisors: number;
  supervisorBase: number;
}

/** Largest-remainder split of `total` by weights. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = total - parts.reduce((a, b) => a + b, 0); k < left; k++) parts[order[k]![1]]! += 1;
  return parts;
}

/**
 * Statements sent while the next batch is being made: send() waits for the batch before (rethrowing its failure),
 * then queues its statements in order and returns, so one batch is in flight at a time.
 */
function pipeline() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    async send(...statements: Array<() => Promise<unknown>>): Promise<void> {
      await tail;
      let next: Promise<unknown> = Promise.resolve();
      for (const statement of statements) next = next.then(statement);
      next.catch(() => undefined); // handled when awaited by the next send() or drain()
      tail = next;
    },
    drain: () => tail,
  };
}

/** One connection for the whole load: a Database (its pool's own client, or PGlite) or a connection as given. */
async function connectionOf(target: Queryable | Database): Promise<{ q: Queryable; release(): void }> {
  if ('driver' in target && 'db' in target) {
    const client = (target.db as unknown as { $client: unknown }).$client;
    if (target.driver === 'postgres') {
      const held = await (client as pg.Pool).connect();
      return { q: held, release: () => held.release() };
    }
    return { q: client as Queryable, release: () => undefined };
  }
  return { q: target, release: () => undefined };
}

/**
 * Load the program into a migrated database that holds the reference data (prepareDatabase) — in one transaction,
 * then ANALYZE. Meant for a fresh database: certification numbers from PSS-600000, NPIs from 1700000000 and
 * 1600000000 and CINs from 900000000 are assumed free.
 */
export async function loadClaimsScale(target: Queryable | Database, options: ClaimsScaleOptions): Promise<ClaimsScale> {
  const started = performance.now();
  const { from, to } = options;
  const total = options.encounters;
  const countyCount = options.counties ?? 50;
  const seed = options.seed ?? 20_260_801;
  const batch = options.batch ?? 20_000;
  const groupShare = options.groupShare ?? 0.03;
  const ineligibleShare = options.ineligibleShare ?? 0.01;
  const cipher = options.cipher ?? benchFieldCipher();
  const today = options.today ?? todayInCalifornia();
  const log = options.log ?? (() => undefined);
  if (!isIsoDate(from) || !isIsoDate(to) || to < from) throw new Error('Give the period as two dates, from ≤ to.');
  if (!Number.isInteger(total) || total < 0) throw new Error('encounters is a whole number.');
  if (!Number.isInteger(countyCount) || countyCount < 1 || countyCount > CALIFORNIA_COUNTIES.length) throw new Error(`counties is 1–${CALIFORNIA_COUNTIES.length}.`);
  const rand = prng(seed);
  const span = daysBetween(from, to) + 1;

  const { q, release } = await connectionOf(target);
  try {
    // The rules in force at any time in the period decide what the services carry.
    const rules = await rulesDuring(q, from, to);
    const values = <T>(key: string): T[] => {
      const v = rules.get(key) as T[] | undefined;
      if (!v || v.length === 0) throw new Error(`No program rule ${key} is in force on ${from}: load the reference data first (prepareDatabase).`);
      return v;
    };
    const maxMinutes = Math.min(SLOT_MINUTES, ...values<number>('services.max_minutes_per_encounter'));
    const noteDueDays = Math.min(...values<number>('services.note_due_business_days'));
    const cosignAlways = values<boolean>('services.supervisor_cosign_required').some(Boolean);
    const procedureSets = values<Record<(typeof COMPONENTS)[number], Procedure>>('claims.procedure_codes');
    const rounding = values<UnitRounding>('claims.unit_rounding');
    const maxUnitsPerDay = Math.min(...values<number>('claims.max_units_per_member_day'));
    const timelyFiling = Math.min(...values<number>('claims.timely_filing_days'));
    const termYears = values<number>('certification.term_years')[0]!;
    // Units of a service under every code and rounding rule in force: the shortest makes at least one, and a
    // member's two services of a day stay within the per-day limit.
    const units = (minutes: number) => procedureSets.flatMap((set) => COMPONENTS.flatMap((c) => rounding.map((r) => unitsFor(minutes, set[c].unitMinutes, r))));
    let minMinutes = 15;
    while (minMinutes <= maxMinutes && Math.min(...units(minMinutes)) < 1) minMinutes++;
    if (minMinutes > maxMinutes) throw new Error(`The rules in force leave no length of service from 15 to ${maxMinutes} minutes that makes a unit.`);
    if (2 * Math.max(...units(maxMinutes)) > maxUnitsPerDay) throw new Error(`claims.max_units_per_member_day (${maxUnitsPerDay}) is below two services of ${maxMinutes} minutes.`);

    // Days of service: business days (state holidays as the holidays table has them), or every day of a period without one.
    const holidayRows = (await q.query(`select date::text as d from holidays where calendar = 'ca-state' and date between $1::date and $2::date`, [from, addDays(to, 60)])).rows as Array<{ d: string }>;
    const holidays = new Set(holidayRows.map((r) => r.d));
    const calendar = Array.from({ length: span }, (_, i) => addDays(from, i));
    const weekdays = calendar.filter((d) => {
      const w = new Date(`${d}T00:00:00Z`).getUTCDay();
      return w !== 0 && w !== 6 && !holidays.has(d);
    });
    const serviceDays = weekdays.length > 0 ? weekdays : calendar;
    const dayOffsets = serviceDays.map((d) => daysBetween(from, d));
    // The latest day each service day's note may be signed and still be in time (at most one day later).
    const signSlack = serviceDays.map((d) => Math.min(1, daysBetween(d, addBusinessDays(d, noteDueDays, holidays))));

    // Counties: the large ones first, then the others in a seeded order.
    const big = Object.entries(COUNTY_WEIGHTS)
      .sort((a, b) => b[1] - a[1])
      .map(([f]) => f);
    const rest = CALIFORNIA_COUNTIES.map((c) => c.fips).filter((f) => !big.includes(f));
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rest[i], rest[j]] = [rest[j]!, rest[i]!];
    }
    const chosen = [...big, ...rest].slice(0, countyCount);
    const planOf = new Map(behavioralHealthPlans().flatMap((p) => p.countyFips.map((f) => [f, p.code] as const)));
    const shares = apportion(
      total,
      chosen.map((f) => COUNTY_WEIGHTS[f] ?? 1),
    );

    // Organizations, and how many peers, supervisors and members each needs.
    let peerTotal = 0;
    let memberTotal = 0;
    let supervisorTotal = 0;
    const orgs: PlannedOrg[] = chosen.map((fips, i) => {
      const countyName = CALIFORNIA_COUNTIES.find((c) => c.fips === fips)!.name;
      const encounters = shares[i]!;
      const peers = Math.max(1, Math.ceil(encounters / (serviceDays.length * SLOTS.length * PER_PEER_DAY)));
      const classSize = Math.max(Math.ceil(encounters / 15), 4 * peers, 4);
      const supervisors = Math.ceil(peers / 8);
      const org: PlannedOrg = {
        fips,
        countyName,
        planCode: planOf.get(fips)!,
        city: CITIES[fips] ?? countyName,
        id: randomUUID(),
        name: `${countyName} Peer Recovery Collaborative`,
        npi: npiFrom(`17${pad(i, 7)}`),
        siteId: randomUUID(),
        staffUserId: randomUUID(),
        encounters,
        peers,
        classSize,
        peerBase: peerTotal,
        memberBase: memberTotal,
        supervisors,
        supervisorBase: supervisorTotal,
      };
      peerTotal += peers;
      memberTotal += 3 * classSize;
      supervisorTotal += supervisors;
      return org;
    });
    if (peerTotal > 399_999) throw new Error('More peers than the numbers PSS-600000…PSS-999999 hold.');
    if (memberTotal > 9_999_999) throw new Error('More members than the CINs 900000000… hold.');

    await q.query('begin');
    try {
      // The data is consistent by construction, so a superuser's load skips the foreign-key triggers (there are no
      // other triggers); without the privilege, or with foreignKeyChecks, every reference is checked.
      let foreignKeyChecks = true;
      if (options.foreignKeyChecks !== true) {
        await q.query('savepoint replica');
        try {
          await q.query('set local session_replication_role = replica');
          await q.query('release savepoint replica');
          foreignKeyChecks = false;
        } catch {
          await q.query('rollback to savepoint replica');
        }
      }
      const sender = pipeline();
      // County participation in SMHS over the whole period: a change from `from` where the county did not take part
      // then, and a correction on every later date in the period on which the record says it stopped.
      const participation = (await q.query(
        `with chosen as (select unnest($1::char(5)[]) as fips),
         opening as (
           insert into participation_changes (county_fips, delivery_system, effective_on, participating, source, reason)
           select fips, 'SMHS', $2::date, true, $4, 'Benchmark: takes part in peer support services throughout the period'
           from chosen
           where not coalesce((select c.participating from participation_changes c where c.county_fips = chosen.fips and c.delivery_system = 'SMHS' and c.effective_on <= $2::date
                               order by c.effective_on desc, c.recorded_at desc limit 1), false)
           returning 1),
         stops as (
           select distinct on (c.county_fips, c.effective_on) c.county_fips, c.effective_on, c.participating
           from participation_changes c join chosen on chosen.fips = c.county_fips
           where c.delivery_system = 'SMHS' and c.effective_on > $2::date and c.effective_on <= $3::date
           order by c.county_fips, c.effective_on, c.recorded_at desc),
         corrections as (
           insert into participation_changes (county_fips, delivery_system, effective_on, participating, source, reason)
           select county_fips, 'SMHS', effective_on, true, $4, 'Benchmark: still takes part (correction for the period)' from stops where not participating
           returning 1)
         select (select count(*) from opening)::int + (select count(*) from corrections)::int as n`,
        [chosen, from, to, SOURCE],
      )) as { rows: Array<{ n: number }> };
      const participationChanges = participation.rows[0]!.n;

      const contractFrom = addYears(from, -1);
      await insertRows(
        q,
        `insert into provider_organizations (id, name, kind, npi, tax_id, county_fips, street, city, state, zip)
         select i, n, 'contracted', npi, t, f, s, c, 'CA', z from unnest($1::uuid[], $2::text[], $3::char(10)[], $4::char(9)[], $5::char(5)[], $6::text[], $7::text[], $8::text[]) as x(i, n, npi, t, f, s, c, z)`,
        orgs.map((o, i) => [o.id, o.name, o.npi, `9${pad(seed % 100, 2)}${pad(i * 7919 + 100_000, 6)}`, o.fips, `${100 + i * 10} ${pick(rand, STREETS)}`, o.city, pad(between(rand, 90_001, 96_161), 5)]),
        8,
        batch,
      );
      await q.query(
        `insert into organization_contracts (organization_id, delivery_system, starts_on) select o, 'SMHS', $2::date from unnest($1::uuid[]) as o`,
        [orgs.map((o) => o.id), contractFrom],
      );
      await insertRows(
        q,
        `insert into organization_sites (id, organization_id, name, street, city, zip, place_of_service)
         select i, o, n, s, c, z, '11' from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) as x(i, o, n, s, c, z)`,
        orgs.map((o) => [o.siteId, o.id, `${o.countyName} Wellness Center`, `${between(rand, 10, 9999)} ${pick(rand, STREETS)}`, o.city, pad(between(rand, 90_001, 96_161), 5)]),
        6,
        batch,
      );

      // People: provider staff, supervisors (trained before the period) and peers, each with an account.
      const users: unknown[][] = [];
      const grants: unknown[][] = [];
      const supervisorRows: unknown[][] = [];
      const supervisorIds: string[] = [];
      for (const o of orgs) {
        users.push([o.staffUserId, `bench-staff-${seed}-${o.fips}@bench.example.org`, `${o.countyName} Billing Staff`]);
        grants.push([o.staffUserId, 'provider_staff', o.fips, o.id]);
        for (let k = 0; k < o.supervisors; k++) {
          const id = randomUUID();
          supervisorIds.push(id);
          const name = `${pick(rand, FIRST)} ${pick(rand, LAST)}`;
          users.push([id, `bench-supervisor-${seed}-${o.supervisorBase + k}@bench.example.org`, name]);
          grants.push([id, 'supervisor', o.fips, o.id]);
          supervisorRows.push([id, pick(rand, ['LCSW, supervising peers since 2019', 'LMFT', 'Certified peer supervisor (CalMHSA)', 'Psychologist']), addDays(from, -between(rand, 10, 700))]);
        }
      }
      const peerRows: unknown[][] = [];
      const certRows: unknown[][] = [];
      const cycleRows: unknown[][] = [];
      const statusRows: unknown[][] = [];
      const employmentRows: unknown[][] = [];
      const supervisionRows: unknown[][] = [];
      const benchPeers: unknown[][] = [];
      const horizon = to > today ? to : today;
      for (const o of orgs) {
        for (let k = 0; k < o.peers; k++) {
          const n = o.peerBase + k;
          const peerId = randomUUID();
          const userId = randomUUID();
          const certificationId = randomUUID();
          const first = pick(rand, FIRST);
          const last = pick(rand, LAST);
          users.push([userId, `bench-peer-${seed}-${n}@bench.example.org`, `${first} ${last}`]);
          peerRows.push([peerId, userId, first, last, addDays('1960-01-01', between(rand, 0, 16_000)), o.fips]);
          // Terms renewed in time from the first issue until one covers both the period's end and today.
          const firstIssued = addDays(from, -between(rand, 0, 1000));
          let term = { issuedOn: firstIssued, expiresOn: addYears(firstIssued, termYears) };
          cycleRows.push([certificationId, term.issuedOn, term.expiresOn, 'initial']);
          while (term.expiresOn <= horizon) {
            term = { issuedOn: term.expiresOn, expiresOn: addYears(term.expiresOn, termYears) };
            cycleRows.push([certificationId, term.issuedOn, term.expiresOn, 'renewal']);
          }
          certRows.push([certificationId, `PSS-${600_000 + n}`, peerId, firstIssued, term.issuedOn, term.expiresOn]);
          statusRows.push([certificationId, 'active', firstIssued, 'issued']);
          const employedFrom = addDays(firstIssued, between(rand, 0, daysBetween(firstIssued, from)));
          employmentRows.push([o.id, peerId, employedFrom, npiFrom(`16${pad(n, 7)}`)]);
          const supervisor = supervisorIds[o.supervisorBase + (k % o.supervisors)]!;
          supervisionRows.push([o.id, supervisor, peerId, employedFrom]);
          benchPeers.push([n, peerId, userId, o.id, o.siteId, supervisor]);
        }
      }
      await insertRows(q, `insert into users (id, email, display_name) select * from unnest($1::uuid[], $2::text[], $3::text[])`, users, 3, batch);
      await insertRows(q, `insert into role_assignments (user_id, role, county_fips, organization_id) select * from unnest($1::uuid[], $2::text[], $3::char(5)[], $4::uuid[])`, grants, 4, batch);
      await insertRows(q, `insert into supervisors (user_id, qualification_basis, training_completed_on) select * from unnest($1::uuid[], $2::text[], $3::date[])`, supervisorRows, 3, batch);
      await insertRows(q, `insert into peers (id, user_id, legal_first_name, legal_last_name, date_of_birth, county_fips) select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::char(5)[])`, peerRows, 6, batch);
      await insertRows(
        q,
        `insert into certifications (id, number, peer_id, status, first_issued_on, issued_on, expires_on, initial_pathway)
         select i, n, p, 'active', f, s, e, 'initial' from unnest($1::uuid[], $2::text[], $3::uuid[], $4::date[], $5::date[], $6::date[]) as x(i, n, p, f, s, e)`,
        certRows,
        6,
        batch,
      );
      await insertRows(q, `insert into certification_cycles (certification_id, issued_on, expires_on, kind) select * from unnest($1::uuid[], $2::date[], $3::date[], $4::text[])`, cycleRows, 4, batch);
      // recorded_at: the effective date's noon, as registry-data.ts does.
      await insertRows(
        q,
        `insert into certification_status_changes (certification_id, status, effective_on, reason_code, recorded_at)
         select c, s, e, r, e + time '12:00' from unnest($1::uuid[], $2::text[], $3::date[], $4::text[]) as x(c, s, e, r)`,
        statusRows,
        4,
        batch,
      );
      await insertRows(
        q,
        `insert into employments (organization_id, peer_id, starts_on, individual_npi, taxonomy) select o, p, s, n, '175T00000X' from unnest($1::uuid[], $2::uuid[], $3::date[], $4::char(10)[]) as x(o, p, s, n)`,
        employmentRows,
        4,
        batch,
      );
      await insertRows(q, `insert into supervision_assignments (organization_id, supervisor_user_id, peer_id, starts_on) select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[])`, supervisionRows, 4, batch);
      await q.query(`create temp table bench_peers (idx int primary key, peer_id uuid not null, user_id uuid not null, org_id uuid not null, site_id uuid not null, supervisor_id uuid not null) on commit drop`);
      await insertRows(q, `insert into bench_peers select * from unnest($1::int[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[])`, benchPeers, 6, batch);
      log(`organizations ${orgs.length}, peers ${peerTotal}, supervisors ${supervisorTotal}: ${((performance.now() - started) / 1000).toFixed(1)} s`);

      // Members: CIN and birth date encrypted as registerBeneficiary stores them, with the CIN's blind index, and their
      // eligibility. A few per organization lose it from early in the period until after its end.
      await q.query(`create temp table bench_members (idx int primary key, id uuid not null) on commit drop`);
      const gapFrom = new Int32Array(memberTotal).fill(-1); // day offset from `from` the member is no longer eligible
      let ineligibleMembers = 0;
      let eligibilityPeriods = 0;
      for (const o of orgs) {
        const count = 3 * o.classSize;
        const lapsed = new Set<number>();
        const wanted = Math.max(1, Math.round(count * ineligibleShare));
        while (lapsed.size < Math.min(wanted, count)) lapsed.add(Math.floor(rand() * count));
        for (let at = 0; at < count; at += batch) {
          const members: unknown[][] = [];
          const periods: unknown[][] = [];
          for (let k = at; k < Math.min(count, at + batch); k++) {
            const m = o.memberBase + k;
            const cin = `9${pad(m, 7)}${CIN_LETTERS[m % CIN_LETTERS.length]}`;
            const birthDate = addDays('1950-01-01', between(rand, 0, 20_500));
            members.push([
              m,
              randomUUID(),
              o.id,
              cipher.encrypt(CIN_FIELD, cin),
              cipher.index(CIN_FIELD, cin),
              cipher.encrypt(BIRTH_DATE_FIELD, birthDate),
              pick(rand, FIRST),
              pick(rand, LAST),
              pick(rand, ['F', 'M', 'F', 'M', 'U']),
              `${between(rand, 1, 9999)} ${pick(rand, STREETS)}${rand() < 0.15 ? ` Apt ${between(rand, 1, 40)}` : ''}`,
              o.city,
              pad(between(rand, 90_001, 96_161), 5),
              o.fips,
            ]);
            const startsOn = addDays(from, -between(rand, 30, 900));
            const aid = pick(rand, ['1H', 'M1', 'L1', '3N', '1U', '7U']);
            if (lapsed.has(k)) {
              const lapse = Math.floor(rand() * Math.max(1, Math.floor(span / 10)));
              gapFrom[m] = lapse;
              ineligibleMembers++;
              periods.push([m, startsOn, addDays(from, lapse), aid], [m, addDays(to, between(rand, 1, 60)), null, aid]);
            } else if (rand() < 0.2 && span > 1) {
              const renewedOn = addDays(from, between(rand, 1, span - 1)); // two periods meeting inside the period
              periods.push([m, startsOn, renewedOn, aid], [m, renewedOn, rand() < 0.5 ? null : addDays(to, between(rand, 1, 400)), aid]);
            } else {
              periods.push([m, startsOn, rand() < 0.7 ? null : addDays(to, between(rand, 1, 400)), aid]);
            }
          }
          eligibilityPeriods += periods.length;
          const memberParams = [...columns(members, 13), o.staffUserId];
          const periodParams = columns(periods, 4);
          await sender.send(
            () =>
              q.query(
            `with src as (select * from unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::char(64)[], $6::text[], $7::text[], $8::text[], $9::char(1)[], $10::text[], $11::text[], $12::text[], $13::char(5)[])
                            as x(idx, id, org, cin, cin_index, birth, first, last, sex, street, city, zip, fips)),
             ins as (insert into beneficiaries (id, organization_id, cin_encrypted, cin_index, birth_date_encrypted, first_name, last_name, sex, street, city, zip, county_fips, created_by)
                     select id, org, cin, cin_index, birth, first, last, sex, street, city, zip, fips, $14::uuid from src)
             insert into bench_members select idx, id from src`,
                memberParams,
              ),
            () =>
              q.query(
                `insert into eligibility_periods (beneficiary_id, starts_on, ends_on, source, aid_code)
                 select m.id, s, e, 'manual', a from unnest($1::int[], $2::date[], $3::date[], $4::text[]) as x(i, s, e, a) join bench_members m on m.idx = x.i`,
                periodParams,
              ),
          );
        }
      }
      log(`members ${memberTotal} (${ineligibleMembers} without eligibility for most of the period): ${((performance.now() - started) / 1000).toFixed(1)} s`);

      // Services: each organization's share placed on distinct (day, slot, peer) cells, then members by slot class.
      const encounterSql = `
        with t as (
          select * from unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::bool[], $14::int[])
            as x(id, peer, day, slot, minutes, component, modality, consent, pos, dx, note, sign_delay, cosigned, care_member)
        ), x as (
          select t.*, p.org_id, p.peer_id, p.site_id, p.user_id, p.supervisor_id, $15::date + t.day as service_date, ($16::time[])[t.slot + 1] as start_time
          from t join bench_peers p on p.idx = t.peer
        ), y as (
          select x.*,
            (case when sign_delay = 0 then service_date + start_time + make_interval(mins => minutes + 20) else service_date + sign_delay + time '09:10' end) at time zone 'America/Los_Angeles' as signed_at,
            (service_date + start_time + make_interval(mins => minutes + 5)) at time zone 'America/Los_Angeles' as created_at
          from x
        )
        insert into encounters (id, organization_id, peer_id, site_id, service_date, start_time, end_time, minutes, component, delivery_system, modality, telehealth_consent,
                                place_of_service, care_plan_reference, diagnosis_code, note_narrative, note_next_steps, signed_by, signed_at, signed_on, cosigned_by, cosigned_at,
                                status, failures, validated_at, version, recorded_by, created_at, updated_at)
        select id, org_id, peer_id, case when pos = 1 then site_id end, service_date, start_time, start_time + make_interval(mins => minutes), minutes,
               ($17::text[])[component], 'SMHS', ($18::text[])[modality], ($19::text[])[consent],
               ($20::text[])[pos], 'CP-' || lpad(care_member::text, 7, '0'), ($21::text[])[dx], ($22::text[])[note], ($23::text[])[note],
               user_id, signed_at, service_date + sign_delay, case when cosigned then supervisor_id end, case when cosigned then signed_at + interval '1 day 2 hours' end,
               'billable', '[]'::jsonb, signed_at, case when cosigned then 3 else 2 end, user_id, created_at,
               case when cosigned then signed_at + interval '1 day 2 hours' else signed_at end
        from y`;
      const vocabulary = [
        from,
        [...SLOTS],
        [...COMPONENTS],
        [...MODALITIES],
        [...CONSENTS],
        [...PLACES],
        [...DIAGNOSES],
        NOTES.map((n) => n[0]),
        NOTES.map((n) => n[1]),
      ];
      const consentIndex = (c: (typeof CONSENTS)[number]) => CONSENTS.indexOf(c) + 1; // 1: none (null), 2 verbal, 3 written
      const participantSql = `insert into encounter_participants (encounter_id, beneficiary_id) select e, m.id from unnest($1::uuid[], $2::int[]) as x(e, i) join bench_members m on m.idx = x.i`;
      let services: unknown[][] = [];
      let participants: unknown[][] = [];
      const flush = async () => {
        const serviceParams = [...columns(services, 14), ...vocabulary];
        const participantParams = columns(participants, 2);
        const some = services.length > 0;
        services = [];
        participants = [];
        if (some) await sender.send(() => q.query(encounterSql, serviceParams), () => q.query(participantSql, participantParams));
      };
      const expected = { lines: 0, claims: 0, readyClaims: 0, heldClaims: 0, heldLines: 0 };
      const perOrg: ScaleOrganization[] = [];
      let groupEncounters = 0;
      let written = 0;
      for (const o of orgs) {
        const P = o.peers;
        const S = SLOTS.length;
        const cells = P * serviceDays.length * S;
        if (o.encounters > cells) throw new Error(`${o.name} has more services than peer slots.`);
        // A random subset of the cells (partial Fisher–Yates), in (day, slot, peer) order.
        const grid = new Int32Array(cells);
        for (let i = 0; i < cells; i++) grid[i] = i;
        for (let i = 0; i < o.encounters; i++) {
          const j = i + Math.floor(rand() * (cells - i));
          const swap = grid[i]!;
          grid[i] = grid[j]!;
          grid[j] = swap;
        }
        const picked = grid.subarray(0, o.encounters).sort();
        const claimKeys = new Map<number, boolean>(); // member × day → held
        const stats = { lines: 0 };
        let base = 0;
        let lastDaySlot = -1;
        for (const cell of picked) {
          const p = cell % P;
          const daySlot = (cell - p) / P;
          const s = daySlot % S;
          const d = (daySlot - s) / S;
          if (daySlot !== lastDaySlot) {
            base = Math.floor(rand() * o.classSize);
            lastDaySlot = daySlot;
          }
          const r = rand();
          const component = r < groupShare ? 2 : r < groupShare + (1 - groupShare) * 0.52 ? 0 : 1;
          const size = component === 2 ? between(rand, 2, 4) : 1;
          if (component === 2) groupEncounters++;
          const [lo, hi] = component === 0 ? [minMinutes, Math.min(60, maxMinutes)] : component === 1 ? [Math.min(20, maxMinutes), maxMinutes] : [Math.min(45, maxMinutes), maxMinutes];
          const minutes = between(rand, Math.max(minMinutes, lo), Math.max(minMinutes, hi));
          const m = rand();
          const modality = component === 2 ? (m < 0.85 ? 0 : 1) : m < 0.75 ? 0 : m < 0.93 ? 1 : 2;
          const consent = modality === 0 ? null : rand() < 0.7 ? 'verbal' : 'written';
          const pos = modality === 0 ? (component === 2 || rand() < 0.55 ? 1 : between(rand, 2, 4)) : between(rand, 5, 6);
          const dayOffset = dayOffsets[d]!;
          const signDelay = rand() < 0.3 ? signSlack[d]! : 0;
          const cosigned = cosignAlways || rand() < 0.6;
          const id = randomUUID();
          const classStart = o.memberBase + Math.floor(s / 2) * o.classSize;
          const first = classStart + ((base + p * 4) % o.classSize);
          for (let j = 0; j < size; j++) {
            const member = classStart + ((base + p * 4 + j) % o.classSize);
            participants.push([id, member]);
            const held = gapFrom[member]! >= 0 && dayOffset >= gapFrom[member]!;
            claimKeys.set(member * span + dayOffset, held);
            stats.lines++;
            if (held) expected.heldLines++;
          }
          services.push([id, o.peerBase + p, dayOffset, s, minutes, component + 1, modality + 1, consentIndex(consent), pos, between(rand, 1, DIAGNOSES.length), component === 2 ? 5 : pick(rand, [1, 2, 3, 4, 6, 7, 8]), signDelay, cosigned, first]);
          if (services.length >= batch) {
            await flush();
            written += batch;
            if (written % 200_000 < batch) log(`services ${written.toLocaleString('en-US')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
          }
        }
        const heldClaims = [...claimKeys.values()].filter(Boolean).length;
        expected.lines += stats.lines;
        expected.claims += claimKeys.size;
        expected.heldClaims += heldClaims;
        perOrg.push({
          id: o.id,
          name: o.name,
          countyFips: o.fips,
          countyName: o.countyName,
          planCode: o.planCode,
          npi: o.npi,
          staffUserId: o.staffUserId,
          peers: o.peers,
          members: 3 * o.classSize,
          encounters: o.encounters,
          lines: stats.lines,
          claims: claimKeys.size,
          heldClaims,
        });
      }
      await flush();
      await sender.drain();
      expected.readyClaims = expected.claims - expected.heldClaims;
      log(`services ${total.toLocaleString('en-US')}, lines ${expected.lines.toLocaleString('en-US')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);

      // The fee schedule: every plan × SMHS × each code and modifiers the rules bill in the period, from the start of
      // the state fiscal year before the period.
      const year = Number(addDays(from, -1).slice(0, 4));
      const fiscalStart = addDays(from, -1) >= `${year}-07-01` ? `${year}-07-01` : `${year - 1}-07-01`;
      const codes = new Map<string, { code: string; modifiers: string }>();
      for (const set of procedureSets) for (const c of COMPONENTS) codes.set(`${set[c].code}|${set[c].modifiers.join(':')}`, { code: set[c].code, modifiers: set[c].modifiers.join(':') });
      const plans = [...new Set(orgs.map((o) => o.planCode))];
      const rates = plans.flatMap((plan) => [...codes.values()].map(({ code, modifiers }) => [plan, code, modifiers, (code === 'H0025' ? 3100 : 2649) + between(rand, -250, 250)]));
      const inserted = (await q.query(
        `insert into fee_schedule_rates (plan_code, delivery_system, procedure_code, modifiers, effective_from, rate_cents, illustrative, source)
         select p, 'SMHS', c, m, $5::date, r, true, $6 from unnest($1::text[], $2::char(5)[], $3::text[], $4::int[]) as x(p, c, m, r)
         on conflict do nothing returning 1`,
        [...columns(rates, 4), fiscalStart, 'Illustrative rates for the claiming benchmark (bench/claims-data.ts)'],
      )) as { rows: unknown[] };
      await q.query('commit');

      await q.query('analyze');
      return {
        from,
        to,
        organizations: perOrg,
        counts: {
          counties: chosen.length,
          organizations: orgs.length,
          supervisors: supervisorTotal,
          peers: peerTotal,
          members: memberTotal,
          ineligibleMembers,
          eligibilityPeriods,
          encounters: total,
          groupEncounters,
          participationChanges,
          feeScheduleRates: inserted.rows.length,
        },
        expected,
        buildOn: { earliest: to, latest: addDays(from, timelyFiling) },
        foreignKeyChecks,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (err) {
      await q.query('rollback').catch(() => undefined);
      throw err;
    }
  } finally {
    release();
  }
}

/** A dedicated database on the server of `serverUrl`: dropped if it exists, created, migrated, reference data loaded. */
export async function openClaimsBenchDatabase(serverUrl: string, name = 'pss_bench_claims'): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error('A database name of lower-case letters, digits and _.');
  const admin = async (sqlText: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sqlText);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDb({ databaseUrl: url.toString() });
  await prepareDatabase(database);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

async function main(): Promise<void> {
  const arg = (key: string, fallback: string) => {
    const at = process.argv.indexOf(`--${key}`);
    return at > 0 ? process.argv[at + 1]! : fallback;
  };
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    console.error('Set TEST_DATABASE_URL to a PostgreSQL server where the bench may create and drop a database (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
    process.exit(2);
  }
  const t0 = performance.now();
  const bench = await openClaimsBenchDatabase(serverUrl, arg('database', 'pss_bench_claims'));
  console.log(`database ${bench.url} created and prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const scale = await loadClaimsScale(bench.database, {
      encounters: Number(arg('encounters', '1000000')),
      counties: Number(arg('counties', '50')),
      from: arg('from', '2026-01-01'),
      to: arg('to', '2026-09-30'),
      seed: Number(arg('seed', '20260801')),
      log: (line) => console.log(`  ${line}`),
    });
    const sizer = new pg.Client({ connectionString: bench.url });
    await sizer.connect();
    const sizes = (await sizer.query(
      `select pg_size_pretty(pg_database_size(current_database())) as db, (select pg_size_pretty(pg_total_relation_size('encounters'))) as enc, (select pg_size_pretty(pg_total_relation_size('encounter_participants'))) as part, (select pg_size_pretty(pg_total_relation_size('beneficiaries'))) as ben`,
    )) as { rows: Array<Record<string, string>> };
    await sizer.end();
    const { counts, expected } = scale;
    const n = (x: number) => x.toLocaleString('en-US');
    console.log(
      [
        `loaded in ${scale.seconds.toFixed(1)} s: ${n(counts.organizations)} organizations in ${n(counts.counties)} counties, ${n(counts.peers)} peers, ${n(counts.supervisors)} supervisors, ` +
          `${n(counts.members)} members (${n(counts.ineligibleMembers)} lapsed), ${n(counts.eligibilityPeriods)} eligibility periods, ${n(counts.encounters)} services (${n(counts.groupEncounters)} groups), ` +
          `${n(counts.feeScheduleRates)} rates, ${n(counts.participationChanges)} participation changes`,
        `a build over ${scale.from}…${scale.to} (on a date from ${scale.buildOn.earliest} to ${scale.buildOn.latest}) makes ${n(expected.lines)} lines on ${n(expected.claims)} claims: ${n(expected.readyClaims)} ready, ${n(expected.heldClaims)} held (${n(expected.heldLines)} lines) by member.not_eligible`,
        `largest organization: ${scale.organizations[0]?.name} with ${n(scale.organizations[0]?.lines ?? 0)} lines`,
        `sizes: database ${sizes.rows[0]?.db}; encounters ${sizes.rows[0]?.enc}, participants ${sizes.rows[0]?.part}, beneficiaries ${sizes.rows[0]?.ben}`,
      ].join('\n'),
    );
  } finally {
    if (process.argv.includes('--drop')) {
      await bench.drop();
      console.log('database dropped');
    } else {
      await bench.database.close();
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
