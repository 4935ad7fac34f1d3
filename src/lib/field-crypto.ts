// Field-level encryption for protected health information (a member's CIN and date of birth): AES-256-GCM with a
// random 96-bit nonce, the field's name bound in as associated data (a CIN's ciphertext cannot be passed off as a
// birth date), and a keyed blind index (HMAC-SHA256) so an exact CIN can be found without decrypting every row.
// Both keys come from one 32-byte master key through HKDF; the envelope names the key it was made with, so keys
// can be rotated with old rows still readable.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

export interface FieldKeys {
  kid: string;
  encryption: Buffer;
  index: Buffer;
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function hkdf(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

/** The encryption and index keys of a master key; `kid` names it in every envelope it makes. */
export function deriveFieldKeys(master: Buffer, kid: string): FieldKeys {
  if (master.length !== 32) throw new Error('The field encryption key must be 32 bytes (44 characters of base64).');
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(kid)) throw new Error('A key id is 1–16 letters, digits, - or _.');
  return { kid, encryption: hkdf(master, 'pss field encryption v1'), index: hkdf(master, 'pss blind index v1') };
}

/** A master key written as base64 (FIELD_ENCRYPTION_KEY), or a clear error. */
export function parseMasterKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error('FIELD_ENCRYPTION_KEY must be 32 random bytes written as base64 (openssl rand -base64 32).');
  return key;
}

/** "v1.<kid>.<nonce>.<ciphertext+tag>", base64url parts. */
export function encryptField(keys: FieldKeys, plaintext: string, field: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce);
  cipher.setAAD(Buffer.from(field));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, keys.kid, nonce.toString('base64url'), body.toString('base64url')].join('.');
}

/** The plaintext of an envelope made for this field by one of the keys; throws when it was altered. */
export function decryptField(keyring: ReadonlyMap<string, FieldKeys>, envelope: string, field: string): string {
  const [version, kid, nonceText, bodyText, ...rest] = envelope.split('.');
  if (version !== VERSION || !kid || !nonceText || !bodyText || rest.length > 0) throw new Error('Not an encrypted field.');
  const keys = keyring.get(kid);
  if (!keys) throw new Error(`The field was encrypted with key "${kid}", which is not configured.`);
  const body = Buffer.from(bodyText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(nonceText, 'base64url'));
  decipher.setAAD(Buffer.from(field));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** The keyed blind index of a (normalized) value for a field: equal values give equal indexes under one key. */
export function blindIndex(keys: FieldKeys, value: string, field: string): string {
  return createHmac('sha256', keys.index).update(field).update('\0').update(value).digest('hex');
}

/**
 * The embedded default's key: a file of 32 random bytes (base64) created on first use, readable by this user only.
 * A file others can read is refused rather than used.
 */
export function loadOrCreateKeyFile(path: string): Buffer {
  if (!existsSync(path)) {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`The field encryption key file ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it.`);
  }
  return parseMasterKey(readFileSync(path, 'utf8'));
}

/**
 * What use cases hold: encrypt with the current key, decrypt with any configured one, and the blind indexes of a
 * value under every configured key (a lookup matches rows indexed before a rotation too).
 */
export interface FieldCipher {
  encrypt(field: string, plaintext: string): string;
  decrypt(field: string, envelope: string): string;
  /** The index under the current key (stored with a new row). */
  index(field: string, value: string): string;
  /** The indexes under every configured key (for lookups). */
  indexes(field: string, value: string): string[];
}

export function createFieldCipher(current: FieldKeys, previous: readonly FieldKeys[] = []): FieldCipher {
  const keyring = new Map([current, ...previous].map((k) => [k.kid, k]));
  return {
    encrypt: (field, plaintext) => encryptField(current, plaintext, field),
    decrypt: (field, envelope) => decryptField(keyring, envelope, field),
    index: (field, value) => blindIndex(current, value, field),
    indexes: (field, value) => [...keyring.values()].map((k) => blindIndex(k, value, field)),
  };
}
