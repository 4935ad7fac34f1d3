// What the training pages and API show: providers as the actor may see them, one provider's whole picture,
// and a roster's result. Staff (and enforcement) see every provider; a provider's member only theirs.
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { users } from '../accounts/accounts.schema.ts';
import { peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { approvalStatus, type ApprovalStatus } from './approval-status.ts';
import { actsForEveryProvider, memberProviderIds, reachesProvider, requireProviderReach } from './provider-access.ts';
import { courses, providerApprovals, trainingCompletions, trainingProviderMembers, trainingProviders, trainingRosters } from './training.schema.ts';
import { isUuid } from './training.vocabulary.ts';
import type { RosterRejection } from './upload-roster.ts';

type ProviderRow = typeof trainingProviders.$inferSelect;
type ApprovalRow = typeof providerApprovals.$inferSelect;
export type CourseRow = typeof courses.$inferSelect;
export type ApprovalView = ApprovalRow & { status: ApprovalStatus };
export type ProviderSummary = ProviderRow & { approvals: ApprovalView[]; courses: CourseRow[] };

function withStatus(approvals: readonly ApprovalRow[], today: string): ApprovalView[] {
  return approvals.map((a) => ({ ...a, status: approvalStatus(a, today) }));
}

/** The providers the actor may see, by name, each with its approvals (status as of today) and courses. */
export async function listProviders(db: Db, context: UseCaseContext): Promise<ProviderSummary[]> {
  requireCan(context, 'training.read', 'see training providers');
  const everyone = actsForEveryProvider(context.actor, 'training.read');
  const ids = everyone ? null : await memberProviderIds(db, context.actor);
  if (ids !== null && ids.length === 0) return [];
  const providers = await db
    .select()
    .from(trainingProviders)
    .where(ids === null ? undefined : inArray(trainingProviders.id, ids))
    .orderBy(asc(trainingProviders.name));
  if (providers.length === 0) return [];
  const providerIds = providers.map((p) => p.id);
  const approvals = await db
    .select()
    .from(providerApprovals)
    .where(inArray(providerApprovals.providerId, providerIds))
    .orderBy(asc(providerApprovals.trainingType), asc(providerApprovals.language), asc(providerApprovals.approvedFrom));
  const courseRows = await db.select().from(courses).where(inArray(courses.providerId, providerIds)).orderBy(asc(courses.trainingType), asc(courses.title));
  const today = todayOf(context);
  return providers.map((p) => ({
    ...p,
    approvals: withStatus(approvals.filter((a) => a.providerId === p.id), today),
    courses: courseRows.filter((c) => c.providerId === p.id),
  }));
}

export interface RosterSummary {
  id: string;
  courseId: string;
  courseTitle: string;
  /** The course's language, which its title is written in. */
  courseLanguage: string;
  filename: string;
  rowCount: number;
  credited: number;
  rejections: RosterRejection[];
  uploadedAt: Date;
  uploadedBy: string | null;
}

export interface ProviderDetail extends ProviderSummary {
  members: Array<{ userId: string; email: string; displayName: string }>;
  rosters: RosterSummary[];
  /** What the actor may do here. */
  may: { manage: boolean; addCourses: boolean; uploadRosters: boolean };
}

export async function getProviderDetail(db: Db, providerId: string, context: UseCaseContext): Promise<ProviderDetail> {
  const provider = await requireProviderReach(db, context, 'training.read', 'see training providers', providerId);
  const today = todayOf(context);
  const approvals = await db
    .select()
    .from(providerApprovals)
    .where(eq(providerApprovals.providerId, provider.id))
    .orderBy(asc(providerApprovals.trainingType), asc(providerApprovals.language), asc(providerApprovals.approvedFrom));
  const courseRows = await db.select().from(courses).where(eq(courses.providerId, provider.id)).orderBy(asc(courses.trainingType), asc(courses.title));
  const members = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName })
    .from(trainingProviderMembers)
    .innerJoin(users, eq(users.id, trainingProviderMembers.userId))
    .where(eq(trainingProviderMembers.providerId, provider.id))
    .orderBy(asc(users.displayName));
  const rosters = await db
    .select({
      id: trainingRosters.id,
      courseId: trainingRosters.courseId,
      courseTitle: courses.title,
      courseLanguage: courses.language,
      filename: trainingRosters.filename,
      rowCount: trainingRosters.rowCount,
      credited: trainingRosters.credited,
      rejections: trainingRosters.rejections,
      uploadedAt: trainingRosters.uploadedAt,
      uploadedBy: users.displayName,
    })
    .from(trainingRosters)
    .innerJoin(courses, eq(courses.id, trainingRosters.courseId))
    .leftJoin(users, eq(users.id, trainingRosters.uploadedBy))
    .where(eq(courses.providerId, provider.id))
    .orderBy(desc(trainingRosters.uploadedAt));
  const { actor } = context;
  return {
    ...provider,
    approvals: withStatus(approvals, today),
    courses: courseRows,
    members,
    rosters: rosters.map((r) => ({ ...r, rejections: r.rejections as RosterRejection[] })),
    may: {
      manage: await reachesProvider(db, actor, 'training.providers.manage', provider.id),
      addCourses: await reachesProvider(db, actor, 'training.courses.manage', provider.id),
      uploadRosters: await reachesProvider(db, actor, 'training.rosters.upload', provider.id),
    },
  };
}

