// Provider organizations and the people at work in them (issue 7, first part): county-operated or contracted
// organizations with their NPI, tax id and address, the delivery systems they are contracted for with dates, the
// certified peers they employ (with dates and the peer's individual NPI), supervisors with their qualification, and
// who supervises whom, when. Every period is [starts, ends): ends is the first day no longer covered (null: open).
import { sql } from 'drizzle-orm';
import { char, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { peers } from '../certification/certification.schema.ts';
import { counties, deliverySystems } from '../counties/counties.schema.ts';

export const providerOrganizations = pgTable(
  'provider_organizations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    /** county_operated | contracted */
    kind: text('kind').notNull(),
    /** The organization's (type 2) NPI, check digit verified. */
    npi: char('npi', { length: 10 }).notNull(),
    /** Federal employer identification number, nine digits. */
    taxId: char('tax_id', { length: 9 }).notNull(),
    /** The county whose behavioral health plan it serves (its scope for county administrators). */
    countyFips: char('county_fips', { length: 5 })
      .notNull()
      .references(() => counties.fips),
    street: text('street').notNull(),
    city: text('city').notNull(),
    state: char('state', { length: 2 }).notNull().default('CA'),
    zip: text('zip').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('provider_organizations_npi').on(t.npi), index('provider_organizations_county').on(t.countyFips)],
);

export const organizationContracts = pgTable(
  'organization_contracts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    deliverySystem: text('delivery_system')
      .notNull()
      .references(() => deliverySystems.code),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organization_contracts_org').on(t.organizationId, t.deliverySystem)],
);

export const employments = pgTable(
  'employments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    /** The peer's own (type 1) NPI, as the rendering provider on claims. */
    individualNpi: char('individual_npi', { length: 10 }).notNull(),
    taxonomy: text('taxonomy').notNull().default('175T00000X'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('employments_org').on(t.organizationId, t.peerId), index('employments_peer').on(t.peerId)],
);

/** A person (holding the supervisor role) on record as qualified to supervise peers. */
export const supervisors = pgTable('supervisors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  qualificationBasis: text('qualification_basis').notNull(),
  /** The date the required supervisor training was completed (null: not yet). */
  trainingCompletedOn: date('training_completed_on', { mode: 'string' }),
  recordedBy: uuid('recorded_by').references(() => users.id),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

export const supervisionAssignments = pgTable(
  'supervision_assignments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    supervisorUserId: uuid('supervisor_user_id')
      .notNull()
      .references(() => supervisors.userId),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('supervision_assignments_supervisor').on(t.supervisorUserId, t.peerId), index('supervision_assignments_peer').on(t.peerId)],
);

/** A place an organization delivers services from (a clinic, a drop-in center), with its place-of-service code. */
export const organizationSites = pgTable(
  'organization_sites',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    name: text('name').notNull(),
    street: text('street').notNull(),
    city: text('city').notNull(),
    zip: text('zip').notNull(),
    /** The CMS place-of-service code services here usually carry (11 office, 53 community mental health center, …). */
    placeOfService: char('place_of_service', { length: 2 }).notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organization_sites_org').on(t.organizationId)],
);
