// Browser journeys through /admin/users: a system administrator gives a county role with the form, a county
// administrator sees and invites only the staff of their own county, and the pages in Spanish.
// Every page is checked with axe (WCAG 2.1 A/AA) and for requests to any host but the local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createPerson, TEST_PASSWORD } from '../src/accounts/testing.ts';
import { databaseOf } from '../src/testing.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;

const ALAMEDA = '06001';
const KERN = '06029';

const db = () => databaseOf(journeys.server().app).db;

async function heading(page: Page): Promise<string> {
  return ((await page.locator('h1').textContent()) ?? '').trim();
}

async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Each item of a list, its text with spaces collapsed. */
async function itemsOf(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).locator('li').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
}

/** The email column of the people table. */
async function listedEmails(page: Page): Promise<string[]> {
  return (await page.getByTestId('users').locator('tbody td[data-label="Email"]').allTextContents()).map((s) => s.trim());
}

/** Open the sign-in page, fill the form and press its button; the next page has loaded when this returns. */
async function signIn(page: Page, email: string): Promise<void> {
  assert.equal((await page.goto('/sign-in'))?.status(), 200);
  await expectNoAxeViolations(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/account', `${email} is signed in`);
}

/** Press a submit button and wait for the page it leads to. */
async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

test('an administrator gives a person a county role, and the person sees it on their account page', async () => {
  const admin = await createPerson(db(), { email: 'grant.admin@example.org', displayName: 'Grant Admin', roles: [{ role: 'system_admin', countyFips: null }] });
  const person = await createPerson(db(), { email: 'mei.chen@example.org', displayName: 'Mei Chen' });

  const adminSession = await openPage();
  const { page } = adminSession;
  await signIn(page, admin.email);
  await expectNoAxeViolations(page);

  // From the account page to the list of people.
  await Promise.all([page.waitForEvent('load'), page.getByTestId('admin-links').getByRole('link', { name: 'People and roles' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/users');
  assert.equal(await heading(page), 'People and roles');
  await expectNoAxeViolations(page);

  // Her page: no roles yet.
  await Promise.all([page.waitForEvent('load'), page.getByTestId('users').getByRole('link', { name: 'Mei Chen' }).click()]);
  assert.equal(new URL(page.url()).pathname, `/admin/users/${person.id}`);
  assert.equal(await heading(page), 'Account of Mei Chen');
  assert.ok(await page.locator('main').getByText('No roles yet.').isVisible());
  await expectNoAxeViolations(page);

  // Give her "County administrator" in Alameda.
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'County administrator' });
  await page.getByLabel('County', { exact: true }).selectOption({ label: 'Alameda' });
  await submit(page, 'Give role');
  assert.equal(new URL(page.url()).pathname, `/admin/users/${person.id}/roles`);
  assert.equal(await textOf(page, 'form-success'), 'Saved.');
  assert.deepEqual(await itemsOf(page, 'person-roles'), ['County administrator (in Alameda County) Remove County administrator']);
  await expectNoAxeViolations(page);

  // The list shows it too.
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'All people' }).click()]);
  const row = page.getByTestId('users').locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Mei Chen' }) });
  assert.equal(((await row.locator('td[data-label="Roles"]').textContent()) ?? '').trim(), 'County administrator (in Alameda County)');
  await expectNoAxeViolations(page);

  // The administrator signs out.
  await page.goto('/account');
  await submit(page, 'Sign out');
  assert.equal(await textOf(page, 'form-success'), 'You are signed out.');
  await expectNoAxeViolations(page);

  // She signs in and sees the role on her account page.
  await signIn(page, person.email);
  assert.equal(await textOf(page, 'signed-in-as'), 'Signed in as Mei Chen (mei.chen@example.org).');
  assert.deepEqual(await itemsOf(page, 'roles'), ['County administrator (in Alameda County)']);
  assert.deepEqual(await itemsOf(page, 'admin-links'), ['People and roles', 'Certification alerts'], 'a county administrator may manage people and keep a watch list');
  await expectNoAxeViolations(page);
  await closePage(adminSession);
});

