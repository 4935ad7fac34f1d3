// The FHIR R4 API of the public registry through the whole app: Practitioner read and search, the
// CapabilityStatement, errors as OperationOutcome, conditional reads — every response valid R4, and none carrying
// anything the public registry does not show.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createPerson } from '../accounts/testing.ts';
import { applications, fees } from '../certification/certification.schema.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { r4Problems } from './fhir-validation.testing.ts';
import type { CapabilityStatement, OperationOutcome, Practitioner, SearchsetBundle } from './fhir.types.ts';
import { CERTIFICATION_NUMBER_SYSTEM, CERTIFICATION_STATUS_EXTENSION, PLAN_NET_QUALIFICATION_EXTENSION, SPECIALIZATION_SYSTEM } from './fhir.vocabulary.ts';

const TODAY = todayInCalifornia();
const ACTIVE_ISSUED = addDays(TODAY, -200);
const ACTIVE_EXPIRES = addYears(ACTIVE_ISSUED, 2);
const LAPSED_ISSUED = addDays(TODAY, -800);
const LAPSED_EXPIRES = addDays(TODAY, -70);
const BASE = 'http://localhost:80/fhir';
const PAGED_FAMILY = 'Pagington';
const PAGED_COUNT = 25;

/** What no FHIR response may carry: the fixture's private facts, and the keys they would travel under. */
const PRIVATE = { email: 'lucia.fhir.private@example.org', dateOfBirth: '1981-06-09', countyFips: '06019', applicationNumber: 'APP-88123' };
const FORBIDDEN_KEYS = /^(email|telecom|birthDate|dateOfBirth|gender|address|county|countyFips|application|applications|fee|fees|photo)$/i;

let testApp: TestApp;
/** Every response body the tests received, for the privacy scan. */
const bodies: string[] = [];

before(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  const account = await createPerson(db, { email: PRIVATE.email });
  const { peerId } = await certifyPeer(db, {
    userId: account.id,
    first: 'Lucía',
    middle: 'Beatriz',
    last: 'Ramírez',
    number: 'PSS-530001',
    firstIssuedOn: '2021-03-15',
    issuedOn: ACTIVE_ISSUED,
    expiresOn: ACTIVE_EXPIRES,
    email: PRIVATE.email,
    dateOfBirth: PRIVATE.dateOfBirth,
    countyFips: PRIVATE.countyFips,
    specializations: [{ code: 'crisis_care', completedOn: '2024-10-07' }],
  });
  const [application] = await db.insert(applications).values({ number: PRIVATE.applicationNumber, peerId, pathway: 'initial', status: 'certified' }).returning({ id: applications.id });
  await db.insert(fees).values({ peerId, applicationId: application?.id, kind: 'application', amountCents: 10000, chargedOn: '2021-01-10' });
  // A term that ran out 70 days ago, with no status change recorded: expired by the registry's rule.
  await certifyPeer(db, { first: 'Marco', last: 'Tan', number: 'PSS-530002', issuedOn: LAPSED_ISSUED, expiresOn: LAPSED_EXPIRES });
  await certifyPeer(db, { first: 'Ana', middle: 'María', last: 'Garcia', number: 'PSS-530003', issuedOn: ACTIVE_ISSUED, expiresOn: ACTIVE_EXPIRES, later: { to: 'suspended', effectiveOn: addDays(TODAY, -10) } });
  await certifyPeer(db, { first: 'Garcia', last: 'Lopez', number: 'PSS-530004', issuedOn: ACTIVE_ISSUED, expiresOn: ACTIVE_EXPIRES, later: { to: 'revoked', effectiveOn: addDays(TODAY, -5) } });
  for (let i = 0; i < PAGED_COUNT; i += 1) {
    await certifyPeer(db, { first: `Person${String(i).padStart(2, '0')}`, last: PAGED_FAMILY, number: `PSS-5400${String(i).padStart(2, '0')}`, issuedOn: ACTIVE_ISSUED, expiresOn: ACTIVE_EXPIRES });
  }
});
after(() => testApp.close());

/** A GET whose body, unless a 304, is FHIR JSON that must be valid R4. */
async function get(url: string, headers: Record<string, string> = { accept: 'application/fhir+json' }): Promise<LightMyRequestResponse> {
  const res = await testApp.app.inject({ url, headers });
  if (res.statusCode === 304) return res;
  bodies.push(res.body);
  assert.equal(res.headers['content-type'], 'application/fhir+json; charset=utf-8', `${url}: content type`);
  assert.deepEqual(r4Problems(res.json()), [], `${url}: not valid R4`);
  return res;
}

