// Passwords per NIST SP 800-63B §5.1.1.2: at least 8 characters (we ask 12), up to 128, any characters, no
// composition rules, checked against a list of common and breached passwords, hashed with argon2id.
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** ~49,000 passwords seen most often in breaches (zxcvbn-ts's list, shipped as a dependency). */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary.passwords.map((p: string) => p.toLowerCase()));

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/** Every reason the password is refused; empty when it is acceptable. Length counts characters, not bytes. */
export function passwordProblems(password: string, context: { email?: string } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) problems.push('too_short');
  if (length > MAX_PASSWORD_LENGTH) problems.push('too_long');
  const lower = password.toLowerCase();
  // A common password with something stuck on ("password1", "qwerty2024!") is still a guessable one.
  const core = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON_PASSWORDS.has(lower) || (core.length >= 4 && COMMON_PASSWORDS.has(core))) problems.push('common');
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) problems.push('contains_email');
  return problems;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false; // a malformed hash is a failed check, not a crash
  }
}

/** A hash to verify against when the account does not exist, so both paths take the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash('decoy password that matches nothing');
  return decoy;
}
