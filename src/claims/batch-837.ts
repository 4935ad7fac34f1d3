// A batch's 837P: its claims that are not held (held ones are never sent), marked submitted the first time, the member's CIN and birth date decrypted only into
// the file, a new interchange control number from the sequence the first time the file is made (kept, so the same
// batch always gives the same file), and the file parsed back and checked before anyone may have it.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import { decryptBeneficiary } from '../beneficiaries/beneficiaries.service.ts';
import { hasConnectionPool, queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';
import { reachOrganization } from '../organizations/organization-access.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { moveClaims } from './claim-status.ts';
import { claimBatches } from './claims.schema.ts';
import { check837File, Writer837, type ClaimToSend } from './x12-837p.ts';

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

interface Row837 {
  claim_id: string;
  control_number: string;
  frequency: ClaimToSend['frequency'];
  payer_control_number: string | null;
  place_of_service: string;
  total_cents: number;
  beneficiary_id: string;
  procedure_code: string;
  modifiers: string;
  charge_cents: number;
  units: number;
  line_control_number: string;
  rendering_npi: string | null;
  service_date: string;
  diagnosis_code: string | null;
  peer_first: string;
  peer_last: string;
}

export interface WriteTuning {
  /** Rows read from the cursor at a time: the file is streamed, never held. */
  fetchRows: number;
  /** Decrypted members kept while writing (members recur across a batch's claims); the cache is emptied when full. */
  memberCache: number;
}

const TUNING: WriteTuning = { fetchRows: 5000, memberCache: 50_000 };

export interface Written837 {
  fileName: string;
  claims: number;
  lines: number;
  bytes: number;
}

type Batch = Awaited<ReturnType<typeof reachBatch>>;

/** The file written from a cursor over the batch's claims (all but the held), then read back and checked. */
async function writeChecked(rx: Db, cipher: FieldCipher, { batch, org }: Batch, control: number, path: string, tuning: WriteTuning): Promise<{ claims: number; lines: number }> {
  const parties = (await rulesAsOf(rx, batch.builtOn))['claims.x12_parties'];
  const made = batch.builtAt.toISOString();
  const writer = new Writer837({ interchangeControl: control, date: made.slice(0, 10).replaceAll('-', ''), time: made.slice(11, 16).replace(':', ''), batchReference: `B${control}` }, parties, { name: org.name, npi: org.npi, taxId: org.taxId, street: org.street, city: org.city, state: org.state, zip: org.zip }, org.npi);

  // Every claim of the batch that was not held: after the first file they are submitted (or adjudicated since), and
  // the batch's file stays the same file.
  await rx.execute(sql`declare claims_837 no scroll cursor for
    select c.id as claim_id, c.control_number, c.frequency, c.payer_control_number, c.place_of_service, c.total_cents, c.beneficiary_id,
           l.procedure_code, l.modifiers, l.charge_cents, l.units, l.control_number as line_control_number, l.rendering_npi,
           e.service_date::text, e.diagnosis_code, p.legal_first_name as peer_first, p.legal_last_name as peer_last
    from claims c join claim_lines l on l.claim_id = c.id join encounters e on e.id = l.encounter_id join peers p on p.id = e.peer_id
    where c.batch_id = ${batch.id} and c.state <> 'held'
    order by length(c.control_number), c.control_number, l.line_number`);
  // The file holds members' CINs and birth dates: readable by its owner only.
  // A large buffer: with the default 16 KB the writer waited on the disk every few claims.
  const out = createWriteStream(path, { encoding: 'utf8', mode: 0o600, highWaterMark: 1 << 20 });
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  const members = new Map<string, ReturnType<typeof decryptBeneficiary>>();
  let claimsWritten = 0;
  let lines = 0;
  let pending: Row837[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const first = pending[0]!;
    const member = members.get(first.beneficiary_id)!;
    await write(
      writer.claim({
        controlNumber: first.control_number,
        frequency: first.frequency,
        payerControlNumber: first.payer_control_number,
        placeOfService: first.place_of_service,
        totalCents: first.total_cents,
        member: { id: member.cin, firstName: member.firstName, lastName: member.lastName, birthDate: member.birthDate, sex: member.sex, street: member.street ?? '', city: member.city ?? '', zip: member.zip ?? '' },
        rendering: { firstName: first.peer_first, lastName: first.peer_last, npi: first.rendering_npi ?? '' },
        lines: pending.map((l) => ({ procedureCode: l.procedure_code, modifiers: l.modifiers, chargeCents: l.charge_cents, units: l.units, serviceDate: l.service_date, controlNumber: l.line_control_number, diagnosisCode: l.diagnosis_code ?? '' })),
      }),
    );
    claimsWritten++;
    lines += pending.length;
    pending = [];
  };
  try {
    await write(writer.begin());
    const fetchStatement = sql`fetch ${sql.raw(String(Math.max(1, Math.floor(tuning.fetchRows))))} from claims_837`;
    const fetchPage = () => {
      const page = queryRows<Row837>(rx, fetchStatement);
      // Awaited on the next turn; an error thrown before then must not go unhandled meanwhile.
      page.catch(() => undefined);
      return page;
    };
    let next = fetchPage();
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      // The members this page needs, and the member of a claim carried over from the page before.
      const needed = new Set(rows.map((r) => r.beneficiary_id));
      if (pending.length > 0) needed.add(pending[0]!.beneficiary_id);
      if (members.size + needed.size > tuning.memberCache) members.clear();
      const missing = [...needed].filter((id) => !members.has(id));
      const found = missing.length > 0 ? await rx.select().from(beneficiaries).where(inArray(beneficiaries.id, missing)) : [];
      // The next page is asked for now, so the database reads it while this one is decrypted and written.
      next = fetchPage();
      for (const m of found) members.set(m.id, decryptBeneficiary(cipher, m));
      for (const row of rows) {
        if (pending.length > 0 && pending[0]!.claim_id !== row.claim_id) await flush();
        pending.push(row);
      }
    }
    await flush();
    out.end(writer.end());
    await finished;
  } catch (err) {
    out.destroy();
    await rm(path, { force: true });
    throw err;
  }
  await rx.execute(sql`close claims_837`);
  const problems = await check837File(path);
  // A file that does not read back exactly is a bug here, never something to send.
  if (problems.length > 0) {
    await rm(path, { force: true });
    throw new AppError('internal', `The 837P file failed its own check: ${problems.join(' ')}`);
  }
  return { claims: claimsWritten, lines };
}

