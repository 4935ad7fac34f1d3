// A certifier moves its already-certified peers over from the old system: all rows or none, with a report of every
// refused row, the status history right, and the same file never imported twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { count, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../access/roles.ts';
import type { UseCaseContext } from '../access/context.ts';
import { createPerson } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { AppError } from '../lib/errors.ts';
import { trainingCompletions } from '../training/training.schema.ts';
import { getCertificateData } from './certificate-data.ts';
import { certificationCycles, certifications, peerImports, peers } from './certification.schema.ts';
import { certificationStatusOn } from './certification-status.ts';
import { checkPeerImport, importPeers, type PeerImportProgress } from './import-peers.ts';
import { IMPORT_DAY, certifiedPeers, peerCsv, type CsvRow } from './import-peers.testing.ts';

let database: TestDatabase;
let db: Db;
const staff: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'certification_staff', countyFips: null }] };
const as = (actor: Actor): UseCaseContext => ({ actor, today: IMPORT_DAY, ip: '127.0.0.1', userAgent: 'test' });

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  await createPerson(db, { id: staff.kind === 'user' ? staff.userId : undefined, roles: staff.kind === 'user' ? staff.roles : [] });
});
after(() => database.close());

const file = (rows: readonly CsvRow[], filename = 'peers.csv') => ({ filename, bytes: Buffer.from(peerCsv(rows)) });

async function certificationId(number: string): Promise<string> {
  const [row] = await db.select({ id: certifications.id }).from(certifications).where(eq(certifications.number, number));
  assert.ok(row, `${number} is on record`);
  return row.id;
}

async function tally() {
  const [p] = await db.select({ n: count() }).from(peers);
  const [c] = await db.select({ n: count() }).from(certifications);
  const [t] = await db.select({ n: count() }).from(trainingCompletions);
  const { total: audit } = await searchAudit(db, { limit: 1 });
  return { peers: p?.n, certifications: c?.n, completions: t?.n, audit };
}

function manyPeers(base: number, n: number): CsvRow[] {
  return Array.from({ length: n }, (_, i) => ({
    certification_number: `PSS-${base + i}`,
    legal_first_name: `Peer${i}`,
    legal_last_name: 'Tester',
    pathway: 'initial',
    first_issued_on: '2026-01-15',
    issued_on: '2026-01-15',
    expires_on: '2028-01-15',
    status: 'active',
  }));
}

