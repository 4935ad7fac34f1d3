// The audit log against a real database (PGlite, and PostgreSQL in the suite's second pass): entries live and die
// with the caller's transaction, the hash chain catches edits, deletions and re-linking behind the log's back,
// concurrent appends keep one gapless chain, and search and export find what was recorded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { count, eq, sql } from 'drizzle-orm';
import { openDb, type Database, type Db } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { AppError } from '../lib/errors.ts';
import { AUDIT_CSV_COLUMNS, auditCsv } from './audit.csv.ts';
import { auditLog } from './audit.schema.ts';
import { diffFields, maskChanges, recordAudit, searchAudit, verifyAuditChain, type AuditEntry } from './audit.service.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

const ALICE = '0b6f1e9c-3f7a-4c55-9d0e-5a1f2b3c4d5e';
const BOB = '7c2d4e6f-8a9b-4c0d-9e1f-2a3b4c5d6e7f';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { actor: { userId: ALICE, role: 'admin' }, action: 'peer.update', entityType: 'peer', entityId: 'p-1', ...overrides };
}

async function entryCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog);
  return row?.n ?? 0;
}

/** Append until the log has at least `n` entries, so a test does not depend on the ones before it. */
async function ensureEntries(n: number): Promise<void> {
  for (let have = await entryCount(database.db); have < n; have += 1) {
    await database.db.transaction((tx) => recordAudit(tx, entry({ entityId: `filler-${have}` })));
  }
}

class RolledBack extends Error {}

/** Run `work` in a transaction that is then rolled back: tampering and test data leave the shared log as it was. */
async function inRolledBackTransaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  await database.db
    .transaction(async (tx) => {
      result = { value: await work(tx) };
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  assert.ok(result);
  return result.value;
}

test('an entry written in a transaction that rolls back leaves no audit row', async () => {
  const countBefore = await entryCount(database.db);
  await assert.rejects(
    database.db.transaction(async (tx) => {
      await recordAudit(tx, entry({ action: 'peer.create' }));
      throw new AppError('rule-violation', 'the change is refused after it was audited');
    }),
    AppError,
  );
  assert.equal(await entryCount(database.db), countBefore);
});

test('the chain verifies after 300 entries of varied content, reporting progress batch by batch', async () => {
  for (let i = 0; i < 300; i += 1) {
    await database.db.transaction((tx) =>
      recordAudit(tx, {
        actor: i % 3 === 0 ? {} : { userId: i % 2 ? ALICE : BOB.toUpperCase(), role: 'reviewer', tokenId: i % 5 ? null : BOB },
        action: `action.${i % 4}`,
        entityType: 'peer',
        entityId: `p-${i}`,
        // jsonb reorders keys and rewrites numbers; the hash must not care.
        changes: [{ field: 'profile', before: { zeta: i, alpha: [1.5, null, 'x'], mid: { b: true, a: 1e21 } }, after: null }],
        reason: i % 7 ? null : `reason ${i} with "quotes", commas and ünïcödé`,
        ip: i % 2 ? '192.0.2.1' : null,
        userAgent: i % 11 ? 'Mozilla/5.0' : 'odd\u0000agent\ud800',
      }),
    );
  }
  const total = await entryCount(database.db);
  const calls: Array<[number, number]> = [];
  const result = await verifyAuditChain(database.db, (checked, all) => calls.push([checked, all]), { batchSize: 100 });
  assert.deepEqual(result, { ok: true, checked: total });
  assert.equal(calls.length, Math.ceil(total / 100));
  assert.deepEqual(calls.at(-1), [total, total]);
  assert.ok(calls.every(([, all]) => all === total));

  const defaultBatches: number[] = [];
  assert.deepEqual(await verifyAuditChain(database.db, (checked) => defaultBatches.push(checked)), { ok: true, checked: total });
  assert.deepEqual(defaultBatches, [total], 'one batch of up to 5,000');
});

test('an empty log verifies', async () => {
  const result = await inRolledBackTransaction(async (tx) => {
    await tx.delete(auditLog);
    return verifyAuditChain(tx);
  });
  assert.deepEqual(result, { ok: true, checked: 0 });
});

test('a row edited behind the log’s back is named by verify', async () => {
  await ensureEntries(50);
  const result = await inRolledBackTransaction(async (tx) => {
    await tx.execute(sql`UPDATE audit_log SET reason = 'edited' WHERE seq = 5`);
    return verifyAuditChain(tx);
  });
  assert.deepEqual(result, { ok: false, checked: 4, brokenAt: 5, reason: 'row 5: hash does not match its contents' });
});

test('an edited row whose hash was recomputed breaks the link from the next row', async () => {
  await ensureEntries(50);
  const result = await inRolledBackTransaction(async (tx) => {
    await tx.execute(sql`UPDATE audit_log SET hash = repeat('a', 64) WHERE seq = 9`);
    return verifyAuditChain(tx);
  });
  // Row 9 itself no longer matches; an attacker who also fixed row 9's hash would still break row 10.
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenAt, 9);
});

