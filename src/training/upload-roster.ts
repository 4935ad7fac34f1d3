// A provider's completion roster for one course: each row that names a person in the program, on a date the
// provider was approved to teach the course's training type in its language, becomes a completion. Rows that
// cannot be credited are reported with their row number and a plain reason; the file as a whole is refused only
// when it is not a roster at all. The same file twice for the same course credits nothing the second time.
import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { actorUserId, auditContext, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { approvalCovers } from './approval-status.ts';
import { sameLastName } from './names.ts';
import { reachesProvider } from './provider-access.ts';
import { parseRosterCsv, type RosterLine } from './roster-csv.ts';
import { courses, providerApprovals, trainingCompletions, trainingRosters } from './training.schema.ts';
import { isUuid } from './training.vocabulary.ts';

export const REJECTION_CODES = [
  'bad_date',
  'future_date',
  'unknown_person',
  'last_name_mismatch',
  'ambiguous_person',
  'bad_hours',
  'hours_fixed',
  'not_approved',
  'wrong_language',
  'approval_ended',
  'duplicate',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** A row that credited nothing, as kept on the roster. */
export interface RosterRejection {
  row: number;
  email: string;
  completedOn: string;
  code: RejectionCode;
  /** In English, with the specifics (the pages translate by code). */
  reason: string;
}

export interface RosterResult {
  id: string;
  courseId: string;
  providerId: string;
  filename: string;
  sha256: string;
  rowCount: number;
  credited: number;
  rejections: RosterRejection[];
  uploadedAt: Date;
}

type Course = typeof courses.$inferSelect;
type Approval = typeof providerApprovals.$inferSelect;
type Completion = typeof trainingCompletions.$inferInsert;

const INSERT_BATCH = 500;
const TYPE_NAMES: Record<string, string> = { core: 'core training', ce: 'continuing education', specialization: 'specialization training' };

export function courseNotFound(id: string): AppError {
  return new AppError('not-found', `There is no course ${id}.`);
}

function parseHours(text: string): number | null {
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  return Number(text);
}

interface Assessment {
  course: Course;
  approvals: readonly Approval[];
  peersByEmail: ReadonlyMap<string, ReadonlyArray<{ id: string; legalLastName: string }>>;
  today: string;
  /** `peerId|date` of the course's completions already credited, and of this file's rows accepted so far. */
  credited: Set<string>;
}

type Verdict = { ok: true; peerId: string; hours: number; lawEthicsHours: number } | { ok: false; code: RejectionCode; reason: string };

function reject(code: RejectionCode, reason: string): Verdict {
  return { ok: false, code, reason };
}

/** The hours a row credits: a CE row may give fewer than the course; other courses credit their full hours. */
function rowHours(line: RosterLine, course: Course): Verdict | { hours: number; lawEthicsHours: number } {
  if (course.trainingType !== 'ce') {
    const given = [line.hours, line.lawEthicsHours].map((v) => (v === '' ? null : parseHours(v)));
    if ((line.hours !== '' && given[0] !== course.hours) || (line.lawEthicsHours !== '' && given[1] !== course.lawEthicsHours)) {
      return reject('hours_fixed', `This ${TYPE_NAMES[course.trainingType] ?? course.trainingType} course credits its full ${course.hours} hours; leave hours empty or write ${course.hours}.`);
    }
    return { hours: course.hours, lawEthicsHours: course.lawEthicsHours };
  }
  const hours = line.hours === '' ? course.hours : parseHours(line.hours);
  if (hours === null || hours <= 0 || hours > course.hours) return reject('bad_hours', `Hours “${line.hours}” must be a number above 0 and at most the course’s ${course.hours}.`);
  // Law and ethics hours default to the course's, but never more than the hours attended.
  const lawEthicsHours = line.lawEthicsHours === '' ? Math.min(course.lawEthicsHours, hours) : parseHours(line.lawEthicsHours);
  if (lawEthicsHours === null || lawEthicsHours > hours || lawEthicsHours > course.lawEthicsHours) {
    return reject('bad_hours', `Law and ethics hours “${line.lawEthicsHours}” must be a number no more than the hours attended (${hours}) and the course’s ${course.lawEthicsHours}.`);
  }
  return { hours, lawEthicsHours };
}

/** Whether the provider was approved to teach the course on `date`, or why not. */
function approvalVerdict(course: Course, approvals: readonly Approval[], date: string): Verdict | null {
  const ofType = approvals.filter((a) => a.trainingType === course.trainingType);
  const type = TYPE_NAMES[course.trainingType] ?? course.trainingType;
  if (ofType.some((a) => a.language === course.language && approvalCovers(a, date))) return null;
  const ended = ofType.find((a) => a.language === course.language && a.endedOn !== null && a.approvedFrom <= date && date < a.approvedTo);
  if (ended) return reject('approval_ended', `The provider’s approval for ${type} in ${course.language} ended on ${ended.endedOn}${ended.endReason ? ` (${ended.endReason})` : ''}, before ${date}.`);
  const otherLanguages = [...new Set(ofType.filter((a) => approvalCovers(a, date)).map((a) => a.language))];
  if (otherLanguages.length > 0) {
    return reject('wrong_language', `On ${date} the provider was approved for ${type} in ${otherLanguages.join(', ')} only, not in ${course.language}, the course’s language.`);
  }
  return reject('not_approved', `The provider was not approved to teach ${type} in ${course.language} on ${date}.`);
}

function assess(line: RosterLine, a: Assessment): Verdict {
  if (!isIsoDate(line.completedOn)) return reject('bad_date', `Completion date “${line.completedOn}” is not a date written YYYY-MM-DD.`);
  if (line.completedOn > a.today) return reject('future_date', `Completion date ${line.completedOn} is in the future.`);
  if (line.email === '') return reject('unknown_person', 'The row has no email.');
  const withEmail = a.peersByEmail.get(line.email.toLowerCase()) ?? [];
  if (withEmail.length === 0) return reject('unknown_person', `No person in the program has the email ${line.email}.`);
  const matching = withEmail.filter((p) => sameLastName(p.legalLastName, line.lastName));
  if (matching.length === 0) return reject('last_name_mismatch', `The person with the email ${line.email} does not have the last name “${line.lastName}”.`);
  if (matching.length > 1) return reject('ambiguous_person', `More than one person has the email ${line.email} and this last name; certification staff must record this completion.`);
  const peerId = matching[0]?.id ?? '';
  const hours = rowHours(line, a.course);
  if ('ok' in hours) return hours;
  const approval = approvalVerdict(a.course, a.approvals, line.completedOn);
  if (approval) return approval;
  const key = `${peerId}|${line.completedOn}`;
  if (a.credited.has(key)) return reject('duplicate', `Already credited: this person’s completion of this course on ${line.completedOn}.`);
  a.credited.add(key);
  return { ok: true, peerId, ...hours };
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

export interface UploadRosterInput {
  courseId: string;
  filename: string;
  bytes: Buffer;
}

export async function uploadRoster(db: Db, input: UploadRosterInput, context: UseCaseContext): Promise<RosterResult> {
  requireCan(context, 'training.rosters.upload', 'upload training rosters');
  if (!isUuid(input.courseId)) throw courseNotFound(input.courseId);
  const [course] = await db.select().from(courses).where(eq(courses.id, input.courseId));
  if (!course || !(await reachesProvider(db, context.actor, 'training.rosters.upload', course.providerId))) throw courseNotFound(input.courseId);

  const lines = parseRosterCsv(input.bytes);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const filename = (input.filename.trim() || 'roster.csv').slice(0, 200);
  const already = async () => {
    const [earlier] = await db.select().from(trainingRosters).where(and(eq(trainingRosters.courseId, course.id), eq(trainingRosters.sha256, sha256)));
    return earlier;
  };
  const earlier = await already();
  if (earlier) throw sameFile(earlier.uploadedAt);

  const emails = [...new Set(lines.map((l) => l.email.toLowerCase()).filter((e) => e !== ''))];
  const people = emails.length
    ? await db.select({ id: peers.id, email: peers.email, legalLastName: peers.legalLastName }).from(peers).where(inArray(sql`lower(${peers.email})`, emails))
    : [];
  const peersByEmail = new Map<string, Array<{ id: string; legalLastName: string }>>();
  for (const p of people) {
    const key = (p.email ?? '').toLowerCase();
    peersByEmail.set(key, [...(peersByEmail.get(key) ?? []), p]);
  }
  const approvals = await db.select().from(providerApprovals).where(eq(providerApprovals.providerId, course.providerId));
  const existing = await db.select({ peerId: trainingCompletions.peerId, completedOn: trainingCompletions.completedOn }).from(trainingCompletions).where(eq(trainingCompletions.courseId, course.id));
  const assessment: Assessment = { course, approvals, peersByEmail, today: todayOf(context), credited: new Set(existing.map((c) => `${c.peerId}|${c.completedOn}`)) };

  const rejections: RosterRejection[] = [];
  const accepted: Array<{ line: RosterLine; completion: Omit<Completion, 'rosterId'> }> = [];
  const recordedBy = actorUserId(context.actor);
  for (const line of lines) {
    const verdict = assess(line, assessment);
    if (!verdict.ok) {
      rejections.push({ row: line.row, email: line.email, completedOn: line.completedOn, code: verdict.code, reason: verdict.reason });
      continue;
    }
    accepted.push({
      line,
      completion: {
        peerId: verdict.peerId,
        courseId: course.id,
        providerId: course.providerId,
        trainingType: course.trainingType,
        specialization: course.specialization,
        hours: verdict.hours,
        lawEthicsHours: verdict.lawEthicsHours,
        completedOn: line.completedOn,
        source: 'roster',
        recordedBy,
      },
    });
  }

  try {
    return await db.transaction(async (tx) => {
      const [roster] = await tx
        .insert(trainingRosters)
        .values({ courseId: course.id, filename, sha256, rowCount: lines.length, credited: 0, rejections: [], uploadedBy: recordedBy })
        .returning();
      if (!roster) throw new Error('insert returned no row');
      const inserted = new Set<string>();
      for (let i = 0; i < accepted.length; i += INSERT_BATCH) {
        const batch = accepted.slice(i, i + INSERT_BATCH).map((a) => ({ ...a.completion, rosterId: roster.id }));
        // Another roster may have credited the same completion since it was checked: that row is a duplicate too.
        const rows = await tx.insert(trainingCompletions).values(batch).onConflictDoNothing().returning({ peerId: trainingCompletions.peerId, completedOn: trainingCompletions.completedOn });
        for (const r of rows) inserted.add(`${r.peerId}|${r.completedOn}`);
      }
      for (const { line, completion } of accepted) {
        if (inserted.has(`${completion.peerId}|${completion.completedOn}`)) continue;
        rejections.push({ row: line.row, email: line.email, completedOn: line.completedOn, code: 'duplicate', reason: `Already credited: this person’s completion of this course on ${line.completedOn}.` });
      }
      rejections.sort((x, y) => x.row - y.row);
      const [updated] = await tx.update(trainingRosters).set({ credited: inserted.size, rejections }).where(eq(trainingRosters.id, roster.id)).returning();
      if (!updated) throw new Error('update returned no row');
      await recordAudit(tx, {
        ...auditContext(context),
        action: 'training.roster.upload',
        entityType: 'training_roster',
        entityId: roster.id,
        changes: [
          { field: 'courseId', before: null, after: course.id },
          { field: 'filename', before: null, after: filename },
          { field: 'sha256', before: null, after: sha256 },
          { field: 'rowCount', before: null, after: lines.length },
          { field: 'credited', before: null, after: inserted.size },
          { field: 'rejected', before: null, after: rejections.length },
        ],
        reason: null,
      });
      return { id: roster.id, courseId: course.id, providerId: course.providerId, filename, sha256, rowCount: lines.length, credited: inserted.size, rejections, uploadedAt: updated.uploadedAt };
    });
  } catch (err) {
    // The same file uploaded twice at once: the unique index lets one through.
    if (isUniqueViolation(err)) {
      const winner = await already();
      if (winner) throw sameFile(winner.uploadedAt);
    }
    throw err;
  }
}

function sameFile(uploadedAt: Date): AppError {
  const message = `This file was already uploaded for this course on ${todayInCalifornia(uploadedAt)}; nothing was credited again.`;
  return new AppError('conflict', message, [{ path: 'file', message }], 'training.roster_already_uploaded');
}
