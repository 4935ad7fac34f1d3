// Browser journeys through the public county pages: figures, language switch, county detail, bad dates, home, phone layout.
// Each journey checks WCAG 2.1 A/AA with axe and that the page fetched nothing from any host but the local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const AS_OF = '2025-02-01';

const { openPage, closePage } = browserJourneys();

async function text(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

test('the counties page shows the figures, table and map as of a date', async () => {
  const session = await openPage();
  const { page } = session;
  const response = await page.goto(`/counties?asOf=${AS_OF}`);
  assert.equal(response?.status(), 200);

  assert.match(await text(page, 'participation-summary'), /^51 counties participating as of 2025-02-01/);
  const note = await text(page, 'stated-vs-listed');
  assert.match(note, /\b51 counties listed\b/);
  assert.match(note, /\bstates 52\b/);

  const rows = page.getByTestId('counties-table').locator('tbody tr');
  assert.equal(await rows.count(), 58);
  assert.equal(await page.getByTestId('counties-table').locator('tbody tr[data-participating=yes]').count(), 51);
  assert.equal(await page.locator('svg.county-map path[data-fips]').count(), 58);

  await expectNoAxeViolations(page);
  await closePage(session);
});

test('the language switch shows Spanish, keeps the date, and is remembered', async () => {
  const session = await openPage();
  const { page } = session;
  await page.goto(`/counties?asOf=${AS_OF}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');

  await page.getByTestId('language-switch').click();
  await page.waitForURL(/lang=es/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.match((await page.locator('h1').textContent()) ?? '', /Condados/);
  assert.equal(new URL(page.url()).searchParams.get('asOf'), AS_OF);
  assert.match(await text(page, 'participation-summary'), /^51 condados participan/);
  await expectNoAxeViolations(page);

  // The choice is kept in a cookie: a page without ?lang= stays Spanish.
  await page.goto('/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal(new URL(page.url()).searchParams.get('lang'), null);

  await page.getByTestId('language-switch').click();
  await page.waitForURL(/lang=en/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.goto('/counties');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await closePage(session);
});

test('a county page shows its shared plan, participation and history', async () => {
  const session = await openPage();
  const { page } = session;
  await page.goto(`/counties?asOf=${AS_OF}`);
  await page.getByTestId('counties-table').getByRole('link', { name: 'Sutter', exact: true }).click();
  await page.waitForURL(/\/counties\/06101\b/);

  assert.match((await page.locator('h1').textContent()) ?? '', /Sutter/);
  assert.match((await page.locator('dl').textContent()) ?? '', /Sutter-Yuba/);
  const yuba = page.locator('dl').getByRole('link', { name: 'Yuba', exact: true });
  assert.equal(await yuba.getAttribute('href'), '/counties/06115?asOf=2025-02-01', 'the link keeps the date');
  assert.equal(await text(page, 'county-current'), 'DMC State Plan & SMHS');
  const history = page.locator('table.usa-table');
  assert.equal(await history.count(), 1);
  assert.ok((await history.locator('tbody tr').count()) > 0, 'the history table has no rows');

  await expectNoAxeViolations(page);
  await closePage(session);
});

test('an impossible as-of date is a 400 with the error beside the field', async () => {
  const session = await openPage();
  const { page } = session;
  const response = await page.goto('/counties?asOf=2025-13-45');
  assert.equal(response?.status(), 400);

  // In the same USWDS form group as the date input, which is marked as being in error.
  const error = page.locator('.usa-form-group--error').filter({ has: page.locator('#asOf') }).locator('#asOf-error');
  assert.ok(await error.isVisible(), 'the field error is not shown');
  assert.match((await error.textContent()) ?? '', /2025-13-45/);
  const describedBy = (await page.locator('#asOf').getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(/\s+/).includes('asOf-error'), 'the input is not described by its error');
  assert.equal(await page.locator('#asOf').getAttribute('aria-invalid'), 'true');

  await expectNoAxeViolations(page);
  await closePage(session);
});

test('the home page is accessible and links to the counties page', async () => {
  const session = await openPage();
  const { page } = session;
  const response = await page.goto('/');
  assert.equal(response?.status(), 200);
  assert.ok((await page.locator('main a[href="/counties"]').count()) > 0, 'no link to /counties in the main content');

  await expectNoAxeViolations(page);
  await closePage(session);
});

test('on a phone the counties page fits the screen and the menu opens the navigation', async () => {
  const session = await openPage({ viewport: { width: 390, height: 844 } });
  const { page } = session;
  await page.goto(`/counties?asOf=${AS_OF}`);

  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth + 1, `the document is ${scrollWidth}px wide in a ${innerWidth}px viewport`);

  const menu = page.locator('.usa-menu-btn');
  assert.ok(await menu.isVisible(), 'the menu button is hidden');
  const countiesLink = page.locator('.usa-nav').getByRole('link', { name: 'Counties' });
  assert.equal(await countiesLink.isVisible(), false, 'the navigation shows before the menu is opened');
  await menu.click();
  await countiesLink.waitFor({ state: 'visible' });
  assert.match((await page.locator('.usa-nav').getAttribute('class')) ?? '', /\bis-visible\b/);

  await expectNoAxeViolations(page);
  await closePage(session);
});