export interface RosterDetail extends RosterSummary {
  providerId: string;
  providerName: string;
  course: CourseRow;
  sha256: string;
  completions: Array<{ peerName: string; email: string | null; completedOn: string; hours: number; lawEthicsHours: number }>;
}

function rosterNotFound(id: string): AppError {
  return new AppError('not-found', `There is no roster ${id}.`);
}

/** A roster's result: its counts, the rows it could not credit and why, and the completions it credited. */
export async function getRosterResult(db: Db, rosterId: string, context: UseCaseContext): Promise<RosterDetail> {
  requireCan(context, 'training.read', 'see training rosters');
  if (!isUuid(rosterId)) throw rosterNotFound(rosterId);
  const [row] = await db
    .select({ roster: trainingRosters, course: courses, providerName: trainingProviders.name, uploadedBy: users.displayName })
    .from(trainingRosters)
    .innerJoin(courses, eq(courses.id, trainingRosters.courseId))
    .innerJoin(trainingProviders, eq(trainingProviders.id, courses.providerId))
    .leftJoin(users, eq(users.id, trainingRosters.uploadedBy))
    .where(eq(trainingRosters.id, rosterId));
  if (!row || !(await reachesProvider(db, context.actor, 'training.read', row.course.providerId))) throw rosterNotFound(rosterId);
  const completions = await db
    .select({ first: peers.legalFirstName, last: peers.legalLastName, email: peers.email, completedOn: trainingCompletions.completedOn, hours: trainingCompletions.hours, lawEthicsHours: trainingCompletions.lawEthicsHours })
    .from(trainingCompletions)
    .innerJoin(peers, eq(peers.id, trainingCompletions.peerId))
    .where(eq(trainingCompletions.rosterId, row.roster.id))
    .orderBy(asc(peers.legalLastName), asc(peers.legalFirstName));
  const { roster, course } = row;
  return {
    id: roster.id,
    courseId: course.id,
    courseTitle: course.title,
    courseLanguage: course.language,
    course,
    providerId: course.providerId,
    providerName: row.providerName,
    filename: roster.filename,
    sha256: roster.sha256,
    rowCount: roster.rowCount,
    credited: roster.credited,
    rejections: roster.rejections as RosterRejection[],
    uploadedAt: roster.uploadedAt,
    uploadedBy: row.uploadedBy,
    completions: completions.map((c) => ({ peerName: `${c.first} ${c.last}`, email: c.email, completedOn: c.completedOn, hours: c.hours, lawEthicsHours: c.lawEthicsHours })),
  };
}

/** Every provider and course, for staff recording a completion by hand. */
export async function completionChoices(db: Db, context: UseCaseContext) {
  requireCan(context, 'training.completions.record', 'record training completions');
  const providers = await db.select({ id: trainingProviders.id, name: trainingProviders.name }).from(trainingProviders).orderBy(asc(trainingProviders.name));
  const courseRows = await db.select().from(courses).orderBy(asc(courses.title));
  return { providers, courses: courseRows };
}