test('a county administrator sees and invites only the staff of their own county', async () => {
  const countyAdmin = await createPerson(db(), { email: 'alameda.admin@example.org', displayName: 'Alameda Admin', roles: [{ role: 'county_admin', countyFips: ALAMEDA }] });
  const alamedaStaff = await createPerson(db(), { email: 'oakland.staff@example.org', displayName: 'Oakland Staff', roles: [{ role: 'provider_staff', countyFips: ALAMEDA }] });
  const kernStaff = await createPerson(db(), { email: 'bakersfield.staff@example.org', displayName: 'Bakersfield Staff', roles: [{ role: 'provider_staff', countyFips: KERN }] });

  const session = await openPage();
  const { page } = session;
  await signIn(page, countyAdmin.email);
  assert.deepEqual(await itemsOf(page, 'admin-links'), ['People and roles', 'Certification alerts']);
  await expectNoAxeViolations(page);

  // The list: Alameda's staff, not Kern's (and not the administrator herself, who is no staff).
  assert.equal((await page.goto('/admin/users'))?.status(), 200);
  assert.equal(await heading(page), 'People and roles');
  const emails = await listedEmails(page);
  assert.ok(emails.includes(alamedaStaff.email), `Alameda staff listed in ${emails.join(', ')}`);
  assert.ok(!emails.includes(kernStaff.email), `Kern staff not listed in ${emails.join(', ')}`);
  await expectNoAxeViolations(page);

  // Alameda's staff member opens; Kern's is "not found", as if there were no such page.
  assert.equal((await page.goto(`/admin/users/${alamedaStaff.id}`))?.status(), 200);
  assert.equal(await heading(page), 'Account of Oakland Staff');
  await expectNoAxeViolations(page);
  assert.equal((await page.goto(`/admin/users/${kernStaff.id}`))?.status(), 404);
  assert.equal(await heading(page), 'Page not found');
  assert.ok(!(await page.content()).includes(kernStaff.email), 'the 404 page does not reveal the person');
  await expectNoAxeViolations(page);

  // The invite form offers roles and counties.
  await page.goto('/admin/users');
  const roleOptions = (await page.getByLabel('Role', { exact: true }).locator('option').allTextContents()).map((s) => s.trim());
  assert.ok(roleOptions.includes('Provider staff') && roleOptions.includes('DHCS analyst'), `roles offered: ${roleOptions.join(', ')}`);
  assert.ok(await page.getByLabel('County', { exact: true }).locator('option', { hasText: 'Alameda' }).count());

  // Inviting a DHCS analyst is refused at the top of the form, and what was typed is kept.
  const analystEmail = 'would.be.analyst@example.org';
  await page.getByLabel('Your name').fill('Would-be Analyst');
  await page.getByLabel('Email address').fill(analystEmail);
  await page.getByLabel('Role', { exact: true }).selectOption('dhcs_analyst');
  await submit(page, 'Send invitation');
  assert.equal(await textOf(page, 'form-error'), 'Your account may not invite people with the role dhcs_analyst there.');
  assert.ok(await page.getByRole('alert').isVisible(), 'the refusal is announced');
  assert.equal(await page.getByLabel('Email address').inputValue(), analystEmail, 'the address typed is kept');
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Would-be Analyst', 'the name typed is kept');
  assert.equal(await page.getByLabel('Role', { exact: true }).inputValue(), 'dhcs_analyst', 'the role chosen is kept');
  assert.ok(!(await listedEmails(page)).includes(analystEmail), 'nobody was invited');
  await expectNoAxeViolations(page);

  // Inviting provider staff in Alameda succeeds, and the new person is listed.
  const staffEmail = 'new.staff@example.org';
  await page.getByLabel('Your name').fill('New Staff');
  await page.getByLabel('Email address').fill(staffEmail);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Provider staff' });
  await page.getByLabel('County', { exact: true }).selectOption({ label: 'Alameda' });
  await submit(page, 'Send invitation');
  assert.equal(await textOf(page, 'form-success'), `Invitation sent to ${staffEmail}.`);
  const row = page.getByTestId('users').locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: 'New Staff' }) });
  assert.equal(((await row.locator('td[data-label="Email"]').textContent()) ?? '').trim(), staffEmail);
  assert.equal(((await row.locator('td[data-label="Roles"]').textContent()) ?? '').trim(), 'Provider staff (in Alameda County)');
  // Invited: the address counts as confirmed, but no password has been chosen yet.
  assert.equal(((await row.locator('td[data-label="Status"]').textContent()) ?? '').trim(), 'invited, no password yet');
  await expectNoAxeViolations(page);
  await closePage(session);
});

test('the people and roles pages in Spanish are accessible', async () => {
  const admin = await createPerson(db(), { email: 'spanish.admin@example.org', displayName: 'Spanish Admin', roles: [{ role: 'system_admin', countyFips: null }] });
  const person = await createPerson(db(), { email: 'rosa.lopez@example.org', displayName: 'Rosa López', roles: [{ role: 'supervisor', countyFips: ALAMEDA }] });
  const session = await openPage();
  const { page } = session;
  await signIn(page, admin.email);

  assert.equal((await page.goto('/admin/users?lang=es'))?.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal(await heading(page), 'Personas y funciones');
  await expectNoAxeViolations(page);

  // A refused invitation (the role needs a county): the error state in Spanish.
  await page.getByLabel('Correo electrónico').fill('sin.condado@example.org');
  await page.locator('#displayName').fill('Sin Condado');
  await page.locator('#role').selectOption('county_admin');
  await Promise.all([page.waitForEvent('load'), page.locator('main form button[type=submit]').click()]);
  assert.ok(await page.getByTestId('form-error').isVisible(), 'the refusal is shown');
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await expectNoAxeViolations(page);

  // One person's page, then giving a role there.
  assert.equal((await page.goto(`/admin/users/${person.id}`))?.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es', 'the language is remembered');
  assert.match(await heading(page), /Rosa López/);
  await expectNoAxeViolations(page);
  await page.locator('#role').selectOption('provider_staff');
  await page.locator('#countyFips').selectOption(ALAMEDA);
  await Promise.all([page.waitForEvent('load'), page.locator(`main form[action="/admin/users/${person.id}/roles"] button[type=submit]`).click()]);
  assert.equal(await textOf(page, 'form-success'), 'Guardado.');
  await expectNoAxeViolations(page);

  // The 404 page in Spanish.
  assert.equal((await page.goto('/admin/users/00000000-0000-4000-8000-000000000000'))?.status(), 404);
  assert.equal(await heading(page), 'Página no encontrada');
  await expectNoAxeViolations(page);
  await closePage(session);
});
