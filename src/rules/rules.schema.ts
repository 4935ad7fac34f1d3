// Program rules as effective-dated data: each row says "from this date, this parameter has this value", with the
// authority it comes from. Rows are only ever added; the value in force on a date is the latest row on or before it.
import { sql } from 'drizzle-orm';
import { date, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';

export const programRules = pgTable(
  'program_rules',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** Where the value comes from (PROGRAM.md source key, a BHIN, a board decision). */
    authority: text('authority').notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('program_rules_key_from').on(t.key, t.effectiveFrom, t.recordedAt)],
);
