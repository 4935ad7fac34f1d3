// Accounts through the real app on a real database: signing up, confirming the address, signing in and out,
// password reset and invitations, throttling, CSRF, and pages that never tell whether an address has an account.
// Each story is told by a "visitor": a browser-like client with its own cookies, address and last CSRF token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { count, eq, isNotNull, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { lastAuditSeq, searchAudit, verifyAuditChain } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { oneTimeTokens, outbox, sessions, signInAttempts, users } from './accounts.schema.ts';
import { listOutbox } from './outbox.ts';
import { GENERIC_FAILURE, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from './sign-in.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { actorHeaders, createPerson, TEST_PASSWORD } from './testing.ts';
import { createUser } from './users.service.ts';

let testApp: TestApp;
let app: FastifyInstance;
let db: Db;

before(async () => {
  testApp = await createTestApp();
  ({ app } = testApp);
  db = testApp.database.db;
});
after(() => testApp.close());

// ---------------------------------------------------------------------------------------------------------------
// A visitor: cookies kept between requests like a browser, the CSRF token of the last form it loaded, one address.

/** Each story comes from its own address, so neither the endpoints' rate limit nor per-address throttling mixes them. */
let lastOctet = 0;
const nextAddress = () => `203.0.113.${++lastOctet}`;

class Visitor {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  constructor(readonly ip: string = nextAddress()) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async send(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers = { ...(this.cookies.size > 0 ? { cookie: this.cookieHeader } : {}), ...options.headers };
    const res = await app.inject({ ...options, headers, remoteAddress: this.ip });
    for (const c of res.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const cleared = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrfToken = token;
    return res;
  }

  /** Open a page as a browser does. */
  open(url: string): Promise<LightMyRequestResponse> {
    return this.send({ method: 'GET', url, headers: { accept: 'text/html' } });
  }

  /** Submit a form with the CSRF token of the last page opened (or without one, to play a forged post). */
  submit(url: string, fields: Record<string, string>, options: { withToken?: boolean } = {}): Promise<LightMyRequestResponse> {
    const withToken = options.withToken ?? true;
    const body = new URLSearchParams({ ...fields, ...(withToken && this.csrfToken ? { _csrf: this.csrfToken } : {}) });
    return this.send({
      method: 'POST',
      url,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  /** A JSON API call, as an integration would make it. */
  api(method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse> {
    return this.send({ method, url, headers: { accept: 'application/json' }, ...(payload ? { payload } : {}) });
  }

  /** Sign in through the form (loading it first, for its CSRF token). */
  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.open('/sign-in');
    return this.submit('/sign-in', { email, password });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading what the app wrote

/** Messages written to this address, newest first. */
async function mailTo(address: string) {
  return (await listOutbox(db, 1000)).filter((m) => m.to === address);
}

/** The link of a message to a page (`/verify-email`, `/reset-password`), as a path the visitor can open. */
function linkIn(text: string, path: string): { path: string; token: string } {
  const match = new RegExp(`https?://[^\\s/]+(${path}\\?token=\\S+)`).exec(text);
  assert.ok(match?.[1], `no ${path} link in:\n${text}`);
  const token = new URL(match[1], 'http://localhost').searchParams.get('token');
  assert.ok(token, `the ${path} link carries no token`);
  return { path: match[1], token };
}

/** The text of the form's error summary, or null. */
function formError(body: string): string | null {
  return /data-testid="form-error">([^<]*)</.exec(body)?.[1] ?? null;
}

/** The message beside a field, or null. */
function fieldError(body: string, field: string): string | null {
  return new RegExp(`id="${field}-error">([^<]*)<`).exec(body)?.[1] ?? null;
}

function inputValue(body: string, field: string): string | null {
  const input = new RegExp(`<input[^>]*\\bid="${field}"[^>]*>`).exec(body)?.[0];
  return input ? (/\bvalue="([^"]*)"/.exec(input)?.[1] ?? null) : null;
}

/** A page with what legitimately differs between two answers (an echoed address, a fresh CSRF token) blanked out. */
function withoutEcho(body: string, ...addresses: string[]): string {
  let text = body.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
  for (const address of addresses) text = text.split(address).join('<address>');
  return text;
}

async function rows(table: PgTable, where?: SQL): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

/** Everything a forged form post could have changed. */
async function footprint() {
  return {
    users: await rows(users),
    verifiedUsers: await rows(users, isNotNull(users.emailVerifiedAt)),
    passwordHashes: (await db.select({ hash: users.passwordHash }).from(users).orderBy(users.id)).map((u) => u.hash).join('\n'),
    sessions: await rows(sessions),
    endedSessions: await rows(sessions, isNotNull(sessions.revokedAt)),
    usedTokens: await rows(oneTimeTokens, isNotNull(oneTimeTokens.usedAt)),
    outbox: await rows(outbox),
    signInAttempts: await rows(signInAttempts),
    audit: await lastAuditSeq(db),
  };
}

const PASSWORD = 'river stones and quiet mornings';
const NEW_PASSWORD = 'a lantern by the orchard gate';

/** Sign up through the form and return the verification link that was emailed. */
async function signUp(visitor: Visitor, person: { displayName: string; email: string; password?: string }) {
  await visitor.open('/sign-up');
  const res = await visitor.submit('/sign-up', { displayName: person.displayName, email: person.email, password: person.password ?? PASSWORD });
  assert.equal(res.statusCode, 200, formError(res.body) ?? undefined);
  const [message] = await mailTo(person.email);
  assert.ok(message, `no email to ${person.email}`);
  return { res, message, link: linkIn(message.text, '/verify-email') };
}

// ---------------------------------------------------------------------------------------------------------------

describe('signing up, confirming the address, signing in and out', () => {
  test('Rosa signs up, confirms her address from the email, signs in, sees her account and signs out', async () => {
    const rosa = new Visitor();
    const email = 'rosa.martinez@example.org';

    // She fills in the sign-up form and is told to check her email.
    const { res: signedUp, message, link } = await signUp(rosa, { displayName: 'Rosa Martínez', email });
    assert.match(signedUp.body, /Check your email/);
    assert.match(signedUp.body, /If rosa\.martinez@example\.org can be used, we have sent a message to it/);
    assert.equal(message.subject, 'Confirm your email address');
    assert.equal(message.sentAt, null, 'without SMTP the message waits in the outbox');

    // Before she confirms it, signing in is refused — with the reason, since only she knows the password.
    const tooEarly = await rosa.signIn(email, PASSWORD);
    assert.equal(tooEarly.statusCode, 403);
    assert.match(formError(tooEarly.body) ?? '', /Verify your email address first/);
    assert.equal(rosa.cookies.has(SESSION_COOKIE), false);

    // Opening the link only shows a button (mail scanners open links); pressing it confirms the address.
    const confirmPage = await rosa.open(link.path);
    assert.equal(confirmPage.statusCode, 200);
    assert.match(confirmPage.body, new RegExp(`name="token" value="${link.token}"`));
    const stillUnverified = await rosa.signIn(email, PASSWORD);
    assert.equal(stillUnverified.statusCode, 403, 'opening the link alone confirms nothing');
    await rosa.open(link.path);
    const confirmed = await rosa.submit('/verify-email', { token: link.token });
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Your email address is confirmed\. You can sign in now\./);

    // Now the form signs her in: a redirect to her account and an HttpOnly, SameSite=Lax session cookie.
    const signedIn = await rosa.signIn(email, PASSWORD);
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/account');
    const setCookie = [signedIn.headers['set-cookie']].flat().find((c) => c?.startsWith(`${SESSION_COOKIE}=`));
    assert.ok(setCookie, 'no session cookie was set');
    assert.match(setCookie, /; HttpOnly/i);
    assert.match(setCookie, /; SameSite=Lax/i);
    assert.match(setCookie, /; Path=\//i);
    assert.match(setCookie, /; Max-Age=43200\b/i, 'the cookie lasts no longer than a session may (12 hours)');

    // Her account page shows her name and the role every new account starts with.
    const account = await rosa.open('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Signed in as Rosa Martínez \(rosa\.martinez@example\.org\)\./);
    assert.match(account.body, /<ul data-testid="roles"><li>Applicant or certified peer \(statewide\)<\/li><\/ul>/);
    const me = await rosa.api('GET', '/api/v1/auth/me');
    assert.deepEqual((me.json() as { roles: unknown }).roles, [{ role: 'peer', countyFips: null }]);

    // She signs out with the account page's button; her old cookie no longer opens the account page.
    const sessionCookie = rosa.cookies.get(SESSION_COOKIE);
    const signedOut = await rosa.submit('/sign-out', {});
    assert.equal(signedOut.statusCode, 200);
    assert.match(signedOut.body, /You are signed out\./);
    assert.equal(rosa.cookies.has(SESSION_COOKIE), false, 'the cookie is cleared');
    assert.equal((await rosa.open('/account')).headers.location, '/sign-in');
    const replayed = await app.inject({ url: '/account', headers: { accept: 'text/html', cookie: `${SESSION_COOKIE}=${sessionCookie}` } });
    assert.equal(replayed.statusCode, 303, 'the session ended on the server, not only in the browser');
    assert.equal(replayed.headers.location, '/sign-in');

    // Each step is in the audit log.
    const [rosaRow] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    assert.ok(rosaRow);
    for (const action of ['user.sign_up', 'user.verify_email', 'auth.sign_in', 'auth.sign_out']) {
      const { total } = await searchAudit(db, { action, entityId: rosaRow.id });
      assert.equal(total, 1, `${action} is audited once`);
    }
  });
});

describe('no answer tells whether an address has an account', () => {
  test('signing up with an address that has an account looks the same, and emails its owner instead', async () => {
    const owner = await createPerson(db, { email: 'kwame.asante@example.org' });
    const usersBefore = await rows(users);

    // In other letter case, it is still the same address.
    const otherCase = new Visitor();
    await otherCase.open('/sign-up');
    assert.equal((await otherCase.submit('/sign-up', { displayName: 'Someone', email: 'Kwame.Asante@example.org', password: PASSWORD })).statusCode, 200);

    // Same status, same page, apart from the address echoed back.
    const existing = new Visitor();
    await existing.open('/sign-up');
    const a = await existing.submit('/sign-up', { displayName: 'Someone', email: 'kwame.asante@example.org', password: PASSWORD });
    const fresh = new Visitor();
    await fresh.open('/sign-up');
    const b = await fresh.submit('/sign-up', { displayName: 'Someone', email: 'brand.new@example.org', password: PASSWORD });
    assert.equal(a.statusCode, 200);
    assert.equal(a.statusCode, b.statusCode);
    assert.equal(withoutEcho(a.body, 'kwame.asante@example.org'), withoutEcho(b.body, 'brand.new@example.org'));
    assert.deepEqual(
      a.cookies.map((c) => c.name),
      b.cookies.map((c) => c.name),
    );

    // No second account (not even in other letter case); the owner is told someone tried, with a way in.
    assert.equal(await rows(users), usersBefore + 1, 'only brand.new@example.org got an account');
    const toOwner = await mailTo(owner.email);
    assert.equal(toOwner.length, 2, 'one note per attempt (Kwame.Asante@… and kwame.asante@…)');
    for (const note of toOwner) {
      assert.equal(note.subject, 'Someone tried to create an account with your address');
      assert.doesNotMatch(note.text, /token=/, 'the note carries no link that changes anything');
      assert.match(note.text, /\/forgot-password/);
    }
    assert.equal((await mailTo('brand.new@example.org'))[0]?.subject, 'Confirm your email address');
  });

  test('asking for a password reset answers the same for any address; only an account gets a link', async () => {
    const known = await createPerson(db, { email: 'li.wei@example.org' });
    const unknown = 'nobody.here@example.org';
    const outboxBefore = await rows(outbox);

    const answers = [];
    for (const email of [known.email, unknown]) {
      const visitor = new Visitor();
      await visitor.open('/forgot-password');
      answers.push({ email, res: await visitor.submit('/forgot-password', { email }) });
    }
    const [forKnown, forUnknown] = answers;
    assert.ok(forKnown && forUnknown);
    assert.equal(forKnown.res.statusCode, 200);
    assert.equal(forKnown.res.statusCode, forUnknown.res.statusCode);
    assert.match(forKnown.res.body, /If li\.wei@example\.org can be used, we have sent a message to it/);
    assert.equal(withoutEcho(forKnown.res.body, known.email), withoutEcho(forUnknown.res.body, unknown));

    assert.equal(await rows(outbox), outboxBefore + 1);
    assert.equal((await mailTo(known.email))[0]?.subject, 'Reset your password');
    assert.deepEqual(await mailTo(unknown), []);
  });

  test('signing in with an unknown address or a wrong password gets the same status and message', async () => {
    const person = await createPerson(db, { email: 'ines.duarte@example.org' });
    const visitor = new Visitor();

    // The form.
    const unknownForm = await visitor.signIn('ines.duarte@example.com', TEST_PASSWORD);
    const wrongForm = await visitor.signIn(person.email, 'not the password at all');
    assert.equal(unknownForm.statusCode, 400);
    assert.equal(unknownForm.statusCode, wrongForm.statusCode);
    assert.equal(formError(unknownForm.body), GENERIC_FAILURE);
    assert.equal(formError(wrongForm.body), GENERIC_FAILURE);
    assert.equal(withoutEcho(unknownForm.body, 'ines.duarte@example.com'), withoutEcho(wrongForm.body, person.email));

    // The API: the same 401 problem, word for word.
    const unknownApi = await visitor.api('POST', '/api/v1/auth/sign-in', { email: 'ines.duarte@example.com', password: TEST_PASSWORD });
    const wrongApi = await visitor.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: 'not the password at all' });
    for (const res of [unknownApi, wrongApi]) {
      assert.equal(res.statusCode, 401);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    }
    const unknownProblem = unknownApi.json() as Record<string, unknown>;
    const wrongProblem = wrongApi.json() as Record<string, unknown>;
    assert.deepEqual(unknownProblem, wrongProblem);
    assert.equal(unknownProblem.detail, GENERIC_FAILURE);
    assert.equal(visitor.cookies.has(SESSION_COOKIE), false);
  });
});

describe('throttling', () => {
  test(`after ${MAX_FAILURES_PER_ACCOUNT} wrong passwords the account is locked, even for the right one, and it is all audited`, async () => {
    const person = await createPerson(db, { email: 'tomas.reyes@example.org' });
    const guesser = new Visitor();

    for (let i = 1; i <= MAX_FAILURES_PER_ACCOUNT; i++) {
      const res = await guesser.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: `guess number ${i} of many` });
      assert.equal(res.statusCode, 401, `attempt ${i}`);
    }

    // The next attempt is refused before the password is even looked at.
    const locked = await guesser.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: TEST_PASSWORD });
    assert.equal(locked.statusCode, 429);
    assert.match(String(locked.headers['content-type']), /^application\/problem\+json/);
    const problem = locked.json() as { status: number; title: string; detail: string };
    assert.equal(problem.status, 429);
    assert.equal(problem.title, 'Too Many Requests');
    assert.match(problem.detail, /^Too many sign-in attempts\./);
    assert.equal(guesser.cookies.has(SESSION_COOKIE), false);

    // The lock is on the account wherever the attempt comes from, and the form says so.
    const owner = new Visitor();
    const form = await owner.signIn(person.email, TEST_PASSWORD);
    assert.equal(form.statusCode, 429);
    assert.match(formError(form.body) ?? '', /^Too many sign-in attempts\. Wait 15 minutes and try again, or reset your password\.$/);
    assert.equal(owner.cookies.has(SESSION_COOKIE), false);

    // Every failure and every refusal is in the audit log, with where it came from.
    const failed = await searchAudit(db, { action: 'auth.sign_in_failed', entityId: person.email });
    assert.equal(failed.total, MAX_FAILURES_PER_ACCOUNT);
    assert.ok(failed.rows.every((r) => r.ip === guesser.ip && r.actorUserId === person.id));
    const lockedRows = await searchAudit(db, { action: 'auth.sign_in_locked', entityId: person.email });
    assert.deepEqual(
      lockedRows.rows.map((r) => r.ip),
      [owner.ip, guesser.ip],
    );

    // Someone else signing in from the guesser's address is not held up by it.
    const neighbour = await createPerson(db, { email: 'neighbour@example.org' });
    const ok = await guesser.api('POST', '/api/v1/auth/sign-in', { email: neighbour.email, password: TEST_PASSWORD });
    assert.equal(ok.statusCode, 200);
  });

  test(`${MAX_FAILURES_PER_ADDRESS} failures over different accounts from one address lock that address`, async () => {
    const person = await createPerson(db, { email: 'hana.sato@example.org' });
    const sprayer = new Visitor('198.51.100.77');

    // One guess per made-up account, through both the form and the API: each endpoint's own rate limit (20 a
    // minute per address) would stop one endpoint first; the throttle counts failures wherever they happen.
    for (let i = 1; i <= MAX_FAILURES_PER_ADDRESS; i++) {
      const email = `user${i}@example.org`;
      const res = i % 2 === 0 ? await sprayer.api('POST', '/api/v1/auth/sign-in', { email, password: 'Summer2025!' }) : await sprayer.signIn(email, 'Summer2025!');
      assert.equal(res.statusCode, i % 2 === 0 ? 401 : 400, `attempt ${i}`);
    }

    // Now even a real account with its right password is refused from that address…
    const refused = await sprayer.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: TEST_PASSWORD });
    assert.equal(refused.statusCode, 429);
    assert.match((refused.json() as { detail: string }).detail, /^Too many sign-in attempts\./);
    assert.equal((await searchAudit(db, { action: 'auth.sign_in_locked', entityId: person.email })).total, 1);

    // …but not from anywhere else: the account itself is not locked.
    const elsewhere = await new Visitor().api('POST', '/api/v1/auth/sign-in', { email: person.email, password: TEST_PASSWORD });
    assert.equal(elsewhere.statusCode, 200);
  });

  test(
    'a locked-out person who follows the advice to reset their password can sign in with the new one',
    async () => {
      const person = await createPerson(db, { email: 'locked.out@example.org' });
      const visitor = new Visitor();
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
        await visitor.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: 'an old password I misremember' });
      }
      await visitor.open('/forgot-password');
      await visitor.submit('/forgot-password', { email: person.email });
      const [mail] = await mailTo(person.email);
      assert.ok(mail);
      const link = linkIn(mail.text, '/reset-password');
      await visitor.open(link.path);
      assert.equal((await visitor.submit('/reset-password', { token: link.token, password: NEW_PASSWORD })).statusCode, 200);

      const res = await visitor.signIn(person.email, NEW_PASSWORD);
      assert.equal(res.statusCode, 303, formError(res.body) ?? undefined);
    },
  );
});

