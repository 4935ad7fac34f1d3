// County participation through the use cases and the JSON/CSV API, on a real database (PGlite or PostgreSQL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import type { TestDatabase } from '../db/testing.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { getCounty, listCountyParticipation, participatesOn } from './counties.service.ts';
import { importParticipationPage } from './import-participation.ts';
import { INITIAL_PAGE } from './seed-counties.ts';
import { seedReferenceData } from '../db/seed.ts';
import { searchAudit } from '../audit/audit.service.ts';

const seedPage = fs.readFileSync(INITIAL_PAGE.file, 'utf8');

/** The February 2025 page with Amador gone, Mono moved to DMC-ODS & SMHS, and Napa added. */
const julyPage = seedPage
  .replace('2 | Amador | SMHS Only |\n', '')
  .replace('| Mono | SMHS Only |', '| Mono | DMC-ODS & SMHS |')
  .replace('| Monterey | DMC-ODS & SMHS |', '| Monterey | DMC-ODS & SMHS |\n52\n| Napa | SMHS Only |');

let testApp: TestApp;
let database: TestDatabase;
let app: FastifyInstance;

before(async () => {
  testApp = await createTestApp();
  ({ app, database } = testApp);
});
after(() => testApp.close());

describe('a fresh start has the DHCS table of February 2025', () => {
  test('51 counties take part as of 2025-02-01, with the page stating 52', async () => {
    const list = await listCountyParticipation(database.db, '2025-02-01');
    assert.equal(list.counties.length, 58);
    assert.equal(list.participatingCount, 51);
    assert.deepEqual(list.totals, { DMC: 11, DMC_ODS: 33, SMHS: 51 });
    assert.equal(list.source?.statedCount, 52);
    assert.equal(list.source?.listedCount, 51);
  });

  test('nothing is recorded before the page took effect', async () => {
    const list = await listCountyParticipation(database.db, '2025-01-31');
    assert.equal(list.participatingCount, 0);
    assert.equal(list.source, null);
  });

  test('Kern, listed with both DMC systems, is recorded as DMC-ODS & SMHS (a county runs one or the other)', async () => {
    const kern = await getCounty(database.db, '06029', '2025-02-01');
    assert.deepEqual(kern.deliverySystems, ['DMC_ODS', 'SMHS']);
    assert.deepEqual(kern.sourceNotes.map((n) => n.code), ['both_dmc_and_dmc_ods']);
    assert.equal((await getCounty(database.db, '06001', '2025-02-01')).sourceNotes.length, 0);
  });

  test('Sutter and Yuba are two counties under one plan', async () => {
    const sutter = await getCounty(database.db, '06101', '2025-02-01');
    assert.equal(sutter.plan.code, 'sutter-yuba');
    assert.deepEqual(sutter.plan.counties.map((c) => c.name), ['Sutter', 'Yuba']);
    assert.deepEqual(sutter.deliverySystems, ['DMC', 'SMHS']);
  });

  test('participatesOn answers per delivery system and date', async () => {
    assert.equal(await participatesOn(database.db, '06001', 'DMC_ODS', '2025-02-01'), true);
    assert.equal(await participatesOn(database.db, '06001', 'DMC', '2025-02-01'), false);
    assert.equal(await participatesOn(database.db, '06001', 'SMHS', '2025-01-31'), false);
    assert.equal(await participatesOn(database.db, '06003', 'SMHS', '2025-02-01'), false, 'Alpine is not listed');
  });
});

