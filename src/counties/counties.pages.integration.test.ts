// The public county pages, rendered by the real app on a real database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../testing.ts';

let testApp: TestApp;
let app: FastifyInstance;

before(async () => {
  testApp = await createTestApp();
  ({ app } = testApp);
});
after(() => testApp.close());

const page = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { accept: 'text/html', ...headers } });

describe('/counties', () => {
  test('shows 51 participating counties as of 2025-02-01, and the count the page states', async () => {
    const res = await page('/counties?asOf=2025-02-01');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /51 counties participating as of 2025-02-01/);
    assert.match(res.body, /51 counties listed; the source page states 52/);
    assert.equal(res.body.match(/data-participating="yes"/g)?.length, 51);
    assert.equal(res.body.match(/data-participating="no"/g)?.length, 7);
    assert.doesNotMatch(res.body, /The page states 52 counties but lists 51\./, 'the mismatch is said once, in the sentence above');
    assert.match(res.body, /Kern is listed with both DMC State Plan and DMC-ODS/, 'the discrepancies of the source are shown');
  });

  test('draws a map with every county coloured by its delivery systems, with a text alternative', async () => {
    const res = await page('/counties?asOf=2025-02-01');
    assert.equal(res.body.match(/<path [^>]*data-fips="06\d{3}"/g)?.length, 58);
    assert.match(res.body, /<path d="[^"]+" class="sys-DMC_ODS-SMHS" data-fips="06001"/);
    assert.match(res.body, /<path d="[^"]+" class="sys-none" data-fips="06003"/, 'Alpine is not participating');
    assert.match(res.body, /role="img" aria-labelledby="county-map-title county-map-desc"/);
    assert.match(res.body, /DMC-ODS &amp; SMHS \(33\)/, 'the legend counts each combination (Kern recorded as DMC-ODS)');
    assert.match(res.body, /SMHS only \(7\)/);
  });

  test('is in Spanish when asked, and remembers the choice in a cookie', async () => {
    const res = await page('/counties?asOf=2025-02-01&lang=es');
    assert.match(res.body, /<html lang="es">/);
    assert.match(res.body, /51 condados participan al 2025-02-01/);
    assert.match(res.body, /51 condados en la lista; la página de origen indica 52/);
    assert.match(String(res.headers['set-cookie']), /lang=es/);
    const next = await page('/counties', { cookie: 'lang=es' });
    assert.match(next.body, /<html lang="es">/);
    assert.match(next.body, /href="\/counties\?lang=en"/, 'the switch leads back to English');
  });

  test('a bad date is shown beside the field with status 400, escaped', async () => {
    const res = await page('/counties?asOf=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="asOf-error"/);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(res.body, /&lt;script>alert\(1\)&lt;\/script>/);
  });

  test('is served with a strict Content-Security-Policy and local styles only', async () => {
    const res = await page('/counties');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(res.body, /https?:\/\/(?!www\.w3\.org)/, 'no external URLs in the page');
    const css = await app.inject({ url: '/assets/uswds/css/uswds.min.css' });
    assert.equal(css.statusCode, 200);
  });
});

describe('/counties/{fips}', () => {
  test("shows the county's plan, current participation and history", async () => {
    const res = await page('/counties/06115?asOf=2025-02-01');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Yuba County<\/h1>/);
    assert.match(res.body, /Sutter-Yuba Behavioral Health/);
    assert.match(res.body, /href="\/counties\/06101\?asOf=2025-02-01"/, 'links to the other county of the plan');
    assert.match(res.body, /data-testid="county-current">DMC State Plan &amp; SMHS</);
    assert.match(res.body, /<td data-label="From">2025-02-01<\/td>/);
  });

  test("Kern's page explains what was recorded where the source contradicts itself", async () => {
    const res = await page('/counties/06029?asOf=2025-02-01');
    assert.match(res.body, /data-testid="county-current">DMC-ODS &amp; SMHS</);
    assert.match(res.body, /Kern is listed with both DMC State Plan and DMC-ODS \(row 13\)\. Recorded as DMC-ODS/);
  });

  test('a bad as-of date on a county page is a 400 with the error shown, and the county as of today', async () => {
    const res = await page('/counties/06001?asOf=bad');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /data-testid="as-of-error">Enter a real date written YYYY-MM-DD/);
    assert.match(res.body, /<h1>Alameda County<\/h1>/);
  });

  test('in Spanish, recorded English text is marked as English and links keep the date', async () => {
    const res = await page('/counties/06101?asOf=2025-02-01&lang=es');
    assert.match(res.body, /<h1>Condado de Sutter<\/h1>/);
    assert.match(res.body, /<td data-label="Motivo" lang="en">Listed on the DHCS participation page<\/td>/);
    assert.match(res.body, /href="\/counties\/06115\?asOf=2025-02-01"/);
  });

  test('a county that takes part in nothing says so', async () => {
    const res = await page('/counties/06003');
    assert.match(res.body, /Not participating/);
    assert.match(res.body, /No participation has been recorded for this county/);
  });

  test('an unknown county is a 404 page', async () => {
    const res = await page('/counties/06999');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
    const spanish = await page('/counties/nope?lang=es');
    assert.equal(spanish.statusCode, 404);
    assert.match(spanish.body, /Página no encontrada/);
    assert.match(spanish.body, /No hay ninguna página en esta dirección/);
    assert.match(String(spanish.headers.vary), /Accept/);
  });
});

describe('/', () => {
  test('the home page says what the platform is, with live figures', async () => {
    const res = await page('/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /of 58 California counties offer Peer Support Services/);
    assert.match(res.body, /class="usa-skipnav" href="#main-content"/);
    assert.match(res.body, /<main id="main-content"/);
  });
});
