// Where the members' key comes from: the operator's variable, or a key file made on first use with mode 0600 and
// reused afterwards; a bad key is a configuration error naming the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config.ts';
import { fieldCipherFromConfig, KEY_FILE_NAME } from './field-keys.ts';

const noKey = { key: undefined, keyId: 'k1', previousKeys: undefined };

test('without a key, a 0600 key file is made on first use and reused', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pss-keys-'));
  const first = fieldCipherFromConfig({ fieldEncryption: noKey, dataDir });
  assert.equal(existsSync(path.join(dataDir, KEY_FILE_NAME)), false, 'nothing is written until a member is');
  const envelope = first.encrypt('f', '91234567A');
  assert.equal(statSync(path.join(dataDir, KEY_FILE_NAME)).mode & 0o777, 0o600);
  const second = fieldCipherFromConfig({ fieldEncryption: noKey, dataDir });
  assert.equal(second.decrypt('f', envelope), '91234567A');
  assert.equal(second.index('f', '91234567A'), first.index('f', '91234567A'));
});

test('an operator key encrypts; a rotated-out key still reads and finds older rows', () => {
  const old = Buffer.alloc(32, 1).toString('base64');
  const current = Buffer.alloc(32, 2).toString('base64');
  const before = fieldCipherFromConfig({ fieldEncryption: { key: old, keyId: 'old', previousKeys: undefined }, dataDir: '/nonexistent' });
  const envelope = before.encrypt('f', '91234567A');
  const after = fieldCipherFromConfig({ fieldEncryption: { key: current, keyId: 'new', previousKeys: `old:${old}` }, dataDir: '/nonexistent' });
  assert.equal(after.decrypt('f', envelope), '91234567A');
  assert.match(after.encrypt('f', 'x'), /^v1\.new\./);
  assert.ok(after.indexes('f', '91234567A').includes(before.index('f', '91234567A')));
});

test('a key that is not 32 bytes is a configuration error naming the variable', () => {
  assert.throws(() => fieldCipherFromConfig({ fieldEncryption: { key: 'c2hvcnQ=', keyId: 'k1', previousKeys: undefined }, dataDir: '/x' }), (err) => err instanceof ConfigError && /FIELD_ENCRYPTION_KEY/.test(err.message));
  assert.throws(() => fieldCipherFromConfig({ fieldEncryption: { key: Buffer.alloc(32).toString('base64'), keyId: 'k1', previousKeys: 'nocolon' }, dataDir: '/x' }), /FIELD_ENCRYPTION_PREVIOUS_KEYS/);
});
