// What buildApp hands every domain plugin.
import type { Db } from '../db/client.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';

export interface DomainOptions {
  db: Db;
  /** Uploaded documents (never served from a public path). */
  storage: DocumentStorage;
  /** The address people use (links in email, QR codes); undefined outside production: taken from the request. */
  publicUrl: string | undefined;
}
