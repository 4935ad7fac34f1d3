// Medi-Cal members an organization serves (protected health information). Each organization keeps its own record
// of a member — staff of one organization never reach another's — so the CIN is unique per organization. The CIN
// and birth date are stored only encrypted (AES-256-GCM, src/lib/field-crypto.ts), with a keyed blind index of the
// CIN for exact lookup; nothing else in the database can reproduce them.
import { sql } from 'drizzle-orm';
import { char, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { counties } from '../counties/counties.schema.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';

export const beneficiaries = pgTable(
  'beneficiaries',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    /** Envelope "v1.<kid>.<nonce>.<ciphertext>" of the 9-character CIN. */
    cinEncrypted: text('cin_encrypted').notNull(),
    /** HMAC-SHA256 of the CIN under the index key named in the envelope. */
    cinIndex: char('cin_index', { length: 64 }).notNull(),
    birthDateEncrypted: text('birth_date_encrypted').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    /** F, M or U (unknown), as the 837P's DMG segment carries it. */
    sex: char('sex', { length: 1 }).notNull().default('U'),
    /** The member's street address, which the 837P carries for the subscriber (2010BA N3/N4). */
    street: text('street'),
    city: text('city'),
    zip: text('zip'),
    /** The county responsible for the member's specialty services. */
    countyFips: char('county_fips', { length: 5 })
      .notNull()
      .references(() => counties.fips),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('beneficiaries_org_cin').on(t.organizationId, t.cinIndex), index('beneficiaries_org_name').on(t.organizationId, t.lastName, t.firstName)],
);

/** A period [starts, ends) in which the member is eligible for Medi-Cal, with where the fact came from. */
export const eligibilityPeriods = pgTable(
  'eligibility_periods',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    beneficiaryId: uuid('beneficiary_id')
      .notNull()
      .references(() => beneficiaries.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    /** manual | csv | x12_271 */
    source: text('source').notNull(),
    aidCode: text('aid_code'),
    /** The SHA-256 of the CSV file it came from, if any. */
    importSha256: char('import_sha256', { length: 64 }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('eligibility_periods_member').on(t.beneficiaryId, t.startsOn)],
);
