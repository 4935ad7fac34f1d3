// Field encryption as a member's CIN needs it: what is stored is not the CIN, it reads back only with the key and
// for the field it was made for, any altered byte is refused, and the blind index finds equal values only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { blindIndex, decryptField, deriveFieldKeys, encryptField, loadOrCreateKeyFile, parseMasterKey } from './field-crypto.ts';

const keys = deriveFieldKeys(randomBytes(32), 'k1');
const ring = new Map([[keys.kid, keys]]);

test('the stored text is not the CIN, differs every time, and reads back', () => {
  const a = encryptField(keys, '91234567A', 'beneficiary.cin');
  const b = encryptField(keys, '91234567A', 'beneficiary.cin');
  assert.ok(!a.includes('91234567A'));
  assert.ok(!Buffer.from(a.split('.')[3]!, 'base64url').toString('latin1').includes('91234567A'));
  assert.notEqual(a, b, 'a fresh nonce each time');
  assert.match(a, /^v1\.k1\./);
  assert.equal(decryptField(ring, a, 'beneficiary.cin'), '91234567A');
});

test('an altered byte, another field or another key is refused', () => {
  const envelope = encryptField(keys, '1990-04-12', 'beneficiary.dob');
  const parts = envelope.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[0] = (body[0] ?? 0) ^ 1;
  assert.throws(() => decryptField(ring, [...parts.slice(0, 3), body.toString('base64url')].join('.'), 'beneficiary.dob'));
  assert.throws(() => decryptField(ring, envelope, 'beneficiary.cin'), 'the field is bound in');
  const other = deriveFieldKeys(randomBytes(32), 'k1');
  assert.throws(() => decryptField(new Map([['k1', other]]), envelope, 'beneficiary.dob'));
  assert.throws(() => decryptField(new Map(), envelope, 'beneficiary.dob'), /key "k1", which is not configured/);
  assert.throws(() => decryptField(ring, 'plain text', 'beneficiary.dob'), /Not an encrypted field/);
});

test('rotation: a second key reads its own envelopes and the old key’s', () => {
  const next = deriveFieldKeys(randomBytes(32), 'k2');
  const both = new Map([
    ['k1', keys],
    ['k2', next],
  ]);
  assert.equal(decryptField(both, encryptField(keys, 'old', 'f'), 'f'), 'old');
  assert.equal(decryptField(both, encryptField(next, 'new', 'f'), 'f'), 'new');
});

test('the blind index: equal values match, others and other keys do not', () => {
  assert.equal(blindIndex(keys, '91234567A', 'beneficiary.cin'), blindIndex(keys, '91234567A', 'beneficiary.cin'));
  assert.notEqual(blindIndex(keys, '91234567A', 'beneficiary.cin'), blindIndex(keys, '91234567B', 'beneficiary.cin'));
  assert.notEqual(blindIndex(keys, '91234567A', 'beneficiary.cin'), blindIndex(deriveFieldKeys(randomBytes(32), 'k1'), '91234567A', 'beneficiary.cin'));
  assert.ok(!blindIndex(keys, '91234567A', 'beneficiary.cin').includes('91234567'));
});

test('keys: 32 bytes of base64; the local key file is made readable by its owner only, and kept', () => {
  assert.throws(() => parseMasterKey('c2hvcnQ='), /32 random bytes/);
  assert.throws(() => deriveFieldKeys(Buffer.alloc(16), 'k1'), /32 bytes/);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pss-key-')), 'field.key');
  const first = loadOrCreateKeyFile(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(loadOrCreateKeyFile(file), first);
  assert.equal(readFileSync(file, 'utf8').trim(), first.toString('base64'));
  chmodSync(file, 0o644);
  assert.throws(() => loadOrCreateKeyFile(file), /readable by others/);
});
