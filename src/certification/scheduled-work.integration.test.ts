// What the platform does by itself as days pass: terms run out, long-expired certifications are vacated, peers are
// reminded to renew, and approvals past their valid-through date end. Each story has its own database, since each
// job looks at every certification or application there is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asc, eq } from 'drizzle-orm';
import { systemContext } from '../access/context.ts';
import { outbox } from '../accounts/accounts.schema.ts';
import { searchAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { addDays, addYears } from '../lib/dates.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { programRules } from '../rules/rules.schema.ts';
import { certificationStatusOn, statusHistory } from './certification-status.ts';
import { applicationEvents, applications, certifications, certificationStatusChanges, peers, renewalReminders } from './certification.schema.ts';
import { addCertificationTerm, issueCertification } from './issue-certification.ts';
import { expireCertifications, expireStaleApprovals, sendRenewalReminders, vacateCertifications } from './scheduled-work.ts';

/** A database of this story's own, made before its tests and closed after. */
function storyDatabase(): () => Db {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());
  return () => database.db;
}

let peerSeq = 0;

async function certify(db: Db, issuedOn: string, peer: { email?: string | null; language?: string; firstName?: string } = {}) {
  peerSeq++;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(peers)
      .values({
        legalFirstName: peer.firstName ?? 'Rosa',
        legalLastName: `Peer${peerSeq}`,
        email: peer.email === undefined ? `peer${peerSeq}@example.org` : peer.email,
        preferredLanguage: peer.language ?? 'en',
      })
      .returning();
    if (!row) throw new Error('no peer');
    const cert = await issueCertification(tx, { peerId: row.id, issuedOn, pathway: 'initial' }, systemContext('test', issuedOn));
    return { ...cert, email: row.email };
  });
}

async function statusOf(db: Db, certificationId: string) {
  const [row] = await db.select({ status: certifications.status }).from(certifications).where(eq(certifications.id, certificationId));
  return row?.status;
}

describe('a term runs out: the certification is expired from its expiry date', () => {
  const db = storyDatabase();
  let rosa: Awaited<ReturnType<typeof certify>>;
  let renewed: Awaited<ReturnType<typeof certify>>;

  before(async () => {
    rosa = await certify(db(), '2024-10-01');
    renewed = await certify(db(), '2024-10-01');
    // Renewed in time: the next term starts on the old expiry date and moves it two years on.
    await db().transaction(async (tx) => {
      const [application] = await tx
        .insert(applications)
        .values({ number: 'RENEWAL-1', peerId: renewed.peerId, pathway: 'renewal', status: 'certified', certificationId: renewed.id })
        .returning();
      if (!application) throw new Error('no application');
      await addCertificationTerm(tx, { certificationId: renewed.id, startsOn: renewed.expiresOn, kind: 'renewal', applicationId: application.id }, systemContext('test', '2026-08-01'));
    });
  });

  test('the day before the expiry date nothing changes', async () => {
    assert.equal(rosa.expiresOn, '2026-10-01');
    const result = await expireCertifications(db(), '2026-09-30');
    assert.equal(result.expired, 0);
    assert.equal(await statusOf(db(), rosa.id), 'active');
  });

  test('on the expiry date it is recorded as expired from that date, by the system, in the audit log', async () => {
    const result = await expireCertifications(db(), '2026-10-01');
    assert.deepEqual([result.due, result.expired, result.failed], [1, 1, 0]);
    assert.equal(await statusOf(db(), rosa.id), 'expired');
    const last = (await statusHistory(db(), rosa.id)).at(-1);
    assert.deepEqual([last?.status, last?.effectiveOn, last?.reasonCode], ['expired', '2026-10-01', 'expired']);
    assert.equal(await certificationStatusOn(db(), rosa.id, '2026-09-30'), 'active', 'the last day of the term stays active');
    const { rows } = await searchAudit(db(), { action: 'certification.status', entityId: rosa.number });
    assert.equal(rows[0]?.actorRole, 'system:certifications.expire');
  });

  test('the renewed certification is not expired: its term goes on', async () => {
    assert.equal(await statusOf(db(), renewed.id), 'active');
    assert.equal(await certificationStatusOn(db(), renewed.id, '2026-10-01'), 'active');
    assert.equal((await statusHistory(db(), renewed.id)).length, 1, 'only the issue');
  });

  test('running it again changes nothing', async () => {
    const changesBefore = await db().select().from(certificationStatusChanges);
    const result = await expireCertifications(db(), '2026-10-02');
    assert.deepEqual([result.due, result.expired, result.failed], [0, 0, 0]);
    assert.equal((await db().select().from(certificationStatusChanges)).length, changesBefore.length);
  });

  test('one certification that cannot be expired is reported, and the others are still expired', async () => {
    const broken = await certify(db(), '2024-11-01');
    const fine = await certify(db(), '2024-11-01');
    // Revoked in the history while the status-today column still says active: the state machine refuses.
    await db().insert(certificationStatusChanges).values({ certificationId: broken.id, status: 'revoked', effectiveOn: '2025-06-01', reasonCode: 'test' });
    const result = await expireCertifications(db(), '2026-11-01');
    assert.deepEqual([result.due, result.expired, result.failed], [2, 1, 1]);
    assert.deepEqual(result.failures, [{ record: broken.number, error: `Certification ${broken.number} cannot go from revoked to expired on 2026-11-01.` }]);
    assert.equal(await statusOf(db(), fine.id), 'expired');
  });
});