describe('CSRF', () => {
  test('every state-changing form refuses a post without its token (403) and writes nothing', async () => {
    // A person waiting to confirm their address, one with a reset link, and one signed in.
    const pending = new Visitor();
    const { link: verifyLink } = await signUp(pending, { displayName: 'Pending Person', email: 'pending@example.org' });
    const resetting = await createPerson(db, { email: 'resetting@example.org' });
    const asker = new Visitor();
    await asker.open('/forgot-password');
    await asker.submit('/forgot-password', { email: resetting.email });
    const [resetMail] = await mailTo(resetting.email);
    assert.ok(resetMail);
    const resetLink = linkIn(resetMail.text, '/reset-password');
    const signedIn = new Visitor();
    const member = await createPerson(db, { email: 'signed.in@example.org' });
    assert.equal((await signedIn.signIn(member.email, TEST_PASSWORD)).statusCode, 303);
    await signedIn.open('/account');

    const forged: Array<[string, Visitor, Record<string, string>]> = [
      ['/sign-in', new Visitor(), { email: member.email, password: TEST_PASSWORD }],
      ['/sign-up', new Visitor(), { displayName: 'Forged', email: 'forged@example.org', password: PASSWORD }],
      ['/sign-out', signedIn, {}],
      ['/sign-out?everywhere=true', signedIn, {}],
      ['/verify-email', pending, { token: verifyLink.token }],
      ['/forgot-password', new Visitor(), { email: member.email }],
      ['/reset-password', asker, { token: resetLink.token, password: NEW_PASSWORD }],
    ];
    const before = await footprint();
    for (const [url, visitor, fields] of forged) {
      // With the CSRF cookie of a page it loaded, but no token: what a post from another site would look like.
      await visitor.open(url.startsWith('/sign-out') ? '/account' : url.split('?')[0] ?? url);
      assert.ok(visitor.cookies.has('_csrf'), `${url}: the form set no CSRF cookie`);
      const noToken = await visitor.submit(url, fields, { withToken: false });
      assert.equal(noToken.statusCode, 403, `${url} without a token`);
      assert.match(noToken.body, /This form has expired/, `${url}: refused for its missing token, not for another reason`);
      // With no CSRF cookie at all.
      const withoutCsrfCookie = [...visitor.cookies].filter(([name]) => name !== '_csrf').map(([name, value]) => `${name}=${value}`);
      const bare = await app.inject({
        method: 'POST',
        url,
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          ...(withoutCsrfCookie.length > 0 ? { cookie: withoutCsrfCookie.join('; ') } : {}),
        },
        payload: new URLSearchParams(fields).toString(),
        remoteAddress: visitor.ip,
      });
      assert.equal(bare.statusCode, 403, `${url} without the CSRF cookie`);
    }
    // A token from someone else's form does not fit this visitor's cookie.
    const other = new Visitor();
    await other.open('/sign-in');
    const stranger = new Visitor();
    await stranger.open('/sign-in');
    stranger.csrfToken = other.csrfToken;
    assert.equal((await stranger.submit('/sign-in', { email: member.email, password: TEST_PASSWORD })).statusCode, 403);

    assert.deepEqual(await footprint(), before, 'a refused post changed something');
    assert.equal((await signedIn.api('GET', '/api/v1/auth/me')).statusCode, 200, 'the signed-in person is still signed in');

    // The same posts with their tokens go through: the links were not used up.
    await pending.open(verifyLink.path);
    assert.equal((await pending.submit('/verify-email', { token: verifyLink.token })).statusCode, 200);
    await asker.open(resetLink.path);
    assert.equal((await asker.submit('/reset-password', { token: resetLink.token, password: NEW_PASSWORD })).statusCode, 200);
  });
});

