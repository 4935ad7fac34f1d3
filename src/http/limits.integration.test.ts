// Rate limits and body limits answer with problem+json, and static assets are not counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../testing.ts';
import { createPerson, TEST_PASSWORD } from '../accounts/testing.ts';

test('past the limit an address gets 429 problem+json; sign-in has its own, lower limit', async (t) => {
  const { app, close } = await createTestApp({ rateLimits: { perMinute: 5, signInPerMinute: 2 } });
  t.after(close);
  for (let i = 0; i < 5; i++) assert.equal((await app.inject({ url: '/api/v1/counties/06001' })).statusCode, 200);
  const limited = await app.inject({ url: '/api/v1/counties/06001' });
  assert.equal(limited.statusCode, 429);
  assert.match(String(limited.headers['content-type']), /application\/problem\+json/);
  assert.match(limited.json().detail, /Too many requests/);
  assert.ok(limited.headers['retry-after'], 'says when to come back');

  const other = { remoteAddress: '10.9.8.7' };
  for (let i = 0; i < 2; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'a@example.org', password: 'x' }, ...other });
    assert.equal(res.statusCode, 401);
  }
  const signInLimited = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'a@example.org', password: 'x' }, ...other });
  assert.equal(signInLimited.statusCode, 429);
});

test('static assets are not rate limited', async (t) => {
  const { app, close } = await createTestApp({ rateLimits: { perMinute: 2, signInPerMinute: 2 } });
  t.after(close);
  for (let i = 0; i < 5; i++) assert.equal((await app.inject({ url: '/assets/app.css' })).statusCode, 200);
});

test('a body over the form limit is refused with 413 problem+json', async (t) => {
  const { app, close } = await createTestApp();
  t.after(close);
  const res = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `email=${'a'.repeat(70 * 1024)}`,
  });
  assert.equal(res.statusCode, 413);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
});

test('security headers: CSP without inline script, no framing, a referrer policy', async (t) => {
  const { app, close } = await createTestApp();
  t.after(close);
  const res = await app.inject({ url: '/sign-in', headers: { accept: 'text/html' } });
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});

test('outside development the session cookie is Secure, HttpOnly and SameSite=Lax', async (t) => {
  const { app, database, close } = await createTestApp();
  t.after(close);
  const person = await createPerson(database.db);
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: person.email, password: TEST_PASSWORD } });
  assert.equal(res.statusCode, 200);
  const cookie = String(res.headers['set-cookie']);
  assert.match(cookie, /pss_session=/);
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
});
