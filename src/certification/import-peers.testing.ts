// Fixtures for the certified-peer import: a predecessor system's CSV, written the way a spreadsheet exports it.
import { stringify } from 'csv-stringify/sync';
import { PEER_IMPORT_COLUMNS, type PeerImportColumn } from './import-peers.parse.ts';

export type CsvRow = Partial<Record<PeerImportColumn, string>>;

/** The import date the use-case stories run on. */
export const IMPORT_DAY = '2027-03-01';

export function peerCsv(rows: readonly CsvRow[], columns: readonly string[] = PEER_IMPORT_COLUMNS): string {
  return stringify([columns, ...rows.map((r) => columns.map((c) => r[c as PeerImportColumn] ?? ''))]);
}

/**
 * Five certified peers as of 2027-03-01, one per status the file can carry; `base` makes the numbers and emails
 * unique per story (PSS-<base+1> …).
 */
export function certifiedPeers(base: number): CsvRow[] {
  const n = (i: number) => `PSS-${base + i}`;
  const common = { pathway: 'initial' };
  return [
    {
      ...common,
      certification_number: n(1),
      legal_first_name: 'Ana',
      legal_middle_name: 'María',
      legal_last_name: 'López',
      email: `ana.${base}@example.org`,
      date_of_birth: '1985-03-04',
      county_fips: '06037',
      first_issued_on: '2022-11-20',
      issued_on: '2026-11-20',
      expires_on: '2028-11-20',
      status: 'active',
      specializations: 'crisis_care@2023-04-01; unhoused',
    },
    {
      certification_number: n(2),
      legal_first_name: 'Ben',
      legal_last_name: 'Okafor',
      pathway: 'grandparenting',
      first_issued_on: '2024-09-15',
      issued_on: '2024-09-15',
      expires_on: '2026-09-15',
      status: 'expired',
      status_effective_on: '2026-09-15',
    },
    {
      certification_number: n(3),
      legal_first_name: 'Chen',
      legal_last_name: 'Wei',
      email: `chen.${base}@example.org`,
      pathway: 'reciprocity',
      first_issued_on: '2025-09-01',
      issued_on: '2025-09-01',
      expires_on: '2027-09-01',
      status: 'suspended',
      status_effective_on: '2027-01-10',
    },
    {
      ...common,
      certification_number: n(4),
      legal_first_name: 'Dana',
      legal_last_name: 'Reyes',
      county_fips: '6001', // as a spreadsheet leaves 06001
      first_issued_on: '2023-01-10',
      issued_on: '2023-01-10',
      expires_on: '2025-01-10',
      status: 'revoked',
      status_effective_on: '2024-06-30',
    },
    {
      ...common,
      certification_number: n(5),
      legal_first_name: 'Eli',
      legal_last_name: 'Brooks',
      first_issued_on: '2023-06-01',
      issued_on: '2025-06-01',
      expires_on: '2027-06-01',
      status: 'active',
      specializations: 'justice_involved@2024-02-02',
    },
  ];
}
