// "County administrator (in Alameda County)": how a role and its scope read on every page.
import { isRole } from '../access/roles.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import type { Translate } from '../web/i18n.ts';

const COUNTY_NAMES: ReadonlyMap<string, string> = new Map(CALIFORNIA_COUNTIES.map((c) => [c.fips, c.name]));

export function roleLabel(t: Translate, grant: { role: string; countyFips: string | null }): string {
  const role = isRole(grant.role) ? t(`roles.${grant.role}`) : grant.role;
  const scope = grant.countyFips ? t('auth.inCounty', { county: COUNTY_NAMES.get(grant.countyFips) ?? grant.countyFips }) : t('auth.statewide');
  return `${role} (${scope})`;
}
