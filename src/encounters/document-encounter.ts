// Documenting a service: save (a draft may carry failures), validate without saving, correct with an optimistic
// lock, co-sign, and mark billable — which only an encounter with no failures and no open retro-check flag may be.
// The rendering peer signs their own note; any later change to the encounter takes the signatures off again.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { actorUserId, auditContext, refuse, todayOf, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { beneficiaries } from '../beneficiaries/beneficiaries.schema.ts';
import type { EligibilityChecker } from '../beneficiaries/eligibility.service.ts';
import { certificationByNumber } from '../certification/certificate-data.ts';
import { peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { reachOrganization, type OrganizationReach } from '../organizations/organization-access.ts';
import { organizationSites } from '../organizations/organizations.schema.ts';
import { supervisesOn } from '../organizations/organizations.service.ts';
import { gatherEncounterFacts } from './encounter-facts.ts';
import { validateEncounter, type EncounterToValidate } from './encounter-rules.ts';
import { encounterFlags, encounterParticipants, encounters } from './encounters.schema.ts';
import { EncounterInput, minutesBetween, type ValidationFailure } from './encounters.types.ts';

export type EncounterRow = typeof encounters.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const encounterNotFound = () => new AppError('not-found', 'There is no such service record.');

export interface Validated {
  failures: ValidationFailure[];
  noteDueOn?: string;
}

/** Who the service was rendered by, and that each member and the site belong to the organization. */
async function resolveParties(db: Db, reach: OrganizationReach, data: EncounterInput): Promise<{ peerId: string }> {
  let peerId: string;
  if (reach.asPeerId) {
    peerId = reach.asPeerId;
  } else {
    if (!data.peerNumber) throw new AppError('bad-request', 'Give the certification number of the peer who gave the service.', [{ path: 'peerNumber', message: 'Give the peer’s certification number.' }]);
    const cert = await certificationByNumber(db, data.peerNumber);
    if (!cert) throw new AppError('bad-request', `No certification ${data.peerNumber} is on the registry.`, [{ path: 'peerNumber', message: 'No such certification.' }]);
    peerId = cert.peerId;
  }
  const members = await db.select({ id: beneficiaries.id }).from(beneficiaries).where(and(eq(beneficiaries.organizationId, reach.org.id), inArray(beneficiaries.id, data.participantIds)));
  if (members.length !== new Set(data.participantIds).size) throw new AppError('bad-request', 'Choose members registered at this organization.', [{ path: 'participantIds', message: 'Not a member of this organization.' }]);
  if (data.siteId) {
    const [site] = await db.select({ id: organizationSites.id }).from(organizationSites).where(and(eq(organizationSites.id, data.siteId), eq(organizationSites.organizationId, reach.org.id)));
    if (!site) throw new AppError('bad-request', 'Choose one of the organization’s sites.', [{ path: 'siteId', message: 'Not a site of this organization.' }]);
  }
  return { peerId };
}

function minutesOf(data: EncounterInput): number {
  return data.minutes ?? minutesBetween(data.startTime!, data.endTime!);
}

/** The signed-in person is the rendering peer (only they sign the note). */
async function actorIsPeer(db: Db, context: UseCaseContext, peerId: string): Promise<boolean> {
  if (context.actor.kind !== 'user') return false;
  const [row] = await db.select({ id: peers.id }).from(peers).where(and(eq(peers.id, peerId), eq(peers.userId, context.actor.userId)));
  return row !== undefined;
}

async function validateWith(db: Db, eligibility: EligibilityChecker, reach: OrganizationReach, peerId: string, e: EncounterToValidate, participantIds: readonly string[], context: UseCaseContext, encounterId?: string): Promise<ValidationFailure[]> {
  const facts = await gatherEncounterFacts(db, eligibility, {
    org: reach.org,
    peerId,
    serviceDate: e.serviceDate,
    startTime: e.startTime,
    endTime: e.endTime,
    deliverySystem: e.deliverySystem,
    participantIds,
    today: todayOf(context),
    ...(encounterId ? { encounterId } : {}),
  });
  return validateEncounter(e, facts);
}

/** The form's fields the rules judge. */
function judgedFields(data: EncounterInput): Omit<EncounterToValidate, 'signedOn' | 'cosigned'> {
  return {
    serviceDate: data.serviceDate,
    startTime: data.startTime ?? null,
    endTime: data.endTime ?? null,
    minutes: minutesOf(data),
    component: data.component,
    deliverySystem: data.deliverySystem,
    modality: data.modality,
    telehealthConsent: data.telehealthConsent ?? null,
    carePlanReference: data.carePlanReference ?? null,
    noteNarrative: data.noteNarrative,
    noteNextSteps: data.noteNextSteps,
  };
}

function toValidate(data: EncounterInput, signedOn: string | null, cosigned: boolean): EncounterToValidate {
  return { ...judgedFields(data), signedOn, cosigned };
}

/** A saved encounter as the rules judge it (claims re-check saved services at build time). */
export function rowToValidate(row: EncounterRow): EncounterToValidate {
  return {
    serviceDate: row.serviceDate,
    startTime: row.startTime?.slice(0, 5) ?? null,
    endTime: row.endTime?.slice(0, 5) ?? null,
    minutes: row.minutes,
    component: row.component as EncounterToValidate['component'],
    deliverySystem: row.deliverySystem,
    modality: row.modality as EncounterToValidate['modality'],
    telehealthConsent: row.telehealthConsent,
    carePlanReference: row.carePlanReference,
    noteNarrative: row.noteNarrative,
    noteNextSteps: row.noteNextSteps,
    signedOn: row.signedOn,
    cosigned: row.cosignedAt !== null,
  };
}

function columnsOf(data: EncounterInput) {
  return { ...judgedFields(data), siteId: data.siteId ?? null, placeOfService: data.placeOfService, diagnosisCode: data.diagnosisCode ?? null };
}

/** Validate what the form holds without saving anything (the API's validate-only call). */
export async function validateEncounterInput(db: Db, eligibility: EligibilityChecker, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext): Promise<Validated> {
  const data = parseInput(EncounterInput, input, 'Check the service’s details.');
  const reach = await reachOrganization(db, input.organizationId, 'encounters.document', context, 'document services for this organization');
  const { peerId } = await resolveParties(db, reach, data);
  const signedOn = data.sign && (await actorIsPeer(db, context, peerId)) ? todayOf(context) : null;
  return { failures: await validateWith(db, eligibility, reach, peerId, toValidate(data, signedOn, false), data.participantIds, context) };
}

export async function createEncounter(db: Db, eligibility: EligibilityChecker, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext): Promise<{ encounter: EncounterRow; failures: ValidationFailure[] }> {
  const data = parseInput(EncounterInput, input, 'Check the service’s details.');
  const reach = await reachOrganization(db, input.organizationId, 'encounters.document', context, 'document services for this organization');
  const { peerId } = await resolveParties(db, reach, data);
  const signs = data.sign && (await actorIsPeer(db, context, peerId));
  if (data.sign && !signs) throw new AppError('forbidden', 'Only the peer who gave the service signs its note.', [{ path: 'sign', message: 'Only the peer who gave the service signs its note.' }]);
  const today = todayOf(context);
  const failures = await validateWith(db, eligibility, reach, peerId, toValidate(data, signs ? today : null, false), data.participantIds, context);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(encounters)
      .values({
        organizationId: reach.org.id,
        peerId,
        ...columnsOf(data),
        ...(signs ? { signedBy: actorUserId(context.actor), signedAt: new Date(), signedOn: today } : {}),
        failures,
        validatedAt: new Date(),
        recordedBy: actorUserId(context.actor),
      })
      .returning();
    await tx.insert(encounterParticipants).values(data.participantIds.map((beneficiaryId) => ({ encounterId: row!.id, beneficiaryId })));
    await recordAudit(tx, { ...auditContext(context), action: 'encounter.create', entityType: 'encounter', entityId: row!.id, changes: [{ field: 'failures', before: null, after: failures.map((f) => f.code) }] });
    return { encounter: row!, failures };
  });
}

