// The enforcement journey in a real browser: someone files an anonymous complaint on a phone; an investigator signs
// in, finds it on the dashboard, takes it, and suspends the peer for thirty days; the public registry then shows the
// suspension, a bulk verification as of a date inside it says "suspended", and the registry says the certification
// is active again on the suspension's end date. Every page is checked with axe (WCAG 2.1 A/AA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { createPerson, TEST_PASSWORD } from '../src/accounts/testing.ts';
import { certifyPeer } from '../src/certification/certified-peer.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../src/lib/dates.ts';
import { databaseOf } from '../src/testing.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;
const PHONE = { width: 390, height: 844 };
const today = todayInCalifornia();
const db = () => databaseOf(journeys.server().app).db;

async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

test('an anonymous complaint becomes a suspension the registry and bulk verification report, and it lifts on its end date', async () => {
  await certifyPeer(db(), { first: 'Dolores', last: 'Ejemplo', number: 'PSS-920001', issuedOn: addYears(today, -1), expiresOn: addYears(today, 1) });
  const investigator = await createPerson(db(), { email: 'ines.investigator@example.org', displayName: 'Inés Investigator', roles: [{ role: 'enforcement_staff', countyFips: null }] });

  // A member of the public, on a phone, not signed in.
  const publicSession = await openPage({ viewport: PHONE });
  const { page: visitor } = publicSession;
  await visitor.goto('/');
  await visitor.getByRole('link', { name: 'File a complaint' }).click();
  await visitor.waitForURL(/\/complaints\/new/);
  await expectNoAxeViolations(visitor);
  await visitor.locator('label[for="kind-ethics"]').click();
  await visitor.locator('#subjectNumber').fill('PSS-920001');
  await visitor.locator('#occurredOn').fill(addDays(today, -20));
  await visitor.locator('#location').fill('Wellness center, Oakland');
  await visitor.locator('#narrative').fill('She told other clients about my diagnosis during a group session.');
  await visitor.locator('#name').fill('Alex Member');
  await visitor.locator('#email').fill('alex.member@example.org');
  await submit(visitor, 'File the complaint');
  const number = await text(visitor, 'complaint-number');
  assert.match(number, /^CMP-\d{4}-\d{6}$/);
  await expectNoAxeViolations(visitor);
  await closePage(publicSession);

  // The investigator.
  const staffSession = await openPage();
  const { page } = staffSession;
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(investigator.email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await submit(page, 'Sign in');
  await page.getByRole('link', { name: 'Enforcement' }).click();
  await page.waitForURL(/\/enforcement/);
  await page.getByRole('link', { name: 'All open' }).click();
  await page.waitForURL(/view=open/);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: number }).click();
  await page.waitForURL(/\/enforcement\/cases\//);
  assert.match(await text(page, 'case-subject'), /Dolores Ejemplo \(PSS-920001\)/);
  assert.match(await text(page, 'clock-ack'), /On time/, 'acknowledged by email on filing');
  await expectNoAxeViolations(page);
  await page.locator('#investigatorId').selectOption({ label: 'Inés Investigator' });
  await submit(page, 'Assign');
  assert.match(await text(page, 'form-success'), /assigned/);
  await page.locator('#body').fill('Spoke with the program manager; two clients confirm.');
  await submit(page, 'Add the note');

  const endsOn = addDays(today, 30);
  await page.locator('#outcome').selectOption('suspension');
  await page.locator('#decide-reason').fill('Disclosed a client’s diagnosis in a group (private finding).');
  await page.locator('#startsOn').fill(today);
  await page.locator('#endsOn').fill(endsOn);
  await page.locator('#publicSummary').fill('Suspended for 30 days for breaching confidentiality.');
  await submit(page, 'Record the decision');
  assert.match(await text(page, 'case-status'), /Decided/);
  assert.match(await text(page, 'case-outcome'), /Suspension/);
  await expectNoAxeViolations(page);

  // The public registry.
  await page.goto('/registry/PSS-920001');
  assert.equal(await text(page, 'registry-status'), 'Suspended');
  assert.match(await text(page, 'registry-actions'), /Suspension.*Suspended for 30 days for breaching confidentiality\./);
  const body = (await page.content()).toLowerCase();
  for (const secret of ['alex member', 'alex.member', 'diagnosis', number.toLowerCase(), 'private finding']) assert.ok(!body.includes(secret), `the registry shows ${secret}`);
  await expectNoAxeViolations(page);

  // A county verifies in bulk as of a date inside the suspension.
  const inside = addDays(today, 10);
  await page.goto('/registry/bulk');
  await page.getByLabel('Verify as of').fill(inside);
  await page.locator('input#file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from('number\nPSS-920001\n') });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Verify and download results' }).click();
  const rows = parse(await readFile((await (await downloading).path())!), { columns: true }) as Array<Record<string, string>>;
  assert.deepEqual(
    rows.map((r) => [r.as_of, r.number, r.status_on_date, r.certified]),
    [[inside, 'PSS-920001', 'suspended', 'no']],
  );

  // It lifts by itself on its end date.
  await page.goto(`/registry/PSS-920001?asOf=${endsOn}`);
  assert.match(await text(page, 'registry-as-of'), new RegExp(`^Certified on ${endsOn}`));
  await closePage(staffSession);
});