describe('a clean file', () => {
  test('imports every peer, with the status history, specializations and audit trail it implies', async () => {
    const seen: PeerImportProgress[] = [];
    const result = await importPeers(db, file(certifiedPeers(100000)), as(staff), (p) => seen.push({ ...p }));
    assert.equal(result.status, 'imported', result.error ?? JSON.stringify(result.rejections));
    assert.deepEqual([result.totalRows, result.imported, result.rejections], [5, 5, []]);

    // Ben's certification ran out on 2026-09-15: active the day before, expired from that day.
    const ben = await certificationId('PSS-100002');
    assert.equal(await certificationStatusOn(db, ben, '2026-09-14'), 'active');
    assert.equal(await certificationStatusOn(db, ben, '2026-09-15'), 'expired');
    // Chen was suspended from 2027-01-10, Dana revoked from 2024-06-30 (issued before the renewal fee existed).
    const chen = await certificationId('PSS-100003');
    assert.equal(await certificationStatusOn(db, chen, '2027-01-09'), 'active');
    assert.equal(await certificationStatusOn(db, chen, '2027-01-10'), 'suspended');
    const dana = await certificationId('PSS-100004');
    assert.equal(await certificationStatusOn(db, dana, '2024-06-29'), 'active');
    assert.equal(await certificationStatusOn(db, dana, IMPORT_DAY), 'revoked');
    const statuses = await db.select({ number: certifications.number, status: certifications.status }).from(certifications).where(inArray(certifications.number, ['PSS-100001', 'PSS-100002', 'PSS-100003', 'PSS-100004', 'PSS-100005'])).orderBy(certifications.number);
    assert.deepEqual(statuses.map((s) => s.status), ['active', 'expired', 'suspended', 'revoked', 'active'], 'the status today follows the history');

    // Ana's term and first issue, and her specializations (the undated one on her first issue date) on her certificate.
    const ana = await getCertificateData(db, await certificationId('PSS-100001'), IMPORT_DAY);
    assert.deepEqual([ana.fullName, ana.firstIssuedOn, ana.issuedOn, ana.validThrough, ana.status], ['Ana María López', '2022-11-20', '2026-11-20', '2028-11-19', 'active']);
    assert.deepEqual(ana.specializations, [
      { specialization: 'unhoused', completedOn: '2022-11-20' },
      { specialization: 'crisis_care', completedOn: '2023-04-01' },
    ]);
    const [cycle] = await db.select().from(certificationCycles).where(eq(certificationCycles.certificationId, ana.certificationId));
    assert.equal(cycle?.kind, 'imported');
    const [anaPeer] = await db.select().from(peers).innerJoin(certifications, eq(certifications.peerId, peers.id)).where(eq(certifications.number, 'PSS-100001'));
    assert.deepEqual([anaPeer?.peers.email, anaPeer?.peers.countyFips, anaPeer?.peers.dateOfBirth], ['ana.100000@example.org', '06037', '1985-03-04']);
    const sources = await db.selectDistinct({ source: trainingCompletions.source }).from(trainingCompletions);
    assert.deepEqual(sources, [{ source: 'import' }]);

    const imports = await searchAudit(db, { action: 'certification.import' });
    assert.deepEqual(imports.rows.map((r) => [r.entityId, r.actorUserId]), [[result.id, staff.kind === 'user' ? staff.userId : null]]);
    assert.equal((await searchAudit(db, { action: 'certification.issue' })).total, 5);

    assert.deepEqual(seen[0], { phase: 'validating', processed: 0, total: 5 });
    const writing = seen.filter((p) => p.phase === 'writing').map((p) => p.processed);
    assert.deepEqual(writing, [0, 1, 2, 3, 4, 5], 'progress counts every row written');
  });

  test('cannot be imported twice: the same bytes are refused with a conflict and nothing is written', async () => {
    const before = await tally();
    const [{ n: records } = { n: 0 }] = await db.select({ n: count() }).from(peerImports);
    await assert.rejects(importPeers(db, file(certifiedPeers(100000), 'renamed.csv'), as(staff)), (err: unknown) => err instanceof AppError && err.status === 409 && /already imported/.test(err.message));
    await assert.rejects(checkPeerImport(db, file(certifiedPeers(100000)), as(staff)), /already imported/, 'a dry run says so too');
    assert.deepEqual(await tally(), before);
    const [{ n: after } = { n: 0 }] = await db.select({ n: count() }).from(peerImports);
    assert.equal(after, records, 'not even a record of the attempt');
  });
});

describe('a file with problems', () => {
  test('one bad row among many: nothing is imported, and the report names the row and the reason', async () => {
    const before = await tally();
    const rows = manyPeers(200000, 40);
    rows[21] = { ...rows[21], expires_on: '2026-01-15' }; // spreadsheet row 23
    const result = await importPeers(db, file(rows, 'batch.csv'), as(staff));
    assert.equal(result.status, 'rejected');
    assert.equal(result.totalRows, 40);
    assert.equal(result.imported, 0);
    assert.deepEqual(result.rejections, [{ row: 23, column: 'expires_on', reason: 'expires_on (2026-01-15) must be after issued_on (2026-01-15).' }]);
    assert.deepEqual(await tally(), before, 'no peer, certification, completion or audit row');
    const [stored] = await db.select().from(peerImports).where(eq(peerImports.id, result.id));
    assert.equal(stored?.status, 'rejected');
    assert.deepEqual(stored?.rejections, result.rejections, 'the report is kept with the import');
  });

  test('numbers already on record, an email a person on record has, and an issue date before the program are refused', async () => {
    const applicant = await createPerson(db, { email: 'Applicant.One@example.org' });
    await db.insert(peers).values({ userId: applicant.id, email: 'Applicant.One@example.org', legalFirstName: 'Apple', legalLastName: 'Cant' });
    const rows: CsvRow[] = [
      ...manyPeers(300000, 2),
      { ...certifiedPeers(100000)[4], email: 'eli@example.org' }, // PSS-100005, imported above
      { ...manyPeers(300002, 1)[0], email: 'ANA.100000@example.org' }, // Ana's, in another case
      { ...manyPeers(300003, 1)[0], email: 'applicant.one@example.org' },
      { ...manyPeers(300004, 1)[0], first_issued_on: '2021-06-01', issued_on: '2021-06-01', expires_on: '2023-06-01', status: 'expired', status_effective_on: '2023-06-01' },
    ];
    const before = await tally();
    const result = await importPeers(db, file(rows, 'second.csv'), as(staff));
    assert.equal(result.status, 'rejected');
    assert.deepEqual(
      result.rejections.map((r) => [r.row, r.column]),
      [
        [4, 'certification_number'],
        [5, 'email'],
        [6, 'email'],
        [7, 'first_issued_on'],
      ],
    );
    assert.match(result.rejections[0]?.reason ?? '', /PSS-100005 is already used/);
    assert.match(result.rejections[3]?.reason ?? '', /first_issued_on \(2021-06-01\) is before the program issued certifications \(from 2022-05-02\)/);
    assert.deepEqual(await tally(), before);
  });

  test('a failure while writing rolls every row back and records why, without the row’s data', async () => {
    // A fault the checks cannot foresee: the database refuses the last row's specialization.
    await db.execute(sql`create function refuse_justice_involved() returns trigger language plpgsql as $$
      begin
        if new.specialization = 'justice_involved' then raise exception 'simulated storage failure'; end if;
        return new;
      end $$`);
    await db.execute(sql`create trigger refuse_justice_involved before insert on training_completions for each row execute function refuse_justice_involved()`);
    try {
      const before = await tally();
      const rows = [...manyPeers(400000, 3), { ...manyPeers(400003, 1)[0], legal_first_name: 'Zelda', specializations: 'justice_involved@2024-02-02' }];
      const result = await importPeers(db, file(rows, 'failing.csv'), as(staff));
      assert.equal(result.status, 'failed');
      assert.match(result.error ?? '', /simulated storage failure/);
      assert.doesNotMatch(result.error ?? '', /Zelda|PSS-400003/, 'no bound parameters in the stored message');
      assert.equal(result.imported, 0);
      assert.deepEqual(await tally(), before, 'the three rows written before the failure are gone');
    } finally {
      await db.execute(sql`drop trigger refuse_justice_involved on training_completions`);
      await db.execute(sql`drop function refuse_justice_involved()`);
    }
  });
});

