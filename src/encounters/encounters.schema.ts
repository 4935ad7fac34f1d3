// Peer support services as documented: one encounter per service a peer delivered (to one member, or a group with
// its participants), its progress note and signatures, the last validation's failures, and flags raised when a
// fact it relied on was changed afterwards with an earlier effective date (a back-dated suspension, say).
import { sql } from 'drizzle-orm';
import { boolean, char, date, index, integer, jsonb, pgTable, primaryKey, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import { peers } from '../certification/certification.schema.ts';
import { deliverySystems } from '../counties/counties.schema.ts';
import { organizationSites, providerOrganizations } from '../organizations/organizations.schema.ts';

export interface StoredFailure {
  code: string;
  message: string;
  field?: string;
}

export const encounters = pgTable(
  'encounters',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    siteId: uuid('site_id').references(() => organizationSites.id),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    startTime: time('start_time'),
    endTime: time('end_time'),
    minutes: integer('minutes').notNull(),
    /** educational_group | engagement | therapeutic_activity */
    component: text('component').notNull(),
    deliverySystem: text('delivery_system')
      .notNull()
      .references(() => deliverySystems.code),
    /** in_person | video | audio_only */
    modality: text('modality').notNull(),
    /** verbal | written (telehealth only) */
    telehealthConsent: text('telehealth_consent'),
    placeOfService: char('place_of_service', { length: 2 }).notNull(),
    carePlanReference: text('care_plan_reference'),
    /** ICD-10-CM, without the dot (F331): the claim's HI segment. */
    diagnosisCode: text('diagnosis_code'),
    noteNarrative: text('note_narrative').notNull().default(''),
    noteNextSteps: text('note_next_steps').notNull().default(''),
    signedBy: uuid('signed_by').references(() => users.id),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    /** The day the note was signed, in California (what the note deadline is counted against). */
    signedOn: date('signed_on', { mode: 'string' }),
    cosignedBy: uuid('cosigned_by').references(() => users.id),
    cosignedAt: timestamp('cosigned_at', { withTimezone: true }),
    /** draft | billable */
    status: text('status').notNull().default('draft'),
    failures: jsonb('failures').$type<StoredFailure[]>().notNull().default([]),
    validatedAt: timestamp('validated_at', { withTimezone: true }),
    /** Optimistic lock: an update names the version it read. */
    version: integer('version').notNull().default(1),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('encounters_org_date').on(t.organizationId, t.serviceDate),
    index('encounters_peer_date').on(t.peerId, t.serviceDate),
  ],
);

/** The members an encounter served: one for an individual service, several for a group. */
export const encounterParticipants = pgTable(
  'encounter_participants',
  {
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    beneficiaryId: uuid('beneficiary_id')
      .notNull()
      .references(() => beneficiaries.id),
  },
  (t) => [primaryKey({ columns: [t.encounterId, t.beneficiaryId] }), index('encounter_participants_member').on(t.beneficiaryId)],
);

/** A retro-check's finding: a change recorded later, effective on or before the service date, that affects it. */
export const encounterFlags = pgTable(
  'encounter_flags',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    /** certification_status | participation */
    cause: text('cause').notNull(),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    resolved: boolean('resolved').notNull().default(false),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [index('encounter_flags_open').on(t.encounterId).where(sql`not resolved`)],
);