test('a deleted row is reported as missing', async () => {
  await ensureEntries(50);
  const result = await inRolledBackTransaction(async (tx) => {
    await tx.execute(sql`DELETE FROM audit_log WHERE seq = 7`);
    return verifyAuditChain(tx);
  });
  assert.deepEqual(result, { ok: false, checked: 6, brokenAt: 7, reason: 'row 7 is missing' });

  const first = await inRolledBackTransaction(async (tx) => {
    await tx.execute(sql`DELETE FROM audit_log WHERE seq = 1`);
    return verifyAuditChain(tx);
  });
  assert.deepEqual(first, { ok: false, checked: 0, brokenAt: 1, reason: 'row 1 is missing' });
});

test('a changed prev_hash is reported as a broken link', async () => {
  await ensureEntries(50);
  const result = await inRolledBackTransaction(async (tx) => {
    await tx.execute(sql`UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 41) WHERE seq = 43`);
    return verifyAuditChain(tx);
  });
  assert.deepEqual(result, { ok: false, checked: 42, brokenAt: 43, reason: 'row 43: prev_hash does not match row 42' });

  const genesis = await inRolledBackTransaction(async (tx) => {
    await tx.execute(sql`UPDATE audit_log SET prev_hash = repeat('1', 64) WHERE seq = 1`);
    return verifyAuditChain(tx);
  });
  assert.deepEqual(genesis, { ok: false, checked: 0, brokenAt: 1, reason: 'row 1: prev_hash is not the start of the chain' });
});

test('protected fields are recorded masked; others as they were', async () => {
  const PROTECTED = new Set(['passwordHash', 'cin', 'dateOfBirth']);
  const changes = maskChanges(
    [
      { field: 'passwordHash', before: '$argon2id$old', after: '$argon2id$new' },
      { field: 'cin', before: null, after: '91234567A' },
      { field: 'displayName', before: 'Ana', after: 'Ana María' },
    ],
    PROTECTED,
  );
  const { seq } = await database.db.transaction((tx) => recordAudit(tx, entry({ entityId: 'masked', changes })));
  const [row] = await database.db.select().from(auditLog).where(eq(auditLog.seq, seq));
  assert.deepEqual(row?.changes, [
    { field: 'passwordHash', before: '***', after: '***' },
    { field: 'cin', before: '***', after: '***' },
    { field: 'displayName', before: 'Ana', after: 'Ana María' },
  ]);
  assert.ok(!JSON.stringify(row).includes('argon2'), 'no trace of the secret');
  assert.ok(!JSON.stringify(row).includes('91234567A'));
});

test('diffFields lists only the fields that changed, compared as JSON, masked', () => {
  const before = { name: 'Ana', dob: '1990-01-01', address: { zip: '95814', city: 'Sacramento' }, certifiedAt: new Date('2025-02-01T00:00:00Z'), gone: 1 };
  const after = { name: 'Ana', dob: '1990-01-02', address: { city: 'Sacramento', zip: '95814' }, certifiedAt: '2025-02-01T00:00:00.000Z', added: true };
  assert.deepEqual(diffFields(before, after, new Set(['dob'])), [
    { field: 'dob', before: '***', after: '***' },
    { field: 'gone', before: 1, after: null },
    { field: 'added', before: null, after: true },
  ]);
  assert.deepEqual(diffFields({ a: 1 }, { a: 1 }), []);
});

test('an entry recorded without a surrounding transaction is still chained', async () => {
  await ensureEntries(1);
  const { seq } = await recordAudit(database.db, entry({ entityId: 'standalone' }));
  assert.equal(seq, await entryCount(database.db));
  assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: seq });
});

test('concurrent appends from separate connections keep one valid, gapless chain', async () => {
  // On PostgreSQL two more pools, as two app instances would have; the embedded database has one handle.
  const handles: Database[] = database.url ? await Promise.all([1, 2].map(() => openDb({ databaseUrl: database.url }))) : [database, database];
  const countBefore = await entryCount(database.db);
  const perHandle = 20;
  try {
    await Promise.all(
      handles.map(async (handle, h) => {
        for (let i = 0; i < perHandle; i += 1) {
          await handle.db.transaction(async (tx) => {
            await recordAudit(tx, entry({ entityType: 'concurrency', entityId: `h${h}-${i}` }));
            // Hold the append lock a moment so the other connection has to wait for it.
            await new Promise((resolve) => setTimeout(resolve, 2));
          });
        }
      }),
    );
  } finally {
    if (database.url) await Promise.all(handles.map((handle) => handle.close()));
  }
  const total = await entryCount(database.db);
  assert.equal(total, countBefore + 2 * perHandle);
  assert.deepEqual(await verifyAuditChain(database.db), { ok: true, checked: total });
  const { total: fromBoth } = await searchAudit(database.db, { entityType: 'concurrency' });
  assert.equal(fromBoth, 2 * perHandle);
});

