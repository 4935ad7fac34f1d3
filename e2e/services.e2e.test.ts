// The service documentation journey in a real browser: provider staff register a member and their eligibility; the
// peer, on a phone, documents an engagement visit and every rule passes; the peer's certification is then
// suspended from an earlier date, and the visit is flagged with the reason — on the staff's list of flagged
// services, on the service itself, and in an email to the staff. Every page is checked with axe (WCAG 2.1 A/AA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { systemContext } from '../src/access/context.ts';
import { outbox } from '../src/accounts/accounts.schema.ts';
import { createPerson, TEST_PASSWORD } from '../src/accounts/testing.ts';
import { certifyPeer } from '../src/certification/certified-peer.testing.ts';
import { changeCertificationStatus } from '../src/certification/certification-status.ts';
import { fixtureNpi } from '../src/encounters/services.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../src/lib/dates.ts';
import { addContract, assignSupervision, createOrganization, employPeer, recordSupervisor } from '../src/organizations/organizations.service.ts';
import { databaseOf } from '../src/testing.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;
const PHONE = { width: 390, height: 844 };
const today = todayInCalifornia();
const db = () => databaseOf(journeys.server().app).db;

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await submit(page, 'Sign in');
}

test('staff register a member, a peer documents a visit that passes, and a back-dated suspension flags it', async () => {
  const admin = await createPerson(db(), { roles: [{ role: 'county_admin', countyFips: '06001' }] });
  const county = { actor: { kind: 'user' as const, userId: admin.id, roles: [{ role: 'county_admin' as const, countyFips: '06001' }] } };
  const org = await createOrganization(db(), { name: 'Lakeside Peer Center', kind: 'contracted', npi: fixtureNpi(4242), taxId: '941112222', countyFips: '06001', street: '1 Lake St', city: 'Oakland', zip: '94612' }, county);
  await addContract(db(), { organizationId: org.id, deliverySystem: 'SMHS', startsOn: addDays(today, -400) }, county);
  const staff = await createPerson(db(), { email: 'sofia.staff@example.org', displayName: 'Sofia Staff', roles: [{ role: 'provider_staff', countyFips: '06001', organizationId: org.id }] });
  const supervisor = await createPerson(db(), { displayName: 'Sam Supervisor', roles: [{ role: 'supervisor', countyFips: '06001', organizationId: org.id }] });
  await recordSupervisor(db(), { userId: supervisor.id, qualificationBasis: 'LCSW', trainingCompletedOn: addDays(today, -200) }, county);
  const peerUser = await createPerson(db(), { email: 'paz.peer@example.org', displayName: 'Paz Peer' });
  const { certificationId } = await certifyPeer(db(), { first: 'Paz', last: 'Peer', number: 'PSS-930001', issuedOn: addYears(today, -1), expiresOn: addYears(today, 1), userId: peerUser.id });
  await employPeer(db(), { organizationId: org.id, number: 'PSS-930001', individualNpi: fixtureNpi(4343), startsOn: addDays(today, -90) }, county);
  await assignSupervision(db(), { organizationId: org.id, supervisorUserId: supervisor.id, number: 'PSS-930001', startsOn: addDays(today, -90) }, county);

  // Provider staff register the member and their eligibility.
  const staffSession = await openPage();
  const { page } = staffSession;
  await signIn(page, staff.email);
  await page.goto(`/organizations/${org.id}/members`);
  await expectNoAxeViolations(page);
  await page.getByLabel('CIN (Medi-Cal client index number)').fill('94444444A');
  await page.getByLabel('First name').fill('Marisol');
  await page.getByLabel('Last name').fill('Example');
  await page.getByLabel('Date of birth').fill('1988-08-08');
  await page.getByLabel('County of responsibility').selectOption('06001');
  await submit(page, 'Register the member');
  await page.waitForURL(/\/members\//);
  assert.equal(((await page.getByTestId('member-cin').textContent()) ?? '').trim(), '94444444A');
  assert.ok(!page.url().includes('94444444A'), 'the CIN is never in a URL');
  await page.getByLabel('Eligible from').fill(addDays(today, -30));
  await submit(page, 'Record the period');
  await expectNoAxeViolations(page);

  // The peer, on a phone, documents an engagement visit.
  const peerSession = await openPage({ viewport: PHONE });
  const { page: phone } = peerSession;
  await signIn(phone, peerUser.email);
  await phone.getByRole('button', { name: 'Menu' }).click();
  await phone.getByRole('link', { name: 'Services', exact: true }).click();
  await phone.waitForURL(/\/services$/);
  await phone.getByRole('link', { name: 'Document a service at Lakeside Peer Center' }).click();
  await phone.waitForURL(/\/services\/new/);
  await expectNoAxeViolations(phone);
  assert.equal(await phone.locator('input[name="peerNumber"]').count(), 0, 'a peer documents as themself');
  // USWDS draws its own checkboxes and radios: the label is what a person taps.
  const tap = (label: string) => phone.locator('label.usa-checkbox__label, label.usa-radio__label', { hasText: label }).first().click();
  await tap('Marisol Example');
  await phone.getByLabel('Date of service').fill(today);
  await phone.getByLabel('Start time').fill('09:30');
  await phone.getByLabel('End time').fill('10:15');
  await tap('Engagement');
  await phone.getByLabel('Delivery system').selectOption('SMHS');
  await tap('In person');
  await phone.getByLabel('Place of service').selectOption('11');
  await phone.getByLabel('Care plan reference').fill('CP-2026-101');
  await phone.getByLabel('Progress note').fill('Planned the step down to outpatient care; Marisol chose two goals for the week.');
  await phone.getByLabel('Next steps').fill('Go to the first outpatient appointment together on Monday.');
  await tap('I sign this note');
  await submit(phone, 'Save');
  await phone.waitForURL(/\/services\/[0-9a-f-]{36}/);
  assert.match(((await phone.getByTestId('no-failures').textContent()) ?? '').trim(), /Every rule passes/);
  const serviceUrl = new URL(phone.url()).pathname;
  await expectNoAxeViolations(phone);
  await closePage(peerSession);

  // Certification staff record a suspension from two days ago (the decision came in late).
  await db().transaction((tx) => changeCertificationStatus(tx, { certificationId, to: 'suspended', effectiveOn: addDays(today, -2), reasonCode: 'suspension', reason: 'Suspended pending investigation' }, systemContext('test')));

  // The staff see the visit flagged, with the reason, and it cannot be billed.
  await page.goto('/services?state=flagged');
  await expectNoAxeViolations(page);
  await page.locator(`a[href="${serviceUrl}"]`).first().click();
  await page.waitForURL(new RegExp(serviceUrl));
  assert.match(((await page.getByTestId('flags').textContent()) ?? '').replace(/\s+/g, ' '), new RegExp(`PSS-930001 was recorded as suspended from ${addDays(today, -2)}`));
  await submit(page, 'Mark billable');
  assert.match(((await page.getByTestId('failures').textContent()) ?? '').replace(/\s+/g, ' '), /PSS-930001 was suspended on/);
  await expectNoAxeViolations(page);
  await closePage(staffSession);

  const mail = await db().select().from(outbox).where(eq(outbox.to, staff.email));
  assert.ok(mail.some((m) => /flagged for review/.test(m.subject) && !/Marisol/.test(m.text)), 'the staff are told, without the member’s name');
});
