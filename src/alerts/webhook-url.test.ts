// Which webhook addresses are accepted, and how a signature is made and checked (pure functions).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../lib/errors.ts';
import { checkWebhookUrl, isNonPublicIpLiteral } from './webhook-url.ts';
import { newWebhookSecret, signatureHeader, verifySignature } from './webhook-signature.ts';
import { splitNumbers } from './watch-list.ts';

const refused = (url: string, production: boolean) => {
  try {
    checkWebhookUrl(url, { production });
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 400);
    return err.message;
  }
  return null;
};

describe('webhook addresses', () => {
  test('production takes https to a public host only', () => {
    assert.equal(checkWebhookUrl(' https://hooks.example.org/pss?x=1 ', { production: true }), 'https://hooks.example.org/pss?x=1');
    assert.match(refused('http://hooks.example.org/pss', true) ?? '', /https/);
    for (const url of ['https://127.0.0.1/', 'https://10.1.2.3/', 'https://172.20.0.1/', 'https://192.168.1.10/', 'https://169.254.169.254/latest/meta-data', 'https://100.64.0.1/', 'https://0.0.0.0/', 'https://[::1]/', 'https://[fe80::1]/', 'https://[fd00::1]/', 'https://[::ffff:127.0.0.1]/', 'https://localhost/']) {
      assert.match(refused(url, true) ?? 'accepted', /private, loopback or link-local/, url);
    }
    assert.equal(refused('https://8.8.8.8/hook', true), null);
    assert.equal(refused('https://[2001:db8::1]/hook', true), null);
  });

  test('outside production http and local addresses are allowed (a receiver on the same machine)', () => {
    assert.equal(refused('http://127.0.0.1:8080/hook', false), null);
    assert.equal(refused('http://localhost/hook', false), null);
  });

  test('never another scheme, credentials in the address, a fragment or no address', () => {
    for (const url of ['ftp://example.org/x', 'javascript:alert(1)', 'https://user:pass@example.org/', 'https://example.org/#x', '', 'not a url']) {
      assert.notEqual(refused(url, false), null, url);
    }
  });

  test('literal addresses are judged; names are not resolved', () => {
    assert.equal(isNonPublicIpLiteral('192.168.0.1'), true);
    assert.equal(isNonPublicIpLiteral('[::ffff:7f00:1]'), true);
    assert.equal(isNonPublicIpLiteral('93.184.216.34'), false);
    assert.equal(isNonPublicIpLiteral('internal.example.org'), false);
  });
});

describe('signatures', () => {
  test('v1 is the hex HMAC-SHA256 of "<timestamp>.<body>"; a receiver checks it and the age', () => {
    const secret = newWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const body = '{"id":"e1"}';
    const signature = signatureHeader(secret, 1_800_000_000, body);
    assert.match(signature, /^v1=[0-9a-f]{64}$/);
    // A fixed vector, computed independently (openssl dgst -sha256 -hmac key of "1.x").
    assert.equal(signatureHeader('key', 1, 'x'), 'v1=fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec');
    assert.equal(verifySignature({ secret, timestamp: '1800000000', body, signature, nowSeconds: 1_800_000_100 }), true);
    assert.equal(verifySignature({ secret, timestamp: '1800000000', body, signature, nowSeconds: 1_800_000_400 }), false, 'too old');
    assert.equal(verifySignature({ secret, timestamp: '1800000001', body, signature, nowSeconds: 1_800_000_000 }), false, 'another timestamp');
    assert.equal(verifySignature({ secret, timestamp: 'abc', body, signature }), false);
    assert.equal(verifySignature({ secret, timestamp: '1800000000', body, signature: 'v1=00', nowSeconds: 1_800_000_000 }), false);
  });
});

describe('pasted numbers', () => {
  test('any separator, quotes, case and repeats', () => {
    assert.deepEqual(splitNumbers('PSS-100001, pss-100002;PSS-100003\n"PSS-100001"\t PSS-100004\r\n'), ['PSS-100001', 'PSS-100002', 'PSS-100003', 'PSS-100004']);
    assert.deepEqual(splitNumbers(['PSS-100001', ' pss-100001 ', '']), ['PSS-100001']);
  });
});
