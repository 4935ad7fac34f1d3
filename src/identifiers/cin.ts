// Medi-Cal Client Index Number (STANDARDS.md §1.2): nine characters — 9, seven digits, a letter. Some letters are
// never issued as the last one (LA DMH bulletin 12-041); that is a warning, not a refusal, because the source is a
// county bulletin, not the State's specification.

export const CIN_PATTERN = /^9\d{7}[A-Z]$/;
const NEVER_LAST = new Set(['B', 'I', 'J', 'K', 'L', 'O', 'P', 'Q', 'R', 'S']);

/** The CIN as it is stored and matched: trimmed, upper case, without spaces or dashes. */
export function normalizeCin(text: string): string {
  return text.replace(/[\s-]/g, '').toUpperCase();
}

export interface CinCheck {
  cin: string;
  /** Null when the format is right. */
  problem: string | null;
  warning: string | null;
}

export function checkCin(text: string): CinCheck {
  const cin = normalizeCin(text);
  if (!CIN_PATTERN.test(cin)) return { cin, problem: 'A CIN is 9 characters: the digit 9, seven digits, then a letter (like 91234567A).', warning: null };
  const last = cin.charAt(8);
  return { cin, problem: null, warning: NEVER_LAST.has(last) ? `CINs are not known to end in ${last}; check the member’s card.` : null };
}
