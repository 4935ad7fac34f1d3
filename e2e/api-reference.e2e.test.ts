// Browser journeys through the API reference (/docs): English and Spanish, WCAG 2.1 A/AA with axe, contents links that
// jump to their operation, and a page that fetches nothing off the local server and breaks no Content-Security-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const { openPage, closePage } = browserJourneys();

/** The id of the element the URL's fragment points at, if it is the :target and scrolled into view. */
async function targetInView(page: Page): Promise<{ hash: string; targetId: string | null; inView: boolean }> {
  return page.evaluate(() => {
    const target = document.querySelector(':target');
    const box = target?.getBoundingClientRect();
    return {
      hash: window.location.hash,
      targetId: target?.id ?? null,
      inView: box !== undefined && box.top >= -1 && box.top < window.innerHeight,
    };
  });
}

test('the API reference in English lists every endpoint, is accessible, and its contents links jump to the operation', async () => {
  const session = await openPage();
  const { page } = session;
  const response = await page.goto('/docs?lang=en');
  assert.equal(response?.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('h1').textContent(), 'API reference');

  const headings = (await page.locator('main h3').allTextContents()).map((h) => h.replace(/\s+/g, ' ').trim());
  for (const op of ['GET /api/v1/counties', 'GET /api/v1/counties/{fips}', 'GET /api/v1/counties.csv', 'GET /health', 'GET /ready']) {
    assert.ok(headings.includes(op), `a heading for ${op} (found: ${headings.join(', ')})`);
  }
  await expectNoAxeViolations(page);

  // A contents link moves to its operation's heading.
  const contents = page.getByTestId('api-contents');
  await contents.locator('a[href="#get-api-v1-counties-fips"]').click();
  await page.waitForURL(/#get-api-v1-counties-fips$/);
  const jumped = await targetInView(page);
  assert.equal(jumped.targetId, 'get-api-v1-counties-fips');
  assert.ok(jumped.inView, 'the operation heading is scrolled into view');

  // The example of a response shape opens and stays accessible.
  const shape = page.getByTestId('operation-get-health').locator('details');
  await shape.locator('summary').click();
  assert.equal(await shape.getAttribute('open'), '');
  assert.match((await shape.locator('pre').textContent()) ?? '', /"status": "ok"/);
  await expectNoAxeViolations(page);

  // "Back to contents" returns to the table of contents.
  await page.getByTestId('operation-get-health').getByRole('link', { name: 'Back to contents' }).click();
  await page.waitForURL(/#contents$/);
  assert.equal((await targetInView(page)).targetId, 'contents');

  // The OpenAPI document the page links to.
  const link = page.getByTestId('openapi-link');
  assert.equal(await link.getAttribute('href'), '/docs/openapi.json');
  const json = await page.request.get('/docs/openapi.json');
  assert.equal(json.status(), 200);
  assert.match((await json.json() as { openapi: string }).openapi, /^3\./);
  await closePage(session);
});

test('the API reference in Spanish is translated, marks English texts, and is accessible', async () => {
  const session = await openPage();
  const { page } = session;
  await page.goto('/docs?lang=en');
  await page.getByTestId('language-switch').click();
  await page.waitForURL(/lang=es/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal(await page.locator('h1').textContent(), 'Referencia de la API');
  assert.equal(await page.locator('caption', { hasText: 'Parámetros de GET /api/v1/counties' }).first().isVisible(), true);

  // The operation summaries come from the (English) OpenAPI document.
  const summary = page.getByTestId('operation-get-api-v1-counties').locator('p[lang="en"]').first();
  assert.equal(await summary.textContent(), 'Participation of every California county as of a date');
  await expectNoAxeViolations(page);

  await page.getByTestId('api-contents').locator('a[href="#get-ready"]').click();
  await page.waitForURL(/#get-ready$/);
  const jumped = await targetInView(page);
  assert.equal(jumped.targetId, 'get-ready');
  assert.ok(jumped.inView, 'the operation heading is scrolled into view');
  await closePage(session);
});

test('on a phone the API reference fits the screen', async () => {
  const session = await openPage({ viewport: { width: 390, height: 844 } });
  const { page } = session;
  await page.goto('/docs?lang=en');
  // Open every response example: long JSON must wrap, not widen the page.
  for (const summary of await page.locator('main details summary').all()) await summary.click();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth + 1, `the document is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
  await expectNoAxeViolations(page);
  await closePage(session);
});