test('searchAudit filters by actor, entity, action and California calendar days, newest first', async () => {
  await inRolledBackTransaction(async (tx) => {
    const add = (e: Partial<AuditEntry>, at: string) =>
      recordAudit(tx, entry({ entityType: 'search', ...e })).then(({ seq }) =>
        // Entries are stamped "now"; move them to the instants under test (inside the rolled-back transaction).
        tx.update(auditLog).set({ at }).where(eq(auditLog.seq, seq)),
      );
    // Around the spring-forward of 2025-03-09: the day starts at 08:00Z (PST) and ends at 07:00Z next day (PDT).
    await add({ entityId: 'a', actor: { userId: ALICE }, action: 'peer.create' }, '2025-03-09T07:59:59.999Z'); // Mar 8, PST
    await add({ entityId: 'b', actor: { userId: BOB }, action: 'peer.update' }, '2025-03-09T08:00:00.000Z'); // Mar 9 00:00 PST
    await add({ entityId: 'b', actor: { userId: ALICE }, action: 'peer.update' }, '2025-03-10T06:59:59.999Z'); // Mar 9 23:59 PDT
    await add({ entityId: 'c', actor: { userId: BOB }, action: 'peer.delete' }, '2025-03-10T07:00:00.000Z'); // Mar 10 00:00 PDT

    const ids = async (filter: Parameters<typeof searchAudit>[1]) => {
      const { rows, total } = await searchAudit(tx, { entityType: 'search', ...filter });
      assert.equal(total, rows.length);
      return rows.map((r) => `${r.entityId}@${r.at}`);
    };
    assert.deepEqual(await ids({}), [
      'c@2025-03-10T07:00:00.000Z',
      'b@2025-03-10T06:59:59.999Z',
      'b@2025-03-09T08:00:00.000Z',
      'a@2025-03-09T07:59:59.999Z',
    ]);
    assert.deepEqual(await ids({ from: '2025-03-09', to: '2025-03-09' }), ['b@2025-03-10T06:59:59.999Z', 'b@2025-03-09T08:00:00.000Z']);
    assert.deepEqual(await ids({ to: '2025-03-08' }), ['a@2025-03-09T07:59:59.999Z']);
    assert.deepEqual(await ids({ from: '2025-03-10' }), ['c@2025-03-10T07:00:00.000Z']);
    assert.deepEqual(await ids({ actorUserId: BOB.toUpperCase() }), ['c@2025-03-10T07:00:00.000Z', 'b@2025-03-09T08:00:00.000Z']);
    assert.deepEqual(await ids({ entityId: 'b', actorUserId: ALICE }), ['b@2025-03-10T06:59:59.999Z']);
    assert.deepEqual(await ids({ action: 'peer.create' }), ['a@2025-03-09T07:59:59.999Z']);
    assert.deepEqual(await ids({ entityType: 'nothing-here' }), []);

    const page = await searchAudit(tx, { entityType: 'search', limit: 2, offset: 1 });
    assert.equal(page.total, 4);
    assert.deepEqual(page.rows.map((r) => r.entityId), ['b', 'b']);

    await assert.rejects(searchAudit(tx, { from: '2025-02-30' }), (err: AppError) => err.kind === 'bad-request');
    await assert.rejects(searchAudit(tx, { actorUserId: 'not-a-uuid' }), (err: AppError) => err.kind === 'bad-request');
    await assert.rejects(searchAudit(tx, { limit: -1 }), (err: AppError) => err.kind === 'bad-request');
  });
});

test('the CSV export has a header and one record per entry', async () => {
  await inRolledBackTransaction(async (tx) => {
    await recordAudit(tx, entry({ entityType: 'csv', entityId: '1', reason: 'plain', changes: [{ field: 'name', before: 'A', after: 'B' }] }));
    await recordAudit(tx, entry({ entityType: 'csv', entityId: '2', reason: 'has, a comma and "quotes"\nand a line break', actor: {} }));
    const { rows } = await searchAudit(tx, { entityType: 'csv' });
    const csv = auditCsv(rows);
    const [header, ...records] = parse(csv) as string[][];
    assert.deepEqual(header, [...AUDIT_CSV_COLUMNS]);
    assert.equal(records.length, 2);
    const byColumn = records.map((r) => Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, r[i]])));
    assert.equal(byColumn[0]?.entity_id, '2');
    assert.equal(byColumn[0]?.reason, 'has, a comma and "quotes"\nand a line break');
    assert.equal(byColumn[0]?.actor_user_id, '');
    assert.deepEqual(JSON.parse(byColumn[1]?.changes ?? ''), [{ field: 'name', before: 'A', after: 'B' }]);
    assert.equal(byColumn[1]?.actor_user_id, ALICE);
    assert.equal(byColumn[1]?.hash, rows[1]?.hash);
    assert.match(byColumn[1]?.at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(auditCsv([]), `${AUDIT_CSV_COLUMNS.join(',')}\n`);
  });
});