describe('password rules on the sign-up form', () => {
  for (const [why, password, message] of [
    ['too short', 'short pass', /^Use at least 12 characters\./],
    ['too common', 'password1234', /^This password is too common/],
  ] as const) {
    test(`a ${why} password re-renders the form (400) with the message beside the field and what was typed kept`, async () => {
      const visitor = new Visitor();
      const usersBefore = await rows(users);
      const outboxBefore = await rows(outbox);
      await visitor.open('/sign-up');
      const res = await visitor.submit('/sign-up', { displayName: 'Nadia Haddad', email: 'nadia.haddad@example.org', password });

      assert.equal(res.statusCode, 400);
      assert.match(res.body, /<h1>Create an account<\/h1>/);
      assert.match(fieldError(res.body, 'password') ?? '', message);
      assert.equal(res.body.match(/usa-form-group--error/g)?.length, 1, 'only the password field is marked');
      assert.match(res.body, /<div class="usa-form-group usa-form-group--error"><label class="usa-label" for="password">.*?id="password-error".*?<input[^>]*id="password"/s);
      assert.match(res.body, /<input[^>]*id="password"[^>]*aria-describedby="password-hint password-error"[^>]*aria-invalid="true"/);
      assert.match(formError(res.body) ?? '', message, 'the summary at the top says it too');
      assert.equal(inputValue(res.body, 'displayName'), 'Nadia Haddad');
      assert.equal(inputValue(res.body, 'email'), 'nadia.haddad@example.org');
      assert.equal(inputValue(res.body, 'password'), null, 'a password is never sent back');
      assert.ok(!res.body.includes(password), 'the refused password appears nowhere on the page');

      assert.equal(await rows(users), usersBefore);
      assert.equal(await rows(outbox), outboxBefore);
    });
  }
});

