// One field cipher for the whole test process, with a random key: use cases called directly and the app under
// test (createTestApp) encrypt and find members with the same keys.
import { randomBytes } from 'node:crypto';
import { createFieldCipher, deriveFieldKeys, type FieldCipher } from './field-crypto.ts';

let cipher: FieldCipher | undefined;

export function testFieldCipher(): FieldCipher {
  cipher ??= createFieldCipher(deriveFieldKeys(randomBytes(32), 'test'));
  return cipher;
}
