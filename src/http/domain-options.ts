// What buildApp hands every domain plugin.
import type { Db } from '../db/client.ts';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';

export interface DomainOptions {
  db: Db;
  /** Uploaded documents (never served from a public path). */
  storage: DocumentStorage;
  /** The address people use (links in email, QR codes); undefined outside production: taken from the request. */
  publicUrl: string | undefined;
  /** Encrypts and finds members' CIN and birth date (src/lib/field-keys.ts). */
  fieldCipher: FieldCipher;
  /** Where "is this member eligible on D?" is answered (the recorded periods; a 270/271 exchange could be another). */
  eligibility: EligibilityChecker;
}