describe('an expired certification not restored within the rule’s years is vacated', () => {
  const db = storyDatabase();
  let cert: Awaited<ReturnType<typeof certify>>;
  let vacateOn: string;

  before(async () => {
    cert = await certify(db(), '2024-10-01');
    await expireCertifications(db(), cert.expiresOn);
    const years = (await rulesAsOf(db(), cert.expiresOn))['expiry.vacate_after_years'];
    assert.equal(years, 4, 'the seeded rule this story walks through');
    vacateOn = addYears(cert.expiresOn, years);
  });

  test('the day before the years are up it stays expired', async () => {
    const result = await vacateCertifications(db(), addDays(vacateOn, -1));
    assert.deepEqual([result.due, result.vacated], [0, 0]);
    assert.equal(await statusOf(db(), cert.id), 'expired');
  });

  test('on that day it is vacated from that day, and a second run changes nothing', async () => {
    assert.equal(vacateOn, '2030-10-01');
    const result = await vacateCertifications(db(), vacateOn);
    assert.deepEqual([result.due, result.vacated, result.failed], [1, 1, 0]);
    assert.equal(await statusOf(db(), cert.id), 'vacated');
    const last = (await statusHistory(db(), cert.id)).at(-1);
    assert.deepEqual([last?.status, last?.effectiveOn, last?.reasonCode], ['vacated', '2030-10-01', 'vacated']);
    assert.equal(await certificationStatusOn(db(), cert.id, '2030-09-30'), 'expired');

    const again = await vacateCertifications(db(), addDays(vacateOn, 1));
    assert.deepEqual([again.due, again.vacated], [0, 0]);
  });

  test('the years are the rule in force on the expiry date, not today', async () => {
    // From 2031 the rule is two years: a certification expiring after that is vacated sooner.
    await db().insert(programRules).values({ key: 'expiry.vacate_after_years', value: 2, effectiveFrom: '2031-01-01', authority: 'test: a later BHIN' });
    const later = await certify(db(), '2029-03-01');
    const earlier = await certify(db(), '2028-06-01');
    assert.deepEqual([later.expiresOn, earlier.expiresOn], ['2031-03-01', '2030-06-01']);
    await expireCertifications(db(), later.expiresOn);
    assert.equal((await vacateCertifications(db(), '2033-02-28')).vacated, 0);
    assert.equal((await vacateCertifications(db(), '2033-03-01')).vacated, 1);
    assert.equal(await statusOf(db(), later.id), 'vacated');
    assert.equal(await statusOf(db(), earlier.id), 'expired', 'expired under the four-year rule: not yet');
    assert.equal((await vacateCertifications(db(), '2034-05-31')).vacated, 0);
    assert.equal((await vacateCertifications(db(), '2034-06-01')).vacated, 1);
    assert.equal(await statusOf(db(), earlier.id), 'vacated');
  });
});