describe('password reset', () => {
  test('a reset link sets a new password once, and ends every session the person had', async () => {
    const person = await createPerson(db, { email: 'amara.okafor@example.org' });
    const laptop = new Visitor();
    const phone = new Visitor();
    for (const device of [laptop, phone]) {
      assert.equal((await device.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: TEST_PASSWORD })).statusCode, 200);
      assert.equal((await device.api('GET', '/api/v1/auth/me')).statusCode, 200);
    }

    // She has forgotten it on a third device, and asks for a link.
    const kiosk = new Visitor();
    await kiosk.open('/forgot-password');
    await kiosk.submit('/forgot-password', { email: person.email });
    const [mail] = await mailTo(person.email);
    assert.ok(mail);
    assert.equal(mail.subject, 'Reset your password');
    const link = linkIn(mail.text, '/reset-password');

    // The link opens a form; a weak password is refused there and the link still works afterwards.
    const form = await kiosk.open(link.path);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`name="token" value="${link.token}"`));
    const weak = await kiosk.submit('/reset-password', { token: link.token, password: 'qwerty123456' });
    assert.equal(weak.statusCode, 400);
    assert.match(fieldError(weak.body, 'password') ?? '', /too common/);

    const done = await kiosk.submit('/reset-password', { token: link.token, password: NEW_PASSWORD });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Your password is changed and every other session has been signed out\./);

    // The laptop and the phone are signed out.
    for (const device of [laptop, phone]) assert.equal((await device.api('GET', '/api/v1/auth/me')).statusCode, 401);

    // The old password no longer works; the new one does.
    assert.equal((await kiosk.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: TEST_PASSWORD })).statusCode, 401);
    const signedIn = await kiosk.signIn(person.email, NEW_PASSWORD);
    assert.equal(signedIn.statusCode, 303);
    assert.equal((await kiosk.api('GET', '/api/v1/auth/me')).statusCode, 200);

    // The link was for one use.
    const again = new Visitor();
    await again.open(link.path);
    const reused = await again.submit('/reset-password', { token: link.token, password: 'yet another long passphrase' });
    assert.equal(reused.statusCode, 400);
    assert.match(formError(reused.body) ?? '', /This link has expired or was already used\. Ask for a new one\./);
    assert.equal((await again.api('POST', '/api/v1/auth/sign-in', { email: person.email, password: 'yet another long passphrase' })).statusCode, 401);

    const audited = await searchAudit(db, { action: 'user.password_reset', entityId: person.id });
    assert.equal(audited.total, 1);
    assert.deepEqual(audited.rows[0]?.changes, [{ field: 'passwordHash', before: '***', after: '***' }]);
  });

  test('a link works only for what it was sent for', async () => {
    const visitor = new Visitor();
    const { link: verifyLink } = await signUp(visitor, { displayName: 'Omar Farouk', email: 'omar.farouk@example.org' });

    // A confirmation link cannot set a password…
    await visitor.open(`/reset-password?token=${encodeURIComponent(verifyLink.token)}`);
    const asReset = await visitor.submit('/reset-password', { token: verifyLink.token, password: NEW_PASSWORD });
    assert.equal(asReset.statusCode, 400);
    assert.match(formError(asReset.body) ?? '', /expired or was already used/);

    // …and a reset link cannot confirm an address.
    await visitor.open('/forgot-password');
    await visitor.submit('/forgot-password', { email: 'omar.farouk@example.org' });
    const [resetMail] = await mailTo('omar.farouk@example.org');
    assert.ok(resetMail);
    assert.equal(resetMail.subject, 'Reset your password');
    const resetLink = linkIn(resetMail.text, '/reset-password');
    await visitor.open(`/verify-email?token=${encodeURIComponent(resetLink.token)}`);
    const asVerify = await visitor.submit('/verify-email', { token: resetLink.token });
    assert.equal(asVerify.statusCode, 400);

    // Each still works for its own purpose.
    await visitor.open(verifyLink.path);
    assert.equal((await visitor.submit('/verify-email', { token: verifyLink.token })).statusCode, 200);
    await visitor.open(resetLink.path);
    assert.equal((await visitor.submit('/reset-password', { token: resetLink.token, password: NEW_PASSWORD })).statusCode, 200);
  });
});

