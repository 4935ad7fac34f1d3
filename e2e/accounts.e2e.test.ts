// Browser journeys through accounts: signing up on a phone with the confirmation link read from the outbox by an
// administrator, signing in and out, a lockout after wrong passwords, and the Spanish sign-in page.
// Every page is checked with axe (WCAG 2.1 A/AA) and for requests to any host but the local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createPerson, TEST_PASSWORD } from '../src/accounts/testing.ts';
import { databaseOf } from '../src/testing.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;
const PHONE = { width: 390, height: 844 };

const db = () => databaseOf(journeys.server().app).db;

async function heading(page: Page): Promise<string> {
  return ((await page.locator('h1').textContent()) ?? '').trim();
}

async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Fill the sign-in form and press its button; the next page has loaded when this returns. */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

async function fitsTheScreen(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth + 1, `${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

test('on a phone, a newcomer signs up, confirms the address from the email, signs in, sees the account and signs out', async () => {
  const email = 'lucia.hernandez@example.org';
  const newcomer = await openPage({ viewport: PHONE });
  const { page } = newcomer;

  // The sign-up form.
  assert.equal((await page.goto('/sign-up'))?.status(), 200);
  assert.equal(await heading(page), 'Create an account');
  await fitsTheScreen(page);
  await expectNoAxeViolations(page);
  await page.getByLabel('Your name').fill('Lucía Hernández');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('sunflowers along the levee road');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Create account' }).click()]);
  assert.equal(await heading(page), 'Check your email');
  assert.match(await textOf(page, 'form-success'), /If lucia\.hernandez@example\.org can be used, we have sent a message to it/);
  await fitsTheScreen(page);
  await expectNoAxeViolations(page);

  // Without SMTP the message waits in the outbox, where a system administrator reads it.
  const admin = await createPerson(db(), { email: 'outbox.admin@example.org', displayName: 'Outbox Admin', roles: [{ role: 'system_admin', countyFips: null }] });
  const adminSession = await openPage();
  const adminPage = adminSession.page;
  await adminPage.goto('/sign-in');
  await signIn(adminPage, admin.email, TEST_PASSWORD);
  assert.equal(new URL(adminPage.url()).pathname, '/account');
  assert.equal((await adminPage.goto('/admin/outbox'))?.status(), 200);
  assert.equal(await heading(adminPage), 'Email outbox');
  await expectNoAxeViolations(adminPage);
  const row = adminPage.getByTestId('outbox').locator('tbody tr').filter({ has: adminPage.getByRole('rowheader', { name: email }) });
  assert.equal(await row.count(), 1, 'one message to the newcomer');
  assert.equal(((await row.locator('td[data-label="Subject"]').textContent()) ?? '').trim(), 'Confirm your email address');
  const message = (await row.locator('pre').textContent()) ?? '';
  const link = /http:\/\/\S+\/verify-email\?token=\S+/.exec(message)?.[0];
  assert.ok(link, `no confirmation link in:\n${message}`);
  await closePage(adminSession);

  // The newcomer follows the link and confirms.
  assert.equal((await page.goto(link))?.status(), 200);
  await fitsTheScreen(page);
  await expectNoAxeViolations(page);
  await Promise.all([page.waitForEvent('load'), page.locator('main form button[type=submit]').click()]);
  assert.equal(await textOf(page, 'form-success'), 'Your email address is confirmed. You can sign in now.');
  await expectNoAxeViolations(page);

  // Signs in and sees the account.
  await Promise.all([page.waitForEvent('load'), page.locator('main').getByRole('link', { name: 'Sign in' }).click()]);
  assert.equal(await heading(page), 'Sign in');
  await expectNoAxeViolations(page);
  await signIn(page, email, 'sunflowers along the levee road');
  assert.equal(new URL(page.url()).pathname, '/account');
  assert.equal(await textOf(page, 'signed-in-as'), 'Signed in as Lucía Hernández (lucia.hernandez@example.org).');
  assert.equal(await textOf(page, 'roles'), 'Applicant or certified peer (statewide)');
  await fitsTheScreen(page);
  await expectNoAxeViolations(page);

  // Signs out; the account page now sends her to sign in.
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
  assert.equal(await textOf(page, 'form-success'), 'You are signed out.');
  await expectNoAxeViolations(page);
  await page.goto('/account');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.deepEqual(
    (await newcomer.context.cookies()).map((c) => c.name).filter((name) => name === 'pss_session'),
    [],
    'no session cookie is left',
  );
  await closePage(newcomer);
});

test('after six wrong passwords the sign-in form says the account is locked, even for the right password', async () => {
  const person = await createPerson(db(), { email: 'ravi.patel@example.org' });
  const session = await openPage();
  const { page } = session;
  await page.goto('/sign-in');

  for (let attempt = 1; attempt <= 5; attempt++) {
    await signIn(page, person.email, `wrong guess number ${attempt}`);
    assert.equal(await textOf(page, 'form-error'), 'The email or password is not right, or the account cannot sign in.', `attempt ${attempt}`);
    assert.equal(await page.getByLabel('Email address').inputValue(), person.email, 'the address typed is kept');
  }
  await expectNoAxeViolations(page);

  await signIn(page, person.email, 'wrong guess number 6');
  assert.equal(await textOf(page, 'form-error'), 'Too many sign-in attempts. Wait 15 minutes and try again, or reset your password.');
  assert.ok(await page.getByRole('alert').isVisible(), 'the message is announced');
  await expectNoAxeViolations(page);

  await signIn(page, person.email, TEST_PASSWORD);
  assert.match(await textOf(page, 'form-error'), /^Too many sign-in attempts/);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await closePage(session);
});

test('the Spanish sign-in page is accessible', async () => {
  const session = await openPage();
  const { page } = session;
  assert.equal((await page.goto('/sign-in?lang=es'))?.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal(await heading(page), 'Iniciar sesión');
  assert.ok(await page.getByRole('button', { name: 'Entrar' }).isVisible());
  await expectNoAxeViolations(page);
  await closePage(session);
});
