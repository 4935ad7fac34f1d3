// Where uploaded documents live. Only use cases read them back (after an access check); no route serves the
// storage directory. The local-directory store is the default; an S3-compatible store can implement the same
// interface.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DocumentStorage {
  /** Store the bytes and return the key to read them back with. */
  put(bytes: Buffer): Promise<string>;
  get(key: string): Promise<Buffer>;
}

const KEY = /^[0-9a-f-]{36}$/;

/** Files named by a random UUID in one directory, readable by this user only. */
export function localDirectoryStorage(root: string): DocumentStorage {
  let ready: Promise<unknown> | undefined;
  return {
    async put(bytes) {
      ready ??= mkdir(root, { recursive: true, mode: 0o700 });
      await ready;
      const key = randomUUID();
      await writeFile(path.join(root, key), bytes, { mode: 0o600, flag: 'wx' });
      return key;
    },
    async get(key) {
      // Keys are ours, but never let one name a path outside the directory.
      if (!KEY.test(key)) throw new Error(`not a storage key: ${key}`);
      return readFile(path.join(root, key));
    },
  };
}

/** The installation's document store: `documents/` beside the embedded database (also with PostgreSQL). */
export function documentStorageFor(dataDir: string): DocumentStorage {
  return localDirectoryStorage(path.join(dataDir, 'documents'));
}
