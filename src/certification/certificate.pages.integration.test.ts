// Downloading a certificate: a peer gets their own (and only while it is active); certifying staff get anyone's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/roles.ts';
import { actorHeaders } from '../accounts/testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { certifyPeer } from './certified-peer.testing.ts';
import { longDate } from './certificate-pdf.ts';
import { pdfText } from './pdf-text.testing.ts';

let testApp: TestApp;
const today = todayInCalifornia();
const person = (role: 'peer' | 'certification_staff' | 'enforcement_staff'): Actor => ({ kind: 'user', userId: randomUUID(), roles: [{ role, countyFips: null }] });
const rosa = person('peer');
const sam = person('peer');
const noCertification = person('peer');
const staff = person('certification_staff');
const enforcement = person('enforcement_staff');
const headers: Record<string, Record<string, string>> = {};
let samCertificationId = '';
let rosaCertificationId = '';

before(async () => {
  testApp = await createTestApp();
  const { app, database } = testApp;
  // People first (their accounts), then the certifications on record for two of them.
  for (const [name, actor] of Object.entries({ rosa, sam, noCertification, staff, enforcement })) headers[name] = await actorHeaders(app, actor);
  const issuedOn = addDays(today, -100);
  rosaCertificationId = (
    await certifyPeer(database.db, {
      userId: rosa.kind === 'user' ? rosa.userId : null,
      first: 'Rosa',
      middle: 'Inés',
      last: 'Delgado',
      number: 'PSS-410001',
      firstIssuedOn: '2022-11-20',
      issuedOn,
      expiresOn: addYears(issuedOn, 2),
      email: 'rosa.private@example.org',
      specializations: [{ code: 'crisis_care', completedOn: '2023-04-01' }],
    })
  ).certificationId;
  samCertificationId = (
    await certifyPeer(database.db, {
      userId: sam.kind === 'user' ? sam.userId : null,
      first: 'Sam',
      last: 'Ortiz',
      number: 'PSS-410002',
      issuedOn,
      expiresOn: addYears(issuedOn, 2),
      later: { to: 'suspended', effectiveOn: addDays(today, -5) },
    })
  ).certificationId;
});
after(() => testApp.close());

describe('a certified peer', () => {
  test('downloads their own certificate: a PDF attachment, not cached, whose QR code points at the registry', async () => {
    const res = await testApp.app.inject({ url: '/my-certification/certificate.pdf', headers: { ...headers.rosa, host: 'pss.test' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="certificate-PSS-410001.pdf"');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdfText(res.rawPayload);
    assert.ok(text.includes('Rosa Inés Delgado'), text);
    assert.ok(text.includes('PSS-410001'));
    assert.ok(text.includes(`Valid through\n${longDate(addDays(addYears(addDays(today, -100), 2), -1))}`), text);
    assert.ok(text.includes('Peer Services in Crisis Care (April 1, 2023)'));
    assert.ok(text.includes('http://pss.test/registry/PSS-410001'), 'the verify address is built from the request when PUBLIC_URL is not set');
    assert.ok(!text.includes('rosa.private@example.org'), 'no private field on the certificate');
  });

  test('gets no certificate while theirs is not active, and is told why', async () => {
    const res = await testApp.app.inject({ url: '/my-certification/certificate.pdf', headers: headers.sam });
    assert.equal(res.statusCode, 409);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(res.json<{ detail: string }>().detail, /PSS-410002 is suspended today .* only be downloaded while the certification is active/);
    const page = await testApp.app.inject({ url: '/my-certification/certificate.pdf', headers: { ...headers.sam, accept: 'text/html' } });
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /is suspended today/);
  });

  test('without a certification gets a 404 — never someone else’s — and cannot use the staff download', async () => {
    const own = await testApp.app.inject({ url: '/my-certification/certificate.pdf', headers: headers.noCertification });
    assert.equal(own.statusCode, 404);
    assert.match(own.json<{ detail: string }>().detail, /You hold no certification/);
    const theirs = await testApp.app.inject({ url: `/workbench/certifications/${rosaCertificationId}/certificate.pdf`, headers: headers.sam });
    assert.equal(theirs.statusCode, 403);
  });

  test('must be signed in', async () => {
    const res = await testApp.app.inject({ url: '/my-certification/certificate.pdf' });
    assert.equal(res.statusCode, 401);
  });
});

describe('certifying staff', () => {
  test('download any certificate, which states the status today', async () => {
    const res = await testApp.app.inject({ url: `/workbench/certifications/${samCertificationId}/certificate.pdf`, headers: headers.staff });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="certificate-PSS-410002.pdf"');
    assert.ok(pdfText(res.rawPayload).includes(`Status\nSuspended as of ${longDate(today)}`));
  });

  test('get a 404 for a certification that does not exist, however its id is written', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await testApp.app.inject({ url: `/workbench/certifications/${id}/certificate.pdf`, headers: headers.staff });
      assert.equal(res.statusCode, 404, id);
    }
  });

  test('are the only ones: enforcement staff and anonymous visitors are refused', async () => {
    const url = `/workbench/certifications/${rosaCertificationId}/certificate.pdf`;
    assert.equal((await testApp.app.inject({ url, headers: headers.enforcement })).statusCode, 403);
    assert.equal((await testApp.app.inject({ url })).statusCode, 401);
  });
});
