// What a FHIR request asks for: the representation it accepts and the Practitioner search it means.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../lib/errors.ts';
import { parsePractitionerSearch, requireJsonRepresentation } from './fhir-request.ts';
import { planNetQualificationStatus } from './fhir.vocabulary.ts';

const refusedWith = (status: number, pattern: RegExp) => (error: unknown) => error instanceof AppError && error.status === status && pattern.test(error.message);

test('JSON is accepted by name, by wildcard or with no Accept at all; XML, or JSON at q=0, is 406', () => {
  for (const accept of [undefined, '', '*/*', 'application/json', 'application/fhir+json;q=0.9', 'text/html, application/*;q=0.5']) {
    assert.doesNotThrow(() => requireJsonRepresentation(accept, undefined), String(accept));
  }
  for (const accept of ['application/fhir+xml', 'text/html', 'application/json;q=0']) {
    assert.throws(() => requireJsonRepresentation(accept, undefined), refusedWith(406, /application\/fhir\+json/), accept);
  }
  assert.doesNotThrow(() => requireJsonRepresentation('application/fhir+xml', 'json'), '_format wins over Accept');
  assert.throws(() => requireJsonRepresentation(undefined, 'xml'), refusedWith(406, /_format xml/));
});

test('a search: token with and without system, names, page size capped at twenty, blanks ignored', () => {
  const search = parsePractitionerSearch({ identifier: 'urn:x|PSS-100001', name: ' Ana ', family: '', _count: '50', _page: '3' });
  assert.deepEqual(search.identifier, { system: 'urn:x', value: 'PSS-100001' });
  assert.equal(search.name, 'Ana');
  assert.equal(search.family, undefined);
  assert.deepEqual([search.page, search.pageSize], [3, 20]);
  assert.deepEqual(search.linkParams, [['identifier', 'urn:x|PSS-100001'], ['name', 'Ana'], ['_count', '20']]);
  assert.deepEqual(parsePractitionerSearch({ identifier: 'PSS-100001' }).identifier, { system: undefined, value: 'PSS-100001' });
  assert.deepEqual(parsePractitionerSearch({ identifier: '|PSS-100001' }).identifier, { system: '', value: 'PSS-100001' });
  assert.deepEqual(parsePractitionerSearch({}), { page: 1, pageSize: 20, linkParams: [] });
});

test('unknown parameters, modifiers, repeats and bad numbers are refused, naming the parameter', () => {
  assert.throws(() => parsePractitionerSearch({ given: 'Ana' }), refusedWith(400, /given/));
  assert.throws(() => parsePractitionerSearch({ 'family:exact': 'Tan' }), refusedWith(400, /family:exact/));
  assert.throws(() => parsePractitionerSearch({ name: ['a', 'b'] }), refusedWith(400, /name may be given once/));
  assert.throws(() => parsePractitionerSearch({ _count: '-1' }), refusedWith(400, /_count/));
  assert.throws(() => parsePractitionerSearch({ _page: '1.5' }), refusedWith(400, /_page/));
  assert.throws(() => parsePractitionerSearch({ name: 'x'.repeat(101) }), refusedWith(400, /name may be at most 100/));
});

test('our statuses in Plan-Net’s Qualification Status codes', () => {
  assert.deepEqual(
    (['active', 'expired', 'suspended', 'revoked', 'vacated', null] as const).map(planNetQualificationStatus),
    ['active', 'inactive', 'inactive', 'revoked', 'inactive', 'pending'],
  );
});
