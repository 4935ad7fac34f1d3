// What reaches the logs and the client when things go wrong: no query strings, no bound parameters, no internals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { loggableError } from './errors.ts';

let database: TestDatabase;
let app: FastifyInstance;
const logLines: string[] = [];

before(async () => {
  database = await createTestDatabase();
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  app = await buildApp({ config: { env: 'test', logLevel: 'info' }, database, logStream });
});
after(async () => {
  await app.close();
  await database.close();
});

test('request logs carry the path, never the query string', async () => {
  await app.inject({ url: '/api/v1/counties?asOf=2025-02-01&name=MARIA-SECRET' });
  const logs = logLines.join('');
  assert.match(logs, /"url":"\/api\/v1\/counties"/);
  assert.doesNotMatch(logs, /MARIA-SECRET/);
});

test('a failing query is a 500 problem without internals, logged without its parameters', async () => {
  await database.db.execute(sql`drop table participation_changes cascade`);
  logLines.length = 0;
  const res = await app.inject({ url: '/api/v1/counties?asOf=1999-12-31' });
  assert.equal(res.statusCode, 500);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.equal(res.json().detail, 'Something went wrong on our side. It has been logged.');
  assert.doesNotMatch(res.body, /participation_changes|select|stack/i);

  const logs = logLines.join('');
  assert.match(logs, /request failed/);
  assert.match(logs, /participation_changes/, 'the driver says what failed');
  assert.doesNotMatch(logs, /1999-12-31/, 'bound parameters never reach the log');
  assert.doesNotMatch(logs, /params:/);
});

test('loggableError keeps the cause and SQL state of a query error, not its parameters', () => {
  const cause = Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });
  const error = new Error('Failed query: select * from x where cin = $1\nparams: 91234567A', { cause });
  error.name = 'DrizzleQueryError';
  const logged = loggableError(error);
  assert.equal(logged.message, 'relation "x" does not exist');
  assert.equal(logged.sqlState, '42P01');
  assert.doesNotMatch(JSON.stringify(logged), /91234567A/);
});
