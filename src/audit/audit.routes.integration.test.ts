// The audit log over HTTP: who may search and export it, the filters of the JSON API, the CSV export (all matching
// entries, recorded as an export itself), and the /admin/audit page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Role } from '../access/roles.ts';
import { actorHeaders, createPerson } from '../accounts/testing.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { AUDIT_CSV_COLUMNS } from './audit.csv.ts';
import { recordAudit, verifyAuditChain, type AuditEntry } from './audit.service.ts';

interface SearchBody {
  total: number;
  page: number;
  pageSize: number;
  rows: Array<{ seq: number; at: string; actorUserId: string | null; actorRole: string | null; actorTokenId: string | null; action: string; entityType: string; entityId: string; reason: string | null }>;
}

let testApp: TestApp;
let analyst: Record<string, string>;
let admin: Record<string, string>;
let peer: Record<string, string>;
const analystId = randomUUID();
let alice: { id: string; email: string };
let bob: { id: string; email: string };

/** Entries about widgets, by Alice and Bob; and 1,005 bulk entries, more than one export batch. */
const WIDGETS: Array<Partial<AuditEntry>> = [];
const BULK = 1005;

async function signedIn(role: Role, userId = randomUUID()) {
  return actorHeaders(testApp.app, { kind: 'user', userId, roles: [{ role, countyFips: null }] });
}

async function search(query: string, headers = analyst) {
  return testApp.app.inject({ url: `/api/v1/audit?${query}`, headers });
}

before(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  analyst = await signedIn('dhcs_analyst', analystId);
  admin = await signedIn('system_admin');
  peer = await signedIn('peer');
  alice = await createPerson(db, { email: `alice-${randomUUID().slice(0, 8)}@example.org`, displayName: 'Alice Auditee' });
  bob = await createPerson(db, { email: `bob-${randomUUID().slice(0, 8)}@example.org`, displayName: 'Bob Auditee' });
  WIDGETS.push(
    { actor: { userId: alice.id, role: 'system_admin' }, action: 'widget.create', entityId: 'w1', changes: [{ field: 'colour', before: null, after: 'blue' }] },
    { actor: { userId: bob.id }, action: 'widget.update', entityId: 'w2', reason: 'a customer asked' },
    { actor: { userId: alice.id }, action: 'widget.delete', entityId: 'w1' },
  );
  for (const w of WIDGETS) {
    await db.transaction((tx) => recordAudit(tx, { actor: {}, action: 'widget.x', entityType: 'widget', entityId: 'w', ...w }));
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < BULK; i += 1) await recordAudit(tx, { actor: { userId: bob.id }, action: 'bulk.touch', entityType: 'bulk', entityId: `b${i}` });
  });
});

after(async () => {
  await testApp.close();
});

describe('who may read the audit log', () => {
  for (const url of ['/api/v1/audit', '/api/v1/audit.csv']) {
    test(`${url}: 401 anonymous, 403 for a peer, 200 for an analyst and an administrator`, async () => {
      const anonymous = await testApp.app.inject({ url });
      assert.equal(anonymous.statusCode, 401);
      assert.match(String(anonymous.headers['content-type']), /^application\/problem\+json/);
      const refused = await testApp.app.inject({ url, headers: peer });
      assert.equal(refused.statusCode, 403);
      assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
      assert.equal((await testApp.app.inject({ url, headers: analyst })).statusCode, 200);
      assert.equal((await testApp.app.inject({ url, headers: admin })).statusCode, 200);
    });
  }

  test('refusal comes before validation: a peer with a bad query gets 403, not 400', async () => {
    assert.equal((await search('from=not-a-date&page=0', peer)).statusCode, 403);
    assert.equal((await testApp.app.inject({ url: '/api/v1/audit.csv?actorUserId=nope', headers: peer })).statusCode, 403);
    assert.equal((await testApp.app.inject({ url: '/admin/audit?from=nope', headers: { ...peer, accept: 'text/html' } })).statusCode, 403);
  });

  test('the page: 401 anonymous, 403 for a peer, 200 for an analyst', async () => {
    assert.equal((await testApp.app.inject({ url: '/admin/audit', headers: { accept: 'text/html' } })).statusCode, 401);
    assert.equal((await testApp.app.inject({ url: '/admin/audit', headers: { ...peer, accept: 'text/html' } })).statusCode, 403);
    assert.equal((await testApp.app.inject({ url: '/admin/audit', headers: { ...analyst, accept: 'text/html' } })).statusCode, 200);
  });
});

