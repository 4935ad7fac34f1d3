// Certifying staff upload the old system's CSV in the workbench, follow the import on its page, and read the
// rejection report when the file has problems.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/roles.ts';
import { actorHeaders } from '../accounts/testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { certifications, peerImports } from './certification.schema.ts';
import { runningPeerImports } from './import-peers.pages.tsx';
import { peerCsv, type CsvRow } from './import-peers.testing.ts';

let testApp: TestApp;
const staff: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'certification_staff', countyFips: null }] };
const peer: Actor = { kind: 'user', userId: randomUUID(), roles: [{ role: 'peer', countyFips: null }] };
let staffHeaders: Record<string, string> = {};
let peerHeaders: Record<string, string> = {};

before(async () => {
  testApp = await createTestApp();
  staffHeaders = await actorHeaders(testApp.app, staff);
  peerHeaders = await actorHeaders(testApp.app, peer);
});
after(() => testApp.close());

const today = todayInCalifornia();
function rows(base: number, n: number): CsvRow[] {
  const issuedOn = addDays(today, -30);
  return Array.from({ length: n }, (_, i) => ({
    certification_number: `PSS-${base + i}`,
    legal_first_name: `Peer${i}`,
    legal_last_name: 'Uploaded',
    pathway: 'initial',
    first_issued_on: issuedOn,
    issued_on: issuedOn,
    expires_on: addYears(issuedOn, 2),
    status: 'active',
  }));
}

