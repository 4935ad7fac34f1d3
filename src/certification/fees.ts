// Fees: charged from the fee rules in force on the charge date, settled by a payment reference, a waiver or a
// scholarship. No card data is ever stored; a payment keeps only the processor's reference.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { auditContext, actorUserId, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { applications, fees, peers } from './certification.schema.ts';
import type { FeeKind, Settlement } from './vocabulary.ts';

export type FeeRow = typeof fees.$inferSelect;

const FEE_RULE = { application: 'fee.application', exam: 'fee.exam', exam_retake: 'fee.exam_retake', renewal: 'fee.renewal', reinstatement: 'fee.reinstatement', late_renewal: 'fee.late_renewal' } as const;

/** Charge a fee in the caller's transaction at the amount in force on `chargedOn`. A fee whose amount is 0 (not published) is not charged. */
export async function chargeFee(tx: Db, input: { peerId: string; applicationId: string; kind: FeeKind; chargedOn: string }, context: UseCaseContext): Promise<FeeRow | null> {
  const rules = await rulesAsOf(tx, input.chargedOn);
  const amountCents = rules[FEE_RULE[input.kind]];
  if (amountCents === 0) return null;
  const [fee] = await tx.insert(fees).values({ ...input, amountCents }).returning();
  if (!fee) throw new Error('insert returned no row');
  await recordAudit(tx, { ...auditContext(context), action: 'fee.charge', entityType: 'fee', entityId: fee.id, changes: [{ field: input.kind, before: null, after: amountCents }] });
  return fee;
}

export async function feesOfApplication(db: Db, applicationId: string): Promise<FeeRow[]> {
  return db.select().from(fees).where(eq(fees.applicationId, applicationId)).orderBy(asc(fees.chargedOn));
}

export function unsettled(rows: readonly FeeRow[], kinds?: readonly FeeKind[]): FeeRow[] {
  return rows.filter((f) => f.settledAt === null && (kinds === undefined || kinds.includes(f.kind as FeeKind)));
}

export interface SettleInput {
  feeId: string;
  settlement: Settlement;
  reference?: string | undefined;
  note?: string | undefined;
}

export async function settleFee(db: Db, input: SettleInput, context: UseCaseContext): Promise<FeeRow> {
  requireCan(context, 'fees.settle', 'record fee payments');
  const reference = input.reference?.trim() ?? '';
  if (input.settlement === 'payment' && reference === '') {
    throw new AppError('bad-request', 'A payment needs its reference (receipt or transaction number).', [{ path: 'reference', message: 'Enter the payment reference.' }]);
  }
  if (/\b(?:\d[ -]?){13,19}\b/.test(reference)) {
    // Never store something that looks like a card number.
    throw new AppError('bad-request', 'That looks like a card number; enter the processor’s reference instead.', [{ path: 'reference', message: 'Do not enter card numbers.' }]);
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.feeId)) throw new AppError('not-found', 'No such fee.');
  return db.transaction(async (tx) => {
    const [fee] = await tx.select().from(fees).where(eq(fees.id, input.feeId)).for('update');
    if (!fee) throw new AppError('not-found', 'No such fee.');
    if (fee.settledAt) throw new AppError('conflict', 'This fee is already settled.');
    const [row] = await tx
      .update(fees)
      .set({ settledAt: new Date(), settlement: input.settlement, reference: reference || null, note: input.note?.trim() || null, settledBy: actorUserId(context.actor) })
      .where(eq(fees.id, fee.id))
      .returning();
    if (!row) throw new Error('update returned no row');
    await recordAudit(tx, { ...auditContext(context), action: 'fee.settle', entityType: 'fee', entityId: fee.id, changes: [{ field: 'settlement', before: null, after: input.settlement }] });
    return row;
  });
}

export interface OutstandingFee {
  id: string;
  kind: string;
  amountCents: number;
  chargedOn: string;
  applicationId: string | null;
  applicationNumber: string | null;
  peerName: string;
}

/** Fees charged and not settled, oldest first, with the total. */
export async function outstandingFees(db: Db, context: UseCaseContext, filter: { kind?: FeeKind | undefined } = {}) {
  requireCan(context, 'fees.report', 'see outstanding fees');
  const rows: OutstandingFee[] = await db
    .select({
      id: fees.id,
      kind: fees.kind,
      amountCents: fees.amountCents,
      chargedOn: fees.chargedOn,
      applicationId: fees.applicationId,
      applicationNumber: applications.number,
      peerName: sql<string>`trim(${peers.legalFirstName} || ' ' || ${peers.legalLastName})`,
    })
    .from(fees)
    .innerJoin(peers, eq(peers.id, fees.peerId))
    .leftJoin(applications, eq(applications.id, fees.applicationId))
    .where(and(isNull(fees.settledAt), filter.kind ? eq(fees.kind, filter.kind) : undefined))
    .orderBy(asc(fees.chargedOn));
  return { rows, totalCents: rows.reduce((sum, r) => sum + r.amountCents, 0) };
}