describe('importing a later page', () => {
  test('applies only the differences, effective on its date, and keeps history', async () => {
    const result = await importParticipationPage(database.db, { text: julyPage, effectiveOn: '2025-07-01', source: 'test page' });
    assert.equal(result.applied, true);
    assert.deepEqual(result.diff.added.map((c) => c.county), ['Napa']);
    assert.deepEqual(result.diff.removed.map((c) => c.county), ['Amador']);
    assert.deepEqual(result.diff.changed.map((c) => [c.county, c.from, c.to]), [['Mono', ['SMHS'], ['DMC_ODS', 'SMHS']]]);

    const { rows: audited } = await searchAudit(database.db, { action: 'county.participation.import', entityId: result.importId ?? '' });
    assert.equal(audited.length, 1, 'the import is audited in its transaction');
    assert.equal(audited[0]?.reason, 'test page, effective 2025-07-01');
    assert.equal(await participatesOn(database.db, '06005', 'SMHS', '2025-06-30'), true, 'Amador before');
    assert.equal(await participatesOn(database.db, '06005', 'SMHS', '2025-07-01'), false, 'Amador after');
    const amador = await getCounty(database.db, '06005', '2025-07-01');
    assert.deepEqual(amador.history.map((p) => [p.deliverySystem, p.from, p.to]), [['SMHS', '2025-02-01', '2025-07-01']]);
  });

  test('importing the same page again changes nothing', async () => {
    const before = await listCountyParticipation(database.db, '2025-07-01');
    const again = await importParticipationPage(database.db, { text: julyPage, effectiveOn: '2025-07-01', source: 'test page' });
    assert.equal(again.applied, false);
    assert.equal(again.importId, null);
    assert.deepEqual(await listCountyParticipation(database.db, '2025-07-01'), before);
  });

  test('a page whose table matches what is recorded still becomes the source, with its own stated count', async () => {
    const restated = julyPage.replace('52 counties include', '52 counties now include').replace('As of February 2025', 'As of August 2025');
    const result = await importParticipationPage(database.db, { text: restated, effectiveOn: '2025-08-01', source: 'August page' });
    assert.equal(result.applied, false, 'no participation changed');
    assert.equal(result.recorded, true);
    const list = await listCountyParticipation(database.db, '2025-08-15');
    assert.equal(list.source?.source, 'August page');
    assert.equal(list.source?.listedCount, 51);
    assert.equal((await listCountyParticipation(database.db, '2025-07-15')).source?.source, 'test page');
  });

  test('a page that is not a participation table is refused and nothing is written', async () => {
    const before = await listCountyParticipation(database.db, '2025-09-01');
    await assert.rejects(
      importParticipationPage(database.db, { text: 'Hello, this is a newsletter.', effectiveOn: '2025-09-01', source: 'x' }),
      /No county participation table found/,
    );
    await assert.rejects(
      importParticipationPage(database.db, { text: seedPage.replace('| Alameda |', '| Gotham |'), effectiveOn: '2025-09-01', source: 'x' }),
      /Gotham/,
    );
    assert.deepEqual(await listCountyParticipation(database.db, '2025-09-01'), before);
  });

  test('a correction recorded later for the same date wins', async () => {
    const corrected = julyPage.replace('| Napa | SMHS Only |', '| Napa | DMC State Plan & SMHS |');
    const result = await importParticipationPage(database.db, { text: corrected, effectiveOn: '2025-07-01', source: 'correction' });
    assert.deepEqual(result.diff.changed.map((c) => c.county), ['Napa']);
    const napa = await getCounty(database.db, '06055', '2025-07-01');
    assert.deepEqual(napa.deliverySystems, ['DMC', 'SMHS']);
  });
});

