// The final public actions about a certification, as the registry discloses them (PROGRAM.md §10.4): outcomes of the
// kinds the rule `enforcement.public_outcomes` in force names, not reversed on appeal, oldest first — kind, dates
// and public summary only. Nothing of the case, the complainant, the evidence or the private reasons. One SQL
// expression, so a registry entry reads them in its own single statement.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { programRules } from '../rules/rules.schema.ts';
import { caseOutcomes } from './enforcement.schema.ts';

export interface PublicAction {
  kind: string;
  startsOn: string | null;
  endsOn: string | null;
  decidedOn: string;
  summary: string | null;
}

export function publicActionsSql(certificationId: SQLWrapper, today: SQLWrapper): SQL<PublicAction[]> {
  return sql`(
    select coalesce(json_agg(json_build_object('kind', o.kind, 'startsOn', o.starts_on, 'endsOn', o.ends_on, 'decidedOn', o.decided_on, 'summary', o.public_summary)
                    order by o.decided_on, o.decided_at), '[]'::json)
    from ${caseOutcomes} o
    where o.subject_certification_id = ${certificationId} and o.reversed_by_case_id is null
      and o.kind in (
        select jsonb_array_elements_text(r.value) from (
          select ${programRules.value} as value from ${programRules}
          where ${programRules.key} = 'enforcement.public_outcomes' and ${programRules.effectiveFrom} <= ${today}
          order by ${programRules.effectiveFrom} desc, ${programRules.recordedAt} desc limit 1) r))`;
}
