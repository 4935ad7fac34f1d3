// Certification alerts end to end over the real database: watch lists, the detector job over the status history,
// email through the outbox, signed webhooks to a real HTTP server, retries with backoff, and who sees what.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { systemContext, type UseCaseContext } from '../access/context.ts';
import type { RoleGrant } from '../access/roles.ts';
import { outbox, users } from '../accounts/accounts.schema.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { changeCertificationStatus } from '../certification/certification-status.ts';
import { certificationStatusChanges } from '../certification/certification.schema.ts';
import { expireCertifications } from '../certification/scheduled-work.ts';
import { personContext } from '../certification/testing.ts';
import type { Db } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { myDeliveries, myNotifications, myWatchList } from './alert-queries.ts';
import { alertCursors, alertDeliveries, alertNotifications } from './alerts.schema.ts';
import { startReceiver, type Receiver } from './alerts.testing.ts';
import { deliverWebhooks, MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from './deliver-webhooks.ts';
import { detectStatusChanges } from './detect-status-changes.ts';
import { addWatches, removeWatch } from './watch-list.ts';
import { deleteWebhook, registerWebhook, rotateWebhookSecret } from './webhook-endpoint.ts';
import { verifySignature } from './webhook-signature.ts';

const TODAY = todayInCalifornia();
const TOMORROW = addDays(TODAY, 1);
/** A term in force today. */
const CURRENT_TERM = { issuedOn: addDays(TODAY, -100), expiresOn: addDays(TODAY, 630) };
const BASE = 'https://pss.example.org';
const DEV = { production: false };
const ALAMEDA = '06001';

let database: TestDatabase;
let db: Db;
const receivers: Receiver[] = [];
before(async () => {
  database = await createTestDatabase();
  db = database.db;
});
after(async () => {
  for (const r of receivers) await r.close();
  await database.close();
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

let numberSeq = 300000;
/** A certified peer with private facts the registry never shows (email, birth date, county). */
async function peer(first: string, last: string, term = CURRENT_TERM) {
  const number = `PSS-${++numberSeq}`;
  const { certificationId } = await certifyPeer(db, { first, middle: 'Q.', last, number, ...term, email: `${first.toLowerCase()}@peer.example`, dateOfBirth: '1985-03-04', countyFips: ALAMEDA });
  return { number, certificationId };
}

const EMPLOYER: RoleGrant = { role: 'provider_staff', countyFips: ALAMEDA };
const COUNTY: RoleGrant = { role: 'county_admin', countyFips: ALAMEDA };
const ANALYST: RoleGrant = { role: 'dhcs_analyst', countyFips: null };

async function watcher(role: RoleGrant): Promise<UseCaseContext & { userId: string; email: string }> {
  const ctx = await personContext(db, TODAY, [role]);
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, ctx.userId));
  assert.ok(user);
  return { ...ctx, email: user.email };
}

async function emailsTo(address: string) {
  return db.select().from(outbox).where(eq(outbox.to, address));
}

/** Detect (as of `now`), then deliver (as of `now`). */
async function runJobs(now = new Date()) {
  const detected = await detectStatusChanges(db, { baseUrl: BASE, now });
  const delivered = await deliverWebhooks(db, { now });
  return { detected, delivered };
}

async function suspend(certificationId: string, effectiveOn = TODAY) {
  await db.transaction((tx) => changeCertificationStatus(tx, { certificationId, to: 'suspended', effectiveOn, reasonCode: 'suspended', reason: 'investigation' }, systemContext('test', TODAY)));
}

function isAppError(status: number, pattern?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, status, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

describe('a status change reaches every watcher once', () => {
  test('the expiry job’s change: one email per watcher (in their language), one signed webhook per registered endpoint; running again sends nothing more', async () => {
    // Earlier changes of the fixtures are not for these watchers: start the detector after them.
    await detectStatusChanges(db, { baseUrl: BASE });
    const cert = await peer('Ana', 'Reyes', { issuedOn: addDays(TOMORROW, -730), expiresOn: TOMORROW });
    const employer = await watcher(EMPLOYER);
    const county = await watcher(COUNTY);
    const analyst = await watcher(ANALYST);
    const employerHook = await receiver();
    const analystHook = await receiver();
    // Watches added before the change (their created_at is before the change's recorded_at).
    await addWatches(db, { numbers: cert.number, locale: 'en' }, employer);
    await addWatches(db, { numbers: [cert.number.toLowerCase()], locale: 'es' }, county);
    await addWatches(db, { numbers: `${cert.number}\n`, locale: 'en' }, analyst);
    const { secret } = await registerWebhook(db, { url: employerHook.url }, employer, DEV);
    const analystSecret = (await registerWebhook(db, { url: analystHook.url }, analyst, DEV)).secret;
    assert.ok(secret && analystSecret);

    const expired = await expireCertifications(db, TOMORROW);
    assert.equal(expired.expired, 1);

    const first = await runJobs();
    assert.equal(first.detected.notified, 3);
    assert.equal(first.detected.emails, 3);
    assert.equal(first.detected.webhooks, 2);
    assert.equal(first.delivered.delivered, 2);

    const [employerMail, ...moreEmployerMail] = await emailsTo(employer.email);
    assert.ok(employerMail);
    assert.equal(moreEmployerMail.length, 0);
    assert.equal(employerMail.subject, `Certification ${cert.number} is now Expired`);
    const longDate = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${TOMORROW}T00:00:00Z`));
    assert.ok(employerMail.text.includes(`changed from Active to Expired, effective ${longDate('en-US')}.`), employerMail.text);
    assert.match(employerMail.text, new RegExp(`${BASE}/registry/${cert.number}`));
    const countyMail = await emailsTo(county.email);
    assert.equal(countyMail.length, 1);
    assert.equal(countyMail[0]?.subject, `La certificación ${cert.number} ahora está Vencida`);
    assert.ok(countyMail[0]?.text.includes(`cambió de Activa a Vencida, a partir del ${longDate('es-US')}.`), countyMail[0]?.text);
    assert.equal((await emailsTo(analyst.email)).length, 1);
    for (const mail of [employerMail, ...countyMail]) assert.doesNotMatch(mail.text, /ana@peer\.example|1985-03-04|06001/);

    assert.equal(employerHook.calls.length, 1);
    const call = employerHook.calls[0];
    assert.ok(call);
    assert.equal(call.headers['content-type'], 'application/json');
    const timestamp = String(call.headers['x-pss-timestamp']);
    const signature = String(call.headers['x-pss-signature']);
    assert.match(signature, /^v1=[0-9a-f]{64}$/);
    assert.equal(verifySignature({ secret, timestamp, body: call.body, signature }), true, 'the receiver verifies the signature with its secret');
    assert.equal(verifySignature({ secret: analystSecret, timestamp, body: call.body, signature }), false, 'another secret does not verify it');
    assert.equal(verifySignature({ secret, timestamp, body: call.body.replace('expired', 'active'), signature }), false, 'a changed body does not verify');

    const payload = JSON.parse(call.body) as Record<string, unknown>;
    assert.equal(call.headers['x-pss-event-id'], payload.id);
    assert.deepEqual(Object.keys(payload).sort(), ['certificationNumber', 'effectiveOn', 'fullName', 'id', 'recordedAt', 'registryUrl', 'statusAfter', 'statusBefore', 'type']);
    assert.deepEqual(
      { ...payload, id: undefined, recordedAt: undefined },
      { id: undefined, type: 'certification.status_changed', certificationNumber: cert.number, fullName: 'Ana Q. Reyes', statusBefore: 'active', statusAfter: 'expired', effectiveOn: TOMORROW, recordedAt: undefined, registryUrl: `${BASE}/registry/${cert.number}` },
    );
    assert.ok(!Number.isNaN(Date.parse(String(payload.recordedAt))));
    for (const forbidden of [/email/i, /dateOfBirth|birth/i, /county/i, /application/i, /fee/i, /ana@peer\.example/, /1985-03-04/, /06001/]) {
      assert.doesNotMatch(call.body, forbidden, `the payload has nothing matching ${forbidden}`);
    }
    assert.equal(analystHook.calls.length, 1);
    assert.notEqual(analystHook.calls[0]?.headers['x-pss-event-id'], call.headers['x-pss-event-id'], 'one event per watcher');

    // Again, and again reading far back: nothing new.
    const second = await runJobs();
    assert.equal(second.detected.notified, 0);
    assert.equal(second.delivered.due, 0);
    await detectStatusChanges(db, { baseUrl: BASE, overlapSeconds: 30 * 24 * 3600 });
    await deliverWebhooks(db);
    assert.equal((await emailsTo(employer.email)).length, 1);
    assert.equal((await emailsTo(county.email)).length, 1);
    assert.equal(employerHook.calls.length, 1);
    assert.equal(analystHook.calls.length, 1);
    assert.equal((await myNotifications(db, employer)).length, 1);
  });

  test('a change committed after newer ones were read is still found (the overlap), and told once', async () => {
    const late = await peer('Luis', 'Ortega');
    const early = await peer('Mei', 'Chen');
    const employer = await watcher(EMPLOYER);
    await addWatches(db, { numbers: [late.number, early.number] }, employer);

    await suspend(early.certificationId);
    assert.equal((await detectStatusChanges(db, { baseUrl: BASE })).notified, 1);
    // A transaction that began before the change just read commits only now: its row is older than the cursor.
    await db.transaction(async (tx) => {
      await changeCertificationStatus(tx, { certificationId: late.certificationId, to: 'suspended', effectiveOn: TODAY, reasonCode: 'suspended' }, systemContext('test', TODAY));
      // Its transaction began after the watch was added and before the change already read was recorded.
      await tx.execute(sql`update certification_status_changes set recorded_at = (select created_at + interval '1 microsecond' from alert_watches where user_id = ${employer.userId} and removed_at is null limit 1)
        where certification_id = ${late.certificationId} and status = 'suspended'`);
    });
    const [lateRow] = await db.select().from(certificationStatusChanges).where(and(eq(certificationStatusChanges.certificationId, late.certificationId), eq(certificationStatusChanges.status, 'suspended')));
    const [cursor] = await db.select().from(alertCursors);
    assert.ok(lateRow && cursor && lateRow.recordedAt < cursor.recordedAt, 'the late row is older than the cursor');
    const rerun = await detectStatusChanges(db, { baseUrl: BASE });
    assert.equal(rerun.notified, 1, 'the late row is found through the overlap');
    assert.equal((await detectStatusChanges(db, { baseUrl: BASE })).notified, 0, 'and not told twice');
    const told = await myNotifications(db, employer);
    assert.deepEqual(told.map((n) => [n.number, n.statusBefore, n.statusAfter]).sort(), [
      [early.number, 'active', 'suspended'],
      [late.number, 'active', 'suspended'],
    ].sort());
  });

  test('a removed watch, a watch added after the change, and a watcher who lost the role hear nothing', async () => {
    const cert = await peer('Rosa', 'Lima');
    const removed = await watcher(EMPLOYER);
    await addWatches(db, { numbers: cert.number }, removed);
    await removeWatch(db, { number: cert.number }, removed);
    const demoted = await watcher(COUNTY);
    await addWatches(db, { numbers: cert.number }, demoted);
    await db.execute(sql`update role_assignments set revoked_at = now() where user_id = ${demoted.userId}`);
    await suspend(cert.certificationId);
    const latecomer = await watcher(ANALYST);
    await addWatches(db, { numbers: cert.number }, latecomer);
    const run = await detectStatusChanges(db, { baseUrl: BASE });
    assert.equal(run.notified, 0);
    for (const person of [removed, demoted, latecomer]) assert.equal((await emailsTo(person.email)).length, 0);
  });
});

describe('webhook delivery', () => {
  test('a 500 is retried after the first backoff, the 200 that follows delivers it, and the log shows both attempts', async () => {
    const cert = await peer('Iris', 'Park');
    const employer = await watcher(EMPLOYER);
    const hook = await receiver((n) => (n === 0 ? 500 : 200));
    await addWatches(db, { numbers: cert.number }, employer);
    const { secret } = await registerWebhook(db, { url: hook.url }, employer, DEV);
    assert.ok(secret);
    await suspend(cert.certificationId);

    const t0 = new Date();
    const first = await runJobs(t0);
    assert.equal(first.delivered.retrying, 1);
    let [delivery] = await myDeliveries(db, employer);
    assert.ok(delivery);
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.lastStatusCode, 500);
    assert.equal(delivery.nextAttemptAt?.getTime(), t0.getTime() + (RETRY_DELAYS_SECONDS[0] ?? 0) * 1000, 'retried one minute later');

    assert.equal((await deliverWebhooks(db, { now: new Date(t0.getTime() + 30_000) })).due, 0, 'not before its time');
    const retry = await deliverWebhooks(db, { now: new Date(t0.getTime() + 61_000) });
    assert.equal(retry.delivered, 1);

    [delivery] = await myDeliveries(db, employer);
    assert.ok(delivery);
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.attempts, 2);
    assert.equal(delivery.nextAttemptAt, null);
    assert.deepEqual(delivery.attemptLog.map((a) => [a.attemptNumber, a.statusCode, a.error, a.url]), [
      [1, 500, 'HTTP 500', hook.url],
      [2, 200, null, hook.url],
    ]);
    assert.ok(delivery.attemptLog.every((a) => a.durationMs >= 0));
    assert.equal(hook.calls.length, 2);
    assert.equal(hook.calls[0]?.body, hook.calls[1]?.body, 'the same event, byte for byte');
    assert.equal(hook.calls[0]?.headers['x-pss-event-id'], hook.calls[1]?.headers['x-pss-event-id']);
    const second = hook.calls[1];
    assert.ok(second);
    assert.equal(verifySignature({ secret, timestamp: String(second.headers['x-pss-timestamp']), body: second.body, signature: String(second.headers['x-pss-signature']), nowSeconds: Math.floor((t0.getTime() + 61_000) / 1000) }), true);
  });

  test('an endpoint that keeps failing is tried six times with growing waits, then the delivery has failed', async () => {
    const cert = await peer('Omar', 'Haddad');
    const employer = await watcher(EMPLOYER);
    const hook = await receiver(() => 503);
    await addWatches(db, { numbers: cert.number }, employer);
    await registerWebhook(db, { url: hook.url }, employer, DEV);
    await suspend(cert.certificationId);

    let now = new Date();
    await detectStatusChanges(db, { baseUrl: BASE, now });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const run = await deliverWebhooks(db, { now });
      assert.equal(run.due, 1, `attempt ${attempt} is due`);
      const [delivery] = await myDeliveries(db, employer);
      assert.ok(delivery);
      if (delivery.nextAttemptAt) {
        waits.push((delivery.nextAttemptAt.getTime() - now.getTime()) / 1000);
        now = delivery.nextAttemptAt;
      }
    }
    assert.deepEqual(waits, [60, 300, 1800, 7200, 43200]);
    const [delivery] = await myDeliveries(db, employer);
    assert.ok(delivery);
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, MAX_ATTEMPTS);
    assert.equal(delivery.nextAttemptAt, null);
    assert.equal(delivery.attemptLog.length, MAX_ATTEMPTS);
    assert.ok(delivery.attemptLog.every((a) => a.statusCode === 503));
    assert.equal((await deliverWebhooks(db, { now: new Date(now.getTime() + 10 * 86_400_000) })).due, 0, 'a failed delivery is not tried again');
    assert.equal(hook.calls.length, MAX_ATTEMPTS);
  });

  test('no answer within the timeout is a failed attempt saying so', async () => {
    const cert = await peer('Tao', 'Nguyen');
    const employer = await watcher(EMPLOYER);
    const hook = await receiver(() => 'hang');
    await addWatches(db, { numbers: cert.number }, employer);
    await registerWebhook(db, { url: hook.url }, employer, DEV);
    await suspend(cert.certificationId);
    const now = new Date();
    await detectStatusChanges(db, { baseUrl: BASE, now });
    const run = await deliverWebhooks(db, { now, timeoutMs: 150 });
    assert.equal(run.retrying, 1);
    const [delivery] = await myDeliveries(db, employer);
    assert.equal(delivery?.attemptLog[0]?.statusCode, null);
    assert.equal(delivery?.attemptLog[0]?.error, 'no answer within 150 ms');
    await deleteWebhook(db, employer);
  });

  test('two senders at once send a delivery once', async () => {
    const cert = await peer('Sam', 'Ito');
    const employer = await watcher(EMPLOYER);
    const hook = await receiver();
    await addWatches(db, { numbers: cert.number }, employer);
    await registerWebhook(db, { url: hook.url }, employer, DEV);
    await suspend(cert.certificationId);
    const now = new Date();
    await detectStatusChanges(db, { baseUrl: BASE, now });
    const runs = await Promise.all([deliverWebhooks(db, { now }), deliverWebhooks(db, { now }), deliverWebhooks(db, { now })]);
    assert.equal(runs.reduce((sum, r) => sum + Number(r.delivered), 0), 1);
    assert.equal(hook.calls.length, 1);
  });

  test('a rotated secret signs the next delivery; deleting the webhook cancels what was not yet sent', async () => {
    const cert = await peer('Eva', 'Mora');
    const employer = await watcher(EMPLOYER);
    const hook = await receiver(() => 500);
    await addWatches(db, { numbers: cert.number }, employer);
    const first = await registerWebhook(db, { url: hook.url }, employer, DEV);
    const again = await registerWebhook(db, { url: hook.url }, employer, DEV);
    assert.equal(again.secret, null, 'the secret is shown once: registering the same endpoint again does not show it');
    const rotated = await rotateWebhookSecret(db, employer);
    assert.ok(first.secret && rotated.secret && rotated.secret !== first.secret);
    await suspend(cert.certificationId);
    const now = new Date();
    await runJobs(now);
    const call = hook.calls[0];
    assert.ok(call);
    const check = (secret: string) => verifySignature({ secret, timestamp: String(call.headers['x-pss-timestamp']), body: call.body, signature: String(call.headers['x-pss-signature']) });
    assert.equal(check(rotated.secret), true);
    assert.equal(check(first.secret), false);

    assert.deepEqual(await deleteWebhook(db, employer), { cancelled: 1 });
    const [delivery] = await myDeliveries(db, employer);
    assert.equal(delivery?.status, 'cancelled');
    await deliverWebhooks(db, { now: new Date(now.getTime() + 86_400_000), timeoutMs: 200 });
    assert.equal(hook.calls.length, 1, 'a cancelled delivery is not sent');
    assert.equal((await myDeliveries(db, employer))[0]?.attempts, 1);
    await assert.rejects(deleteWebhook(db, employer), isAppError(404, /no webhook/));
    await assert.rejects(rotateWebhookSecret(db, employer), isAppError(404));
    const audit = await searchAudit(db, { entityId: employer.userId });
    const actions = audit.rows.map((r) => r.action);
    for (const action of ['alerts.watch.add', 'alerts.webhook.register', 'alerts.webhook.rotate', 'alerts.webhook.delete']) assert.ok(actions.includes(action), action);
    assert.doesNotMatch(JSON.stringify(audit.rows), new RegExp(rotated.secret), 'the secret is never in the audit log');
  });
});

describe('the watch list', () => {
  test('an unknown or malformed number is refused with a clear message; pasted numbers add the known ones and name the rest', async () => {
    const employer = await watcher(EMPLOYER);
    await assert.rejects(addWatches(db, { numbers: 'PSS-999999' }, employer), isAppError(422, /^No certification PSS-999999 is on the registry/));
    await assert.rejects(addWatches(db, { numbers: 'hello' }, employer), isAppError(422, /"HELLO" is not a certification number/));
    const a = await peer('Nia', 'Bell');
    const b = await peer('Kai', 'Ross');
    const result = await addWatches(db, { numbers: `"${a.number}",${b.number.toLowerCase()}; PSS-999998\nPSS-12\n${a.number}` }, employer);
    assert.deepEqual(result.added, [a.number, b.number]);
    assert.deepEqual(result.alreadyWatched, []);
    assert.deepEqual(result.refused.map((r) => r.number), ['PSS-12', 'PSS-999998']);
    assert.match(result.refused.find((r) => r.number === 'PSS-999998')?.message ?? '', /No certification PSS-999998 is on the registry/);
    const again = await addWatches(db, { numbers: [a.number] }, employer);
    assert.deepEqual(again, { added: [], alreadyWatched: [a.number], refused: [] });
    const list = await myWatchList(db, employer);
    assert.deepEqual(list.watches.map((w) => [w.number, w.fullName, w.statusToday]), [
      [a.number, 'Nia Q. Bell', 'active'],
      [b.number, 'Kai Q. Ross', 'active'],
    ]);
  });

  test('a person sees and removes only their own; someone else’s number is not on their list (404)', async () => {
    const cert = await peer('Lea', 'Fox');
    const mine = await watcher(EMPLOYER);
    const theirs = await watcher(COUNTY);
    await addWatches(db, { numbers: cert.number }, theirs);
    assert.deepEqual((await myWatchList(db, mine)).watches, []);
    await assert.rejects(removeWatch(db, { number: cert.number }, mine), isAppError(404));
    assert.equal((await myWatchList(db, theirs)).watches.length, 1, 'their list is untouched');
    assert.deepEqual(await myDeliveries(db, mine), []);
  });

  test('people without an employer, county or DHCS role, API tokens and anonymous visitors keep no list', async () => {
    const cert = await peer('Zoe', 'Kim');
    const peerPerson = await personContext(db, TODAY, [{ role: 'peer', countyFips: null }]);
    await assert.rejects(addWatches(db, { numbers: cert.number }, peerPerson), isAppError(403));
    const token: UseCaseContext = { actor: { kind: 'token', tokenId: '00000000-0000-4000-8000-000000000001', createdBy: peerPerson.userId, roles: [ANALYST] } };
    await assert.rejects(addWatches(db, { numbers: cert.number }, token), isAppError(403));
    await assert.rejects(myWatchList(db, { actor: { kind: 'anonymous' } }), isAppError(401));
    await assert.rejects(registerWebhook(db, { url: 'https://hooks.example.org/x' }, token, DEV), isAppError(403));
  });

  test('a webhook address must be https in production and not a literal private address', async () => {
    const employer = await watcher(EMPLOYER);
    const production = { production: true };
    await assert.rejects(registerWebhook(db, { url: 'http://hooks.example.org/pss' }, employer, production), isAppError(400, /https/));
    await assert.rejects(registerWebhook(db, { url: 'https://127.0.0.1/pss' }, employer, production), isAppError(400, /private, loopback or link-local/));
    await assert.rejects(registerWebhook(db, { url: 'https://169.254.169.254/latest' }, employer, production), isAppError(400, /private/));
    const ok = await registerWebhook(db, { url: 'https://hooks.example.org/pss' }, employer, production);
    assert.equal(ok.url, 'https://hooks.example.org/pss');
  });
});

describe('what is kept', () => {
  test('notifications are unique per watch and change; deliveries per notification', async () => {
    const dupes = await db.execute(sql`select watch_id, change_id, count(*) from alert_notifications group by 1, 2 having count(*) > 1`);
    assert.equal((dupes as unknown as { rows: unknown[] }).rows.length, 0);
    const notifications = await db.select({ id: alertNotifications.id }).from(alertNotifications);
    assert.ok(notifications.length > 0);
    const deliveries = await db.select().from(alertDeliveries).where(inArray(alertDeliveries.notificationId, notifications.map((n) => n.id)));
    assert.equal(new Set(deliveries.map((d) => d.notificationId)).size, deliveries.length);
    const changes = await db.select({ id: certificationStatusChanges.id }).from(certificationStatusChanges);
    assert.ok(changes.length > 0);
  });
});