describe('GET /api/v1/counties', () => {
  test('lists every county with its delivery systems as of a date', async () => {
    const res = await app.inject({ url: '/api/v1/counties?asOf=2025-02-01' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.asOf, '2025-02-01');
    assert.equal(body.participatingCount, 51);
    assert.deepEqual(body.counties.find((c: { name: string }) => c.name === 'Alameda'), {
      fips: '06001',
      name: 'Alameda',
      plan: { code: 'alameda', name: 'Alameda County Behavioral Health' },
      deliverySystems: ['DMC_ODS', 'SMHS'],
    });
  });

  test('defaults to today in California', async () => {
    const res = await app.inject({ url: '/api/v1/counties' });
    assert.equal(res.statusCode, 200);
    assert.match(res.json().asOf, /^\d{4}-\d{2}-\d{2}$/);
  });

  for (const bad of ['2025-02-30', 'yesterday', '2025-2-1', '0000-01-01']) {
    test(`refuses asOf=${bad} with a 400 problem`, async () => {
      const res = await app.inject({ url: `/api/v1/counties?asOf=${bad}` });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      const problem = res.json();
      assert.equal(problem.status, 400);
      assert.equal(problem.errors[0].path, 'querystring.asOf');
      assert.match(problem.errors[0].message, /YYYY-MM-DD/);
    });
  }
});

describe('GET /api/v1/counties/{fips}', () => {
  test("returns a county's plan, participation and history", async () => {
    const res = await app.inject({ url: '/api/v1/counties/06101?asOf=2025-02-01' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.name, 'Sutter');
    assert.deepEqual(body.plan.counties, [
      { fips: '06101', name: 'Sutter' },
      { fips: '06115', name: 'Yuba' },
    ]);
    assert.deepEqual(body.history.map((p: { deliverySystem: string; from: string; to: string | null }) => [p.deliverySystem, p.from, p.to]), [
      ['DMC', '2025-02-01', null],
      ['SMHS', '2025-02-01', null],
    ]);
  });

  test('an unknown FIPS code is a 404 problem', async () => {
    const res = await app.inject({ url: '/api/v1/counties/06999' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.match(res.json().detail, /06999/);
  });

  test('a malformed FIPS code is a 400 problem', async () => {
    const res = await app.inject({ url: '/api/v1/counties/alameda' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().errors[0].path, 'params.fips');
  });
});

describe('GET /api/v1/counties.csv', () => {
  test('exports all 58 counties with yes/no per delivery system', async () => {
    const res = await app.inject({ url: '/api/v1/counties.csv?asOf=2025-02-01' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    assert.match(String(res.headers['content-disposition']), /county-participation-2025-02-01\.csv/);
    const rows: Array<Record<string, string>> = parse(res.body, { columns: true });
    assert.equal(rows.length, 58);
    assert.deepEqual(rows.find((r) => r.county === 'Butte'), {
      as_of: '2025-02-01',
      fips: '06007',
      county: 'Butte',
      plan: 'Butte County Behavioral Health',
      SMHS: 'yes',
      DMC: 'yes',
      DMC_ODS: 'no',
      delivery_systems: 'DMC SMHS',
    });
    assert.equal(rows.filter((r) => r.delivery_systems !== '').length, 51);
  });

  test('a bad asOf is a 400 problem, not a CSV', async () => {
    const res = await app.inject({ url: '/api/v1/counties.csv?asOf=soon' });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  });
});

describe('operations', () => {
  test('/health answers and /ready reaches the database', async () => {
    assert.deepEqual((await app.inject({ url: '/health' })).json(), { status: 'ok' });
    const ready = await app.inject({ url: '/ready' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });

  test('the OpenAPI document lists every JSON route and /docs serves the reference page', async () => {
    const spec = (await app.inject({ url: '/docs/openapi.json' })).json();
    for (const route of ['/api/v1/counties', '/api/v1/counties/{fips}', '/api/v1/counties.csv', '/health', '/ready']) {
      assert.ok(spec.paths[route], `${route} is documented`);
    }
    const csv = spec.paths['/api/v1/counties.csv'].get.responses;
    assert.deepEqual(Object.keys(csv['200'].content), ['text/csv']);
    assert.deepEqual(Object.keys(csv['400'].content), ['application/problem+json'], 'errors are documented as problem+json');
    assert.equal(spec.paths['/api/v1/counties/{fips}'].get.responses['404'].description, 'Not Found');
    assert.ok(spec.components.schemas.Problem, 'the Problem schema every error refers to is defined');
    const docs = await app.inject({ url: '/docs' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /\/api\/v1\/counties\/\{fips\}/);
  });

  test('an unknown API path is a 404 problem', async () => {
    const res = await app.inject({ url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  });
});

// Last: it changes the 2025-02-01 state the tests above rely on.
describe('reference data on the next start', () => {
  test('does not undo a correction effective on the initial page\'s own date', async () => {
    const alpineJoins = seedPage.replace('| Alameda | DMC-ODS & SMHS |', '| Alameda | DMC-ODS & SMHS |\n52\n| Alpine | SMHS Only |');
    await importParticipationPage(database.db, { text: alpineJoins, effectiveOn: '2025-02-01', source: 'correction' });
    await seedReferenceData(database.db);
    assert.equal(await participatesOn(database.db, '06003', 'SMHS', '2025-02-01'), true);
  });
});
