// A batch's 837P: its claims that are not held (held ones are never sent), marked submitted the first time, the member's CIN and birth date decrypted only into
// the file, a new interchange control number from the sequence the first time the file is made (kept, so the same
// batch always gives the same file), and the file parsed back and checked before anyone may have it.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import { decryptBeneficiary } from '../beneficiaries/beneficiaries.service.ts';
import { peers } from '../certification/certification.schema.ts';
import { queryRows, type Db } from '../db/client.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { AppError } from '../lib/errors.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';
import { reachOrganization } from '../organizations/organization-access.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { recordClaimState } from './claim-status.ts';
import { claimBatches, claimLines, claims } from './claims.schema.ts';
import { check837, render837, type ClaimToSend } from './x12-837p.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function reachBatch(db: Db, batchId: string, action: 'claims.read' | 'claims.manage', context: UseCaseContext) {
  const [batch] = UUID.test(batchId) ? await db.select().from(claimBatches).where(eq(claimBatches.id, batchId)) : [];
  if (!batch) throw new AppError('not-found', 'There is no such batch.');
  try {
    const { org } = await reachOrganization(db, batch.organizationId, action, context, 'see this batch');
    return { batch, org };
  } catch (err) {
    if (err instanceof AppError && err.status === 403) throw new AppError('not-found', 'There is no such batch.');
    throw err;
  }
}

export async function batch837(db: Db, cipher: FieldCipher, batchId: string, context: UseCaseContext): Promise<{ fileName: string; text: string; claims: number }> {
  const { batch, org } = await reachBatch(db, batchId, 'claims.manage', context);
  // Every claim of the batch that was not held: after the first file they are submitted (or adjudicated since), and
  // the batch's file stays the same file.
  const ready = await db.select().from(claims).where(and(eq(claims.batchId, batch.id), ne(claims.state, 'held'))).orderBy(asc(claims.controlNumber));
  if (ready.length === 0) throw new AppError('rule-violation', 'This batch has no claim ready to send: every claim is held by an edit.', [], 'claims.none_ready');
  let control = batch.interchangeControl;
  if (control === null) {
    const [{ n }] = (await queryRows<{ n: string }>(db, sql`select nextval('x12_interchange_control_seq')::text as n`)) as [{ n: string }];
    control = Number(n);
    await db.update(claimBatches).set({ interchangeControl: control }).where(eq(claimBatches.id, batch.id));
  }
  const lines = await db
    .select({ line: claimLines, serviceDate: encounters.serviceDate, diagnosisCode: encounters.diagnosisCode, peerFirst: peers.legalFirstName, peerLast: peers.legalLastName })
    .from(claimLines)
    .innerJoin(encounters, eq(encounters.id, claimLines.encounterId))
    .innerJoin(peers, eq(peers.id, encounters.peerId))
    .where(inArray(claimLines.claimId, ready.map((c) => c.id)))
    .orderBy(asc(claimLines.lineNumber));
  const members = new Map((await db.select().from(beneficiaries).where(inArray(beneficiaries.id, [...new Set(ready.map((c) => c.beneficiaryId))]))).map((m) => [m.id, decryptBeneficiary(cipher, m)]));
  const toSend: ClaimToSend[] = ready.map((c) => {
    const own = lines.filter((l) => l.line.claimId === c.id);
    const member = members.get(c.beneficiaryId)!;
    const first = own[0]!;
    return {
      controlNumber: c.controlNumber,
      frequency: c.frequency as ClaimToSend['frequency'],
      payerControlNumber: c.payerControlNumber,
      placeOfService: c.placeOfService,
      totalCents: c.totalCents,
      member: { id: member.cin, firstName: member.firstName, lastName: member.lastName, birthDate: member.birthDate, sex: member.sex, street: member.street ?? '', city: member.city ?? '', zip: member.zip ?? '' },
      rendering: { firstName: first.peerFirst, lastName: first.peerLast, npi: first.line.renderingNpi ?? '' },
      lines: own.map((l) => ({ procedureCode: l.line.procedureCode, modifiers: l.line.modifiers, chargeCents: l.line.chargeCents, units: l.line.units, serviceDate: l.serviceDate, controlNumber: l.line.controlNumber, diagnosisCode: l.diagnosisCode ?? '' })),
    };
  });
  const parties = (await rulesAsOf(db, batch.builtOn))['claims.x12_parties'];
  const made = batch.builtAt;
  const date = made.toISOString().slice(0, 10).replaceAll('-', '');
  const time = made.toISOString().slice(11, 16).replace(':', '');
  const text = render837({ interchangeControl: control, date, time, batchReference: `B${control}` }, parties, { name: org.name, npi: org.npi, taxId: org.taxId, street: org.street, city: org.city, state: org.state, zip: org.zip }, toSend, org.npi);
  const problems = check837(text);
  // A file that does not read back exactly is a bug here, never something to send.
  if (problems.length > 0) throw new AppError('internal', `The 837P file failed its own check: ${problems.join(' ')}`);
  await db.transaction(async (tx) => {
    for (const c of ready.filter((r) => r.state === 'ready')) await recordClaimState(tx, { id: c.id, controlNumber: c.controlNumber, state: 'ready' }, 'submitted', `written to ${String(control).padStart(9, '0')}`, context);
    if (batch.state === 'built') await tx.update(claimBatches).set({ state: 'submitted', submittedAt: new Date() }).where(eq(claimBatches.id, batch.id));
    await recordAudit(tx, { ...auditContext(context), action: 'claims.837.write', entityType: 'claim_batch', entityId: batch.id, changes: [{ field: 'claims', before: null, after: ready.length }] });
  });
  return { fileName: `837P-${String(control).padStart(9, '0')}.txt`, text, claims: ready.length };
}

/** The batches of the organizations in scope, newest first, with their counts by state. */
export async function listBatches(db: Db, organizationIds: 'all' | string[]) {
  if (organizationIds !== 'all' && organizationIds.length === 0) return [];
  return queryRows<{ id: string; organization_id: string; organization: string; period_from: string; period_to: string; state: string; built_on: string; interchange_control: string | null; claims: number; ready: number; held: number; total_cents: number }>(
    db,
    sql`select b.id, b.organization_id, o.name as organization, b.period_from::text, b.period_to::text, b.state, b.built_on::text, b.interchange_control::text,
          count(c.id)::int as claims, count(c.id) filter (where c.state = 'ready')::int as ready, count(c.id) filter (where c.state = 'held')::int as held,
          coalesce(sum(c.total_cents), 0)::int as total_cents
        from claim_batches b join provider_organizations o on o.id = b.organization_id left join claims c on c.batch_id = b.id
        ${organizationIds === 'all' ? sql`` : sql`where b.organization_id in ${organizationIds}`}
        group by b.id, o.name order by b.built_at desc`,
  );
}
