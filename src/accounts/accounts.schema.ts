// People who sign in, their roles, sessions, one-time tokens, API tokens, sign-in attempts and outgoing email.
import { sql } from 'drizzle-orm';
import { boolean, char, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { counties } from '../counties/counties.schema.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** As the person typed it; uniqueness and look-ups use lower(email). */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    /** argon2id; null until an invited person sets a password. */
    passwordHash: text('password_hash'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower').on(sql`lower(${t.email})`)],
);

/** A role held by a person, optionally limited to one county (its plan). Revoked rows stay as history. */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').notNull(),
    countyFips: char('county_fips', { length: 5 }).references(() => counties.fips),
    /** A provider organization the grant is limited to (provider staff, supervisors); its county is countyFips. */
    organizationId: uuid('organization_id').references((): AnyPgColumn => providerOrganizations.id),
    grantedBy: uuid('granted_by').references(() => users.id),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('role_assignments_user').on(t.userId)],
);

/** A signed-in browser. Only the SHA-256 of the cookie value is stored. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: char('id_hash', { length: 64 }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

/** Single-use, expiring tokens sent by email: verify an address, reset a password, accept an invitation. */
export const oneTimeTokens = pgTable('one_time_tokens', {
  tokenHash: char('token_hash', { length: 64 }).primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  purpose: text('purpose').$type<'verify-email' | 'reset-password' | 'invite'>().notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Tokens for integrations: shown once, stored hashed, limited to the roles they carry, revocable. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  tokenHash: char('token_hash', { length: 64 }).notNull().unique(),
  roles: jsonb('roles').$type<Array<{ role: string; countyFips: string | null; organizationId?: string | null }>>().notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** Every sign-in attempt, for throttling per account and per address. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    emailLower: text('email_lower').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_attempts_email').on(t.emailLower, t.at), index('sign_in_attempts_ip').on(t.ip, t.at)],
);

/** Outgoing email. Sent over SMTP when configured; otherwise kept here for administrators to read. */
export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  error: text('error'),
});
