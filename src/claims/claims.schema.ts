// Medi-Cal claiming (issue 8): fee schedules as effective-dated rates, batches of claims built from billable
// services, claims (one per member per date of service) and their lines (one per service), and every state change.
import { sql } from 'drizzle-orm';
import { bigint, boolean, char, date, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import { behavioralHealthPlans, deliverySystems } from '../counties/counties.schema.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';

/** An edit that failed: a code, a message, and the line it is about (null: the whole claim). */
export interface ClaimEdit {
  code: string;
  message: string;
  line: number | null;
}

/** A CAS adjustment: group (CO, PR, OA, PI), reason code (CARC) and amount in cents. */
export interface Adjustment {
  group: string;
  reason: string;
  cents: number;
}

/** ISA13 / GS06: unique and increasing across every file this platform writes. */
export const interchangeControlSeq = pgSequence('x12_interchange_control_seq', { startWith: 1001 });
/** The number part of each claim's patient control number (CLM01). */
export const claimNumberSeq = pgSequence('claim_number_seq', { startWith: 100001 });

/**
 * The rate for a procedure code (with its modifiers) for one county plan and delivery system, from a date. Rates
 * are only added: a new rate from a later date ends the earlier one.
 */
export const feeScheduleRates = pgTable(
  'fee_schedule_rates',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    planCode: text('plan_code')
      .notNull()
      .references(() => behavioralHealthPlans.code),
    deliverySystem: text('delivery_system')
      .notNull()
      .references(() => deliverySystems.code),
    procedureCode: char('procedure_code', { length: 5 }).notNull(),
    /** Modifiers joined by ':' in order ('' for none). */
    modifiers: text('modifiers').notNull().default(''),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** Per unit, in cents. */
    rateCents: integer('rate_cents').notNull(),
    /** Demo and test schedules say so: they are not DHCS's rates. */
    illustrative: boolean('illustrative').notNull().default(false),
    source: text('source').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('fee_schedule_rates_key').on(t.planCode, t.deliverySystem, t.procedureCode, t.modifiers, t.effectiveFrom)],
);

export const claimBatches = pgTable(
  'claim_batches',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    /** built | submitted */
    state: text('state').notNull().default('built'),
    interchangeControl: bigint('interchange_control', { mode: 'number' }),
    builtOn: date('built_on', { mode: 'string' }).notNull(),
    builtBy: uuid('built_by').references(() => users.id),
    builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [index('claim_batches_org').on(t.organizationId, t.builtAt)],
);

export const claims = pgTable(
  'claims',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => claimBatches.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => providerOrganizations.id),
    beneficiaryId: uuid('beneficiary_id')
      .notNull()
      .references(() => beneficiaries.id),
    serviceDate: date('service_date', { mode: 'string' }).notNull(),
    deliverySystem: text('delivery_system').notNull(),
    /** CLM01, the patient control number the 835 echoes in CLP01. */
    controlNumber: text('control_number').notNull(),
    /** CLM05-3: 1 original, 7 replacement, 8 void. */
    frequency: char('frequency', { length: 1 }).notNull().default('1'),
    replacesClaimId: uuid('replaces_claim_id').references((): AnyPgColumn => claims.id),
    /** CLP07 of the 835 that adjudicated it: what a replacement or void names in REF*F8. */
    payerControlNumber: text('payer_control_number'),
    /** ready | held | submitted | accepted | paid | partly_paid | denied | voided | replaced */
    state: text('state').notNull(),
    placeOfService: char('place_of_service', { length: 2 }).notNull(),
    totalCents: integer('total_cents').notNull(),
    paidCents: integer('paid_cents'),
    edits: jsonb('edits').$type<ClaimEdit[]>().notNull().default([]),
    /** Claim-level adjustments from the 835 (CAS before the first SVC). */
    adjustments: jsonb('adjustments').$type<Adjustment[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // A batch's claims in the order its 837P lists them (C100002 before C1000000): the file's cursor walks this index
  // and hands on its first rows at once, instead of joining and sorting the whole batch first.
  (t) => [uniqueIndex('claims_control_number').on(t.controlNumber), index('claims_batch').on(t.batchId, sql`length(${t.controlNumber})`, t.controlNumber), index('claims_org_date').on(t.organizationId, t.serviceDate)],
);

export const claimLines = pgTable(
  'claim_lines',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    lineNumber: integer('line_number').notNull(),
    procedureCode: char('procedure_code', { length: 5 }).notNull(),
    modifiers: text('modifiers').notNull().default(''),
    units: integer('units').notNull(),
    rateCents: integer('rate_cents').notNull(),
    chargeCents: integer('charge_cents').notNull(),
    /** REF*6R: the line control number the 835 echoes for matching. */
    controlNumber: text('control_number').notNull(),
    renderingNpi: char('rendering_npi', { length: 10 }),
    paidCents: integer('paid_cents'),
    adjustments: jsonb('adjustments').$type<Adjustment[]>().notNull().default([]),
  },
  (t) => [uniqueIndex('claim_lines_control_number').on(t.controlNumber), index('claim_lines_claim').on(t.claimId), index('claim_lines_encounter').on(t.encounterId)],
);

export const claimStateChanges = pgTable(
  'claim_state_changes',
  {
    /** A claim's changes in one transaction share a time: the sequence keeps their order, and a million of them append to the key's index. */
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    reason: text('reason'),
    changedBy: uuid('changed_by').references(() => users.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('claim_state_changes_claim').on(t.claimId)],
);

/** An 835 remittance as received: the file's SHA-256 makes a second import of the same file change nothing. */
export const remittances = pgTable(
  'remittances',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    sha256: char('sha256', { length: 64 }).notNull(),
    fileName: text('file_name').notNull(),
    payerName: text('payer_name'),
    traceNumber: text('trace_number'),
    /** A county's remittance can pass the 2^31 cents of an integer ($21M). */
    paymentCents: bigint('payment_cents', { mode: 'number' }).notNull(),
    paidOn: date('paid_on', { mode: 'string' }),
    claimsMatched: integer('claims_matched').notNull(),
    linesPosted: integer('lines_posted').notNull(),
    unmatched: jsonb('unmatched').$type<Array<{ segment: string; reference: string; reason: string }>>().notNull().default([]),
    receivedBy: uuid('received_by').references(() => users.id),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('remittances_sha256').on(t.sha256)],
);
