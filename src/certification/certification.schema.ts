// Tables of the certification domain: people who apply, their applications, documents, ethics affirmations, fees,
// exam attempts, certifications with their two-year cycles and their effective-dated status changes.
import { sql } from 'drizzle-orm';
import { boolean, char, date, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { counties } from '../counties/counties.schema.ts';
import { SEARCH_NAME_SQL } from '../lib/search-name.ts';

/** A person in the program: an applicant or a certified peer. Imported peers may have no account yet. */
export const peers = pgTable(
  'peers',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id').references(() => users.id),
    /** Exactly as on the government photo ID; the certificate shows it. */
    legalFirstName: text('legal_first_name').notNull(),
    legalMiddleName: text('legal_middle_name'),
    legalLastName: text('legal_last_name').notNull(),
    email: text('email'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    /** The county the peer works or lives in, for the registry's county search. */
    countyFips: char('county_fips', { length: 5 }).references(() => counties.fips),
    preferredLanguage: text('preferred_language').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The legal name folded for the registry's forgiving search (src/lib/search-name.ts): kept by the database. */
    searchName: text('search_name').generatedAlwaysAs(sql.raw(SEARCH_NAME_SQL)),
  },
  (t) => [
    uniqueIndex('peers_user').on(t.userId),
    index('peers_email_lower').on(sql`lower(${t.email})`),
    index('peers_search_name').using('gin', t.searchName.op('gin_trgm_ops')),
    // Exact name keys for bulk verification (functions from migration 0008): the full legal name, and first + last.
    index('peers_name_key').on(sql`pss_name_key(${t.searchName})`),
    index('peers_name_key_first_last').on(sql`pss_name_key(pss_fold_name(${t.legalFirstName} || ' ' || ${t.legalLastName}))`),
  ],
);

export const applicationNumberSeq = pgSequence('application_number_seq', { startWith: 1000 });
export const certificationNumberSeq = pgSequence('certification_number_seq', { startWith: 100001 });

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    number: text('number').notNull(),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    pathway: text('pathway').notNull(),
    status: text('status').notNull().default('draft'),
    /** The applicant's answers, saved at every step of a draft (see application.types.ts for their shape). */
    answers: jsonb('answers').notNull().default({}),
    /** What the reviewer asked to be fixed: [{ field, message }]. */
    revisionItems: jsonb('revision_items').notNull().default([]),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id),
    decisionReason: text('decision_reason'),
    approvedOn: date('approved_on', { mode: 'string' }),
    /** Approval + the rule's months: every step must finish by then. */
    validThrough: date('valid_through', { mode: 'string' }),
    /** For renewal and reinstatement: the certification kept or restored; for the others, the one issued. */
    certificationId: uuid('certification_id'),
    /** The exam vendor's candidate id, given at authorization to test. */
    candidateId: text('candidate_id'),
    examAuthorizedOn: date('exam_authorized_on', { mode: 'string' }),
    /** Loaded from a predecessor system (grandparenting history): not subject to today's submission rules. */
    historical: boolean('historical').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_number').on(t.number),
    uniqueIndex('applications_candidate').on(t.candidateId),
    index('applications_peer').on(t.peerId),
    index('applications_status').on(t.status, t.submittedAt),
  ],
);

/** Each change of an application's status: the timeline, and how the queue knows how long something has waited. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    reason: text('reason'),
  },
  (t) => [index('application_events_application').on(t.applicationId, t.at)],
);

/** An uploaded file; the bytes live in document storage under `storage_key`, never on a public path. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    applicationId: uuid('application_id').references(() => applications.id),
    kind: text('kind').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('documents_application').on(t.applicationId), index('documents_peer').on(t.peerId)],
);

/** A signature of the Code of Ethics: the exact text the person saw, and when. */
export const ethicsAffirmations = pgTable(
  'ethics_affirmations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    applicationId: uuid('application_id').references(() => applications.id),
    codeVersion: text('code_version').notNull(),
    text: text('text').notNull(),
    signedName: text('signed_name').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ethics_affirmations_peer').on(t.peerId)],
);

/** A fee charged, and how it was settled. Amounts in cents. No card data: a payment keeps only its reference. */
export const fees = pgTable(
  'fees',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    applicationId: uuid('application_id').references(() => applications.id),
    kind: text('kind').notNull(),
    amountCents: integer('amount_cents').notNull(),
    chargedOn: date('charged_on', { mode: 'string' }).notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    settlement: text('settlement'),
    reference: text('reference'),
    settledBy: uuid('settled_by').references(() => users.id),
    note: text('note'),
  },
  (t) => [index('fees_application').on(t.applicationId), index('fees_outstanding').on(t.chargedOn).where(sql`settled_at is null`)],
);

