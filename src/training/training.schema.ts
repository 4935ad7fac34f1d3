// Training providers, their approvals (per training type and language, with dates), courses, completion rosters
// and the completions that credit people with core training, specializations and continuing education.
import { sql } from 'drizzle-orm';
import { char, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.ts';
import { documents, peers } from '../certification/certification.schema.ts';

export const trainingProviders = pgTable('training_providers', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  /** individual instructor, agency, or co-providers under a lead agency (PROGRAM.md §9.1). */
  kind: text('kind').notNull(),
  leadAgency: text('lead_agency'),
  contactEmail: text('contact_email').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** People (holding the training_provider role) who act for a provider: its courses and rosters. */
export const trainingProviderMembers = pgTable(
  'training_provider_members',
  {
    providerId: uuid('provider_id')
      .notNull()
      .references(() => trainingProviders.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.userId] })],
);

/**
 * An approval to teach one training type in one language, for [approved_from, approved_to). Ending it early
 * (a sanction, a withdrawal) sets ended_on; completions on or after that date do not credit.
 */
export const providerApprovals = pgTable(
  'provider_approvals',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => trainingProviders.id),
    trainingType: text('training_type').notNull(),
    language: text('language').notNull(),
    approvedFrom: date('approved_from', { mode: 'string' }).notNull(),
    approvedTo: date('approved_to', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    endReason: text('end_reason'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('provider_approvals_provider').on(t.providerId, t.trainingType, t.language)],
);

export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => trainingProviders.id),
    /** core (80-hour), ce (continuing education) or specialization. */
    trainingType: text('training_type').notNull(),
    specialization: text('specialization'),
    language: text('language').notNull(),
    title: text('title').notNull(),
    hours: numeric('hours', { precision: 6, scale: 2, mode: 'number' }).notNull(),
    lawEthicsHours: numeric('law_ethics_hours', { precision: 6, scale: 2, mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('courses_provider').on(t.providerId)],
);

/** An uploaded completion roster (CSV), kept by its SHA-256 so the same file never credits twice. */
export const trainingRosters = pgTable(
  'training_rosters',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id),
    filename: text('filename').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    rowCount: integer('row_count').notNull(),
    credited: integer('credited').notNull(),
    rejections: jsonb('rejections').notNull().default([]),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('training_rosters_once').on(t.courseId, t.sha256)],
);

/** Training a person completed, credited from a roster, recorded by staff with evidence, or imported. */
export const trainingCompletions = pgTable(
  'training_completions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => peers.id),
    courseId: uuid('course_id').references(() => courses.id),
    providerId: uuid('provider_id').references(() => trainingProviders.id),
    trainingType: text('training_type').notNull(),
    specialization: text('specialization'),
    hours: numeric('hours', { precision: 6, scale: 2, mode: 'number' }).notNull(),
    lawEthicsHours: numeric('law_ethics_hours', { precision: 6, scale: 2, mode: 'number' }).notNull().default(0),
    completedOn: date('completed_on', { mode: 'string' }).notNull(),
    /** roster | manual | import */
    source: text('source').notNull(),
    rosterId: uuid('roster_id').references(() => trainingRosters.id),
    evidenceDocumentId: uuid('evidence_document_id').references(() => documents.id),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('training_completions_peer').on(t.peerId, t.completedOn), uniqueIndex('training_completions_once').on(t.peerId, t.courseId, t.completedOn)],
);
