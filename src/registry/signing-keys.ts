// The Ed25519 key that signs verification receipts, and the public keys anyone may check them with. An operator
// can supply the key (REGISTRY_SIGNING_KEY, PKCS#8 PEM) so the private half never enters the database; otherwise
// the first use generates one and keeps it there. Every key ever used is published (as a JWK set) until the end.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { desc, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { registrySigningKeys } from './registry.schema.ts';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  /** When it started signing; a retired key's last day of signing follows. */
  createdAt: string;
  retiredAt: string | null;
}

/** The raw public key (base64url) and its id, the first 16 hex digits of the public key's SHA-256. */
function describePublicKey(publicKey: KeyObject): { x: string; kid: string } {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('The registry signing key must be an Ed25519 key.');
  return { x: jwk.x, kid: createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex').slice(0, 16) };
}

/** The key to sign with: the operator's (recorded, public half only, so it stays published) or the newest kept one. */
export async function loadSigningKey(db: Db, operatorPem: string | undefined): Promise<SigningKey> {
  if (operatorPem) {
    const privateKey = createPrivateKey(operatorPem);
    const { x, kid } = describePublicKey(createPublicKey(privateKey));
    await db.insert(registrySigningKeys).values({ kid, publicKey: x, privateKey: null }).onConflictDoNothing();
    return { kid, privateKey };
  }
  const [kept] = await db.select().from(registrySigningKeys).where(isNull(registrySigningKeys.retiredAt)).orderBy(desc(registrySigningKeys.createdAt)).limit(1);
  if (kept?.privateKey) return { kid: kept.kid, privateKey: createPrivateKey({ key: Buffer.from(kept.privateKey, 'base64'), format: 'der', type: 'pkcs8' }) };
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { x, kid } = describePublicKey(publicKey);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  await db.insert(registrySigningKeys).values({ kid, publicKey: x, privateKey: der }).onConflictDoNothing();
  return { kid, privateKey };
}

export async function publishedKeys(db: Db): Promise<PublicJwk[]> {
  const rows = await db.select().from(registrySigningKeys).orderBy(desc(registrySigningKeys.createdAt));
  return rows.map((r) => ({ kty: 'OKP', crv: 'Ed25519', x: r.publicKey, kid: r.kid, alg: 'EdDSA', use: 'sig', createdAt: r.createdAt.toISOString(), retiredAt: r.retiredAt?.toISOString() ?? null }));
}

/** A published key as a KeyObject, for checking a signature. */
export function publicKeyOf(jwk: Pick<PublicJwk, 'x'>): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
}
