// Tables of enforcement (PROGRAM.md §10): the holiday calendar that business-day clocks count on, cases (a complaint
// or an appeal) with their clocks, the case file (notes, evidence, contacts), the outcomes decided, the conflicts
// investigators declared, and the reminders sent. Everything about a case is private to enforcement staff; only an
// outcome's public fields (kind, dates, public summary) ever reach the registry.
import { sql } from 'drizzle-orm';
import { char, date, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { applications, certifications, peers } from '../certification/certification.schema.ts';
import { trainingProviders } from '../training/training.schema.ts';

/** Days state offices are closed, as reference data (src/lib/california-holidays.ts generates the seed). */
export const holidays = pgTable(
  'holidays',
  {
    calendar: text('calendar').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    /** When this row is the weekday a weekend holiday is observed on: the holiday's own date. */
    observedFor: date('observed_for', { mode: 'string' }),
  },
  (t) => [uniqueIndex('holidays_calendar_date').on(t.calendar, t.date)],
);

export const caseNumberSeq = pgSequence('enforcement_case_number_seq', { startWith: 1001 });

/**
 * A complaint or an appeal, with its clocks. The due dates are computed from the rules in force on the day it was
 * received and kept on the row, so a later rule change never moves a clock already running.
 */
export const enforcementCases = pgTable(
  'enforcement_cases',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** CMP-2026-001001 for a complaint, APL-2026-001002 for an appeal. */
    number: text('number').notNull(),
    /** complaint | appeal */
    type: text('type').notNull(),
    /** ethics | training_provider | general (complaints); peer | training_provider (appeals: who appeals). */
    kind: text('kind').notNull(),
    /** web | email | mail | phone | portal */
    channel: text('channel').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** open | decided | withdrawn */
    status: text('status').notNull().default('open'),
    priority: text('priority').notNull().default('normal'),
    assignedTo: uuid('assigned_to').references(() => users.id),
    // Who complained or appealed. A signed-in person is linked; anyone else leaves contact details.
    complainantUserId: uuid('complainant_user_id').references(() => users.id),
    complainantName: text('complainant_name'),
    complainantEmail: text('complainant_email'),
    complainantPhone: text('complainant_phone'),
    locale: text('locale').notNull().default('en'),
    // What it is about: a certified peer, a training provider, or the certification process.
    subjectPeerId: uuid('subject_peer_id').references(() => peers.id),
    subjectCertificationId: uuid('subject_certification_id').references(() => certifications.id),
    subjectProviderId: uuid('subject_provider_id').references(() => trainingProviders.id),
    /** What the complainant wrote about whom (a name, a number, a provider), kept as written. */
    subjectDescription: text('subject_description'),
    occurredOn: date('occurred_on', { mode: 'string' }),
    location: text('location'),
    narrative: text('narrative').notNull(),
    /** The filing-limit checks, recomputed whenever the facts they read change: [{code, message}]. */
    flags: jsonb('flags').$type<Array<{ code: string; message: string }>>().notNull().default([]),
    // An appeal: what is appealed (an outcome of another case, an application denial, or a decision with no record
    // here, described), and its grounds (the narrative).
    appealedOutcomeId: uuid('appealed_outcome_id').references((): AnyPgColumn => caseOutcomes.id),
    appealedApplicationId: uuid('appealed_application_id').references(() => applications.id),
    appealedDecision: text('appealed_decision'),
    // Clocks
    acknowledgeBy: date('acknowledge_by', { mode: 'string' }).notNull(),
    acknowledgedOn: date('acknowledged_on', { mode: 'string' }),
    acknowledgedHow: text('acknowledged_how'),
    decideBy: date('decide_by', { mode: 'string' }).notNull(),
    extendedTo: date('extended_to', { mode: 'string' }),
    extensionReason: text('extension_reason'),
    extendedOn: date('extended_on', { mode: 'string' }),
    decidedOn: date('decided_on', { mode: 'string' }),
    outcomeNoticeSentOn: date('outcome_notice_sent_on', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('enforcement_cases_number').on(t.number),
    index('enforcement_cases_open').on(t.status, t.decideBy),
    index('enforcement_cases_subject').on(t.subjectPeerId),
    index('enforcement_cases_assigned').on(t.assignedTo, t.status),
  ],
);

/** A case note: private to enforcement staff, append-only. */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => enforcementCases.id),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_notes_case').on(t.caseId, t.createdAt)],
);