export const examAttempts = pgTable(
  'exam_attempts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    attemptNumber: integer('attempt_number').notNull(),
    candidateId: text('candidate_id').notNull(),
    takenOn: date('taken_on', { mode: 'string' }).notNull(),
    result: text('result').notNull(),
    score: integer('score'),
    source: text('source').notNull(),
    importId: uuid('import_id'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('exam_attempts_number').on(t.applicationId, t.attemptNumber), uniqueIndex('exam_attempts_candidate_date').on(t.candidateId, t.takenOn)],
);

/** A vendor results file, kept by its SHA-256 so the same file never posts twice. */
export const examImports = pgTable('exam_imports', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  sha256: char('sha256', { length: 64 }).notNull().unique(),
  filename: text('filename').notNull(),
  rowCount: integer('row_count').notNull(),
  recorded: integer('recorded').notNull(),
  rejections: jsonb('rejections').notNull().default([]),
  importedBy: uuid('imported_by').references(() => users.id),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});

export const certifications = pgTable(
  'certifications',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** Unique and never reused: certifications are never deleted. */
    number: text('number').notNull(),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    /** The status today, kept by the state machine beside the history it writes (the history is the truth). */
    status: text('status').notNull(),
    firstIssuedOn: date('first_issued_on', { mode: 'string' }).notNull(),
    /** The current cycle. */
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    initialPathway: text('initial_pathway').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('certifications_number').on(t.number), uniqueIndex('certifications_peer').on(t.peerId), index('certifications_expires').on(t.status, t.expiresOn)],
);

/** Each two-year term: [issued_on, expires_on). Renewal in time starts the next one on the previous expiry date. */
export const certificationCycles = pgTable(
  'certification_cycles',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    certificationId: uuid('certification_id')
      .notNull()
      .references(() => certifications.id),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    applicationId: uuid('application_id').references(() => applications.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('certification_cycles_start').on(t.certificationId, t.issuedOn)],
);

/**
 * Effective-dated status: from `effective_on` the certification has `status`. Append-only; as of D the latest row
 * with effective_on ≤ D wins (ties: the later recorded_at, which is how a correction is recorded).
 */
export const certificationStatusChanges = pgTable(
  'certification_status_changes',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    certificationId: uuid('certification_id')
      .notNull()
      .references(() => certifications.id),
    status: text('status').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    reasonCode: text('reason_code').notNull(),
    reason: text('reason'),
    applicationId: uuid('application_id').references(() => applications.id),
    /**
     * Set on a change that undoes an earlier one from the same date (an upheld appeal): it restores the status in
     * force before that change. Neither shows in the public history; the status on each date follows the rows as
     * always, the later-recorded row of a date winning.
     */
    reversesChangeId: uuid('reverses_change_id').references((): AnyPgColumn => certificationStatusChanges.id),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The second index serves readers of changes in the order they were recorded (alerts' change detector).
  (t) => [
    index('certification_status_as_of').on(t.certificationId, t.effectiveOn, t.recordedAt),
    index('certification_status_recorded').on(t.recordedAt, t.id),
    // The public history leaves out reversed changes: "is this row reversed?" is a probe, not a scan.
    index('certification_status_reversals').on(t.reversesChangeId).where(sql`reverses_change_id is not null`),
  ],
);

/** Renewal reminders sent, one per certification term and offset, so a job run twice sends nothing twice. */
export const renewalReminders = pgTable(
  'renewal_reminders',
  {
    certificationId: uuid('certification_id')
      .notNull()
      .references(() => certifications.id),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    offsetDays: integer('offset_days').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('renewal_reminders_once').on(t.certificationId, t.expiresOn, t.offsetDays)],
);

/** A bulk import of already-certified peers (migration from a predecessor system). All rows or none. */
export const peerImports = pgTable('peer_imports', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  sha256: char('sha256', { length: 64 }).notNull(),
  filename: text('filename').notNull(),
  status: text('status').notNull(),
  totalRows: integer('total_rows').notNull().default(0),
  processedRows: integer('processed_rows').notNull().default(0),
  imported: integer('imported').notNull().default(0),
  rejections: jsonb('rejections').notNull().default([]),
  error: text('error'),
  importedBy: uuid('imported_by').references(() => users.id),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
