// County participation use cases: what each county offers as of a date, its history, and the import record.
import { and, asc, desc, eq, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { behavioralHealthPlans, counties, deliverySystems, participationChanges, participationImports, type ImportWarning } from './counties.schema.ts';
import { sortSystems, type DeliverySystem } from './reference-data.ts';

export interface CountyParticipation {
  fips: string;
  name: string;
  plan: { code: string; name: string };
  deliverySystems: DeliverySystem[];
}

export interface ImportNote {
  source: string;
  effectiveOn: string;
  statedCount: number | null;
  listedCount: number;
  warnings: ImportWarning[];
}

export interface ParticipationList {
  asOf: string;
  participatingCount: number;
  totals: Record<DeliverySystem, number>;
  /** The most recent import effective on or before the date: what the source page said about itself. */
  source: ImportNote | null;
  counties: CountyParticipation[];
}

export interface ParticipationPeriod {
  deliverySystem: DeliverySystem;
  from: string;
  /** Exclusive end; null while ongoing. */
  to: string | null;
  source: string;
  reason: string;
}

export interface CountyDetail extends CountyParticipation {
  asOf: string;
  plan: { code: string; name: string; counties: Array<{ fips: string; name: string }> };
  history: ParticipationPeriod[];
  /** What the source page in force on `asOf` got wrong or left unclear about this county. */
  sourceNotes: ImportWarning[];
}

/**
 * Delivery systems each county takes part in on `asOf`: the latest change on or before that date wins.
 * One index probe per county and delivery system (a lateral join), so the cost does not grow with history.
 */
export async function participationAsOf(db: Db, asOf: string, fips?: string): Promise<Map<string, DeliverySystem[]>> {
  const latestChange = db
    .select({ participating: participationChanges.participating })
    .from(participationChanges)
    .where(
      and(
        eq(participationChanges.countyFips, counties.fips),
        eq(participationChanges.deliverySystem, deliverySystems.code),
        lte(participationChanges.effectiveOn, asOf),
      ),
    )
    .orderBy(desc(participationChanges.effectiveOn), desc(participationChanges.recordedAt))
    .limit(1)
    .as('latest_change');
  const latest = await db
    .select({ fips: counties.fips, system: deliverySystems.code, participating: latestChange.participating })
    .from(counties)
    .crossJoin(deliverySystems)
    .innerJoinLateral(latestChange, sql`true`)
    .where(fips === undefined ? undefined : eq(counties.fips, fips));
  const byCounty = new Map<string, DeliverySystem[]>();
  for (const row of latest) {
    if (!row.participating) continue;
    byCounty.set(row.fips, sortSystems([...(byCounty.get(row.fips) ?? []), row.system]));
  }
  return byCounty;
}

/** Whether a county takes part in a delivery system on a date. Claims and service validation ask this. */
export async function participatesOn(db: Db, fips: string, system: DeliverySystem, date: string): Promise<boolean> {
  const systems = await participationAsOf(db, date, fips);
  return systems.get(fips)?.includes(system) ?? false;
}

export async function latestImportNote(db: Db, asOf: string): Promise<ImportNote | null> {
  const [row] = await db
    .select()
    .from(participationImports)
    .where(lte(participationImports.effectiveOn, asOf))
    .orderBy(desc(participationImports.effectiveOn), desc(participationImports.importedAt))
    .limit(1);
  if (!row) return null;
  return {
    source: row.source,
    effectiveOn: row.effectiveOn,
    statedCount: row.statedCount,
    listedCount: row.listedCount,
    warnings: row.warnings,
  };
}

/** Counties with their plans, by name: all of them, or those matching `where`. */
async function countiesWithPlans(db: Db, where?: SQL) {
  return db
    .select({ fips: counties.fips, name: counties.name, planCode: behavioralHealthPlans.code, planName: behavioralHealthPlans.name })
    .from(counties)
    .innerJoin(behavioralHealthPlans, eq(counties.planCode, behavioralHealthPlans.code))
    .where(where)
    .orderBy(asc(counties.name));
}

export async function listCountyParticipation(db: Db, asOf: string): Promise<ParticipationList> {
  const [all, byCounty, source] = await Promise.all([countiesWithPlans(db), participationAsOf(db, asOf), latestImportNote(db, asOf)]);
  const totals: Record<DeliverySystem, number> = { DMC: 0, DMC_ODS: 0, SMHS: 0 };
  const list = all.map((c) => {
    const deliverySystems = byCounty.get(c.fips) ?? [];
    for (const s of deliverySystems) totals[s]++;
    return { fips: c.fips, name: c.name, plan: { code: c.planCode, name: c.planName }, deliverySystems };
  });
  return { asOf, participatingCount: byCounty.size, totals, source, counties: list };
}

/** Turn a county's change list into [from, to) periods of participation per delivery system. */
export interface ParticipationChange {
  system: DeliverySystem;
  effectiveOn: string;
  participating: boolean;
  source: string;
  reason: string;
  recordedAt: Date;
}

/**
 * Turn a county's change list into [from, to) periods of participation per delivery system.
 * Changes are applied in effective order; on the same date the later recorded change is the correction.
 */
export function periodsFromChanges(changes: ReadonlyArray<ParticipationChange>): ParticipationPeriod[] {
  const periods: ParticipationPeriod[] = [];
  const open = new Map<DeliverySystem, ParticipationPeriod>();
  const ordered = [...changes].sort(
    (a, b) => a.effectiveOn.localeCompare(b.effectiveOn) || a.recordedAt.getTime() - b.recordedAt.getTime(),
  );
  for (const change of ordered) {
    const current = open.get(change.system);
    if (change.participating && !current) {
      const period = { deliverySystem: change.system, from: change.effectiveOn, to: null, source: change.source, reason: change.reason };
      open.set(change.system, period);
      periods.push(period);
    } else if (!change.participating && current) {
      current.to = change.effectiveOn;
      open.delete(change.system);
    }
  }
  // A correction on the day a period began leaves an empty [d, d) period: it never happened.
  return periods.filter((p) => p.to !== p.from).sort((a, b) => a.from.localeCompare(b.from) || a.deliverySystem.localeCompare(b.deliverySystem));
}

export async function getCounty(db: Db, fips: string, asOf: string): Promise<CountyDetail> {
  const [county] = await countiesWithPlans(db, eq(counties.fips, fips));
  if (!county) throw new AppError('not-found', `No California county has FIPS code ${fips}.`);
  const [planCounties, changes, source, current] = await Promise.all([
    countiesWithPlans(db, eq(counties.planCode, county.planCode)),
    db
      .select({
        system: participationChanges.deliverySystem,
        effectiveOn: participationChanges.effectiveOn,
        participating: participationChanges.participating,
        source: participationChanges.source,
        reason: participationChanges.reason,
        recordedAt: participationChanges.recordedAt,
      })
      .from(participationChanges)
      .where(eq(participationChanges.countyFips, fips)),
    latestImportNote(db, asOf),
    participationAsOf(db, asOf, fips),
  ]);
  const history = periodsFromChanges(changes);
  return {
    asOf,
    fips: county.fips,
    name: county.name,
    plan: { code: county.planCode, name: county.planName, counties: planCounties.map(({ fips, name }) => ({ fips, name })) },
    deliverySystems: current.get(fips) ?? [],
    history,
    sourceNotes: (source?.warnings ?? []).filter((w) => w.county === county.name),
  };
}
