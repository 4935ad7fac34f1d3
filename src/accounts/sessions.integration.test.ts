// Browser sessions on a real database, with the clock passed in: how long one lasts while used and while idle,
// signing out everywhere, deactivated accounts, and what the sessions table keeps of the cookie (only its hash).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { sessions, users } from './accounts.schema.ts';
import { hashSecret } from './secrets.ts';
import { ABSOLUTE_TIMEOUT_MS, createSession, endAllSessions, endSession, IDLE_TIMEOUT_MS, resolveSession } from './sessions.ts';
import { createPerson } from './testing.ts';

let database: TestDatabase;
let db: Db;

before(async () => {
  database = await createTestDatabase();
  db = database.db;
});
after(() => database.close());

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
/** A fixed morning, so every time below is read as "so long after signing in". */
const SIGNED_IN_AT = new Date('2025-03-03T16:00:00Z');
const at = (ms: number) => new Date(SIGNED_IN_AT.getTime() + ms);

describe('how long a session lasts', () => {
  test('the timeouts are 30 minutes idle and 12 hours in all', () => {
    assert.equal(IDLE_TIMEOUT_MS, 30 * MINUTE);
    assert.equal(ABSOLUTE_TIMEOUT_MS, 12 * HOUR);
  });

  test('a session used every 25 minutes stays open all day, and ends 12 hours after signing in', async () => {
    const person = await createPerson(db, { displayName: 'Grace Kim' });
    const cookie = await createSession(db, person.id, { ip: '203.0.113.5', userAgent: 'Firefox' }, SIGNED_IN_AT);

    let used = 0;
    for (let t = 25 * MINUTE; t < 12 * HOUR; t += 25 * MINUTE) {
      const user = await resolveSession(db, cookie, at(t));
      assert.equal(user?.userId, person.id, `still signed in ${t / MINUTE} minutes after signing in`);
      used++;
    }
    assert.equal(used, 28);
    assert.deepEqual(await resolveSession(db, cookie, at(12 * HOUR - MINUTE)), { userId: person.id, email: person.email, displayName: 'Grace Kim' });

    // Twelve hours after signing in it ends, though it was used a minute ago.
    assert.equal(await resolveSession(db, cookie, at(12 * HOUR)), null);
    assert.equal(await resolveSession(db, cookie, at(12 * HOUR + MINUTE)), null);
  });

  test('30 minutes without a request end a session, and using it again does not bring it back', async () => {
    const person = await createPerson(db);
    const cookie = await createSession(db, person.id, {}, SIGNED_IN_AT);

    // Each request renews the 30 minutes: exactly 30 minutes after the last one it is still open…
    assert.ok(await resolveSession(db, cookie, at(29 * MINUTE)), '29 minutes idle');
    assert.ok(await resolveSession(db, cookie, at(59 * MINUTE)), 'exactly 30 minutes idle');
    // …a second more, and it has ended.
    assert.equal(await resolveSession(db, cookie, at(89 * MINUTE + 1000)), null, '30 minutes and a second idle');
    assert.equal(await resolveSession(db, cookie, at(90 * MINUTE)), null, 'the failed request did not renew it');
  });

  test('a session nobody uses ends 30 minutes after signing in', async () => {
    const person = await createPerson(db);
    const cookie = await createSession(db, person.id, {}, SIGNED_IN_AT);
    assert.equal(await resolveSession(db, cookie, at(IDLE_TIMEOUT_MS + 1000)), null);
  });

  test('a request is not written back more than once a minute, and the idle time counts from the last write', async () => {
    const person = await createPerson(db);
    const cookie = await createSession(db, person.id, {}, SIGNED_IN_AT);
    const lastSeen = async () => (await db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.idHash, hashSecret(cookie))))[0]?.lastSeenAt;

    assert.ok(await resolveSession(db, cookie, at(30 * 1000)));
    assert.deepEqual(await lastSeen(), SIGNED_IN_AT, 'half a minute later: not written');
    assert.ok(await resolveSession(db, cookie, at(2 * MINUTE)));
    assert.deepEqual(await lastSeen(), at(2 * MINUTE), 'two minutes later: written');
  });
});

