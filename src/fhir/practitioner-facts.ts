// The public facts a Practitioner resource is built from: the legal name (as the registry shows it), the number,
// the status today, the current term and the credited specializations — read from the certificate's public columns
// only, never email, date of birth, county, applications or fees.
import { sql, type SQL } from 'drizzle-orm';
import { certificationIdByNumber, fullLegalName, getCertificateData } from '../certification/certificate-data.ts';
import { statusOnSql } from '../certification/certification-status.ts';
import { CERTIFICATION_NUMBER } from '../certification/issue-certification.ts';
import type { CertificationStatus } from '../certification/vocabulary.ts';
import { queryRows, type Db } from '../db/client.ts';
import { addDays } from '../lib/dates.ts';
import { foldSearchName } from '../lib/search-name.ts';
import { creditedSpecializations } from '../training/training-credit.ts';
import { nameMatches, nameScore } from '../registry/search-registry.ts';
import { CERTIFICATION_NUMBER_SYSTEM } from './fhir.vocabulary.ts';

export interface PractitionerFacts {
  number: string;
  legalName: { first: string; middle: string | null; last: string };
  fullName: string;
  /** Today's status by the registry's rule (certificationStatusOn); null before the first issue date. */
  status: CertificationStatus | null;
  /** The current term, its first and last day. */
  issuedOn: string;
  validThrough: string;
  specializations: Array<{ specialization: string; completedOn: string }>;
}

/**
 * The facts of one certification number, or undefined when the registry has no such number. The number is the
 * resource id, and FHIR ids are case-sensitive, so only the number as printed (PSS-100001) finds it.
 */
export async function practitionerFacts(db: Db, number: string, today: string): Promise<PractitionerFacts | undefined> {
  const id = CERTIFICATION_NUMBER.test(number) ? await certificationIdByNumber(db, number) : undefined;
  if (!id) return undefined;
  const data = await getCertificateData(db, id, today);
  return {
    number: data.number,
    legalName: data.legalName,
    fullName: data.fullName,
    status: data.status,
    issuedOn: data.issuedOn,
    validThrough: data.validThrough,
    specializations: data.specializations,
  };
}

export interface PractitionerSearch {
  /** A token: with a system (possibly empty, meaning "no system"), only identifiers of that system match. */
  identifier?: { system: string | undefined; value: string };
  /** Any part of the name, forgiving as the registry's search is. */
  name?: string;
  /** The family name (legal last name), forgiving the same way. */
  family?: string;
  page: number;
  pageSize: number;
}

export interface PractitionerMatches {
  total: number;
  facts: PractitionerFacts[];
}

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * The registry's forgiving name match (trigram similarity on the folded name, as searchRegistry does: accents,
 * word order and small misspellings) plus FHIR's own rule for string parameters: a word of the name starts with
 * what was typed.
 */
function forgivingMatch(column: SQL, folded: string): SQL {
  return sql`(${nameMatches(column, folded)} or (' ' || ${column}) like ${`% ${likeEscaped(folded)}%`})`;
}

/**
 * The folded family name: the last characters of the generated search_name. Folding maps each character to one
 * character, so the legal last name's length measures it off exactly.
 */
const foldedFamily = sql`right(p.search_name, length(p.legal_last_name))`;

/**
 * One page of matching certifications, best match first when a name is given, else by name then number. The
 * registry's searchRegistry cannot restrict a match to the family name or match a number exactly, so this query
 * applies its name rule itself; the status comes from statusOnSql, the rule a read uses, so a search entry and a
 * read of the same practitioner always agree.
 */
export async function searchPractitioners(db: Db, search: PractitionerSearch, today: string): Promise<PractitionerMatches> {
  const conditions: SQL[] = [];
  const scores: SQL[] = [];
  if (search.identifier) {
    const { system, value } = search.identifier;
    // Only our system names certification numbers; `system|` alone matches every identifier of that system.
    if (system !== undefined && system !== CERTIFICATION_NUMBER_SYSTEM) conditions.push(sql`false`);
    else if (value.trim() !== '') conditions.push(sql`c.number = ${value.trim().toUpperCase()}`);
  }
  const name = search.name ? foldSearchName(search.name) : '';
  if (name !== '') {
    conditions.push(forgivingMatch(sql`p.search_name`, name));
    scores.push(nameScore(sql`p.search_name`, name));
  }
  const family = search.family ? foldSearchName(search.family) : '';
  if (family !== '') {
    conditions.push(forgivingMatch(foldedFamily, family));
    scores.push(nameScore(foldedFamily, family));
  }
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const byName = sql`p.legal_last_name, p.legal_first_name, c.number`;
  const order = scores.length > 0 ? sql`${sql.join(scores, sql` + `)} desc, ${byName}` : byName;
  const [counted] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from certifications c join peers p on p.id = c.peer_id ${where}`);
  const total = counted?.n ?? 0;
  if (search.pageSize === 0 || total <= (search.page - 1) * search.pageSize) return { total, facts: [] };
  const rows = await queryRows<{
    peer_id: string;
    number: string;
    first: string;
    middle: string | null;
    last: string;
    status: CertificationStatus | null;
    issued_on: string;
    expires_on: string;
  }>(
    db,
    sql`
    select p.id as peer_id, c.number, p.legal_first_name as first, p.legal_middle_name as middle, p.legal_last_name as last,
           ${statusOnSql(sql`c.id`, sql`${today}::date`)} as status, c.issued_on::text, c.expires_on::text
    from certifications c join peers p on p.id = c.peer_id
    ${where}
    order by ${order}
    limit ${search.pageSize} offset ${(search.page - 1) * search.pageSize}`,
  );
  const specializations = await creditedSpecializations(
    db,
    rows.map((r) => r.peer_id),
  );
  return {
    total,
    facts: rows.map((r) => {
      const legalName = { first: r.first, middle: r.middle, last: r.last };
      return {
        number: r.number,
        legalName,
        fullName: fullLegalName(legalName),
        status: r.status,
        issuedOn: r.issued_on,
        validThrough: addDays(r.expires_on, -1),
        specializations: specializations.get(r.peer_id) ?? [],
      };
    }),
  };
}
