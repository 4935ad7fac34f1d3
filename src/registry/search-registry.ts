// Searching the public registry: by name (forgiving — accents, hyphens, name order and small misspellings, through
// trigram similarity on the folded legal name), by certification number, county, specialization and status today;
// paginated and sortable. Only the registry's public facts are read.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { fullLegalName } from '../certification/certificate-data.ts';
import { statusOnSql } from '../certification/certification-status.ts';
import { CERTIFICATION_STATUSES, SPECIALIZATIONS, type CertificationStatus } from '../certification/vocabulary.ts';
import { queryRows, type Db } from '../db/client.ts';
import { addDays } from '../lib/dates.ts';
import { foldSearchName } from '../lib/search-name.ts';
import { completionCredited, creditedSpecializationsSql } from '../training/training-credit.ts';
import { courses, trainingCompletions } from '../training/training.schema.ts';

export const REGISTRY_SORTS = ['relevance', 'name', 'number', 'expires', 'issued'] as const;
export const REGISTRY_PAGE_SIZE = 20;

/** Blank parameters (an empty form field) mean "any". */
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const RegistryQuery = z.object({
  name: optional(z.string().trim().max(100, 'A name of at most 100 characters.')),
  number: optional(z.string().trim().toUpperCase().max(20, 'A certification number looks like PSS-100001.')),
  county: optional(z.string().regex(/^06\d{3}$/, 'A county is its five-digit FIPS code, such as 06001.')),
  specialization: optional(z.enum(SPECIALIZATIONS)),
  status: optional(z.enum(CERTIFICATION_STATUSES)),
  sort: optional(z.enum(REGISTRY_SORTS)),
  page: optional(z.coerce.number().int('A page is a whole number.').min(1, 'Pages start at 1.').max(10_000, 'Pages stop at 10,000.')),
});
export type RegistryQuery = z.infer<typeof RegistryQuery>;

export interface RegistryListing {
  number: string;
  fullName: string;
  /** Today's status: an active certification whose term ran out is expired even before the nightly job records it. */
  status: CertificationStatus;
  firstIssuedOn: string;
  issuedOn: string;
  validThrough: string;
  specializations: Array<{ specialization: string; completedOn: string }>;
}

export interface RegistryPage {
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  sort: (typeof REGISTRY_SORTS)[number];
  rows: RegistryListing[];
}

/** Today's status by the one rule (statusOnSql), so a search row, the entry page and a receipt always agree. */
const statusToday = (today: string) => statusOnSql(sql`c.id`, sql`${today}::date`);

/**
 * The forgiving name match, on pg_trgm's word similarity (<%, threshold 0.6) of folded words: the words typed, as a
 * run, within the name — or else each word typed somewhere in it, so a middle name between does not matter
 * ("Lucia Ramires" finds Lucía Isabel Ramírez). It forgives misspellings, order and half a hyphenated name, and
 * unlike plain similarity (%) it does not match everyone who shares a common first name — which also made the
 * planner scan every peer (docs/PERFORMANCE.md). Each part is served by the trigram index on the column.
 */
export function nameMatches(column: SQL, folded: string): SQL {
  const words = folded.split(' ').filter(Boolean).slice(0, 6);
  const whole = sql`${folded} <% ${column}`;
  if (words.length < 2) return whole;
  return sql`(${whole} or (${sql.join(
    words.map((w) => sql`${w} <% ${column}`),
    sql` and `,
  )}))`;
}

/** How well a name matches, for ranking: the same word similarity. */
export function nameScore(column: SQL, folded: string): SQL {
  return sql`word_similarity(${folded}, ${column})`;
}

