// Browser journeys through certification: a newcomer signs up on a phone and applies; staff settle the fee and
// approve; a training provider's roster credits the 80-hour training; the exam is authorized and passed; the peer
// downloads the certificate; two years later (dates moved back) the peer renews. Another applicant is refused with
// the reason. Every page is checked with axe and for off-host requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { createPerson, TEST_PASSWORD } from '../src/accounts/testing.ts';
import { certifications, peers } from '../src/certification/certification.schema.ts';
import { backdateCertification, creditTraining } from '../src/certification/testing.ts';
import { addDays, todayInCalifornia } from '../src/lib/dates.ts';
import { databaseOf } from '../src/testing.ts';
import { seedDemoTraining } from '../src/training/demo-training.ts';
import { trainingProviderMembers, trainingProviders } from '../src/training/training.schema.ts';
import { queryRows } from '../src/db/client.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;
const PHONE = { width: 390, height: 844 };
const PDF = { mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') };

const db = () => databaseOf(journeys.server().app).db;

async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function go(page: Page, action: Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), action]);
}

async function signIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await go(page, page.getByRole('button', { name: 'Sign in' }).click());
}

async function checked(page: Page): Promise<void> {
  await expectNoAxeViolations(page);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth + 1, `${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

/** On a staff member's application page: settle the first open fee as a payment. */
async function settleFirstFee(page: Page, reference: string): Promise<void> {
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Record settlement' }) }).first();
  await form.locator('select[name=settlement]').selectOption('payment');
  await form.locator('input[name=reference]').fill(reference);
  await go(page, form.getByRole('button', { name: 'Record settlement' }).click());
}

async function press(page: Page, name: string): Promise<void> {
  await go(page, page.getByRole('button', { name, exact: true }).click());
}

/** Fill the sign step and submit. */
async function signAndSubmit(page: Page, name: string): Promise<void> {
  await page.locator('label[for=ethicsAffirmed]').click();
  await page.getByLabel('Type your full legal name to sign').fill(name);
  await go(page, page.getByTestId('submit-application').click());
}

test('from sign-up to certified on a phone, with staff, a training roster and the exam; then a renewal', async () => {
  const today = todayInCalifornia();
  const email = 'lucia.ortega@example.org';
  const password = 'marigolds by the river bend';

  // Sign up and confirm the address (the link is read from the outbox, as an administrator would).
  const applicant = await openPage({ viewport: PHONE });
  const { page } = applicant;
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Lucía Ortega');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await go(page, page.getByRole('button', { name: 'Create account' }).click());
  const [message] = await queryRows<{ text: string }>(db(), sql`select text from outbox where "to" = ${email} order by created_at desc limit 1`);
  const link = /http:\/\/\S+\/verify-email\?token=\S+/.exec(message?.text ?? '')?.[0];
  assert.ok(link, 'a confirmation link was sent');
  await page.goto(link);
  await go(page, page.locator('main form button[type=submit]').click());
  await signIn(page, email, password);

  // Apply, one step per page.
  await page.goto('/my-certification');
  await checked(page);
  await go(page, page.getByTestId('start-application').click());
  await checked(page);
  await page.getByLabel('Legal first name').fill('Lucía');
  await page.getByLabel('Legal last name').fill('Ortega');
  await page.getByLabel('Date of birth').fill('1987-09-14');
  await go(page, page.getByTestId('save-continue').click());
  await checked(page);
  for (const id of ['education-high_school', 'livedExperience-parent_caregiver_family', 'willingToShare-yes', 'dedicatedToRecovery-yes']) await page.locator(`label[for=${id}]`).click();
  await go(page, page.getByTestId('save-continue').click());
  await checked(page);
  for (const kind of ['photo_id', 'diploma']) {
    await page.locator(`#file-${kind}`).setInputFiles({ name: `${kind}.pdf`, ...PDF });
    await go(page, page.getByTestId(`upload-${kind}`).click());
    assert.equal(await textOf(page, 'form-success'), 'The document was uploaded.');
  }
  await checked(page);
  await go(page, page.getByTestId('documents-continue').click());
  await checked(page);
  await signAndSubmit(page, 'Lucía Ortega');
  assert.equal(new URL(page.url()).pathname, '/my-certification');
  assert.equal(await textOf(page, 'open-application-status'), 'Submitted, waiting for review');
  assert.match(await textOf(page, 'fees'), /Application fee\s*\$100\.00/);
  await checked(page);

  // Staff settle the fee and approve.
  await createPerson(db(), { email: 'reviewer@example.org', displayName: 'Rae Reviewer', roles: [{ role: 'certification_staff', countyFips: null }] });
  const staffSession = await openPage();
  const staff = staffSession.page;
  await signIn(staff, 'reviewer@example.org');
  await staff.goto('/workbench');
  await checked(staff);
  await go(staff, staff.getByRole('link', { name: /^A-\d+$/ }).first().click());
  await checked(staff);
  await settleFirstFee(staff, 'RCPT-2026-001');
  await press(staff, 'Approve application');
  const applicationUrl = staff.url().split('?')[0] ?? '';

  // The applicant is told the next step: the 80-hour training.
  await page.goto('/my-certification');
  assert.match(await textOf(page, 'next-step'), /Complete the 80-hour training/);

  // A training provider's roster credits the core training.
  await seedDemoTraining(db());
  const trainer = await createPerson(db(), { email: 'trainer@example.org', displayName: 'Tomás Trainer', roles: [{ role: 'training_provider', countyFips: null }] });
  const [academy] = await db().select().from(trainingProviders).where(eq(trainingProviders.name, 'Bay Area Peer Support Academy'));
  assert.ok(academy);
  await db().insert(trainingProviderMembers).values({ providerId: academy.id, userId: trainer.id });
  const trainerSession = await openPage();
  const provider = trainerSession.page;
  await signIn(provider, 'trainer@example.org');
  await provider.goto('/training');
  await checked(provider);
  await go(provider, provider.getByRole('link', { name: 'Bay Area Peer Support Academy' }).click());
  await checked(provider);
  await provider.locator('#rosterCourseId').selectOption({ label: (await provider.locator('#rosterCourseId option', { hasText: 'Medi-Cal Peer Support Specialist core training' }).textContent()) ?? '' });
  await provider.locator('#rosterFile').setInputFiles({ name: 'cohort-12.csv', mimeType: 'text/csv', buffer: Buffer.from(`email,legal_first_name,legal_last_name,completed_on\n${email},Lucia,ORTEGA,${today}\nnobody@example.org,No,Body,${today}\n`) });
  await go(provider, provider.getByRole('button', { name: 'Upload the roster' }).click());
  await checked(provider);
  assert.match(await provider.locator('main').textContent() ?? '', /2 rows\. Credited: 1; not credited: 1\./);
  await closePage(trainerSession);

  // Staff verify the training, the exam is requested, paid, authorized and passed.
  await staff.goto(applicationUrl);
  await press(staff, 'Verify training');
  await press(staff, 'Request exam');
  await settleFirstFee(staff, 'RCPT-2026-002');
  await press(staff, 'Authorize exam');
  await checked(staff);
  await staff.locator('select[name=result]').selectOption('pass');
  await staff.getByLabel('Score (optional)').fill('86');
  await press(staff, 'Record result');
  await checked(staff);

  // The peer is certified and downloads the certificate.
  await page.goto('/my-certification');
  assert.equal(await textOf(page, 'certification-status'), 'Active');
  await checked(page);
  const certificate = await page.request.get('/my-certification/certificate.pdf');
  assert.equal(certificate.status(), 200);
  assert.equal(certificate.headers()['content-type'], 'application/pdf');
  const [peer] = await db().select().from(peers).where(eq(peers.email, email));
  const [cert] = await db().select().from(certifications).where(eq(certifications.peerId, peer!.id));
  assert.ok(cert);

  // Two years pass (the certification's dates move back), with continuing education done; the renewal window is open.
  await backdateCertification(db(), cert.id, 700);
  await creditTraining(db(), peer!.id, { trainingType: 'ce', hours: 14, lawEthicsHours: 0, completedOn: addDays(today, -90) });
  await creditTraining(db(), peer!.id, { trainingType: 'ce', hours: 6, lawEthicsHours: 6, completedOn: addDays(today, -60) });
  await page.goto('/my-certification');
  assert.match(await textOf(page, 'renewal'), /Renewal is open.*20 of 20 hours, 6 of 6 hours of law and ethics/);
  await go(page, page.getByTestId('start-renewal').click());
  await checked(page);
  await page.locator('label[for=ceAttested]').click();
  await go(page, page.getByTestId('save-continue').click());
  await checked(page);
  await signAndSubmit(page, 'Lucía Ortega');
  assert.match(await textOf(page, 'fees'), /Renewal fee\s*\$80\.00/);

  await staff.goto('/workbench?status=submitted');
  await go(staff, staff.getByRole('link', { name: /^A-\d+$/ }).first().click());
  await settleFirstFee(staff, 'RCPT-2026-003');
  await press(staff, 'Approve application');
  await closePage(staffSession);

  const [renewed] = await db().select().from(certifications).where(eq(certifications.id, cert.id));
  assert.equal(renewed?.issuedOn, addDays(cert.expiresOn, -700), 'the new term starts the day the old one ends: no gap');
  await page.goto('/my-certification');
  assert.equal(await textOf(page, 'certification-status'), 'Active');
  assert.match((await page.getByTestId('certification').textContent()) ?? '', new RegExp(addDays(renewed!.expiresOn, -1)));
  await closePage(applicant);
});

