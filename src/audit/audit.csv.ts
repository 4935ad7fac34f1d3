// CSV export of audit entries, for auditors: one line per entry, changes as JSON, the hash so a copy can be
// checked against the live log later.
import { stringify } from 'csv-stringify/sync';
import type { AuditRow } from './audit.service.ts';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor_user_id',
  'actor_role',
  'actor_token_id',
  'action',
  'entity_type',
  'entity_id',
  'changes',
  'reason',
  'ip',
  'user_agent',
  'hash',
] as const;

/** `header: false` lets an export write the header once and then page after page. */
export function auditCsv(rows: AuditRow[], options: { header?: boolean } = {}): string {
  return stringify(
    rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor_user_id: r.actorUserId,
      actor_role: r.actorRole,
      actor_token_id: r.actorTokenId,
      action: r.action,
      entity_type: r.entityType,
      entity_id: r.entityId,
      changes: JSON.stringify(r.changes),
      reason: r.reason,
      ip: r.ip,
      user_agent: r.userAgent,
      hash: r.hash,
    })),
    { header: options.header ?? true, columns: [...AUDIT_CSV_COLUMNS] },
  );
}
