// The API reference page (/docs) and the OpenAPI document it is built from (/docs/openapi.json).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing.ts';
import { compactExample, exampleOf, groupOperations, operationSlug, type OpenApiDocument } from './api-reference.pages.tsx';

let testApp: TestApp | undefined;

before(async () => {
  testApp = await createTestApp();
  await testApp.app.ready();
});

after(async () => {
  await testApp?.close();
});

async function get(url: string) {
  assert.ok(testApp, 'the app did not start');
  return testApp.app.inject({ method: 'GET', url });
}

async function openApi(): Promise<OpenApiDocument> {
  const res = await get('/docs/openapi.json');
  return res.json<OpenApiDocument>();
}

/** The text of an HTML fragment, with tags removed and entities decoded, so assertions read like the page does. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('/docs/openapi.json', () => {
  test('is the OpenAPI 3 document as JSON', async () => {
    const res = await get('/docs/openapi.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json\b/);
    const doc = JSON.parse(res.body) as OpenApiDocument;
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/v1/counties', '/api/v1/counties/{fips}', '/api/v1/counties.csv', '/health', '/ready']) {
      assert.ok(doc.paths?.[path], `the document has ${path}`);
    }
    assert.equal(doc.paths?.['/docs'], undefined, 'the reference page is not an API endpoint');
    assert.equal(doc.paths?.['/docs/openapi.json'], undefined);
  });
});

describe('/docs in English', () => {
  test('lists every operation of the document with a heading, an anchor and a contents link', async () => {
    const doc = await openApi();
    const res = await get('/docs?lang=en');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const html = res.body;
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<h1>API reference<\/h1>/);

    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method, path })));
    assert.ok(operations.length >= 5);
    for (const { method, path } of operations) {
      const id = operationSlug(method, path);
      const heading = new RegExp(`<h3 id="${id}"[^>]*>(.*?)</h3>`).exec(html);
      assert.ok(heading, `a heading for ${method} ${path}`);
      assert.equal(textOf(heading[1] ?? '').trim(), `${method.toUpperCase()} ${path}`);
      assert.ok(html.includes(`href="#${id}"`), `a contents link to ${method} ${path}`);
    }
    for (const path of ['/api/v1/counties', '/api/v1/counties/{fips}', '/api/v1/counties.csv', '/health', '/ready']) {
      assert.ok(html.includes(`<code>${path}</code>`), `the page shows ${path}`);
    }
    // English page: no language-of-parts markup is needed.
    assert.doesNotMatch(html.slice(html.indexOf('<main')), /lang="en"/);
  });

  test('describes the asOf parameter in a captioned table with column headers', async () => {
    const res = await get('/docs?lang=en');
    const table = /<table[^>]*data-testid="parameters-get-api-v1-counties"[^>]*>([\s\S]*?)<\/table>/.exec(res.body)?.[1] ?? '';
    assert.ok(table, 'the parameters table of GET /api/v1/counties');
    assert.match(table, /<caption>Parameters of GET \/api\/v1\/counties<\/caption>/);
    assert.equal([...table.matchAll(/<th scope="col">/g)].length, 5);
    const text = textOf(table);
    assert.match(text, /asOf Query string Optional string \( date \) Calendar date \(America\/Los_Angeles\)\. Default: today\./);
    assert.match(text, /Example: 2025-02-01/);

    const fips = textOf(/data-testid="parameters-get-api-v1-counties-fips"[^>]*>([\s\S]*?)<\/table>/.exec(res.body)?.[1] ?? '');
    assert.match(fips, /fips Path Required string County FIPS code/);
  });

  test('lists the responses with their status, meaning and content types', async () => {
    const res = await get('/docs?lang=en');
    const table = textOf(/data-testid="responses-get-api-v1-counties-fips"[^>]*>([\s\S]*?)<\/table>/.exec(res.body)?.[1] ?? '');
    assert.match(table, /Responses of GET \/api\/v1\/counties\/\{fips\}/);
    assert.match(table, /200 Success application\/json/);
    assert.match(table, /404 Not found application\/problem\+json — Problem details \(RFC 9457\)/);
    assert.match(res.body, /<summary>Shape of the 200 response<\/summary>/);
    assert.match(res.body, /href="\/docs\/openapi.json"/);
    assert.match(res.body, /RFC 9457/);
  });

  test('has no inline script or style and links to nothing off the site', async () => {
    const res = await get('/docs?lang=en');
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(res.body, /<style|\sstyle=/);
    assert.doesNotMatch(res.body, /(?:href|src)="(?:https?:)?\/\//);
  });
});

describe('/docs in Spanish', () => {
  test('translates the page and marks the English texts from the document with lang="en"', async () => {
    const doc = await openApi();
    const res = await get('/docs?lang=es');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<html lang="es">/);
    assert.match(html, /<h1>Referencia de la API<\/h1>/);
    assert.match(html, /<caption>Parámetros de GET \/api\/v1\/counties<\/caption>/);
    assert.match(html, /<th scope="col">Obligatorio u opcional<\/th>/);
    assert.match(textOf(html), /asOf Cadena de consulta Opcional/);
    assert.doesNotMatch(html, /<caption>Parameters of/);

    const summaries = Object.values(doc.paths ?? {}).flatMap((item) =>
      Object.values(item).map((op) => (op as { summary?: string }).summary ?? ''),
    );
    assert.ok(summaries.length >= 5);
    for (const summary of summaries) {
      assert.ok(summary, 'every operation has a summary');
      // preact escapes &, <, > and " in text.
      const escaped = summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      const pattern = escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(html, new RegExp(`<p[^>]*\\blang="en"[^>]*>${pattern}</p>`), `the summary “${summary}” is marked lang="en" under its heading`);
      assert.match(html, new RegExp(`<span lang="en">${pattern}</span>`), `the summary “${summary}” is marked lang="en" in the contents`);
    }
    assert.match(html, /<p class="margin-0" lang="en">Calendar date \(America\/Los_Angeles\)\. Default: today\.<\/p>/);
  });

  test('the language is remembered by the cookie like every other page', async () => {
    const res = await get('/docs?lang=es');
    assert.match(String(res.headers['set-cookie']), /lang=es/);
  });
});

describe('reading the OpenAPI document', () => {
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    tags: [{ name: 'B tag' }, { name: 'A tag' }],
    paths: {
      '/x/{id}': { get: { tags: ['A tag'], summary: 'x' }, delete: { summary: 'untagged' } },
      '/y': { post: { tags: ['B tag'] }, get: { tags: ['B tag'], hide: true } },
    },
    components: { schemas: { Thing: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } } },
  };

  test('groups operations by tag in the document order, untagged last, hidden ones left out', () => {
    const groups = groupOperations(doc);
    assert.deepEqual(
      groups.map((g) => [g.id, g.name, g.operations.map((o) => o.id)]),
      [
        ['tag-b-tag', 'B tag', ['post-y']],
        ['tag-a-tag', 'A tag', ['get-x-id']],
        ['tag-other', undefined, ['delete-x-id']],
      ],
    );
  });

  test('builds compact examples from schemas, following component references', () => {
    assert.deepEqual(exampleOf(doc, { $ref: '#/components/schemas/Thing' }), { id: 1 });
    assert.deepEqual(exampleOf(doc, { type: 'array', items: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date' }] } }), ['2025-02-01']);
    assert.equal(exampleOf(doc, { type: ['string', 'null'], enum: ['a', 'b'] }), 'a');
    assert.equal(exampleOf(doc, { $ref: '#/components/schemas/Missing' }), undefined);
    assert.equal(compactExample(doc, { type: 'object', properties: { ok: { type: 'boolean' } } }), '{\n  "ok": true\n}');
    const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`p${i}`, { type: 'string' }])) };
    assert.equal(compactExample(doc, wide), undefined, 'too long to be compact');
  });
});