/** A browser's upload form: the CSRF token as a form field (not a header), the file as a part. */
function uploadForm(headers: Record<string, string>, file: { filename: string; content: string } | null, csrf = true) {
  const boundary = `----pss${randomUUID()}`;
  const token = headers['x-csrf-token'] ?? '';
  const parts = [csrf ? `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` : ''];
  if (file) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`);
  parts.push(`--${boundary}--\r\n`);
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'x-csrf-token'));
  return {
    method: 'POST' as const,
    url: '/workbench/imports',
    headers: { ...rest, accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: parts.join(''),
  };
}

/** Open the import's page as the browser does, following its refreshes until the import has finished. */
async function followImport(location: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const page = await testApp.app.inject({ url: location, headers: { ...staffHeaders, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    if (!page.body.includes('http-equiv="refresh"')) return page;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`${location} never finished`);
}

describe('an upload', () => {
  test('of a clean file imports it and leads to the import’s page', async () => {
    const list = await testApp.app.inject({ url: '/workbench/imports', headers: { ...staffHeaders, accept: 'text/html' } });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /enctype="multipart\/form-data"/);
    assert.match(list.body, /No imports yet\./);

    const res = await testApp.app.inject(uploadForm(staffHeaders, { filename: 'old-system.csv', content: peerCsv(rows(610000, 12)) }));
    assert.equal(res.statusCode, 303, res.body);
    const location = String(res.headers.location);
    assert.match(location, /^\/workbench\/imports\/[0-9a-f-]{36}$/);

    const page = await followImport(location);
    assert.match(page.body, /Certified peers imported: 12\./);
    assert.match(page.body, /<progress id="import-progress" max="12" value="12"/);
    const numbers = await testApp.database.db.select({ number: certifications.number }).from(certifications);
    assert.equal(numbers.filter((n) => n.number.startsWith('PSS-61')).length, 12);

    const after = await testApp.app.inject({ url: '/workbench/imports', headers: { ...staffHeaders, accept: 'text/html' } });
    assert.match(after.body, /old-system\.csv/);
  });

  test('of the same file again is refused with 409, and nothing is recorded', async () => {
    const before = await testApp.database.db.select().from(peerImports);
    const res = await testApp.app.inject(uploadForm(staffHeaders, { filename: 'again.csv', content: peerCsv(rows(610000, 12)) }));
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /This file was already imported on/);
    assert.deepEqual(await testApp.database.db.select().from(peerImports), before);
  });

  test('of a file with a bad row shows the report, and imports nothing', async () => {
    const bad = rows(620000, 6);
    bad[3] = { ...bad[3], county_fips: '06999' };
    const res = await testApp.app.inject(uploadForm(staffHeaders, { filename: 'with-problem.csv', content: peerCsv(bad) }));
    assert.equal(res.statusCode, 303);
    const page = await followImport(String(res.headers.location));
    assert.match(page.body, /Problems found in the file: 1\. Nothing was imported/);
    const report = /data-testid="rejections"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page.body)?.[1] ?? '';
    assert.match(report, /<th scope="row"[^>]*>5<\/th>/, 'row 5: the fourth data row, the header being row 1');
    assert.match(report, /<code>county_fips<\/code>/);
    assert.match(report, /&quot;06999&quot; is not the FIPS code of a California county/);
    const written = await testApp.database.db.select().from(certifications).where(eq(certifications.number, 'PSS-620000'));
    assert.deepEqual(written, []);
  });

  test('without a file, or without the form’s CSRF token, is refused', async () => {
    const empty = await testApp.app.inject(uploadForm(staffHeaders, null));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Choose a CSV file to import\./);
    const forged = await testApp.app.inject(uploadForm(staffHeaders, { filename: 'x.csv', content: peerCsv(rows(630000, 1)) }, false));
    assert.equal(forged.statusCode, 403);
  });

  test('is for certifying staff and administrators only', async () => {
    const res = await testApp.app.inject(uploadForm(peerHeaders, { filename: 'x.csv', content: peerCsv(rows(640000, 1)) }));
    assert.equal(res.statusCode, 403);
    assert.equal((await testApp.app.inject({ url: '/workbench/imports', headers: peerHeaders })).statusCode, 403);
  });
});

describe('an import’s page', () => {
  test('refreshes itself while the import runs, and stops when it is done', async () => {
    // An import another app instance is running: only its record is here.
    const [running] = await testApp.database.db.insert(peerImports).values({ sha256: 'b'.repeat(64), filename: 'elsewhere.csv', status: 'running', totalRows: 40 }).returning();
    const url = `/workbench/imports/${running?.id}`;
    const page = await testApp.app.inject({ url, headers: { ...staffHeaders, accept: 'text/html' } });
    assert.match(page.body, /<head>[\s\S]*<meta http-equiv="refresh" content="2">[\s\S]*<\/head>/);
    assert.match(page.body, /The import is running\. This page refreshes every 2 seconds\./);
    assert.equal(page.headers['cache-control'], 'no-store');
    await testApp.database.db.update(peerImports).set({ status: 'failed', error: 'the other instance stopped', finishedAt: new Date() }).where(eq(peerImports.id, running?.id ?? ''));
    const done = await testApp.app.inject({ url, headers: { ...staffHeaders, accept: 'text/html' } });
    assert.doesNotMatch(done.body, /http-equiv="refresh"/);
    assert.match(done.body, /The import failed and was rolled back; nothing was written\./);
    assert.match(done.body, /the other instance stopped/);
  });

  test('shows an import running in this process from its progress in memory', async () => {
    const context = { actor: staff, ip: '127.0.0.1', userAgent: 'test' };
    const record = await runningPeerImports.start(testApp.database.db, { filename: 'live.csv', bytes: Buffer.from(peerCsv(rows(650000, 3))) }, context, 'Staff Person', (err) => assert.fail(String(err)));
    const live = runningPeerImports.get(record.id);
    assert.equal(live?.item.filename, 'live.csv');
    assert.equal(live?.item.importedByName, 'Staff Person');
    await runningPeerImports.idle();
    assert.equal(runningPeerImports.get(record.id), undefined, 'once finished, the record speaks');
    const page = await testApp.app.inject({ url: `/workbench/imports/${record.id}`, headers: { ...staffHeaders, accept: 'text/html' } });
    assert.match(page.body, /Certified peers imported: 3\./);
  });

  test('is a 404 for an import that does not exist, and reads in Spanish', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await testApp.app.inject({ url: `/workbench/imports/${id}`, headers: { ...staffHeaders, accept: 'text/html' } });
      assert.equal(res.statusCode, 404);
    }
    const es = await testApp.app.inject({ url: '/workbench/imports?lang=es', headers: { ...staffHeaders, accept: 'text/html' } });
    assert.match(es.body, /Importar pares certificados/);
    assert.match(es.body, /Revisar e importar/);
  });
});
