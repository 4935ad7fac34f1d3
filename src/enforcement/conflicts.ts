// Conflicts of interest: an investigator may not be assigned a case about themselves or about a peer they supervise
// (or are otherwise conflicted with, as declared). The rule is a pure function over the facts; the facts come from
// the peer's account, the supervision assignments of src/organizations/, and the relationships declared.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, auditContext, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { peers } from '../certification/certification.schema.ts';
import { certificationByNumber } from '../certification/certificate-data.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { supervisesOn } from '../organizations/organizations.service.ts';
import { investigatorConflicts } from './enforcement.schema.ts';
import { CONFLICT_RELATIONS } from './enforcement.vocabulary.ts';

export interface ConflictFacts {
  investigatorId: string;
  /** The account of the peer the case is about, if they have one. */
  subjectUserId: string | null;
  /** Relationships recorded between the investigator and the subject peer. */
  declared: ReadonlyArray<{ relation: string }>;
}

/** Why this investigator may not take the case, or null. */
export function conflictOfInterest(f: ConflictFacts): string | null {
  if (f.subjectUserId !== null && f.subjectUserId === f.investigatorId) return 'An investigator cannot be assigned a case about themselves.';
  const declared = f.declared[0];
  if (!declared) return null;
  return declared.relation === 'supervises'
    ? 'An investigator cannot be assigned a case about someone they supervise.'
    : `The investigator has a declared conflict (${declared.relation}) with the person the case is about.`;
}

/**
 * The facts for an investigator and a subject peer on `today`: the peer's account, a supervision assignment of the
 * investigator over the peer in force that day (src/organizations/), and the relationships declared.
 */
export async function conflictFacts(db: Db, investigatorId: string, subjectPeerId: string | null, today: string): Promise<ConflictFacts> {
  if (!subjectPeerId) return { investigatorId, subjectUserId: null, declared: [] };
  const [peer] = await db.select({ userId: peers.userId }).from(peers).where(eq(peers.id, subjectPeerId));
  if (await supervisesOn(db, investigatorId, subjectPeerId, today)) return { investigatorId, subjectUserId: peer?.userId ?? null, declared: [{ relation: 'supervises' }] };
  const declared = await db
    .select({ relation: investigatorConflicts.relation })
    .from(investigatorConflicts)
    .where(and(eq(investigatorConflicts.investigatorId, investigatorId), eq(investigatorConflicts.peerId, subjectPeerId), isNull(investigatorConflicts.removedAt)))
    // Supervision first, so the reason given is the strongest one recorded.
    .orderBy(sql`${investigatorConflicts.relation} = 'supervises' desc`, investigatorConflicts.recordedAt);
  return { investigatorId, subjectUserId: peer?.userId ?? null, declared };
}

export const DeclareConflictInput = z.object({
  investigatorId: z.string().uuid('Choose an investigator.'),
  number: z.string().trim().toUpperCase().regex(/^PSS-\d{6}$/, 'A certification number looks like PSS-100001.'),
  relation: z.enum(CONFLICT_RELATIONS, { message: 'Choose the relationship.' }),
  note: z.string().trim().max(500).optional(),
});

/** Record that an investigator supervises (or is related to, or otherwise conflicted with) a certified peer. */
export async function declareConflict(db: Db, input: unknown, context: UseCaseContext): Promise<void> {
  requireCan(context, 'enforcement.cases.manage', 'record conflicts of interest');
  const data = parseInput(DeclareConflictInput, input);
  const subject = await certificationByNumber(db, data.number);
  if (!subject) throw new AppError('bad-request', `No certification ${data.number} is on the registry.`, [{ path: 'number', message: 'No such certification.' }]);
  await db.transaction(async (tx) => {
    await tx.insert(investigatorConflicts).values({ investigatorId: data.investigatorId, peerId: subject.peerId, relation: data.relation, note: data.note ?? null, recordedBy: actorUserId(context.actor) });
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'enforcement.conflict.declare',
      entityType: 'user',
      entityId: data.investigatorId,
      changes: [{ field: `conflict with ${subject.number}`, before: null, after: data.relation }],
    });
  });
}
