// A verification receipt is evidence in someone's audit file: it must check offline with nothing but the published
// key, and fail when any byte of its facts changes or another key signed it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { checkReceipt, issueReceipt, type Receipt } from './receipts.ts';
import { loadSigningKey, publishedKeys } from './signing-keys.ts';
import { verifyNumbersOn } from './verification.ts';

let database: TestDatabase;
let receipt: Receipt;

before(async () => {
  database = await createTestDatabase();
  await certifyPeer(database.db, { first: 'Lucía', last: 'Ramírez', number: 'PSS-600001', issuedOn: '2025-03-01', expiresOn: '2027-03-01' });
  const [facts] = await verifyNumbersOn(database.db, [{ number: 'pss-600001', asOf: '2026-01-15' }]);
  receipt = issueReceipt(await loadSigningKey(database.db, undefined), facts!, 'https://registry.example.org', new Date('2026-02-01T10:00:00Z'));
});
after(() => database.close());

/** What a stranger does with only the receipt and the published JWK: no code of ours, just the standard. */
async function checkOffline(r: unknown): Promise<boolean> {
  const { receipt: facts, signature } = r as { receipt: { kid: string }; signature: string };
  const jwk = (await publishedKeys(database.db)).find((k) => k.kid === facts.kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  return verify(null, Buffer.from(canonicalize(facts)!, 'utf8'), key, Buffer.from(signature, 'base64url'));
}

describe('verification receipts', () => {
  test('carry the facts of the day asked about', () => {
    assert.deepEqual(
      { ...receipt.receipt, kid: undefined },
      {
        type: 'medi-cal-pss.certification-verification',
        version: 1,
        issuer: 'https://registry.example.org',
        number: 'PSS-600001',
        name: 'Lucía Ramírez',
        asOf: '2026-01-15',
        status: 'active',
        certified: true,
        term: { issuedOn: '2025-03-01', validThrough: '2027-02-28' },
        issuedAt: '2026-02-01T10:00:00.000Z',
        kid: undefined,
      },
    );
  });

  test('check offline with the published key, and with the registry', async () => {
    assert.equal(await checkOffline(receipt), true);
    assert.deepEqual(await checkReceipt(database.db, JSON.parse(JSON.stringify(receipt))), { valid: true, kid: receipt.receipt.kid });
  });

  test('fail when any single character of the facts changes', async () => {
    const text = canonicalize(receipt.receipt)!;
    // Every position of the signed text, changed one at a time where the result is still JSON.
    let tried = 0;
    for (let i = 0; i < text.length; i++) {
      const changed = text.slice(0, i) + (text[i] === 'x' ? 'y' : 'x') + text.slice(i + 1);
      let facts: unknown;
      try {
        facts = JSON.parse(changed);
      } catch {
        continue;
      }
      tried++;
      const forged = { ...receipt, receipt: facts };
      assert.equal(await checkOffline(forged), false, `changed at ${i}: ${changed.slice(Math.max(0, i - 10), i + 10)}`);
      assert.equal((await checkReceipt(database.db, forged)).valid, false);
    }
    assert.ok(tried > 50, `${tried} variants tried`);
  });

  test('fail when the date, status or name is edited to something plausible', async () => {
    for (const edit of [{ asOf: '2024-01-15' }, { status: 'revoked', certified: false }, { name: 'Someone Else' }]) {
      const forged = { ...receipt, receipt: { ...receipt.receipt, ...edit } };
      assert.equal(await checkOffline(forged), false);
      const check = await checkReceipt(database.db, forged);
      assert.equal(check.valid, false);
      assert.match((check as { reason: string }).reason, /changed after it was issued/);
    }
  });

  test('fail when signed by a key this registry never published', async () => {
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const forged = issueReceipt({ kid: receipt.receipt.kid, privateKey: stranger }, { ...receipt.receipt, status: 'active', certified: true, term: null }, 'https://registry.example.org');
    assert.equal((await checkReceipt(database.db, forged)).valid, false);
    const unknownKid = issueReceipt({ kid: 'ffffffffffffffff', privateKey: stranger }, { ...receipt.receipt, term: null }, 'x');
    const check = await checkReceipt(database.db, unknownKid);
    assert.equal(check.valid, false);
    assert.match((check as { reason: string }).reason, /never published/);
  });

  test('something that is not a receipt is answered, not thrown', async () => {
    for (const body of [null, 'text', { receipt: {} }, { receipt: receipt.receipt, alg: 'RS256', signature: receipt.signature }]) {
      assert.equal((await checkReceipt(database.db, body)).valid, false);
    }
  });

  test('the signing key is made once and kept: a second load signs with the same key', async () => {
    const again = await loadSigningKey(database.db, undefined);
    assert.equal(again.kid, receipt.receipt.kid);
    assert.equal((await publishedKeys(database.db)).length, 1);
  });

  test("an operator's key is used and published without its private half", async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const operator = await loadSigningKey(database.db, pem);
    assert.notEqual(operator.kid, receipt.receipt.kid);
    const keys = await publishedKeys(database.db);
    assert.deepEqual(keys.map((k) => k.kid).sort(), [operator.kid, receipt.receipt.kid].sort(), 'the old key stays published for old receipts');
    const [facts] = await verifyNumbersOn(database.db, [{ number: 'PSS-600001', asOf: '2026-01-15' }]);
    assert.equal(await checkOffline(issueReceipt(operator, facts!, 'https://registry.example.org')), true);
  });
});