describe('ending sessions', () => {
  test('signing out ends that session only', async () => {
    const person = await createPerson(db);
    const laptop = await createSession(db, person.id, {}, SIGNED_IN_AT);
    const phone = await createSession(db, person.id, {}, SIGNED_IN_AT);

    await endSession(db, laptop, at(MINUTE));
    assert.equal(await resolveSession(db, laptop, at(2 * MINUTE)), null);
    assert.ok(await resolveSession(db, phone, at(2 * MINUTE)));
  });

  test('signing out everywhere ends every session of that person and nobody else’s', async () => {
    const alice = await createPerson(db, { displayName: 'Alice' });
    const bob = await createPerson(db, { displayName: 'Bob' });
    const aliceLaptop = await createSession(db, alice.id, {}, SIGNED_IN_AT);
    const alicePhone = await createSession(db, alice.id, {}, SIGNED_IN_AT);
    const bobLaptop = await createSession(db, bob.id, {}, SIGNED_IN_AT);
    await endSession(db, alicePhone, at(MINUTE)); // already signed out there

    assert.equal(await endAllSessions(db, alice.id, at(5 * MINUTE)), 1, 'one session was still open');
    assert.equal(await resolveSession(db, aliceLaptop, at(6 * MINUTE)), null);
    assert.equal(await resolveSession(db, alicePhone, at(6 * MINUTE)), null);
    assert.equal((await resolveSession(db, bobLaptop, at(6 * MINUTE)))?.displayName, 'Bob');

    // The phone keeps the time it was really signed out at.
    const [phoneRow] = await db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.idHash, hashSecret(alicePhone)));
    assert.deepEqual(phoneRow?.revokedAt, at(MINUTE));
    assert.equal(await endAllSessions(db, alice.id, at(7 * MINUTE)), 0, 'nothing left to end');
  });

  test('a deactivated person’s session stops working at once', async () => {
    const person = await createPerson(db);
    const cookie = await createSession(db, person.id, {}, SIGNED_IN_AT);
    assert.ok(await resolveSession(db, cookie, at(MINUTE)));

    await db.update(users).set({ deactivatedAt: at(2 * MINUTE) }).where(eq(users.id, person.id));
    assert.equal(await resolveSession(db, cookie, at(3 * MINUTE)), null);
  });
});

describe('what is stored', () => {
  test('the sessions table keeps only the hash of the cookie, which does not work as a cookie', async () => {
    const person = await createPerson(db);
    const cookie = await createSession(db, person.id, { ip: '198.51.100.9', userAgent: 'x'.repeat(500) }, SIGNED_IN_AT);

    // 32 random bytes, URL-safe: nothing in it to guess.
    assert.match(cookie, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(await createSession(db, person.id, {}, SIGNED_IN_AT), cookie);

    const all = await db.select().from(sessions);
    assert.ok(!JSON.stringify(all).includes(cookie), 'the cookie value is stored somewhere in the sessions table');
    const [row] = all.filter((r) => r.idHash === hashSecret(cookie));
    assert.ok(row, 'the session is stored under the SHA-256 of the cookie');
    assert.match(row.idHash, /^[0-9a-f]{64}$/);
    assert.equal(row.userId, person.id);
    assert.equal(row.ip, '198.51.100.9');
    assert.equal(row.userAgent?.length, 300, 'the user agent is cut to 300 characters');
    assert.deepEqual(row.expiresAt, at(12 * HOUR));

    // Someone who reads the table cannot sign in with what they read; unknown values get nobody either.
    assert.equal(await resolveSession(db, row.idHash, at(MINUTE)), null);
    assert.equal(await resolveSession(db, '', at(MINUTE)), null);
    assert.equal(await resolveSession(db, 'not-a-session', at(MINUTE)), null);
    assert.ok(await resolveSession(db, cookie, at(MINUTE)));
  });
});
