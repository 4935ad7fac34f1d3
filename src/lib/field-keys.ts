// Which keys encrypt members' PHI: the operator's FIELD_ENCRYPTION_KEY (and rotated-out keys still needed to read
// older rows), or — for the embedded default — a key file beside the database, created on first use with mode 0600.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config.ts';
import { createFieldCipher, deriveFieldKeys, loadOrCreateKeyFile, parseMasterKey, type FieldCipher, type FieldKeys } from './field-crypto.ts';

export const KEY_FILE_NAME = 'field-encryption.key';
const LOCAL_KEY_ID = 'local';

function previousKeys(text: string | undefined): FieldKeys[] {
  if (!text) return [];
  return text.split(',').map((entry) => {
    const [kid, key] = entry.split(':');
    if (!kid || !key) throw new ConfigError('Invalid configuration:\n  FIELD_ENCRYPTION_PREVIOUS_KEYS: write each as kid:base64, separated by commas');
    return deriveFieldKeys(parseMasterKey(key), kid.trim());
  });
}

/** The cipher the platform uses, from configuration; a bad key is a ConfigError naming the variable. */
export function fieldCipherFromConfig(config: Pick<Config, 'fieldEncryption' | 'dataDir'>): FieldCipher {
  const { key, keyId, previousKeys: previous } = config.fieldEncryption;
  try {
    const older = previousKeys(previous);
    if (key) return createFieldCipher(deriveFieldKeys(parseMasterKey(key), keyId), older);
    // The key file is made when a member's record is first written or read, not by every start of the app.
    return lazyCipher(() => {
      mkdirSync(config.dataDir, { recursive: true });
      return createFieldCipher(deriveFieldKeys(loadOrCreateKeyFile(path.join(config.dataDir, KEY_FILE_NAME)), LOCAL_KEY_ID), older);
    });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`Invalid configuration:\n  FIELD_ENCRYPTION_KEY: ${(err as Error).message}`);
  }
}

function lazyCipher(load: () => FieldCipher): FieldCipher {
  let cipher: FieldCipher | undefined;
  const get = () => (cipher ??= load());
  return {
    encrypt: (field, plaintext) => get().encrypt(field, plaintext),
    decrypt: (field, envelope) => get().decrypt(field, envelope),
    index: (field, value) => get().index(field, value),
    indexes: (field, value) => get().indexes(field, value),
  };
}
