// Password rules: NIST 800-63B length and common-password checks, no composition rules; argon2id hashes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, passwordProblems, verifyPassword } from './password.ts';

describe('password rules', () => {
  test('a long passphrase of plain words is fine: no composition rules', () => {
    assert.deepEqual(passwordProblems('correct horse battery staple'), []);
    assert.deepEqual(passwordProblems('todas las mañanas camino al río'), []);
  });

  test('too short, counted in characters not bytes', () => {
    assert.deepEqual(passwordProblems('short pass'), ['too_short']);
    assert.deepEqual(passwordProblems('ñññññññññññ'), ['too_short'], '11 characters, 22 bytes');
    assert.deepEqual(passwordProblems('x'.repeat(129)), ['too_long']);
  });

  test('common and breached passwords are refused, also with digits or symbols stuck on', () => {
    assert.ok(passwordProblems('passwordpassword').includes('common') || passwordProblems('password1234').includes('common'));
    assert.ok(passwordProblems('password1234').includes('common'));
    assert.ok(passwordProblems('iloveyou2024!!').includes('common'));
    assert.ok(passwordProblems('QWERTYUIOP123').includes('common'));
  });

  test('a password containing the account name is refused', () => {
    assert.deepEqual(passwordProblems('maria.lopez is my name', { email: 'Maria.Lopez@example.org' }), ['contains_email']);
  });
});

describe('hashing', () => {
  test('argon2id hashes verify the right password only', async () => {
    const hashed = await hashPassword('correct horse battery staple');
    assert.match(hashed, /^\$argon2id\$/);
    assert.equal(await verifyPassword(hashed, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(hashed, 'correct horse battery stapler'), false);
    assert.equal(await verifyPassword('not a hash', 'x'), false);
  });
});
