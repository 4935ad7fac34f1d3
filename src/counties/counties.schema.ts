// County participation tables. Participation is an append-only list of effective-dated changes:
// a row says "from this date, this county does (or does not) take part in this delivery system".
// The [from, to) periods are derived from consecutive changes, so history is never overwritten.
import { sql } from 'drizzle-orm';
import type { DeliverySystem } from './reference-data.ts';
import { boolean, char, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const deliverySystems = pgTable('delivery_systems', {
  code: text('code').$type<DeliverySystem>().primaryKey(),
  name: text('name').notNull(),
});

/** A county behavioral health plan: the unit that opts in. Most cover one county; Sutter-Yuba covers two. */
export const behavioralHealthPlans = pgTable('behavioral_health_plans', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const counties = pgTable('counties', {
  fips: char('fips', { length: 5 }).primaryKey(),
  name: text('name').notNull().unique(),
  planCode: text('plan_code')
    .notNull()
    .references(() => behavioralHealthPlans.code),
});

/** A discrepancy found in a source page, kept with its import. `county` names the county it is about, if any. */
export interface ImportWarning {
  code: string;
  message: string;
  county?: string;
}

/** One import of the DHCS page: what the page stated, what it listed, and the discrepancies found. */
export const participationImports = pgTable('participation_imports', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  effectiveOn: date('effective_on').notNull(),
  source: text('source').notNull(),
  statedCount: integer('stated_count'),
  listedCount: integer('listed_count').notNull(),
  warnings: jsonb('warnings').$type<ImportWarning[]>().notNull(),
  contentSha256: char('content_sha256', { length: 64 }).notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});

export const participationChanges = pgTable(
  'participation_changes',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    countyFips: char('county_fips', { length: 5 })
      .notNull()
      .references(() => counties.fips),
    deliverySystem: text('delivery_system')
      .$type<DeliverySystem>()
      .notNull()
      .references(() => deliverySystems.code),
    effectiveOn: date('effective_on').notNull(),
    participating: boolean('participating').notNull(),
    source: text('source').notNull(),
    reason: text('reason').notNull(),
    importId: uuid('import_id').references(() => participationImports.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Two changes with the same effective date: the later recorded one is the correction and wins.
    index('participation_changes_lookup').on(t.countyFips, t.deliverySystem, t.effectiveOn, t.recordedAt),
    index('participation_changes_as_of').on(t.effectiveOn),
  ],
);
