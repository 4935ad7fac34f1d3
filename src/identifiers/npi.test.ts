// The NPI check digit, against CMS's worked example and the typing mistakes it is there to catch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidNpi, npiCheckDigit, npiProblem } from './npi.ts';

test('CMS’s example: 123456789 has check digit 3', () => {
  assert.equal(npiCheckDigit('123456789'), 3);
  assert.equal(isValidNpi('1234567893'), true);
});

test('every wrong last digit, and a swap of two neighbours, is caught', () => {
  for (let d = 0; d <= 9; d++) if (d !== 3) assert.equal(isValidNpi(`123456789${d}`), false, `check digit ${d}`);
  assert.equal(isValidNpi('2134567893'), false);
});

test('the sample NPIs of STANDARDS.md pass; malformed text does not', () => {
  assert.equal(isValidNpi('1987654328'), true);
  for (const bad of ['', '123456789', '12345678930', '12345678a3', ' 1234567893']) assert.equal(isValidNpi(bad), false, bad);
  assert.match(npiProblem('12345') ?? '', /10 digits/);
  assert.match(npiProblem('1234567890') ?? '', /check digit/);
  assert.equal(npiProblem('1234567893'), null);
  assert.throws(() => npiCheckDigit('12'), /nine digits/);
});
