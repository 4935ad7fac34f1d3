// Import the DHCS "Counties Participating in Peer Support Services" page as effective-dated participation.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { participationChanges, participationImports, type ImportWarning } from './counties.schema.ts';
import { participationAsOf } from './counties.service.ts';
import { CALIFORNIA_COUNTIES } from './california-counties.ts';
import { parseParticipationPage, type ParsedCounty, type ParseWarning } from './dhcs-page.parse.ts';
import { sortSystems, type DeliverySystem } from './reference-data.ts';

const COUNTY_NAMES: ReadonlyMap<string, string> = new Map(CALIFORNIA_COUNTIES.map((c) => [c.fips, c.name]));

export interface ImportPageInput {
  text: string;
  /** The date the page's table takes effect. */
  effectiveOn: string;
  /** Where the text came from, kept on every row it writes (e.g. the page's title and date). */
  source: string;
}

export interface CountyChange {
  fips: string;
  county: string;
  from: DeliverySystem[];
  to: DeliverySystem[];
}

export interface ParticipationDiff {
  /** Counties that took part in nothing and now take part. */
  added: CountyChange[];
  /** Counties that took part and now take part in nothing. */
  removed: CountyChange[];
  /** Counties whose delivery systems changed. */
  changed: CountyChange[];
}

export interface ImportPageResult {
  counties: ParsedCounty[];
  warnings: ParseWarning[];
  statedCount: number | null;
  diff: ParticipationDiff;
  /** False when the page matched what was already recorded: nothing was written. */
  applied: boolean;
  importId: string | null;
}

/**
 * What to record for what the page says. A county runs the DMC State Plan or DMC-ODS, never both; when the page
 * lists both (Kern, February 2025), DMC-ODS is recorded until DHCS confirms, and the page's warning says so.
 */
export function systemsToRecord(listed: ReadonlyArray<DeliverySystem>): DeliverySystem[] {
  const systems = new Set(listed);
  if (systems.has('DMC') && systems.has('DMC_ODS')) systems.delete('DMC');
  return sortSystems(systems);
}

/** The warning as kept with the import, saying what was recorded where the page was contradictory. */
function storedWarning({ code, message, county }: ParseWarning): ImportWarning {
  const recorded = code === 'both_dmc_and_dmc_ods' ? `${message} Recorded as DMC-ODS: a county runs one or the other.` : message;
  return county ? { code, message: recorded, county } : { code, message: recorded };
}

export function diffParticipation(
  before: ReadonlyMap<string, DeliverySystem[]>,
  after: ReadonlyMap<string, DeliverySystem[]>,
  countyNames: ReadonlyMap<string, string>,
): ParticipationDiff {
  const diff: ParticipationDiff = { added: [], removed: [], changed: [] };
  const fipsCodes = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) =>
    (countyNames.get(a) ?? a).localeCompare(countyNames.get(b) ?? b),
  );
  for (const fips of fipsCodes) {
    const from = before.get(fips) ?? [];
    const to = after.get(fips) ?? [];
    if (from.join() === to.join()) continue;
    const change = { fips, county: countyNames.get(fips) ?? fips, from, to };
    if (from.length === 0) diff.added.push(change);
    else if (to.length === 0) diff.removed.push(change);
    else diff.changed.push(change);
  }
  return diff;
}

export function pageDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether this exact text was already applied for this effective date. */
export async function wasImported(db: Db, text: string, effectiveOn: string): Promise<boolean> {
  const [row] = await db
    .select({ id: participationImports.id })
    .from(participationImports)
    .where(and(eq(participationImports.contentSha256, pageDigest(text)), eq(participationImports.effectiveOn, effectiveOn)))
    .limit(1);
  return row !== undefined;
}

/**
 * Apply the page as of its effective date: one change row per county and delivery system that differs from what
 * was recorded for that date. Importing the same page again finds no differences and writes nothing.
 */
export async function importParticipationPage(db: Db, input: ImportPageInput): Promise<ImportPageResult> {
  const parsed = parseParticipationPage(input.text);
  const target = new Map(parsed.counties.map((c) => [c.fips, systemsToRecord(c.deliverySystems)]));

  return db.transaction(async (tx) => {
    const before = await participationAsOf(tx, input.effectiveOn);
    const diff = diffParticipation(before, target, COUNTY_NAMES);
    const result = { counties: parsed.counties, warnings: parsed.warnings, statedCount: parsed.statedCount, diff };
    const changes = [...diff.added, ...diff.removed, ...diff.changed];
    if (changes.length === 0) return { ...result, applied: false, importId: null };

    const [record] = await tx
      .insert(participationImports)
      .values({
        effectiveOn: input.effectiveOn,
        source: input.source,
        statedCount: parsed.statedCount,
        listedCount: parsed.counties.length,
        warnings: parsed.warnings.map(storedWarning),
        contentSha256: pageDigest(input.text),
      })
      .returning({ id: participationImports.id });
    if (!record) throw new Error('insert returned no row');

    const rows = changes.flatMap((c) => {
      const from = new Set(c.from);
      const to = new Set(c.to);
      const touched = sortSystems([...from, ...to]).filter((s) => from.has(s) !== to.has(s));
      return touched.map((system) => ({
        countyFips: c.fips,
        deliverySystem: system,
        effectiveOn: input.effectiveOn,
        participating: to.has(system),
        source: input.source,
        reason: to.has(system) ? 'Listed on the DHCS participation page' : 'No longer listed on the DHCS participation page',
        importId: record.id,
      }));
    });
    await tx.insert(participationChanges).values(rows);
    return { ...result, applied: true, importId: record.id };
  });
}
