// Finding a peer on the public registry the way people actually type: without accents, with a misspelling, last
// name first, half a hyphenated name — and narrowing by number, county, specialization and status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { addDays, addYears } from '../lib/dates.ts';
import { REGISTRY_PAGE_SIZE, RegistryQuery, searchRegistry } from './search-registry.ts';

const TODAY = '2026-06-15';
let database: TestDatabase;

const search = (query: Record<string, unknown>) => searchRegistry(database.db, RegistryQuery.parse(query), TODAY);
const names = async (query: Record<string, unknown>) => (await search(query)).rows.map((r) => r.fullName);

before(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const term = (issuedOn: string) => ({ issuedOn, expiresOn: addYears(issuedOn, 2) });
  await certifyPeer(db, { first: 'Rosa', middle: 'María', last: 'Martínez', number: 'PSS-300001', countyFips: '06001', ...term('2025-01-10'), specializations: [{ code: 'crisis_care', completedOn: '2025-03-01' }] });
  await certifyPeer(db, { first: 'José', last: 'García-López', number: 'PSS-300002', countyFips: '06037', ...term('2025-02-01') });
  await certifyPeer(db, { first: 'Ana', last: 'Nguyen', number: 'PSS-300003', countyFips: '06001', ...term('2024-05-01'), later: { to: 'suspended', effectiveOn: '2026-01-05' } });
  // The term ran out yesterday and the nightly job has not recorded it: still expired today.
  await certifyPeer(db, { first: 'Marta', last: 'Martin', number: 'PSS-300004', countyFips: '06037', issuedOn: '2024-06-14', expiresOn: TODAY });
  for (let i = 0; i < 25; i++) await certifyPeer(db, { first: `Person${String(i).padStart(2, '0')}`, last: 'Sample', number: `PSS-31${String(i).padStart(4, '0')}`, ...term('2025-06-01') });
});
after(() => database.close());

describe('searching the registry by name', () => {
  test('without accents finds the accented name, the best match first and look-alikes after it', async () => {
    const found = await names({ name: 'rosa martinez' });
    assert.equal(found[0], 'Rosa María Martínez');
    assert.ok(!found.includes('José García-López'));
  });

  test('a small misspelling still finds her first', async () => {
    assert.equal((await names({ name: 'Rosa Martines' }))[0], 'Rosa María Martínez');
  });

  test('last name first, and one half of a hyphenated name', async () => {
    assert.equal((await names({ name: 'Martinez, Rosa' }))[0], 'Rosa María Martínez');
    assert.deepEqual(await names({ name: 'Jose Lopez' }), ['José García-López']);
  });

  test('a name nobody has finds nobody', async () => {
    const page = await search({ name: 'Xavier Quillfeather' });
    assert.equal(page.total, 0);
    assert.deepEqual(page.rows, []);
  });
});

describe('narrowing and paging', () => {
  test('by number, as typed in lower case, and by its beginning', async () => {
    assert.deepEqual(await names({ number: 'pss-300002' }), ['José García-López']);
    assert.equal((await search({ number: 'PSS-31' })).total, 25);
  });

  test('a % or _ in a number is a character, not a wildcard', async () => {
    assert.equal((await search({ number: 'PSS-3%' })).total, 0);
  });

  test('by county and specialization', async () => {
    assert.deepEqual((await names({ county: '06001', sort: 'name' })).sort(), ['Ana Nguyen', 'Rosa María Martínez']);
    const crisis = await search({ specialization: 'crisis_care' });
    assert.deepEqual(crisis.rows.map((r) => [r.number, r.specializations]), [['PSS-300001', [{ specialization: 'crisis_care', completedOn: '2025-03-01' }]]]);
  });

  test('by status today: suspended, and a term that ran out counts as expired before the job records it', async () => {
    assert.deepEqual(await names({ status: 'suspended' }), ['Ana Nguyen']);
    assert.deepEqual(await names({ status: 'expired' }), ['Marta Martin']);
    const marta = (await search({ number: 'PSS-300004' })).rows[0];
    assert.equal(marta?.status, 'expired');
    assert.equal(marta?.validThrough, addDays(TODAY, -1));
  });

  test('pages of twenty, sorted; a page past the end is empty but keeps the total', async () => {
    const first = await search({ name: 'Sample', sort: 'number' });
    assert.equal(first.total, 25);
    assert.equal(first.pages, 2);
    assert.equal(first.rows.length, REGISTRY_PAGE_SIZE);
    assert.equal(first.rows[0]?.number, 'PSS-310000');
    const second = await search({ name: 'Sample', sort: 'number', page: 2 });
    assert.deepEqual(
      second.rows.map((r) => r.number),
      ['PSS-310020', 'PSS-310021', 'PSS-310022', 'PSS-310023', 'PSS-310024'],
    );
    const beyond = await search({ name: 'Sample', page: 9 });
    assert.deepEqual([beyond.total, beyond.rows.length], [25, 0]);
  });

  test('bad parameters are refused with a reason, blank ones mean any', () => {
    assert.equal(RegistryQuery.safeParse({ county: 'Alameda' }).success, false);
    assert.equal(RegistryQuery.safeParse({ status: 'probably' }).success, false);
    assert.equal(RegistryQuery.safeParse({ page: '0' }).success, false);
    assert.deepEqual(Object.values(RegistryQuery.parse({ name: ' ', county: '', status: '' })), [undefined, undefined, undefined]);
  });
});
