// Verification receipts: the facts of a verification, when it was issued and by whom, signed with Ed25519 over the
// facts' RFC 8785 canonical JSON. Anyone can check one offline with the published public key (see docs); a changed
// byte anywhere in the facts, or a signature by another key, fails the check.
import { sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { CERTIFICATION_STATUSES } from '../certification/vocabulary.ts';
import { IsoDate } from '../lib/dates.ts';
import { publicKeyOf, publishedKeys, type SigningKey } from './signing-keys.ts';
import type { VerificationFacts } from './verification.ts';

export const RECEIPT_TYPE = 'medi-cal-pss.certification-verification';

export const ReceiptFacts = z
  .object({
    type: z.literal(RECEIPT_TYPE),
    version: z.literal(1),
    issuer: z.string().max(200),
    number: z.string().max(40),
    name: z.string().max(400),
    asOf: IsoDate,
    status: z.enum([...CERTIFICATION_STATUSES, 'not_issued']),
    certified: z.boolean(),
    term: z.object({ issuedOn: IsoDate, validThrough: IsoDate }).strict().nullable(),
    issuedAt: z.string().datetime(),
    kid: z.string().max(64),
  })
  .strict();
export type ReceiptFacts = z.infer<typeof ReceiptFacts>;

export const Receipt = z.object({ receipt: ReceiptFacts, alg: z.literal('Ed25519'), signature: z.string().max(200) }).strict();
export type Receipt = z.infer<typeof Receipt>;

/** The exact bytes that are signed: the facts as RFC 8785 canonical JSON, UTF-8. */
export function signedBytes(facts: unknown): Buffer {
  const text = canonicalize(facts);
  if (text === undefined) throw new Error('receipt facts cannot be canonicalized');
  return Buffer.from(text, 'utf8');
}

export function issueReceipt(key: SigningKey, facts: VerificationFacts, issuer: string, now: Date = new Date()): Receipt {
  const receipt: ReceiptFacts = { type: RECEIPT_TYPE, version: 1, issuer, ...facts, issuedAt: now.toISOString(), kid: key.kid };
  return { receipt, alg: 'Ed25519', signature: sign(null, signedBytes(receipt), key.privateKey).toString('base64url') };
}

export type ReceiptCheck = { valid: true; kid: string } | { valid: false; reason: string };

/** Check a receipt against the keys this registry has published. `body` is whatever was sent: nothing is trusted. */
export async function checkReceipt(db: Db, body: unknown): Promise<ReceiptCheck> {
  // The signature covers the facts exactly as sent, so they are checked before (and whatever) the shape says.
  const raw = body as { receipt?: unknown; signature?: unknown; alg?: unknown } | null;
  if (!raw || typeof raw !== 'object' || typeof raw.signature !== 'string' || raw.alg !== 'Ed25519' || !raw.receipt || typeof raw.receipt !== 'object') {
    return { valid: false, reason: 'Not a receipt: it needs "receipt", "alg": "Ed25519" and "signature".' };
  }
  const kid = (raw.receipt as { kid?: unknown }).kid;
  const key = (await publishedKeys(db)).find((k) => k.kid === kid);
  if (!key) return { valid: false, reason: 'The receipt names a key this registry never published.' };
  const signature = Buffer.from(raw.signature, 'base64url');
  if (signature.length !== 64 || !verify(null, signedBytes(raw.receipt), publicKeyOf(key), signature)) {
    return { valid: false, reason: 'The signature does not match the receipt: it was changed after it was issued, or not issued here.' };
  }
  if (!ReceiptFacts.safeParse(raw.receipt).success) return { valid: false, reason: 'The receipt is signed but is not one this registry issues.' };
  return { valid: true, kid: key.kid };
}
