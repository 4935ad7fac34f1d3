// The registry as employers, counties and billing systems use it over HTTP: search, one certification, a signed
// as-of verification (JSON and PDF), the keys, a receipt check, bulk CSV — and, across every one of those answers,
// nothing private about the person, and nothing a search term can inject.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { csrfHeaders } from '../accounts/testing.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { pdfText } from '../certification/pdf-text.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { multipartBody } from '../web/multipart.testing.ts';

let testApp: TestApp;
const today = todayInCalifornia();
const issuedOn = addDays(today, -100);
/** Fields and values the registry must never answer with, in any form. */
const PRIVATE = { email: 'tran.private@example.org', dateOfBirth: '1984-07-19', countyFips: '06085' };
const FORBIDDEN_KEYS = ['email', 'dateOfBirth', 'date_of_birth', 'countyFips', 'county_fips', 'county', 'phone', 'address', 'applicationId', 'application', 'fees', 'peerId', 'userId', 'cin'];

before(async () => {
  testApp = await createTestApp();
  await certifyPeer(testApp.database.db, {
    first: 'Thảo',
    last: 'Trần',
    number: 'PSS-810001',
    issuedOn,
    expiresOn: addYears(issuedOn, 2),
    specializations: [{ code: 'unhoused', completedOn: addDays(today, -50) }],
    ...PRIVATE,
  });
});
after(() => testApp.close());

const get = (url: string, accept = 'application/json') => testApp.app.inject({ url, headers: { accept } });

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

describe('the registry API', () => {
  test('search finds her by a name typed without its accents', async () => {
    const res = await get('/api/v1/registry/peers?name=thao%20tran');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 1);
    assert.deepEqual(body.rows[0], {
      number: 'PSS-810001',
      fullName: 'Thảo Trần',
      status: 'active',
      firstIssuedOn: issuedOn,
      issuedOn,
      validThrough: addDays(addYears(issuedOn, 2), -1),
      specializations: [{ specialization: 'unhoused', completedOn: addDays(today, -50) }],
    });
  });

  test('a bad search parameter is a 400 problem naming it', async () => {
    const res = await get('/api/v1/registry/peers?status=maybe');
    assert.equal(res.statusCode, 400);
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
  });

  test('one certification with its history; an unknown number is a 404 problem', async () => {
    const res = await get('/api/v1/registry/peers/pss-810001');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().history.statuses, [{ status: 'active', from: issuedOn }]);
    const missing = await get('/api/v1/registry/peers/PSS-000000');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /application\/problem\+json/);
  });

  test('verify on a date before the certification: not certified, signed; the registry confirms the receipt', async () => {
    const res = await get(`/api/v1/registry/verify?number=PSS-810001&asOf=${addDays(issuedOn, -1)}`);
    assert.equal(res.statusCode, 200);
    const receipt = res.json();
    assert.equal(receipt.receipt.certified, false);
    assert.equal(receipt.receipt.status, 'not_issued');
    assert.equal(receipt.alg, 'Ed25519');
    const keys = (await get('/api/v1/registry/keys')).json().keys;
    assert.ok(keys.some((k: { kid: string }) => k.kid === receipt.receipt.kid), 'its key is published');
    const check = await testApp.app.inject({ method: 'POST', url: '/api/v1/registry/receipts/verify', payload: receipt });
    assert.deepEqual(check.json(), { valid: true, kid: receipt.receipt.kid });
    const forged = await testApp.app.inject({ method: 'POST', url: '/api/v1/registry/receipts/verify', payload: { ...receipt, receipt: { ...receipt.receipt, certified: true, status: 'active' } } });
    assert.equal(forged.json().valid, false);
  });

  test('the receipt as a PDF for the audit file carries the facts and the signed JSON', async () => {
    const res = await get(`/api/v1/registry/verify.pdf?number=PSS-810001&asOf=${today}`, 'application/pdf');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const text = pdfText(res.rawPayload);
    assert.match(text, /Thảo Trần was a Certified Medi-Cal Peer Support Specialist/);
    assert.match(text, /"signature"/);
  });

  test('bulk: a CSV body in, a CSV of results out, with the as-of date on every row', async () => {
    const res = await testApp.app.inject({ method: 'POST', url: `/api/v1/registry/verify/bulk?asOf=${today}`, headers: { 'content-type': 'text/csv' }, payload: 'number,name\nPSS-810001,\nnot-a-number,\n,Thao Tran\n' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(
      rows.map((r) => [r.as_of, r.outcome, r.certified]),
      [
        [today, 'verified', 'yes'],
        [today, 'invalid', ''],
        [today, 'verified', 'yes'],
      ],
    );
  });
});