export async function searchRegistry(db: Db, query: RegistryQuery, today: string): Promise<RegistryPage> {
  const folded = query.name ? foldSearchName(query.name) : '';
  const conditions: SQL[] = [];
  if (folded !== '') conditions.push(nameMatches(sql`p.search_name`, folded));
  if (query.number) conditions.push(sql`c.number like ${`${query.number.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (query.county) conditions.push(sql`p.county_fips = ${query.county}`);
  if (query.status) conditions.push(sql`${statusToday(today)} = ${query.status}`);
  if (query.specialization) {
    conditions.push(sql`exists (
      select 1 from ${trainingCompletions} left join ${courses} on ${courses.id} = ${trainingCompletions.courseId}
      where ${trainingCompletions.peerId} = p.id and ${trainingCompletions.trainingType} = 'specialization'
        and ${trainingCompletions.specialization} = ${query.specialization} and ${completionCredited()})`);
  }
  const sort = query.sort ?? (folded !== '' ? 'relevance' : 'name');
  const score = folded !== '' ? nameScore(sql`p.search_name`, folded) : sql`0`;
  const order = {
    relevance: sql`${score} desc, p.legal_last_name, p.legal_first_name, c.number`,
    name: sql`p.legal_last_name, p.legal_first_name, c.number`,
    number: sql`c.number`,
    expires: sql`c.expires_on desc, c.number`,
    issued: sql`c.first_issued_on desc, c.number`,
  }[sort];
  const page = query.page ?? 1;
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const statement = sql`
    with page as (
      select c.id, p.id as peer_id, c.number, p.legal_first_name as first, p.legal_middle_name as middle, p.legal_last_name as last,
             c.first_issued_on, c.issued_on, c.expires_on, count(*) over ()::int as total, row_number() over (order by ${order}) as position
      from certifications c join peers p on p.id = c.peer_id
      ${where}
      order by ${order}
      limit ${REGISTRY_PAGE_SIZE} offset ${(page - 1) * REGISTRY_PAGE_SIZE}
    )
    select number, first, middle, last, ${statusOnSql(sql`page.id`, sql`${today}::date`)} as status,
           first_issued_on::text, issued_on::text, expires_on::text, total, ${creditedSpecializationsSql(sql`page.peer_id`)} as specializations
    from page order by position`;
  // The page is chosen first; the status rule and the specializations (subqueries) then run for its 20 rows only.
  const rows = folded === '' ? await selectPage(db, statement) : await db.transaction((tx) => selectPageByIndex(tx, statement));
  const total = rows[0]?.total ?? (page > 1 ? await countMatches(db, where) : 0);
  return {
    total,
    page,
    pageSize: REGISTRY_PAGE_SIZE,
    pages: Math.max(1, Math.ceil(total / REGISTRY_PAGE_SIZE)),
    sort,
    rows: rows.map((r) => ({
      number: r.number,
      fullName: fullLegalName({ first: r.first, middle: r.middle, last: r.last }),
      status: r.status,
      firstIssuedOn: r.first_issued_on,
      issuedOn: r.issued_on,
      validThrough: addDays(r.expires_on, -1),
      specializations: r.specializations,
    })),
  };
}

interface PageRow {
  number: string;
  first: string;
  middle: string | null;
  last: string;
  status: CertificationStatus;
  first_issued_on: string;
  issued_on: string;
  expires_on: string;
  total: number;
  specializations: RegistryListing['specializations'];
}

const selectPage = (db: Db, statement: SQL) => queryRows<PageRow>(db, statement);

/**
 * The planner prices a trigram comparison like an integer one, so it reckons comparing all 100,000 names cheaper
 * than the index — and takes 250 ms where the index takes 10 (docs/PERFORMANCE.md). For a name search, and inside
 * its own transaction only, a full scan is ruled out.
 */
async function selectPageByIndex(tx: Db, statement: SQL): Promise<PageRow[]> {
  await tx.execute(sql`set local enable_seqscan = off`);
  return selectPage(tx, statement);
}

/** A page past the end has no rows to carry the total; count separately so the pager can lead back. */
async function countMatches(db: Db, where: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from certifications c join peers p on p.id = c.peer_id ${where}`);
  return row?.n ?? 0;
}
