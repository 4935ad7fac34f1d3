// Comparing a roster's last name with the one on record: rosters are typed by hand, so case, accents and the
// hyphen or space between the parts of a compound name ("García-López", "Garcia Lopez") must not matter.

/** The name reduced to what the comparison looks at: lower case, no accents, no spaces or dashes. */
export function comparableName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-\u2010-\u2015]+/g, '');
}

export function sameLastName(a: string, b: string): boolean {
  const left = comparableName(a);
  return left !== '' && left === comparableName(b);
}