describe('the registry pages', () => {
  test('search with a misspelled name finds her, and the result links to her entry', async () => {
    const res = await get('/registry?name=Tao+Tran', 'text/html');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<a class="usa-link" href="\/registry\/PSS-810001">Thảo Trần<\/a>/);
  });

  test('a search term with markup comes back as text, never as markup', async () => {
    const attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await get(`/registry?name=${encodeURIComponent(attack)}`, 'text/html');
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes('<script>alert(1)'), 'no script element from the term');
    assert.ok(!res.body.includes('<img src=x'), 'no image element from the term');
    // The attribute keeps the term as text: its quote and every < are escaped, so it cannot end the attribute.
    assert.ok(res.body.includes('value="&quot;>&lt;script>alert(1)&lt;/script>&lt;img src=x onerror=alert(2)>"'));
  });

  test('bulk verification from the web form downloads the results; without a file it says so', async () => {
    const csrf = await csrfHeaders(testApp.app);
    const form = multipartBody({ _csrf: csrf.token, asOf: today }, [{ name: 'file', filename: 'staff.csv', contentType: 'text/csv', bytes: Buffer.from('number\nPSS-810001\n') }]);
    const res = await testApp.app.inject({ method: 'POST', url: '/registry/bulk', payload: form.payload, headers: { ...form.headers, cookie: csrf.cookie, accept: 'text/html' } });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-disposition'] as string, new RegExp(`attachment; filename="registry-verification-${today}.csv"`));
    const empty = multipartBody({ _csrf: csrf.token, asOf: today });
    const none = await testApp.app.inject({ method: 'POST', url: '/registry/bulk', payload: empty.payload, headers: { ...empty.headers, cookie: csrf.cookie, accept: 'text/html' } });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose a CSV file to verify/);
  });

  test('the bulk form without its CSRF token is refused', async () => {
    const form = multipartBody({}, [{ name: 'file', filename: 'staff.csv', contentType: 'text/csv', bytes: Buffer.from('number\nPSS-810001\n') }]);
    const res = await testApp.app.inject({ method: 'POST', url: '/registry/bulk', payload: form.payload, headers: { ...form.headers, accept: 'text/html' } });
    assert.equal(res.statusCode, 403);
  });
});

describe('nothing private in any registry answer', () => {
  const answers = [
    '/api/v1/registry/peers?name=thao',
    '/api/v1/registry/peers?number=PSS-81',
    '/api/v1/registry/peers/PSS-810001',
    `/api/v1/registry/verify?number=PSS-810001&asOf=${today}`,
    '/api/v1/registry/keys',
  ];
  test('JSON answers have no private field and no private value', async () => {
    for (const url of answers) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      const keys = keysOf(res.json());
      for (const key of FORBIDDEN_KEYS) assert.ok(!keys.includes(key), `${url} has a "${key}" field`);
      for (const value of Object.values(PRIVATE)) assert.ok(!res.body.includes(value), `${url} shows ${value}`);
    }
  });

  test('pages, the PDF receipt and the bulk CSV show no private value', async () => {
    const bodies = [
      (await get('/registry?name=thao', 'text/html')).body,
      (await get('/registry/PSS-810001', 'text/html')).body,
      (await get(`/registry/PSS-810001?asOf=${today}`, 'text/html')).body,
      pdfText((await get(`/api/v1/registry/verify.pdf?number=PSS-810001&asOf=${today}`, 'application/pdf')).rawPayload),
      (await testApp.app.inject({ method: 'POST', url: '/api/v1/registry/verify/bulk', headers: { 'content-type': 'text/csv' }, payload: 'number\nPSS-810001\n' })).body,
    ];
    // The county search lists every county code, so her county is checked in the JSON answers above, not here.
    for (const body of bodies) for (const value of [PRIVATE.email, PRIVATE.dateOfBirth]) assert.ok(!body.includes(value), `an answer shows ${value}`);
  });
});

describe('caching', () => {
  test('public answers carry an ETag; a client holding it gets an empty 304', async () => {
    for (const url of ['/api/v1/registry/peers?name=thao', '/api/v1/registry/peers/PSS-810001', '/registry/PSS-810001']) {
      const first = await get(url);
      const etag = first.headers.etag as string;
      assert.match(etag, /^W\/"/, url);
      const again = await testApp.app.inject({ url, headers: { accept: first.headers['content-type'] as string, 'if-none-match': etag } });
      assert.equal(again.statusCode, 304, url);
      assert.equal(again.body, '');
    }
  });

  test('signed receipts are never cached: each is issued afresh', async () => {
    const res = await get(`/api/v1/registry/verify?number=PSS-810001&asOf=${today}`);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers.etag, undefined);
  });
});

describe('rate limits', () => {
  test('a caller over the limit gets 429 problem+json from the registry API', async () => {
    const limited = await createTestApp({ rateLimits: { perMinute: 3, signInPerMinute: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ url: '/api/v1/registry/peers?name=x' })).statusCode);
      assert.deepEqual(codes.slice(0, 3), [200, 200, 200]);
      const res = await limited.app.inject({ url: '/api/v1/registry/peers?name=x' });
      assert.equal(res.statusCode, 429);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    } finally {
      await limited.close();
    }
  });
});
