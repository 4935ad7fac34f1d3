// Reads of protected health information, audited: one row for a record read, one row naming every record of a list
// (a form listing 200 members should not write 200 rows per view). The row names records, never their values.
import { auditContext, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { recordAudit } from './audit.service.ts';

export async function auditRead(db: Db, context: UseCaseContext, read: { action: string; entityType: string; ids: readonly string[]; how: string }): Promise<void> {
  const [first, ...rest] = read.ids;
  if (first === undefined) return;
  const single = rest.length === 0;
  await db.transaction((tx) =>
    recordAudit(tx, {
      ...auditContext(context),
      action: read.action,
      entityType: read.entityType,
      entityId: single ? first : `${read.ids.length} records`,
      changes: single ? [] : [{ field: 'ids', before: null, after: [...read.ids] }],
      reason: read.how,
    }),
  );
}
