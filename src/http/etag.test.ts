// The shared conditional-GET helper: tags follow the bytes, and If-None-Match is compared weakly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { ifNoneMatchHits, sendWithEtag, weakEtagOf } from './etag.ts';

test('a weak tag follows the bytes of the body', () => {
  assert.match(weakEtagOf('{"a":1}'), /^W\/"[A-Za-z0-9_-]{27}"$/);
  assert.equal(weakEtagOf('{"a":1}'), weakEtagOf('{"a":1}'));
  assert.notEqual(weakEtagOf('{"a":1}'), weakEtagOf('{"a":2}'));
});

test('If-None-Match matches weakly, in lists and with *', () => {
  const tag = weakEtagOf('x');
  const opaque = tag.slice(2);
  assert.equal(ifNoneMatchHits(undefined, tag), false);
  assert.equal(ifNoneMatchHits(tag, tag), true);
  assert.equal(ifNoneMatchHits(opaque, tag), true, 'a strong tag with the same opaque value matches weakly');
  assert.equal(ifNoneMatchHits(`W/"other", ${tag}`, tag), true);
  assert.equal(ifNoneMatchHits('*', tag), true);
  assert.equal(ifNoneMatchHits('W/"other"', tag), false);
});

test('sendWithEtag answers 200 with the tag, then 304 with no body to a client holding it', async () => {
  const app = Fastify();
  app.get('/thing', (req, reply) => sendWithEtag(req, reply, { hello: 'world' }, 'application/json; charset=utf-8'));
  const first = await app.inject({ url: '/thing' });
  assert.equal(first.statusCode, 200);
  assert.equal(first.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(first.json(), { hello: 'world' });
  const etag = String(first.headers.etag);
  assert.equal(etag, weakEtagOf('{"hello":"world"}'));
  const again = await app.inject({ url: '/thing', headers: { 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  assert.equal(again.headers.etag, etag);
  const stale = await app.inject({ url: '/thing', headers: { 'if-none-match': 'W/"stale"' } });
  assert.equal(stale.statusCode, 200);
  await app.close();
});
