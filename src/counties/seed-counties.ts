// Reference data for county participation: delivery systems, plans, the 58 counties, and the DHCS page of
// February 2025 as the first participation record. Safe to run on every start: it changes only what differs.
import fs from 'node:fs';
import type { Db } from '../db/client.ts';
import { CALIFORNIA_COUNTIES } from './california-counties.ts';
import { behavioralHealthPlans, counties, deliverySystems } from './counties.schema.ts';
import { importParticipationPage, type ImportPageResult } from './import-participation.ts';
import { DELIVERY_SYSTEMS, behavioralHealthPlans as planDefinitions } from './reference-data.ts';
import { sql } from 'drizzle-orm';

export const INITIAL_PAGE = {
  file: new URL('./data/dhcs-2025-02.txt', import.meta.url),
  effectiveOn: '2025-02-01',
  source: 'DHCS, Medi-Cal Peer Support Services page, "Counties Participating in Peer Support Services" (as of February 2025)',
};

export async function seedCountyReference(db: Db): Promise<void> {
  const plans = planDefinitions();
  const planOf = new Map(plans.flatMap((p) => p.countyFips.map((fips) => [fips, p.code])));
  await db.transaction(async (tx) => {
    await tx
      .insert(deliverySystems)
      .values([...DELIVERY_SYSTEMS])
      .onConflictDoUpdate({ target: deliverySystems.code, set: { name: sql`excluded.name` } });
    await tx
      .insert(behavioralHealthPlans)
      .values(plans.map(({ code, name }) => ({ code, name })))
      .onConflictDoUpdate({ target: behavioralHealthPlans.code, set: { name: sql`excluded.name` } });
    await tx
      .insert(counties)
      .values(CALIFORNIA_COUNTIES.map((c) => ({ fips: c.fips, name: c.name, planCode: planOf.get(c.fips) ?? '' })))
      .onConflictDoUpdate({ target: counties.fips, set: { name: sql`excluded.name`, planCode: sql`excluded.plan_code` } });
  });
}

/**
 * Record the February 2025 DHCS table once. Once recorded it is history like any other import: later corrections,
 * even ones effective the same day, are never undone by the next start.
 */
export async function seedInitialParticipation(db: Db): Promise<ImportPageResult> {
  const text = fs.readFileSync(INITIAL_PAGE.file, 'utf8');
  return importParticipationPage(db, { text, effectiveOn: INITIAL_PAGE.effectiveOn, source: INITIAL_PAGE.source });
}
