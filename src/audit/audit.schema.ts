// The audit log: append-only, one row per change (and per read of protected health information), each row
// carrying the hash of the one before it, so an edit behind the log's back breaks the chain.
import { bigint, char, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export interface FieldChange {
  field: string;
  /** Protected fields are masked ("***") before they are recorded. */
  before: unknown;
  after: unknown;
}

export const auditLog = pgTable(
  'audit_log',
  {
    /** Position in the chain: strictly increasing, assigned under a lock. */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    actorTokenId: uuid('actor_token_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    changes: jsonb('changes').$type<FieldChange[]>().notNull(),
    reason: text('reason'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
  },
  (t) => [
    index('audit_log_entity').on(t.entityType, t.entityId),
    index('audit_log_actor').on(t.actorUserId),
    index('audit_log_at').on(t.at),
  ],
);