describe('renewal reminders: one email per reminder, in the peer’s language', () => {
  const db = storyDatabase();
  const BASE = 'https://pss.example.org';
  let rosa: Awaited<ReturnType<typeof certify>>;
  let rules: Awaited<ReturnType<typeof rulesAsOf>>;

  const mailTo = (to: string | null) => db().select().from(outbox).where(eq(outbox.to, to ?? '')).orderBy(asc(outbox.createdAt));
  const remindersOf = async (certificationId: string) =>
    (await db().select().from(renewalReminders).where(eq(renewalReminders.certificationId, certificationId))).map((r) => r.offsetDays).sort((a, b) => b - a);
  const remind = (today: string) => sendRenewalReminders(db(), today, { baseUrl: BASE });

  before(async () => {
    rosa = await certify(db(), '2024-10-01', { firstName: 'Rosa' });
    rules = await rulesAsOf(db(), '2026-07-01');
    assert.deepEqual(rules['renewal.reminder_offsets_days'], [90, 30, 7], 'the seeded offsets this story walks through');
  });

  test('91 days before expiry nothing is sent; 90 days before, the first reminder', async () => {
    assert.equal((await remind(addDays(rosa.expiresOn, -91))).sent, 0);
    assert.equal((await mailTo(rosa.email)).length, 0);

    const result = await remind(addDays(rosa.expiresOn, -90));
    assert.equal(result.sent, 1);
    const [mail] = await mailTo(rosa.email);
    assert.ok(mail);
    assert.equal(mail.subject, `Your peer support specialist certification ${rosa.number} expires on October 1, 2026`);
    assert.match(mail.text, /^Hello Rosa,/);
    assert.ok(mail.text.includes(`${rules['renewal.ce_hours']} hours of continuing education`), mail.text);
    assert.ok(mail.text.includes(`including ${rules['renewal.law_ethics_hours']} hours of law and ethics`), mail.text);
    assert.ok(mail.text.includes('affirm the Code of Ethics again'), mail.text);
    assert.ok(mail.text.includes(`renewal fee of $${(rules['fee.renewal'] / 100).toFixed(2)}`), mail.text);
    assert.ok(mail.text.includes('You can apply to renew from July 3, 2026.'), 'the window opens renewal.window_days before expiry');
    assert.ok(mail.text.includes(`Renew at ${BASE}/my-certification`), mail.text);
    assert.deepEqual(await remindersOf(rosa.id), [90]);
  });

  test('running again the same day, or before the next offset, sends nothing more', async () => {
    const again = await remind(addDays(rosa.expiresOn, -90));
    assert.deepEqual([again.sent, again.alreadySent], [0, 1]);
    assert.equal((await remind(addDays(rosa.expiresOn, -31))).sent, 0);
    assert.equal((await mailTo(rosa.email)).length, 1);
  });

  test('30 and 7 days before, one more each; on the expiry date none', async () => {
    assert.equal((await remind(addDays(rosa.expiresOn, -30))).sent, 1);
    assert.equal((await remind(addDays(rosa.expiresOn, -20))).sent, 0);
    assert.equal((await remind(addDays(rosa.expiresOn, -7))).sent, 1);
    assert.equal((await remind(addDays(rosa.expiresOn, -1))).sent, 0);
    assert.equal((await remind(rosa.expiresOn)).due, 0, 'an expiring certification is the expiry job’s business');
    assert.equal((await mailTo(rosa.email)).length, 3);
    assert.deepEqual(await remindersOf(rosa.id), [90, 30, 7]);
  });

  test('a peer first seen 20 days before expiry gets the 30-day reminder alone, in Spanish', async () => {
    const ana = await certify(db(), '2024-12-15', { firstName: 'Ana', language: 'es' });
    const result = await remind(addDays(ana.expiresOn, -20));
    assert.equal(result.sent, 1);
    const mails = await mailTo(ana.email);
    assert.equal(mails.length, 1, 'no burst of the 90- and 30-day reminders');
    assert.equal(mails[0]?.subject, `Su certificación de especialista de apoyo entre pares ${ana.number} vence el 15 de diciembre de 2026`);
    assert.match(mails[0]?.text ?? '', /^Hola, Ana:/);
    assert.ok(mails[0]?.text.includes(`${BASE}/my-certification`));
    assert.deepEqual(await remindersOf(ana.id), [30]);
  });

  test('a peer without an email address is counted, and reminded once one is known', async () => {
    const noEmail = await certify(db(), '2025-01-10', { email: null });
    const today = addDays(noEmail.expiresOn, -10);
    const result = await remind(today);
    assert.deepEqual([result.noEmail, result.sent], [1, 0]);
    await db().update(peers).set({ email: 'found@example.org' }).where(eq(peers.id, noEmail.peerId));
    assert.equal((await remind(today)).sent, 1);
    assert.equal((await mailTo('found@example.org')).length, 1);
  });
});