/** The encounter and how the actor reaches it; a peer reaches only their own. Out of reach is 404. */
export async function reachEncounter(db: Db, encounterId: string, action: 'encounters.read' | 'encounters.document' | 'encounters.cosign', context: UseCaseContext) {
  const [row] = UUID.test(encounterId) ? await db.select().from(encounters).where(eq(encounters.id, encounterId)) : [];
  if (!row) throw encounterNotFound();
  let reach: OrganizationReach;
  try {
    reach = await reachOrganization(db, row.organizationId, action, context, 'see this service record');
  } catch (err) {
    if (err instanceof AppError && err.status === 403) throw encounterNotFound();
    throw err;
  }
  if (reach.asPeerId && reach.asPeerId !== row.peerId) throw encounterNotFound();
  return { row, reach };
}

async function participantIdsOf(db: Db, encounterId: string): Promise<string[]> {
  return (await db.select({ id: encounterParticipants.beneficiaryId }).from(encounterParticipants).where(eq(encounterParticipants.encounterId, encounterId))).map((r) => r.id);
}

/**
 * Correct an encounter: `version` must be the one read (409 otherwise). The signatures come off (the note they
 * signed has changed) unless the peer signs again, and a billable encounter goes back to draft.
 */
export async function updateEncounter(db: Db, eligibility: EligibilityChecker, encounterId: string, input: Record<string, unknown> & { version?: unknown }, context: UseCaseContext) {
  const { row, reach } = await reachEncounter(db, encounterId, 'encounters.document', context);
  const data = parseInput(EncounterInput, input, 'Check the service’s details.');
  const { peerId } = await resolveParties(db, reach.asPeerId ? reach : { ...reach, asPeerId: row.peerId }, data);
  const signs = data.sign && (await actorIsPeer(db, context, peerId));
  if (data.sign && !signs) throw new AppError('forbidden', 'Only the peer who gave the service signs its note.', [{ path: 'sign', message: 'Only the peer who gave the service signs its note.' }]);
  const today = todayOf(context);
  const failures = await validateWith(db, eligibility, reach, peerId, toValidate(data, signs ? today : null, false), data.participantIds, context, row.id);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(encounters)
      .set({
        ...columnsOf(data),
        signedBy: signs ? actorUserId(context.actor) : null,
        signedAt: signs ? new Date() : null,
        signedOn: signs ? today : null,
        cosignedBy: null,
        cosignedAt: null,
        status: 'draft',
        failures,
        validatedAt: new Date(),
        version: sql`${encounters.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(encounters.id, row.id), eq(encounters.version, Number(input.version))))
      .returning();
    if (!updated) throw new AppError('conflict', 'Someone changed this service record since you opened it. Reload it and make your change again.');
    await tx.delete(encounterParticipants).where(eq(encounterParticipants.encounterId, row.id));
    await tx.insert(encounterParticipants).values(data.participantIds.map((beneficiaryId) => ({ encounterId: row.id, beneficiaryId })));
    await recordAudit(tx, { ...auditContext(context), action: 'encounter.update', entityType: 'encounter', entityId: row.id, changes: [{ field: 'status', before: row.status, after: 'draft' }, { field: 'failures', before: row.failures.map((f) => f.code), after: failures.map((f) => f.code) }] });
    return { encounter: updated, failures };
  });
}

/** Validate a saved encounter against today's record of the facts; resolves retro-check flags it now passes. */
export async function recheckEncounter(db: Db, eligibility: EligibilityChecker, encounterId: string, context: UseCaseContext) {
  const { row, reach } = await reachEncounter(db, encounterId, 'encounters.document', context);
  const failures = await validateWith(db, eligibility, reach, row.peerId, rowToValidate(row), await participantIdsOf(db, row.id), context, row.id);
  return db.transaction(async (tx) => {
    const [updated] = await tx.update(encounters).set({ failures, validatedAt: new Date(), ...(failures.length > 0 ? { status: 'draft' } : {}) }).where(eq(encounters.id, row.id)).returning();
    if (failures.length === 0) await tx.update(encounterFlags).set({ resolved: true, resolvedAt: new Date() }).where(and(eq(encounterFlags.encounterId, row.id), eq(encounterFlags.resolved, false)));
    await recordAudit(tx, { ...auditContext(context), action: 'encounter.recheck', entityType: 'encounter', entityId: row.id, changes: [{ field: 'failures', before: row.failures.map((f) => f.code), after: failures.map((f) => f.code) }] });
    return { encounter: updated!, failures };
  });
}

/** Mark billable: validated again now; refused with the failures (422) while any remain or a flag is open. */
export async function markBillable(db: Db, eligibility: EligibilityChecker, encounterId: string, context: UseCaseContext) {
  const { row, reach } = await reachEncounter(db, encounterId, 'encounters.document', context);
  if (row.status === 'billable') return { encounter: row, failures: [] as ValidationFailure[] };
  const failures = await validateWith(db, eligibility, reach, row.peerId, rowToValidate(row), await participantIdsOf(db, row.id), context, row.id);
  if (failures.length > 0) {
    await db.update(encounters).set({ failures, validatedAt: new Date() }).where(eq(encounters.id, row.id));
    throw new AppError('rule-violation', `This service is not billable yet: ${failures.map((f) => f.message).join(' ')}`, failures.map((f) => ({ path: f.field ?? 'form', message: f.message })), failures[0]!.code);
  }
  return db.transaction(async (tx) => {
    await tx.update(encounterFlags).set({ resolved: true, resolvedAt: new Date() }).where(and(eq(encounterFlags.encounterId, row.id), eq(encounterFlags.resolved, false)));
    const [updated] = await tx.update(encounters).set({ status: 'billable', failures: [], validatedAt: new Date(), version: sql`${encounters.version} + 1`, updatedAt: new Date() }).where(eq(encounters.id, row.id)).returning();
    await recordAudit(tx, { ...auditContext(context), action: 'encounter.billable', entityType: 'encounter', entityId: row.id, changes: [{ field: 'status', before: row.status, after: 'billable' }] });
    return { encounter: updated!, failures };
  });
}

/** The peer's supervisor on the date of service co-signs a signed note. */
export async function cosignEncounter(db: Db, encounterId: string, context: UseCaseContext) {
  const { row } = await reachEncounter(db, encounterId, 'encounters.cosign', context);
  const userId = actorUserId(context.actor);
  if (!userId || !(await supervisesOn(db, userId, row.peerId, row.serviceDate))) refuse(context, 'co-sign this note: you did not supervise the peer on the date of service');
  if (!row.signedAt) throw new AppError('rule-violation', 'The peer signs the note before the supervisor co-signs it.', [], 'cosign.unsigned');
  return db.transaction(async (tx) => {
    const [updated] = await tx.update(encounters).set({ cosignedBy: userId, cosignedAt: new Date(), version: sql`${encounters.version} + 1`, updatedAt: new Date() }).where(eq(encounters.id, row.id)).returning();
    await recordAudit(tx, { ...auditContext(context), action: 'encounter.cosign', entityType: 'encounter', entityId: row.id, changes: [{ field: 'cosigned', before: false, after: true }] });
    return updated!;
  });
}