describe('invitations (pss users create)', () => {
  test('an account created without a password comes with a link that sets one, once', async () => {
    const { userId, inviteLink } = await createUser(
      db,
      {
        email: 'dana.whitfield@example.org',
        displayName: 'Dana Whitfield',
        roles: [{ role: 'county_admin', countyFips: '06001' }],
        inviteLink: (token) => `http://localhost:3000/reset-password?token=${encodeURIComponent(token)}`,
      },
      { actor: { role: 'cli' }, userAgent: 'pss users create' },
    );
    assert.ok(inviteLink, 'no invite link was returned');
    const [mail] = await mailTo('dana.whitfield@example.org');
    assert.ok(mail);
    assert.equal(mail.subject, 'You have an account on Medi-Cal Peer Support Services');
    assert.ok(mail.text.includes(inviteLink), 'the email carries the same link the CLI prints');

    // Until she chooses a password, nothing signs her in.
    const dana = new Visitor();
    assert.equal((await dana.api('POST', '/api/v1/auth/sign-in', { email: 'dana.whitfield@example.org', password: '' })).statusCode, 401);

    const link = linkIn(inviteLink, '/reset-password');
    assert.equal((await dana.open(link.path)).statusCode, 200);
    const chosen = await dana.submit('/reset-password', { token: link.token, password: PASSWORD });
    assert.equal(chosen.statusCode, 200);

    const signedIn = await dana.api('POST', '/api/v1/auth/sign-in', { email: 'dana.whitfield@example.org', password: PASSWORD });
    assert.equal(signedIn.statusCode, 200);
    assert.deepEqual(signedIn.json(), {
      id: userId,
      email: 'dana.whitfield@example.org',
      displayName: 'Dana Whitfield',
      roles: [{ role: 'county_admin', countyFips: '06001' }],
    });

    await dana.open(link.path);
    const reused = await dana.submit('/reset-password', { token: link.token, password: NEW_PASSWORD });
    assert.equal(reused.statusCode, 400);
    assert.match(formError(reused.body) ?? '', /expired or was already used/);
  });
});

