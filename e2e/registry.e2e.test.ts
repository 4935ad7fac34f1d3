// Browser journeys through the public registry: an employer searches with a misspelled name and finds the person;
// a billing clerk verifies a date before the certification and is told "not certified", with a signed receipt;
// a county uploads a CSV and downloads the results. Each checks WCAG 2.1 A/AA with axe and stays on this server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { certifyPeer } from '../src/certification/certified-peer.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../src/lib/dates.ts';
import { databaseOf } from '../src/testing.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;
const PHONE = { width: 390, height: 844 };
const today = todayInCalifornia();
const issuedOn = addDays(today, -200);

let seeded = false;
async function seed() {
  if (seeded) return;
  seeded = true;
  const { db } = databaseOf(journeys.server().app);
  await certifyPeer(db, { first: 'Guadalupe', last: 'Hernández-Ruiz', number: 'PSS-910001', issuedOn, expiresOn: addYears(issuedOn, 2), specializations: [{ code: 'crisis_care', completedOn: addDays(today, -100) }] });
  await certifyPeer(db, { first: 'Minh', last: 'Nguyễn', number: 'PSS-910002', issuedOn, expiresOn: addYears(issuedOn, 2) });
}

async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

test('an employer searches with a misspelled name on a phone and finds the person', async () => {
  await seed();
  const session = await openPage({ viewport: PHONE });
  const { page } = session;
  await page.goto('/registry');
  await expectNoAxeViolations(page);
  await page.getByLabel('Name', { exact: true }).fill('Guadalupe Hernandes');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/name=Guadalupe/);
  assert.match(await text(page, 'registry-total'), /Certifications found: 1/);
  const results = page.getByTestId('registry-results');
  assert.match((await results.textContent()) ?? '', /PSS-910001/);
  assert.match((await results.textContent()) ?? '', /Peer Services in Crisis Care/);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Guadalupe Hernández-Ruiz' }).click();
  await page.waitForURL(/\/registry\/PSS-910001/);
  assert.equal(await text(page, 'registry-status'), 'Active');
  await closePage(session);
});

test('verifying a date before the certification says not certified, with a signed receipt to download', async () => {
  await seed();
  const session = await openPage();
  const { page } = session;
  await page.goto('/registry/PSS-910002');
  const before = addDays(issuedOn, -1);
  await page.getByLabel('Date to verify').fill(before);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(/asOf=/);
  assert.match(await text(page, 'registry-as-of'), new RegExp(`^Not certified on ${before}\\. Status on ${before}: Not yet issued`));
  await expectNoAxeViolations(page);
  const href = await page.getByTestId('receipt-pdf').getAttribute('href');
  assert.ok(href);
  const pdf = await page.request.get(href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const receipt = await page.request.get(`/api/v1/registry/verify?number=PSS-910002&asOf=${before}`);
  const check = await page.request.post('/api/v1/registry/receipts/verify', { data: await receipt.json() });
  assert.equal((await check.json()).valid, true);
  await closePage(session);
});

test('a county uploads a CSV of numbers and names and downloads the results', async () => {
  await seed();
  const session = await openPage();
  const { page } = session;
  await page.goto('/registry');
  await page.getByRole('link', { name: 'Verify many people at once (CSV)' }).click();
  await page.waitForURL(/\/registry\/bulk/);
  await expectNoAxeViolations(page);
  await page.getByLabel('Verify as of').fill(today);
  // USWDS wraps the file input in its own drop zone; the input itself takes the file.
  await page.locator('input#file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from('number,name\nPSS-910001,\n,Minh Nguyen\nPSS-12,\n') });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Verify and download results' }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `registry-verification-${today}.csv`);
  const rows = parse(await readFile((await download.path())!), { columns: true }) as Array<Record<string, string>>;
  assert.deepEqual(
    rows.map((r) => [r.as_of, r.outcome, r.number, r.certified]),
    [
      [today, 'verified', 'PSS-910001', 'yes'],
      [today, 'verified', 'PSS-910002', 'yes'],
      [today, 'invalid', '', ''],
    ],
  );
  await closePage(session);
});
