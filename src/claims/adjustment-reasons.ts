// Plain descriptions of the claim adjustment reason codes (CARC, X12 external code list 139) that peer support
// claims most often meet, by CAS group and reason: for the denials report and the 835 posting. The code list itself
// is maintained by X12; a code not here is shown by its code alone.

/** The common group–reason pairs, as `GROUP-REASON`. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'CO-45': 'Charges exceed the fee schedule or the maximum allowed amount.',
  'CO-16': 'The claim lacks information or has submission or billing errors.',
  'CO-170': 'Payment is denied when the service is performed or billed by this type of provider.',
  'CO-97': 'The service is included in another service already adjudicated (bundled).',
  'PR-1': 'Deductible: the member’s share before the plan pays.',
  'CO-29': 'The time limit for filing has expired.',
  'CO-B7': 'The provider was not certified or eligible to be paid for this service on the date of service.',
};

/** What a CAS group and reason code mean in plain words, or null for a pair not in the list. */
export function describeAdjustment(group: string, reason: string): string | null {
  return DESCRIPTIONS[`${group.trim().toUpperCase()}-${reason.trim().toUpperCase()}`] ?? null;
}
