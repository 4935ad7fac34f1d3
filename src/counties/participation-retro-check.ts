// A county recorded as no longer taking part in a delivery system from a past date: the services documented in
// that county and system on or after it, on dates it now does not take part, are flagged (src/encounters/retro-check.ts).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { encounters } from '../encounters/encounters.schema.ts';
import { flagAffectedEncounters } from '../encounters/retro-check.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';
import { participationChanges } from './counties.schema.ts';

export async function flagServicesAfterParticipationEnded(tx: Db, change: { fips: string; countyName: string; deliverySystem: string; effectiveOn: string }, today = todayInCalifornia()): Promise<number> {
  if (change.effectiveOn >= today) return 0;
  return flagAffectedEncounters(tx, {
    cause: 'participation',
    code: 'retro.participation',
    reason: `On ${today} ${change.countyName} was recorded as not taking part in ${change.deliverySystem} from ${change.effectiveOn}. Services in ${change.deliverySystem} on or after that date were documented while it was on record as taking part.`,
    affected: sql`${encounters.deliverySystem} = ${change.deliverySystem} and ${encounters.serviceDate} >= ${change.effectiveOn}
      and ${encounters.organizationId} in (select id from ${providerOrganizations} where county_fips = ${change.fips})
      and not coalesce((select pc.participating from ${participationChanges} pc
        where pc.county_fips = ${change.fips} and pc.delivery_system = ${change.deliverySystem} and pc.effective_on <= ${encounters.serviceDate}
        order by pc.effective_on desc, pc.recorded_at desc limit 1), false)`,
  });
}
