// What a person's training record credits them with, as certification needs it: core training, continuing
// education hours in a period, specializations. Only completions from a provider approved for that training type
// and language on the completion date count (manual and imported completions were checked when recorded).
import { and, eq, gte, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.ts';
import { courses, providerApprovals, trainingCompletions } from './training.schema.ts';

export interface CreditedCompletion {
  id: string;
  trainingType: string;
  specialization: string | null;
  hours: number;
  lawEthicsHours: number;
  completedOn: string;
  source: string;
}

/**
 * A completion counts: recorded by hand or imported (checked then), or from a course whose provider was approved
 * for that training type and language on the completion date. Needs `courses` left-joined on the completion.
 */
export function completionCredited() {
  return sql`(
    ${trainingCompletions.courseId} is null
    or exists (
      select 1 from ${providerApprovals}
      where ${providerApprovals.providerId} = ${courses.providerId}
        and ${providerApprovals.trainingType} = ${courses.trainingType}
        and ${providerApprovals.language} = ${courses.language}
        and ${providerApprovals.approvedFrom} <= ${trainingCompletions.completedOn}
        and ${providerApprovals.approvedTo} > ${trainingCompletions.completedOn}
        and (${providerApprovals.endedOn} is null or ${providerApprovals.endedOn} > ${trainingCompletions.completedOn})
    ))`;
}

/** Completions that count, oldest first; `from`/`to` bound the completion date as [from, to). */
export async function creditedCompletions(db: Db, peerId: string, range: { from?: string; to?: string } = {}): Promise<CreditedCompletion[]> {
  return db
    .select({
      id: trainingCompletions.id,
      trainingType: trainingCompletions.trainingType,
      specialization: trainingCompletions.specialization,
      hours: trainingCompletions.hours,
      lawEthicsHours: trainingCompletions.lawEthicsHours,
      completedOn: trainingCompletions.completedOn,
      source: trainingCompletions.source,
    })
    .from(trainingCompletions)
    .leftJoin(courses, eq(courses.id, trainingCompletions.courseId))
    .where(
      and(
        eq(trainingCompletions.peerId, peerId),
        completionCredited(),
        range.from ? gte(trainingCompletions.completedOn, range.from) : undefined,
        range.to ? lt(trainingCompletions.completedOn, range.to) : undefined,
      ),
    )
    .orderBy(trainingCompletions.completedOn);
}

export interface TrainingSummary {
  /** The date the core (80-hour) training was completed, if it was. */
  coreCompletedOn: string | null;
  ceHours: number;
  lawEthicsHours: number;
  specializations: Array<{ specialization: string; completedOn: string }>;
}

/**
 * Hours add up in hundredths (the columns' precision): adding them as floating-point numbers can fall just short
 * of a requirement (6.1 + 6.1 + 6.1 + 1.7 is 19.999999999999996, not 20).
 */
function sumHours(hours: readonly number[]): number {
  return hours.reduce((sum, h) => sum + Math.round(h * 100), 0) / 100;
}

/** Core training, CE hours (with law and ethics) within the range, and specializations, from credited completions. */
export function summarizeTraining(completions: readonly CreditedCompletion[]): TrainingSummary {
  const core = completions.find((c) => c.trainingType === 'core');
  const ce = completions.filter((c) => c.trainingType === 'ce');
  const specializations = new Map<string, string>();
  for (const c of completions) if (c.trainingType === 'specialization' && c.specialization && !specializations.has(c.specialization)) specializations.set(c.specialization, c.completedOn);
  return {
    coreCompletedOn: core?.completedOn ?? null,
    ceHours: sumHours(ce.map((c) => c.hours)),
    lawEthicsHours: sumHours(ce.map((c) => c.lawEthicsHours)),
    specializations: [...specializations].map(([specialization, completedOn]) => ({ specialization, completedOn })),
  };
}

/**
 * SQL for one person's credited specializations as a JSON array of {specialization, completedOn} (each at its first
 * credited completion, oldest first): a subquery, so a registry entry or a page of results reads them in its own
 * statement.
 */
export function creditedSpecializationsSql(peerId: SQLWrapper): SQL<TrainingSummary['specializations']> {
  return sql`(
    select coalesce(json_agg(json_build_object('specialization', s.specialization, 'completedOn', s.completed_on) order by s.completed_on, s.specialization), '[]'::json)
    from (
      select ${trainingCompletions.specialization} as specialization, min(${trainingCompletions.completedOn})::text as completed_on
      from ${trainingCompletions} left join ${courses} on ${courses.id} = ${trainingCompletions.courseId}
      where ${trainingCompletions.peerId} = ${peerId} and ${trainingCompletions.trainingType} = 'specialization'
        and ${trainingCompletions.specialization} is not null and ${completionCredited()}
      group by ${trainingCompletions.specialization}
    ) s)`;
}

/** Credited specializations of many people at once (a registry page of results), by the same subquery. */
export async function creditedSpecializations(db: Db, peerIds: readonly string[]): Promise<Map<string, TrainingSummary['specializations']>> {
  if (peerIds.length === 0) return new Map();
  const rows = await queryRows<{ peer_id: string; specializations: TrainingSummary['specializations'] }>(
    db,
    sql`select ids.id as peer_id, ${creditedSpecializationsSql(sql`ids.id`)} as specializations from (select distinct value::uuid as id from json_array_elements_text(${JSON.stringify(peerIds)}::json)) as ids`,
  );
  return new Map(rows.map((r) => [r.peer_id, r.specializations]));
}