/** The batch's interchange control number, drawn from the sequence the first time and kept. */
async function controlNumberOf(db: Db, batch: Batch['batch']): Promise<number> {
  if (batch.interchangeControl !== null) return batch.interchangeControl;
  const [row] = await queryRows<{ n: string }>(db, sql`update claim_batches set interchange_control = coalesce(interchange_control, nextval('x12_interchange_control_seq')) where id = ${batch.id} returning interchange_control::text as n`);
  return Number(row!.n);
}

/**
 * Write a batch's 837P to `path`, streamed from a cursor, then read the file back with node-x12 and check it. A file
 * that fails its check is deleted and refused; one that passes makes the batch's ready claims submitted, and a
 * refused file changes nothing. On PostgreSQL the claims are moved in a second transaction while the file is
 * written (the writer reads a snapshot of them), committed only once the file has read back clean; the embedded
 * database has one connection, so there it is one transaction after the other.
 */
export async function write837File(db: Db, cipher: FieldCipher, batchId: string, path: string, context: UseCaseContext, tuning: WriteTuning = TUNING): Promise<Written837> {
  const reached = await reachBatch(db, batchId, 'claims.manage', context);
  const { batch } = reached;
  const [counts] = await queryRows<{ claims: number }>(db, sql`select count(*)::int as claims from claims where batch_id = ${batch.id} and state <> 'held'`);
  if (!counts || counts.claims === 0) throw new AppError('rule-violation', 'This batch has no claim ready to send: every claim is held by an edit.', [], 'claims.none_ready');
  const control = await controlNumberOf(db, batch);
  const fileNumber = String(control).padStart(9, '0');
  const settle = async (tx: Db, written: { claims: number }) => {
    if (batch.state === 'built') await tx.update(claimBatches).set({ state: 'submitted', submittedAt: new Date() }).where(eq(claimBatches.id, batch.id));
    await recordAudit(tx, { ...auditContext(context), action: 'claims.837.write', entityType: 'claim_batch', entityId: batch.id, changes: [{ field: 'claims', before: null, after: written.claims }] });
  };
  const move = (tx: Db) => moveClaims(tx, { batchId: batch.id, from: 'ready', to: 'submitted', reason: `written to ${fileNumber}` }, context);
  let written: { claims: number; lines: number };
  try {
    if (hasConnectionPool(db)) {
      let fileChecked!: (file: { claims: number; lines: number } | null) => void;
      const checked = new Promise<{ claims: number; lines: number } | null>((resolve) => (fileChecked = resolve));
      const moving = db.transaction(async (tx) => {
        await move(tx);
        const file = await checked;
        if (!file) throw new AppError('internal', 'The 837P file was not written; its claims were not moved.');
        await settle(tx, file);
      });
      try {
        written = await db.transaction((rx) => writeChecked(rx, cipher, reached, control, path, tuning));
        fileChecked(written);
      } catch (err) {
        fileChecked(null);
        await moving.catch(() => undefined);
        throw err;
      }
      await moving;
    } else {
      written = await db.transaction(async (tx) => {
        const file = await writeChecked(tx, cipher, reached, control, path, tuning);
        await move(tx);
        await settle(tx, file);
        return file;
      });
    }
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  const { size } = await stat(path);
  return { fileName: `837P-${fileNumber}.txt`, claims: written.claims, lines: written.lines, bytes: size };
}

/** A batch's 837P as text (a page's or the API's download): written to a private temporary file, read, removed. */
export async function batch837(db: Db, cipher: FieldCipher, batchId: string, context: UseCaseContext): Promise<{ fileName: string; text: string; claims: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'pss-837-'));
  try {
    const written = await write837File(db, cipher, batchId, join(dir, 'file.txt'), context);
    return { fileName: written.fileName, text: await readFile(join(dir, 'file.txt'), 'utf8'), claims: written.claims };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The batches of the organizations in scope, newest first, with their counts by state. */
export async function listBatches(db: Db, organizationIds: 'all' | string[]) {
  if (organizationIds !== 'all' && organizationIds.length === 0) return [];
  return queryRows<{ id: string; organization_id: string; organization: string; period_from: string; period_to: string; state: string; built_on: string; interchange_control: string | null; claims: number; ready: number; held: number; total_cents: number }>(
    db,
    sql`select b.id, b.organization_id, o.name as organization, b.period_from::text, b.period_to::text, b.state, b.built_on::text, b.interchange_control::text,
          count(c.id)::int as claims, count(c.id) filter (where c.state = 'ready')::int as ready, count(c.id) filter (where c.state = 'held')::int as held,
          coalesce(sum(c.total_cents), 0)::float8 as total_cents
        from claim_batches b join provider_organizations o on o.id = b.organization_id left join claims c on c.batch_id = b.id
        ${organizationIds === 'all' ? sql`` : sql`where b.organization_id in ${organizationIds}`}
        group by b.id, o.name order by b.built_at desc`,
  );
}
