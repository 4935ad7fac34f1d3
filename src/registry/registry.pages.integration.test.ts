// The public verification page a certificate's QR code opens: the certification today and on a date asked about,
// in English or Spanish — and nothing private about the person.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createPerson } from '../accounts/testing.ts';
import { applications, documents, fees } from '../certification/certification.schema.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';

let testApp: TestApp;
const today = todayInCalifornia();
const issuedOn = addDays(today, -200);
const expiresOn = addYears(issuedOn, 2);
/** What the registry must never show, however the page is asked for. */
const PRIVATE = {
  email: 'lucia.private@example.org',
  dateOfBirth: '1979-04-03',
  countyFips: '06019',
  county: 'Fresno',
  applicationNumber: 'APP-77123',
  documentName: 'passport-scan-lucia.pdf',
  fee: '$100',
};

before(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  const account = await createPerson(db, { email: PRIVATE.email });
  const { peerId } = await certifyPeer(db, {
    userId: account.id,
    first: 'Lucía',
    middle: 'Beatriz',
    last: 'Ramírez',
    number: 'PSS-520001',
    firstIssuedOn: '2022-11-20',
    issuedOn,
    expiresOn,
    email: PRIVATE.email,
    dateOfBirth: PRIVATE.dateOfBirth,
    countyFips: PRIVATE.countyFips,
    specializations: [{ code: 'parent_caregiver_family', completedOn: '2024-10-07' }],
    later: { to: 'suspended', effectiveOn: addDays(today, -30) },
  });
  // Her application, its fee and an uploaded document: records the registry has no business showing.
  const [application] = await db.insert(applications).values({ number: PRIVATE.applicationNumber, peerId, pathway: 'initial', status: 'certified' }).returning({ id: applications.id });
  await db.insert(fees).values({ peerId, applicationId: application?.id, kind: 'application', amountCents: 10000, chargedOn: '2022-09-01' });
  await db.insert(documents).values({ peerId, applicationId: application?.id, kind: 'photo_id', filename: PRIVATE.documentName, contentType: 'application/pdf', sizeBytes: 1000, sha256: 'a'.repeat(64), storageKey: randomUUID() });
  await certifyPeer(db, { first: 'Marco', last: 'Tan', number: 'PSS-520002', issuedOn, expiresOn });
});
after(() => testApp.close());

const get = (url: string) => testApp.app.inject({ url, headers: { accept: 'text/html' } });

function text(html: string, testId: string): string {
  const m = new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</(td|p)>`).exec(html);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, '').trim();
}

describe('a certification on the registry', () => {
  test('shows the legal name, number, status today, term, first issue and specializations', async () => {
    const res = await get('/registry/PSS-520002');
    assert.equal(res.statusCode, 200);
    assert.equal(text(res.body, 'registry-name'), 'Marco Tan');
    assert.equal(text(res.body, 'registry-status'), 'Active');
    assert.equal(text(res.body, 'registry-valid-through'), addDays(expiresOn, -1), 'valid through: the last day of the half-open term');
    assert.equal(text(res.body, 'registry-specializations'), 'None recorded');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['x-robots-tag'], 'noindex');
  });

  test('says when it is not active, without a "valid through" date', async () => {
    const res = await get('/registry/pss-520001'); // as someone might type it
    assert.equal(res.statusCode, 200);
    assert.equal(text(res.body, 'registry-name'), 'Lucía Beatriz Ramírez');
    assert.equal(text(res.body, 'registry-status'), 'Suspended');
    assert.equal(text(res.body, 'registry-valid-through'), '');
    assert.match(res.body, /2022-11-20/, 'first issued');
    assert.equal(text(res.body, 'registry-specializations'), 'Parent, Caregiver, Family Member Peer (completed 2024-10-07)');
  });

  test('answers the status on a date asked about', async () => {
    const before = await get(`/registry/PSS-520001?asOf=${addDays(today, -31)}`);
    assert.equal(text(before.body, 'registry-as-of'), `Certified on ${addDays(today, -31)}. Status on ${addDays(today, -31)}: Active`);
    const during = await get(`/registry/PSS-520001?asOf=${addDays(today, -30)}`);
    assert.equal(text(during.body, 'registry-as-of'), `Not certified on ${addDays(today, -30)}. Status on ${addDays(today, -30)}: Suspended`);
    const beforeIssue = await get('/registry/PSS-520002?asOf=2020-01-01');
    assert.equal(text(beforeIssue.body, 'registry-as-of'), 'Not certified on 2020-01-01. Status on 2020-01-01: Not yet issued');
    const afterTerm = await get(`/registry/PSS-520002?asOf=${expiresOn}`);
    assert.equal(text(afterTerm.body, 'registry-as-of'), `Not certified on ${expiresOn}. Status on ${expiresOn}: Expired`, 'the term is half-open');
  });

  test('refuses a date that is not one, keeping the page', async () => {
    const res = await get('/registry/PSS-520002?asOf=2025-02-30');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Enter a real date written YYYY-MM-DD. “2025-02-30” is not one./);
    assert.equal(text(res.body, 'registry-as-of'), '');
    assert.equal(text(res.body, 'registry-name'), 'Marco Tan');
  });

  test('reads in Spanish', async () => {
    const res = await get('/registry/PSS-520001?lang=es');
    assert.match(res.body, /<html lang="es"/);
    assert.equal(text(res.body, 'registry-status'), 'Suspendida');
    assert.equal(text(res.body, 'registry-specializations'), 'Par de padres, cuidadores y familiares (completada el 2024-10-07)');
    assert.match(res.body, /Verificar el estado en una fecha/);
  });

  test('shows nothing private: no email, birth date, county, application, fee or document', async () => {
    for (const url of ['/registry/PSS-520001', '/registry/PSS-520001?lang=es', `/registry/PSS-520001?asOf=${today}`]) {
      const res = await get(url);
      for (const [what, value] of Object.entries(PRIVATE)) assert.ok(!res.body.includes(value), `${url} shows the ${what} (${value})`);
      assert.ok(!res.body.includes('1979'), `${url} shows the birth year`);
    }
  });
});

describe('a number not on the registry', () => {
  test('gets a 404 page saying so, in the visitor’s language', async () => {
    const res = await get('/registry/PSS-999999');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /No certification PSS-999999/);
    const es = await get('/registry/PSS-999999?lang=es');
    assert.equal(es.statusCode, 404);
    assert.match(es.body, /No existe la certificación PSS-999999/);
    const malformed = await get('/registry/%3Cscript%3E');
    assert.equal(malformed.statusCode, 404);
    assert.ok(!malformed.body.includes('<SCRIPT>'), 'the number is escaped');
  });
});