test('a 17-year-old is told why the application cannot be submitted', async () => {
  const person = await createPerson(db(), { email: 'young.applicant@example.org', displayName: 'Jordan Young' });
  const session = await openPage({ viewport: PHONE });
  const { page } = session;
  await signIn(page, person.email);
  await page.goto('/my-certification');
  await go(page, page.getByTestId('start-application').click());
  await page.getByLabel('Legal first name').fill('Jordan');
  await page.getByLabel('Legal last name').fill('Young');
  await page.getByLabel('Date of birth').fill(addDays(todayInCalifornia(), -17 * 365));
  await go(page, page.getByTestId('save-continue').click());
  for (const id of ['education-high_school', 'livedExperience-consumer', 'willingToShare-yes', 'dedicatedToRecovery-yes']) await page.locator(`label[for=${id}]`).click();
  await go(page, page.getByTestId('save-continue').click());
  for (const kind of ['photo_id', 'diploma']) {
    await page.locator(`#file-${kind}`).setInputFiles({ name: `${kind}.pdf`, ...PDF });
    await go(page, page.getByTestId(`upload-${kind}`).click());
  }
  await go(page, page.getByTestId('documents-continue').click());
  assert.match(await textOf(page, 'missing'), /You must be at least 18 years old to apply\./);
  await signAndSubmit(page, 'Jordan Young');
  assert.equal(await textOf(page, 'form-error'), 'You must be at least 18 years old to apply.');
  await checked(page);
  assert.equal(await textOf(page, 'application-status'), 'Draft', 'nothing was submitted and nothing is lost');
  await closePage(session);
});
