// Import the DHCS "Counties Participating in Peer Support Services" page as effective-dated participation.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { recordAudit, type AuditEntry } from '../audit/audit.service.ts';
import { flagServicesAfterParticipationEnded } from './participation-retro-check.ts';
import { participationChanges, participationImports, type ImportWarning } from './counties.schema.ts';
import { participationAsOf } from './counties.service.ts';
import { CALIFORNIA_COUNTIES } from './california-counties.ts';
import { parseParticipationPage, type ParsedCounty, type ParseWarning } from './dhcs-page.parse.ts';
import { behavioralHealthPlans, sortSystems, type DeliverySystem } from './reference-data.ts';

const COUNTY_NAMES: ReadonlyMap<string, string> = new Map(CALIFORNIA_COUNTIES.map((c) => [c.fips, c.name]));

export interface ImportPageInput {
  text: string;
  /** The date the page's table takes effect. */
  effectiveOn: string;
  /** Where the text came from, kept on every row it writes (e.g. the page's title and date). */
  source: string;
  /** Who imports, for the audit log (default: the platform itself, e.g. loading reference data). */
  actor?: AuditEntry['actor'];
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

export type PageWarning = ParseWarning | { code: 'plan_split'; message: string; county?: string };

export interface ReviewedPage {
  counties: ParsedCounty[];
  warnings: PageWarning[];
  statedCount: number | null;
}

export interface ImportPageResult extends ReviewedPage {
  diff: ParticipationDiff;
  /** Participation changed: change rows were written. */
  applied: boolean;
  /** The page was recorded as the source from its effective date (false: this exact page was already recorded). */
  recorded: boolean;
  importId: string | null;
}

/**
 * Counties opt in as behavioral health plans, so counties sharing a plan (Sutter and Yuba) should be listed alike.
 * A page that lists them differently is warned about; what it says is still what gets recorded.
 */
export function checkSharedPlans(counties: ReadonlyArray<ParsedCounty>): PageWarning[] {
  const listed = new Map(counties.map((c) => [c.fips, c.deliverySystems.join(', ') || 'nothing']));
  return behavioralHealthPlans()
    .filter((plan) => plan.countyFips.length > 1)
    .flatMap((plan) => {
      const entries = plan.countyFips.map((fips) => ({ name: COUNTY_NAMES.get(fips) ?? fips, listed: listed.get(fips) ?? 'not listed' }));
      if (new Set(entries.map((e) => e.listed)).size === 1) return [];
      return [
        {
          code: 'plan_split' as const,
          message: `${entries.map((e) => e.name).join(' and ')} share one plan (${plan.name}) but are listed differently: ${entries
            .map((e) => `${e.name}: ${e.listed}`)
            .join('; ')}.`,
        },
      ];
    });
}

/** Parse the page and check it against the reference data, writing nothing. Throws PageFormatError for other text. */
export function reviewParticipationPage(text: string): ReviewedPage {
  const parsed = parseParticipationPage(text);
  return { counties: parsed.counties, statedCount: parsed.statedCount, warnings: [...parsed.warnings, ...checkSharedPlans(parsed.counties)] };
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
function storedWarning({ code, message, county }: PageWarning): ImportWarning {
  const recorded = code === 'both_dmc_and_dmc_ods' ? `${message} Recorded as DMC-ODS: a county runs one or the other.` : message;
  return county ? { code, message: recorded, county } : { code, message: recorded };
}

export function diffParticipation(
  before: ReadonlyMap<string, DeliverySystem[]>,
  after: ReadonlyMap<string, DeliverySystem[]>,
  countyNames: ReadonlyMap<string, string> = COUNTY_NAMES,
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

function pageDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Apply the page as of its effective date, in one transaction: the page is recorded as the source from that date
 * (its stated count and warnings), and one change row is written per county and delivery system that differs from
 * what was recorded for that date. Importing the same page for the same date again writes nothing.
 */
export async function importParticipationPage(db: Db, input: ImportPageInput): Promise<ImportPageResult> {
  const page = reviewParticipationPage(input.text);
  const target = new Map(page.counties.map((c) => [c.fips, systemsToRecord(c.deliverySystems)]));
  const digest = pageDigest(input.text);

  return db.transaction(async (tx) => {
    const [already] = await tx
      .select({ id: participationImports.id })
      .from(participationImports)
      .where(and(eq(participationImports.contentSha256, digest), eq(participationImports.effectiveOn, input.effectiveOn)))
      .limit(1);
    if (already) return { ...page, diff: { added: [], removed: [], changed: [] }, applied: false, recorded: false, importId: null };
    const diff = diffParticipation(await participationAsOf(tx, input.effectiveOn), target);

    const [record] = await tx
      .insert(participationImports)
      .values({
        effectiveOn: input.effectiveOn,
        source: input.source,
        statedCount: page.statedCount,
        listedCount: page.counties.length,
        warnings: page.warnings.map(storedWarning),
        contentSha256: digest,
      })
      .returning({ id: participationImports.id });
    if (!record) throw new Error('insert returned no row');

    const rows = [...diff.added, ...diff.removed, ...diff.changed].flatMap((c) => {
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
    if (rows.length > 0) await tx.insert(participationChanges).values(rows);
    for (const ended of rows.filter((r) => !r.participating)) {
      const countyName = [...diff.removed, ...diff.changed].find((c) => c.fips === ended.countyFips)?.county ?? ended.countyFips;
      await flagServicesAfterParticipationEnded(tx, { fips: ended.countyFips, countyName, deliverySystem: ended.deliverySystem, effectiveOn: ended.effectiveOn });
    }
    await recordAudit(tx, {
      actor: input.actor ?? { role: 'system' },
      action: 'county.participation.import',
      entityType: 'participation_import',
      entityId: record.id,
      changes: [
        { field: 'added', before: null, after: diff.added.map((c) => c.county) },
        { field: 'removed', before: null, after: diff.removed.map((c) => c.county) },
        { field: 'changed', before: null, after: diff.changed.map((c) => c.county) },
      ],
      reason: `${input.source}, effective ${input.effectiveOn}`,
    });
    return { ...page, diff, applied: rows.length > 0, recorded: true, importId: record.id };
  });
}
