// What the runner stores and shows about a run: counts in a readable order, errors without data values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../lib/errors.ts';
import { errorMessage, resultCounts } from './job-runner.ts';

test('counts read due first and failed last, whatever order the database kept', () => {
  assert.deepEqual(resultCounts({ due: 3, sent: 2, failed: 1, noEmail: 0, alreadySent: 4, failures: [{ record: 'PSS-100001', error: 'x' }] }), [
    ['due', 3],
    ['alreadySent', 4],
    ['noEmail', 0],
    ['sent', 2],
    ['failed', 1],
  ]);
});

test('an error is stored as its message; a database error without its parameters or the values it quotes', () => {
  assert.equal(errorMessage(new AppError('conflict', 'Certification PSS-100001 cannot go from revoked to expired on 2026-11-01.')), 'Certification PSS-100001 cannot go from revoked to expired on 2026-11-01.');
  const cause = Object.assign(new Error('invalid input syntax for type date: "Rosa Martinez"'), { code: '22007' });
  const query = Object.assign(new Error('Failed query: select $1::date\nparams: Rosa Martinez'), { name: 'DrizzleQueryError', cause });
  assert.equal(errorMessage(query), 'database error 22007: invalid input syntax for type date: "…"');
  assert.equal(errorMessage(new Error('x'.repeat(2000))).length, 500);
});