describe('approvals past their valid-through date end', () => {
  const db = storyDatabase();
  const ids: Record<string, string> = {};

  before(async () => {
    const [peer] = await db().insert(peers).values({ legalFirstName: 'Lupe', legalLastName: 'Applicant' }).returning();
    if (!peer) throw new Error('no peer');
    const rows = [
      { number: 'APP-STALE-APPROVED', status: 'approved', validThrough: '2026-05-31' },
      { number: 'APP-STALE-FAILED', status: 'exam_failed', validThrough: '2026-05-31' },
      { number: 'APP-LAST-DAY', status: 'exam_authorized', validThrough: '2026-06-01' },
      { number: 'APP-DENIED', status: 'denied', validThrough: '2026-01-01' },
      { number: 'APP-SUBMITTED', status: 'submitted', validThrough: null },
    ];
    for (const r of rows) {
      const [row] = await db().insert(applications).values({ ...r, peerId: peer.id, pathway: 'initial' }).returning();
      if (row) ids[r.number] = row.id;
    }
  });

  const statusOfApplication = async (number: string) => (await db().select({ status: applications.status }).from(applications).where(eq(applications.number, number)))[0]?.status;

  test('open approvals whose valid-through date has passed expire; the rest are left alone', async () => {
    const result = await expireStaleApprovals(db(), '2026-06-01');
    assert.deepEqual([result.due, result.expired, result.failed], [2, 2, 0]);
    assert.equal(await statusOfApplication('APP-STALE-APPROVED'), 'application_expired');
    assert.equal(await statusOfApplication('APP-STALE-FAILED'), 'application_expired');
    assert.equal(await statusOfApplication('APP-LAST-DAY'), 'exam_authorized', 'valid through today: still valid');
    assert.equal(await statusOfApplication('APP-DENIED'), 'denied');
    assert.equal(await statusOfApplication('APP-SUBMITTED'), 'submitted');

    const [event] = await db().select().from(applicationEvents).where(eq(applicationEvents.applicationId, ids['APP-STALE-APPROVED'] ?? ''));
    assert.deepEqual([event?.fromStatus, event?.toStatus, event?.reason], ['approved', 'application_expired', 'approval validity ended']);
    const { rows } = await searchAudit(db(), { entityId: 'APP-STALE-APPROVED' });
    assert.equal(rows[0]?.actorRole, 'system:applications.expire_approvals');
  });

  test('a second run changes nothing; the next day the last-day approval expires too', async () => {
    assert.deepEqual([(await expireStaleApprovals(db(), '2026-06-01')).due], [0]);
    assert.equal((await expireStaleApprovals(db(), '2026-06-02')).expired, 1);
    assert.equal(await statusOfApplication('APP-LAST-DAY'), 'application_expired');
  });
});
