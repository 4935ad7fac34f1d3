// How a webhook delivery is signed, and how a receiver checks it: HMAC-SHA256 with the endpoint's secret over
// "<timestamp>.<body>", sent as `X-PSS-Signature: v1=<hex>` beside `X-PSS-Timestamp` (Unix seconds).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The secret given to a receiver: 32 random bytes, base64url, with a prefix that says what it is. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `v1=` and the hex HMAC-SHA256 of `${timestamp}.${body}` under the secret. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (and what the tests do): recompute the signature over the raw body with its secret, compare
 * in constant time, and refuse timestamps more than `toleranceSeconds` from its clock (a replayed old delivery).
 */
export function verifySignature(input: { secret: string; timestamp: string; body: string; signature: string; nowSeconds?: number; toleranceSeconds?: number }): boolean {
  const timestamp = Number(input.timestamp);
  if (!/^\d+$/.test(input.timestamp) || !Number.isSafeInteger(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signatureHeader(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
