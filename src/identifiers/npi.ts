// National Provider Identifier (STANDARDS.md §1.1): ten digits, the last a Luhn check digit computed over the
// card-issuer form "80840" + the first nine. The check proves only that the number is well formed; whether it is a
// person's (type 1) or an organization's (type 2) NPI is NPPES's to say.

/** The check digit for the first nine digits of an NPI. */
export function npiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new Error('An NPI check digit is computed over exactly nine digits.');
  // Luhn over "80840" + first9 + (check digit): double every second digit from the right, starting with the last of
  // the fifteen given digits (the check digit's neighbour).
  const digits = `80840${first9}`;
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the text is ten digits with a valid check digit. */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

/** Why an NPI is not acceptable, or null. */
export function npiProblem(npi: string): string | null {
  if (!/^\d{10}$/.test(npi)) return 'An NPI is 10 digits.';
  return isValidNpi(npi) ? null : 'This NPI’s check digit is wrong: check for a mistyped digit.';
}
