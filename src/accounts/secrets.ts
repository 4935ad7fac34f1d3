// Random secrets handed to people (session ids, email tokens, API tokens) and the hashes we keep instead.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, URL-safe: enough that guessing is hopeless. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps: a stolen table gives no working session or token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
