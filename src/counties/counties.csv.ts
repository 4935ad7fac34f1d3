// CSV export of participation as of a date: one row per county, all 58, so absences are explicit.
import { stringify } from 'csv-stringify/sync';
import type { ParticipationList } from './counties.service.ts';

export function participationCsv(list: ParticipationList): string {
  return stringify(
    list.counties.map((c) => ({
      as_of: list.asOf,
      fips: c.fips,
      county: c.name,
      plan: c.plan.name,
      SMHS: c.deliverySystems.includes('SMHS') ? 'yes' : 'no',
      DMC: c.deliverySystems.includes('DMC') ? 'yes' : 'no',
      DMC_ODS: c.deliverySystems.includes('DMC_ODS') ? 'yes' : 'no',
      delivery_systems: c.deliverySystems.join(' '),
    })),
    { header: true, columns: ['as_of', 'fips', 'county', 'plan', 'SMHS', 'DMC', 'DMC_ODS', 'delivery_systems'] },
  );
}
