// Tables of the registry: the Ed25519 keys that sign verification receipts. Every key ever used stays published
// (a receipt signed years ago must still check), so keys are retired, never deleted.
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const registrySigningKeys = pgTable('registry_signing_keys', {
  /** Key id, carried in every receipt: the first 16 hex digits of the public key's SHA-256. */
  kid: text('kid').primaryKey(),
  /** The raw 32-byte Ed25519 public key, base64url (the `x` of its JWK). */
  publicKey: text('public_key').notNull(),
  /** PKCS#8 DER, base64; null for a key supplied by the operator (REGISTRY_SIGNING_KEY), which never enters the database. */
  privateKey: text('private_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** After this no receipt is signed with it; it stays published for checking old receipts. */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
