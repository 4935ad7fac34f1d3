// "Was this certification active on this date?" for one number or ten thousand rows, in one SQL statement by the
// same rule as the registry page (statusOnSql). Rows named by a person's name are matched exactly — same words,
// any order, accents and case ignored, the middle name optional — because a verification must be certain: a
// name that fits nobody or several people says so instead of guessing.
import { sql } from 'drizzle-orm';
import { fullLegalName } from '../certification/certificate-data.ts';
import { statusOnSql } from '../certification/certification-status.ts';
import type { CertificationStatus } from '../certification/vocabulary.ts';
import { queryRows, type Db } from '../db/client.ts';
import { foldSearchName } from '../lib/search-name.ts';

export interface VerificationFacts {
  number: string;
  name: string;
  asOf: string;
  /** The status on `asOf`; `not_issued` before the first issue date. */
  status: CertificationStatus | 'not_issued';
  certified: boolean;
  /** The term covering `asOf`, with its last day; null when none did. */
  term: { issuedOn: string; validThrough: string } | null;
}

interface NumberOnDate {
  number: string;
  asOf: string;
}

/** Facts for each (number, date), in input order; undefined where no certification has that number. */
export async function verifyNumbersOn(db: Db, items: readonly NumberOnDate[]): Promise<Array<VerificationFacts | undefined>> {
  if (items.length === 0) return [];
  const input = JSON.stringify(items.map((item, idx) => ({ idx, number: item.number.trim().toUpperCase(), as_of: item.asOf })));
  const rows = await queryRows<{ idx: number; number: string; first: string; middle: string | null; last: string; status: CertificationStatus | null; term_from: string | null; term_through: string | null; as_of: string }>(
    db,
    sql`
      select i.idx, c.number, p.legal_first_name as first, p.legal_middle_name as middle, p.legal_last_name as last, i.as_of::text,
             ${statusOnSql(sql`c.id`, sql`i.as_of`)} as status, term.issued_on::text as term_from, (term.expires_on - 1)::text as term_through
      from jsonb_to_recordset(${input}::jsonb) as i(idx int, number text, as_of date)
      join certifications c on c.number = i.number
      join peers p on p.id = c.peer_id
      left join lateral (
        select y.issued_on, y.expires_on from certification_cycles y
        where y.certification_id = c.id and y.issued_on <= i.as_of and y.expires_on > i.as_of
        order by y.issued_on desc limit 1
      ) term on true`,
  );
  const facts: Array<VerificationFacts | undefined> = new Array(items.length).fill(undefined);
  for (const r of rows) {
    const status = r.status ?? 'not_issued';
    facts[r.idx] = {
      number: r.number,
      name: fullLegalName({ first: r.first, middle: r.middle, last: r.last }),
      asOf: r.as_of,
      status,
      certified: status === 'active',
      term: status === 'active' && r.term_from && r.term_through ? { issuedOn: r.term_from, validThrough: r.term_through } : null,
    };
  }
  return facts;
}

/** A name's words, folded and sorted: "Martínez, Rosa" and "rosa martinez" have the same key. */
export function nameKey(name: string): string {
  return foldSearchName(name).split(' ').filter(Boolean).sort().join(' ');
}

/** A PostgreSQL text[] literal of the values (quotes and backslashes escaped). */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}

export type NameMatch = { number: string } | { problem: 'not_found' | 'ambiguous'; candidates: string[] };

/** The certification numbers of people named exactly so (the middle name optional), one answer per name. */
export async function numbersForNames(db: Db, names: readonly string[]): Promise<NameMatch[]> {
  const keys = names.map(nameKey);
  const asked = [...new Set(keys.filter(Boolean))];
  const byKey = new Map<string, Set<string>>();
  if (asked.length > 0) {
    // Candidates by the database's own key of the name (indexed, migration 0008); the exact comparison is below,
    // with the same key computed here, so the two foldings never have to agree for a match to be right.
    const candidates = await queryRows<{ number: string; first: string; middle: string | null; last: string }>(
      db,
      sql`select c.number, p.legal_first_name as first, p.legal_middle_name as middle, p.legal_last_name as last
          from certifications c join peers p on p.id = c.peer_id
          where pss_name_key(p.search_name) = any(${textArray(asked)}::text[])
             or pss_name_key(pss_fold_name(p.legal_first_name || ' ' || p.legal_last_name)) = any(${textArray(asked)}::text[])`,
    );
    for (const c of candidates) {
      const forms = new Set([nameKey(`${c.first} ${c.last}`), nameKey(fullLegalName(c))]);
      for (const key of forms) byKey.set(key, (byKey.get(key) ?? new Set()).add(c.number));
    }
  }
  return keys.map((key) => {
    const numbers = [...(byKey.get(key) ?? [])].sort();
    if (numbers.length === 1) return { number: numbers[0]! };
    return { problem: numbers.length === 0 ? 'not_found' : 'ambiguous', candidates: numbers };
  });
}