/** A file of evidence, uploaded with a complaint or by staff, kept in document storage. */
export const caseEvidence = pgTable(
  'case_evidence',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => enforcementCases.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    storageKey: text('storage_key').notNull(),
    description: text('description'),
    /** Null: uploaded by the complainant with the public form. */
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_evidence_case').on(t.caseId)],
);

/** Someone the investigator talks to about a case: a witness, the complainant, the subject, an employer. */
export const caseContacts = pgTable(
  'case_contacts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => enforcementCases.id),
    name: text('name').notNull(),
    role: text('role').notNull(),
    email: text('email'),
    phone: text('phone'),
    note: text('note'),
    addedBy: uuid('added_by').references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_contacts_case').on(t.caseId)],
);

/**
 * A decision on a case. For a complaint: dismissed, warning, corrective action, probation, suspension, revocation,
 * renewal denial, or (about a training provider) approval suspension or revocation. For an appeal: upheld (the
 * appealed action is reversed from its effective date) or denied. The status changes it made are linked, so an
 * upheld appeal can reverse exactly them. Only kind, dates and public_summary of a public outcome are disclosed.
 */
export const caseOutcomes = pgTable(
  'case_outcomes',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => enforcementCases.id),
    kind: text('kind').notNull(),
    /** Why (private): the reasons for the decision, a dismissal's reason. */
    reason: text('reason').notNull(),
    /** Probation and corrective-action terms (private). */
    terms: text('terms'),
    startsOn: date('starts_on', { mode: 'string' }),
    /** First day no longer under the action: a suspension lifts, a probation ends (null: open-ended or n/a). */
    endsOn: date('ends_on', { mode: 'string' }),
    /** One or two sentences the registry shows for a public action. */
    publicSummary: text('public_summary'),
    subjectPeerId: uuid('subject_peer_id').references(() => peers.id),
    subjectCertificationId: uuid('subject_certification_id').references(() => certifications.id),
    subjectProviderId: uuid('subject_provider_id').references(() => trainingProviders.id),
    /** The certification status changes this outcome recorded (start, and the automatic lift). */
    statusChangeIds: jsonb('status_change_ids').$type<string[]>().notNull().default([]),
    /** Provider approvals this outcome ended, with the approval resumed after a suspension, if any. */
    approvalIds: jsonb('approval_ids').$type<Array<{ ended: string; resumed: string | null }>>().notNull().default([]),
    /** An upheld appeal that reversed this outcome, and from when. */
    reversedByCaseId: uuid('reversed_by_case_id').references((): AnyPgColumn => enforcementCases.id),
    reversedOn: date('reversed_on', { mode: 'string' }),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('case_outcomes_case').on(t.caseId), index('case_outcomes_certification').on(t.subjectCertificationId), index('case_outcomes_peer').on(t.subjectPeerId), index('case_outcomes_provider').on(t.subjectProviderId)],
);

/**
 * A relationship an investigator declared (or staff recorded) with a peer: they supervise them, are related, or
 * another conflict. Assignment refuses a case about such a peer, as it refuses one about the investigator
 * themselves. Removing one keeps it as history.
 */
export const investigatorConflicts = pgTable(
  'investigator_conflicts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    investigatorId: uuid('investigator_id')
      .notNull()
      .references(() => users.id),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    /** supervises | family | other */
    relation: text('relation').notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('investigator_conflicts_investigator').on(t.investigatorId, t.peerId)],
);

/** Clock reminders sent, one per case, clock, due date and offset, so a job run twice sends nothing twice. */
export const caseReminders = pgTable(
  'case_reminders',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => enforcementCases.id),
    clock: text('clock').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    offsetDays: integer('offset_days').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('case_reminders_once').on(t.caseId, t.clock, t.dueOn, t.offsetDays)],
);
