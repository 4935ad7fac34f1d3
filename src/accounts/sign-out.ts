// Sign out one session or every session of the person, and audit it.
import type { Db } from '../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { endAllSessions, endSession } from './sessions.ts';

export async function signOut(
  db: Db,
  input: { userId: string; sessionId: string; everywhere: boolean },
  client: { ip?: string | null; userAgent?: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (input.everywhere) await endAllSessions(tx, input.userId);
    else await endSession(tx, input.sessionId);
    await recordAudit(tx, {
      actor: { userId: input.userId },
      action: input.everywhere ? 'auth.sign_out_everywhere' : 'auth.sign_out',
      entityType: 'user',
      entityId: input.userId,
      ...client,
    });
  });
}