describe('GET /api/v1/audit', () => {
  test('filters by record type, person, record, action and California days, newest first', async () => {
    const ids = async (query: string) => {
      const res = await search(`entityType=widget&${query}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<SearchBody>();
      assert.equal(body.total, body.rows.length);
      return body.rows.map((r) => `${r.action}:${r.entityId}`);
    };
    assert.deepEqual(await ids(''), ['widget.delete:w1', 'widget.update:w2', 'widget.create:w1']);
    assert.deepEqual(await ids(`actorUserId=${alice.id}`), ['widget.delete:w1', 'widget.create:w1']);
    assert.deepEqual(await ids(`actorUserId=${alice.id.toUpperCase()}&entityId=w1&action=widget.create`), ['widget.create:w1']);
    assert.deepEqual(await ids('entityId=w2'), ['widget.update:w2']);
    assert.deepEqual(await ids('action=widget.nothing'), []);
    const today = todayInCalifornia();
    assert.deepEqual(await ids(`from=${today}&to=${today}`), ['widget.delete:w1', 'widget.update:w2', 'widget.create:w1']);
    assert.deepEqual(await ids('from=2000-01-01&to=2000-01-31'), []);

    const body = (await search('entityType=widget&entityId=w2')).json<SearchBody>();
    assert.equal(body.page, 1);
    assert.equal(body.pageSize, 50);
    assert.deepEqual(
      { actorUserId: body.rows[0]?.actorUserId, reason: body.rows[0]?.reason, entityType: body.rows[0]?.entityType },
      { actorUserId: bob.id, reason: 'a customer asked', entityType: 'widget' },
    );
    assert.match(body.rows[0]?.at ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test('pages through many entries', async () => {
    const first = (await search('entityType=bulk')).json<SearchBody>();
    assert.equal(first.total, BULK);
    assert.equal(first.rows.length, 50);
    assert.equal(first.rows[0]?.entityId, `b${BULK - 1}`);
    const last = (await search('entityType=bulk&page=21')).json<SearchBody>();
    assert.deepEqual(
      last.rows.map((r) => r.entityId),
      ['b4', 'b3', 'b2', 'b1', 'b0'],
    );
    assert.equal(last.page, 21);
    const beyond = (await search('entityType=bulk&page=99')).json<SearchBody>();
    assert.deepEqual([beyond.total, beyond.rows.length], [BULK, 0]);
  });

  test('refuses malformed filters with a 400 problem', async () => {
    for (const query of ['from=2025-02-30', 'to=2025-2-1', 'actorUserId=not-a-uuid', 'page=0', 'page=two', 'from=2025-03-02&to=2025-03-01']) {
      const res = await search(query);
      assert.equal(res.statusCode, 400, query);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, query);
    }
  });
});

describe('GET /api/v1/audit.csv', () => {
  test('exports every matching entry, past the batch size, as an attachment', async () => {
    const res = await testApp.app.inject({ url: '/api/v1/audit.csv?entityType=bulk', headers: analyst });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...records] = parse(res.body) as string[][];
    assert.deepEqual(header, [...AUDIT_CSV_COLUMNS]);
    assert.equal(records.length, BULK);
    const entityIds = records.map((r) => r[AUDIT_CSV_COLUMNS.indexOf('entity_id')]);
    assert.equal(new Set(entityIds).size, BULK, 'no entry twice');
    assert.equal(entityIds[0], `b${BULK - 1}`);
    assert.equal(entityIds.at(-1), 'b0');
  });

  test('applies the filters, and a filter nothing matches gives just the header', async () => {
    const res = await testApp.app.inject({ url: `/api/v1/audit.csv?entityType=widget&actorUserId=${bob.id}`, headers: analyst });
    const [, ...records] = parse(res.body) as string[][];
    assert.deepEqual(
      records.map((r) => r[AUDIT_CSV_COLUMNS.indexOf('action')]),
      ['widget.update'],
    );
    const empty = await testApp.app.inject({ url: '/api/v1/audit.csv?entityType=nothing', headers: analyst });
    assert.equal(empty.body, `${AUDIT_CSV_COLUMNS.join(',')}\n`);
    assert.equal((await testApp.app.inject({ url: '/api/v1/audit.csv?from=2025-13-01', headers: analyst })).statusCode, 400);
  });

  test('each export is recorded: who, with which role, and the filter', async () => {
    await testApp.app.inject({ url: '/api/v1/audit.csv?entityType=widget&action=widget.update', headers: analyst });
    const body = (await search(`action=audit.export&actorUserId=${analystId}`)).json<SearchBody>();
    const latest = body.rows[0];
    assert.ok(latest, 'the export is in the log');
    assert.equal(latest.actorRole, 'dhcs_analyst');
    assert.equal(latest.entityType, 'audit_log');
    assert.match(latest.reason ?? '', /"entityType":"widget"/);
    assert.match(latest.reason ?? '', /"action":"widget.update"/);
    // Searching is not recorded, and an export does not contain its own entry.
    const before = (await search('action=audit.export')).json<SearchBody>().total;
    await search('entityType=widget');
    const csv = await testApp.app.inject({ url: '/api/v1/audit.csv?action=audit.export', headers: analyst });
    const [, ...records] = parse(csv.body) as string[][];
    assert.equal(records.length, before);
    assert.equal((await search('action=audit.export')).json<SearchBody>().total, before + 1);
    assert.deepEqual(await verifyAuditChain(testApp.database.db), { ok: true, checked: (await search('')).json<SearchBody>().total });
  });
});

describe('/admin/audit', () => {
  const page = async (query: string, lang = '') =>
    testApp.app.inject({ url: `/admin/audit?${query}${lang}`, headers: { ...analyst, accept: 'text/html' } });

  test('finds a person by email and links the CSV download with the same filters', async () => {
    const res = await page(`person=${encodeURIComponent(alice.email.toUpperCase())}&entityType=widget`);
    assert.equal(res.statusCode, 200);
    const rows = res.body.match(/<tr[ >]/g) ?? [];
    assert.equal(rows.length, 1 + 2, 'header row and two entries');
    assert.match(res.body, /Alice Auditee/);
    assert.match(res.body, /widget\.create/);
    assert.match(res.body, /colour<\/code>: — → blue/);
    assert.match(res.body, new RegExp(`href="/api/v1/audit.csv\\?actorUserId=${alice.id}&amp;entityType=widget"`));
    assert.match(res.body, /value="widget"/, 'the form keeps the filters');
  });

  test('says so when no account has the email, and refuses malformed filters beside the field', async () => {
    const unknown = await page('person=nobody%40example.org');
    assert.equal(unknown.statusCode, 200);
    assert.match(unknown.body, /No account has the email address nobody@example.org/);
    assert.doesNotMatch(unknown.body, /data-testid="audit-entries"/);

    const bad = await page('from=2025-02-30&person=neither');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="from-error"/);
    assert.match(bad.body, /id="person-error"/);
    assert.match(bad.body, /aria-invalid="true"/);
  });

  test('pages with links that keep the filters, in Spanish too', async () => {
    const first = await page('entityType=bulk');
    assert.match(first.body, /Page 1 of 21/);
    assert.match(first.body, /href="\/admin\/audit\?entityType=bulk&amp;page=2"/);
    const second = await page('entityType=bulk&page=2');
    assert.match(second.body, /href="\/admin\/audit\?entityType=bulk&amp;page=1"/);
    assert.match(second.body, /href="\/admin\/audit\?entityType=bulk&amp;page=3"/);
    const es = await page('entityType=bulk', '&lang=es');
    assert.match(es.body, /Registro de auditoría/);
    assert.match(es.body, /Página 1 de 21/);
    assert.match(es.body, /Descargar estas entradas en CSV/);
  });
});