const read = async (id: string) => {
  const res = await get(`/fhir/Practitioner/${id}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Practitioner>();
};
const search = async (query: string) => {
  const res = await get(`/fhir/Practitioner${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<SearchsetBundle>();
};
const ids = (bundle: SearchsetBundle) => (bundle.entry ?? []).map((e) => e.resource.id);

function planNetStatus(resource: Practitioner, index = 0): string | undefined {
  const planNet = resource.qualification[index]?.extension?.find((e) => e.url === PLAN_NET_QUALIFICATION_EXTENSION);
  const sub = planNet && 'extension' in planNet ? planNet.extension.find((e) => e.url === 'status') : undefined;
  return sub && 'valueCode' in sub ? sub.valueCode : undefined;
}
function registryStatus(resource: Practitioner): string | undefined {
  const ours = resource.qualification[0]?.extension?.find((e) => e.url === CERTIFICATION_STATUS_EXTENSION);
  return ours && 'valueCoding' in ours ? ours.valueCoding.code : undefined;
}
function outcome(res: LightMyRequestResponse): OperationOutcome['issue'][number] {
  const body = res.json<OperationOutcome>();
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.equal(body.issue.length, 1);
  return body.issue[0] as OperationOutcome['issue'][number];
}

describe('Practitioner read', () => {
  test('an active peer: number as id and identifier, legal name, active, the current term, Plan-Net status and where valid', async () => {
    const lucia = await read('PSS-530001');
    assert.equal(lucia.id, 'PSS-530001');
    assert.deepEqual(lucia.identifier, [{ use: 'official', system: CERTIFICATION_NUMBER_SYSTEM, value: 'PSS-530001' }]);
    assert.deepEqual(lucia.name, [{ use: 'official', text: 'Lucía Beatriz Ramírez', family: 'Ramírez', given: ['Lucía', 'Beatriz'] }]);
    assert.equal(lucia.active, true);
    const [certification, specialization] = lucia.qualification;
    assert.deepEqual(certification?.identifier, [{ system: CERTIFICATION_NUMBER_SYSTEM, value: 'PSS-530001' }]);
    assert.equal(certification?.code.coding?.[0]?.code, 'CMPSS');
    assert.deepEqual(certification?.period, { start: ACTIVE_ISSUED, end: addDays(ACTIVE_EXPIRES, -1) });
    assert.equal(certification?.issuer?.display, 'California Mental Health Services Authority (CalMHSA)');
    assert.equal(planNetStatus(lucia), 'active');
    assert.equal(registryStatus(lucia), 'active');
    const planNet = certification?.extension?.find((e) => e.url === PLAN_NET_QUALIFICATION_EXTENSION);
    assert.deepEqual(planNet && 'extension' in planNet ? planNet.extension[1] : undefined, {
      url: 'whereValid',
      valueCodeableConcept: { coding: [{ system: 'https://www.usps.com/', code: 'CA', display: 'California' }] },
    });
    assert.deepEqual(specialization?.code, {
      coding: [{ system: SPECIALIZATION_SYSTEM, code: 'crisis_care', display: 'Peer Services in Crisis Care' }],
      text: 'Peer Services in Crisis Care',
    });
    assert.deepEqual(specialization?.period, { start: '2024-10-07' });
    assert.equal(planNetStatus(lucia, 1), 'active');
    assert.equal(lucia.qualification.length, 2);
  });

  test('a term that ran out: not active, Plan-Net inactive, our status expired, the last term with its last day', async () => {
    const marco = await read('PSS-530002');
    assert.equal(marco.active, false);
    assert.deepEqual(marco.qualification[0]?.period, { start: LAPSED_ISSUED, end: addDays(LAPSED_EXPIRES, -1) });
    assert.equal(planNetStatus(marco), 'inactive');
    assert.equal(registryStatus(marco), 'expired');
    assert.deepEqual(marco.name[0]?.given, ['Marco']);
  });

  test('suspended is inactive in Plan-Net terms and suspended in ours; revoked is revoked in both', async () => {
    const ana = await read('PSS-530003');
    assert.equal(ana.active, false);
    assert.equal(planNetStatus(ana), 'inactive');
    assert.equal(registryStatus(ana), 'suspended');
    const revoked = await read('PSS-530004');
    assert.equal(revoked.active, false);
    assert.equal(planNetStatus(revoked), 'revoked');
    assert.equal(registryStatus(revoked), 'revoked');
  });

  test('a weak ETag; If-None-Match with it gives 304 and no body, a stale one the resource', async () => {
    const first = await get('/fhir/Practitioner/PSS-530001');
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/"[^"]+"$/);
    const again = await get('/fhir/Practitioner/PSS-530001', { accept: 'application/fhir+json', 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    const other = await get('/fhir/Practitioner/PSS-530002', { 'if-none-match': etag });
    assert.equal(other.statusCode, 200);
    assert.notEqual(other.headers.etag, etag);
  });

  test('JSON is served for Accept application/json, none, a browser’s list, and _format=json', async () => {
    for (const headers of [{ accept: 'application/json' }, {} as Record<string, string>, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }]) {
      assert.equal((await get('/fhir/Practitioner/PSS-530001', headers)).statusCode, 200);
    }
    assert.equal((await get('/fhir/Practitioner/PSS-530001?_format=json')).statusCode, 200);
    assert.equal((await get('/fhir/Practitioner/PSS-530001?_format=application/fhir%2Bjson')).statusCode, 200);
  });
});

describe('Practitioner search', () => {
  test('by identifier, with or without our system; another system matches nothing', async () => {
    for (const query of ['PSS-530001', `${CERTIFICATION_NUMBER_SYSTEM}|PSS-530001`, 'pss-530001']) {
      const bundle = await search(`?identifier=${encodeURIComponent(query)}`);
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1, query);
      assert.deepEqual(ids(bundle), ['PSS-530001']);
      assert.equal(bundle.entry?.[0]?.fullUrl, `${BASE}/Practitioner/PSS-530001`);
      assert.deepEqual(bundle.entry?.[0]?.search, { mode: 'match' });
    }
    const foreign = await search(`?identifier=${encodeURIComponent('http://hl7.org/fhir/sid/us-npi|PSS-530001')}`);
    assert.deepEqual([foreign.total, foreign.entry], [0, undefined]);
    assert.equal((await search('?identifier=PSS-53000')).total, 0, 'a token matches whole numbers, not prefixes');
  });

  test('by name, forgiving accents and a misspelling; the entry is the same resource a read gives', async () => {
    assert.deepEqual(ids(await search('?name=Ramirez')), ['PSS-530001']);
    assert.deepEqual(ids(await search('?name=Lucia%20Ramires')), ['PSS-530001']);
    const byName = await search('?name=Ramírez');
    assert.deepEqual(byName.entry?.[0]?.resource, await read('PSS-530001'));
  });

  test('by family: only the last name counts, where name matches any part', async () => {
    assert.deepEqual(ids(await search('?family=Garcia')), ['PSS-530003']);
    assert.deepEqual(ids(await search('?name=Garcia')).sort(), ['PSS-530003', 'PSS-530004']);
    assert.deepEqual(ids(await search('?family=Garc%C3%ADa&name=Ana')), ['PSS-530003']);
    assert.equal((await search('?family=Lucia')).total, 0);
  });

  test('pages of twenty with absolute self, next and previous links that carry the search', async () => {
    const first = await search(`?family=${PAGED_FAMILY}`);
    assert.equal(first.total, PAGED_COUNT);
    assert.equal(first.entry?.length, 20);
    assert.deepEqual(first.link, [
      { relation: 'self', url: `${BASE}/Practitioner?family=${PAGED_FAMILY}&_page=1` },
      { relation: 'next', url: `${BASE}/Practitioner?family=${PAGED_FAMILY}&_page=2` },
    ]);
    const next = first.link.find((l) => l.relation === 'next')?.url ?? '';
    const second = await search(next.slice(`${BASE}/Practitioner`.length));
    assert.equal(second.entry?.length, PAGED_COUNT - 20);
    assert.deepEqual(second.link, [
      { relation: 'self', url: `${BASE}/Practitioner?family=${PAGED_FAMILY}&_page=2` },
      { relation: 'previous', url: `${BASE}/Practitioner?family=${PAGED_FAMILY}&_page=1` },
    ]);
    const all = new Set([...ids(first), ...ids(second)]);
    assert.equal(all.size, PAGED_COUNT, 'the two pages together hold every match once');
  });

  test('no parameters: every practitioner, paged; _count lowers the page size, never raises it', async () => {
    const everyone = await search('');
    assert.equal(everyone.total, PAGED_COUNT + 4);
    assert.equal(everyone.entry?.length, 20);
    const small = await search('?_count=5&_page=2');
    assert.equal(small.entry?.length, 5);
    assert.equal(small.link.find((l) => l.relation === 'next')?.url, `${BASE}/Practitioner?_count=5&_page=3`);
    assert.equal((await search('?_count=100')).entry?.length, 20);
    const onlyTotal = await search('?_count=0');
    assert.deepEqual([onlyTotal.total, onlyTotal.entry], [PAGED_COUNT + 4, undefined]);
    const beyond = await search('?_page=50');
    assert.deepEqual([beyond.total, beyond.entry], [PAGED_COUNT + 4, undefined]);
  });
});

describe('metadata', () => {
  test('a CapabilityStatement for R4 JSON: Practitioner read and search by identifier, name and family', async () => {
    const res = await get('/fhir/metadata');
    assert.equal(res.statusCode, 200);
    const statement = res.json<CapabilityStatement>();
    assert.deepEqual([statement.resourceType, statement.status, statement.kind, statement.fhirVersion], ['CapabilityStatement', 'active', 'instance', '4.0.1']);
    assert.deepEqual(statement.format, ['application/fhir+json']);
    const practitioner = statement.rest[0]?.resource[0];
    assert.equal(practitioner?.type, 'Practitioner');
    assert.deepEqual(practitioner?.interaction.map((i) => i.code), ['read', 'search-type']);
    assert.deepEqual(practitioner?.searchParam.map((p) => `${p.name}:${p.type}`), ['identifier:token', 'name:string', 'family:string', '_count:number', '_page:number']);
  });

  test('the FHIR routes stay out of the site’s OpenAPI document (their shapes are FHIR’s)', async () => {
    const res = await testApp.app.inject({ url: '/docs/openapi.json' });
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    assert.ok(paths.length > 0);
    assert.deepEqual(paths.filter((p) => p.startsWith('/fhir')), []);
  });
});

describe('errors are OperationOutcome in FHIR JSON', () => {
  test('an unknown id, or a number in the wrong case, is 404 not-found', async () => {
    for (const id of ['PSS-999999', 'pss-530001']) {
      const res = await get(`/fhir/Practitioner/${id}`);
      assert.equal(res.statusCode, 404);
      assert.equal(outcome(res).code, 'not-found');
      assert.match(outcome(res).diagnostics, new RegExp(id));
    }
    const other = await get('/fhir/Patient/1');
    assert.equal(other.statusCode, 404);
    assert.equal(outcome(other).code, 'not-found');
  });

  test('unsupported or malformed parameters are 400 invalid, naming the parameter', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/fhir/Practitioner?given=Ana', /given/],
      ['/fhir/Practitioner?name:exact=Ana', /name:exact/],
      ['/fhir/Practitioner?name=Ana&name=Tan', /name/],
      ['/fhir/Practitioner?_count=lots', /_count/],
      ['/fhir/Practitioner?_page=0', /_page/],
      ['/fhir/Practitioner/PSS-530001?summary=true', /summary/],
      ['/fhir/Practitioner/not%20an%20id', /Practitioner id/],
    ];
    for (const [url, named] of cases) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assert.equal(outcome(res).code, 'invalid', url);
      assert.match(outcome(res).diagnostics, named, url);
    }
  });

  test('asking for XML is 406 not-supported', async () => {
    const byHeader = await get('/fhir/Practitioner/PSS-530001', { accept: 'application/fhir+xml' });
    assert.equal(byHeader.statusCode, 406);
    assert.equal(outcome(byHeader).code, 'not-supported');
    const byFormat = await get('/fhir/metadata?_format=xml');
    assert.equal(byFormat.statusCode, 406);
  });

  test('the rate limit is 429 throttled', async () => {
    const limited = await createTestApp({ rateLimits: { perMinute: 2, signInPerMinute: 2 } });
    try {
      const statuses: number[] = [];
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 3; i += 1) {
        last = await limited.app.inject({ url: '/fhir/metadata', headers: { accept: 'application/fhir+json' } });
        statuses.push(last.statusCode);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.ok(last);
      assert.equal(last.headers['content-type'], 'application/fhir+json; charset=utf-8');
      assert.deepEqual(r4Problems(last.json()), []);
      assert.equal(outcome(last).code, 'throttled');
    } finally {
      await limited.close();
    }
  });
});

describe('privacy', () => {
  test('no response carries a private fact or a key one would travel under', async () => {
    // Run after the other tests in this file (node:test runs describes in order): scan everything they received.
    await get('/fhir/Practitioner?name=Lucia');
    assert.ok(bodies.length > 20);
    const keys = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          keys.add(key);
          walk(inner);
        }
      }
    };
    for (const body of bodies) {
      walk(JSON.parse(body));
      for (const value of Object.values(PRIVATE)) assert.ok(!body.includes(value), `a response contains ${value}`);
    }
    assert.deepEqual([...keys].filter((key) => FORBIDDEN_KEYS.test(key)), []);
  });
});