describe('accounts and access', () => {
  test('a peer whose verified account has the row’s email gets the certification on that account', async () => {
    const account = await createPerson(db, { email: 'Fay.Gomez@example.org' });
    const result = await importPeers(db, file([{ ...manyPeers(500000, 1)[0], email: 'fay.gomez@example.org' }, { ...manyPeers(500001, 1)[0], email: 'no.account@example.org' }], 'accounts.csv'), as(staff));
    assert.equal(result.status, 'imported', result.error ?? JSON.stringify(result.rejections));
    const linked = await db.select({ number: certifications.number, userId: peers.userId }).from(peers).innerJoin(certifications, eq(certifications.peerId, peers.id)).where(inArray(certifications.number, ['PSS-500000', 'PSS-500001'])).orderBy(certifications.number);
    assert.deepEqual(linked, [
      { number: 'PSS-500000', userId: account.id },
      { number: 'PSS-500001', userId: null },
    ]);
  });

  test('a dry run reports without writing anything', async () => {
    const before = await tally();
    const [{ n: records } = { n: 0 }] = await db.select({ n: count() }).from(peerImports);
    const clean = await checkPeerImport(db, file(manyPeers(600000, 3)), as(staff));
    assert.deepEqual([clean.totalRows, clean.rejections], [3, []]);
    const refused = await checkPeerImport(db, file([{ ...manyPeers(600000, 1)[0], status: 'lapsed' }]), as(staff));
    assert.deepEqual(refused.rejections.map((r) => [r.row, r.column]), [[2, 'status']]);
    assert.deepEqual(await tally(), before);
    const [{ n: after } = { n: 0 }] = await db.select({ n: count() }).from(peerImports);
    assert.equal(after, records);
  });

  test('only certifying staff and administrators may import', async () => {
    const peer: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] };
    const enforcement: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'enforcement_staff', countyFips: null }] };
    await assert.rejects(importPeers(db, file(manyPeers(700000, 1)), as(peer)), (err: unknown) => err instanceof AppError && err.status === 403);
    await assert.rejects(checkPeerImport(db, file(manyPeers(700000, 1)), as(enforcement)), (err: unknown) => err instanceof AppError && err.status === 403);
    await assert.rejects(importPeers(db, file(manyPeers(700000, 1)), as({ kind: 'anonymous' })), (err: unknown) => err instanceof AppError && err.status === 401);
    const admin: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'system_admin', countyFips: null }] };
    await createPerson(db, { id: admin.kind === 'user' ? admin.userId : undefined, roles: admin.kind === 'user' ? admin.roles : [] });
    assert.equal((await importPeers(db, file(manyPeers(700000, 1)), as(admin))).status, 'imported');
  });

  test('a file that is not UTF-8 text is refused before anything is recorded', async () => {
    await assert.rejects(importPeers(db, { filename: 'latin1.csv', bytes: Buffer.from([0x63, 0x65, 0x72, 0xe9, 0x0a]) }, as(staff)), /not UTF-8 text/);
  });
});