describe('/admin/outbox', () => {
  test('is for system administrators only', async () => {
    const html = await app.inject({ url: '/admin/outbox', headers: { accept: 'text/html' } });
    assert.equal(html.statusCode, 401);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.body, /Sign in to see this page\./);

    const json = await app.inject({ url: '/admin/outbox', headers: { accept: 'application/json' } });
    assert.equal(json.statusCode, 401);
    assert.match(String(json.headers['content-type']), /^application\/problem\+json/);
    assert.equal((json.json() as { detail: string }).detail, 'Sign in to see this page.');

    const peer = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] });
    const forbidden = await app.inject({ url: '/admin/outbox', headers: { accept: 'text/html', ...peer } });
    assert.equal(forbidden.statusCode, 403);
    assert.doesNotMatch(forbidden.body, /Confirm your email address/, 'nothing of the outbox is shown');

    const admin = await actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'system_admin', countyFips: null }] });
    const listed = await app.inject({ url: '/admin/outbox', headers: { accept: 'text/html', ...admin } });
    assert.equal(listed.statusCode, 200);
    assert.match(listed.body, /<h1>Email outbox<\/h1>/);
    assert.match(listed.body, /data-testid="outbox"/);
    const listedRows = listed.body.match(/<td data-label="Written">/g) ?? [];
    assert.equal(listedRows.length, Math.min(await rows(outbox), 100), 'every message (up to 100) is listed');
    assert.match(listed.body, /<th scope="row" data-label="To">rosa\.martinez@example\.org<\/th>/);
    assert.match(listed.body, /Confirm your email address/);
    assert.match(listed.body, /not sent/);
  });
});

describe('the audit log', () => {
  test('still verifies after everything above', async () => {
    const result = await verifyAuditChain(db);
    assert.deepEqual(result, { ok: true, checked: await lastAuditSeq(db) });
    assert.ok(result.checked > 0);
  });
});
