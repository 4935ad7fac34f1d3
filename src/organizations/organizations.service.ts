// Provider organizations and the people at work in them, as county administrators, provider staff and system
// administrators record them: the organization (NPI check digit, tax id, address), its contracts per delivery system
// with dates, the certified peers it employs, supervisors and supervision assignments. Each use case checks the
// actor may act for the organization's county, validates, refuses overlapping periods, and writes its audit row in
// one transaction. `supervisesOn` answers "does this person supervise that peer on D?" for the rest of the platform.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { can } from '../access/can.ts';
import { actorUserId, auditContext, refuse, requireCan, type UseCaseContext } from '../access/context.ts';
import { roleAssignments } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { certificationByNumber } from '../certification/certificate-data.ts';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import type { Db } from '../db/client.ts';
import { npiProblem } from '../identifiers/npi.ts';
import { IsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { reachOrganization, type OrganizationRow } from './organization-access.ts';
import { checkPeriodOrder, coversOn, overlapping } from './periods.ts';
import { employments, organizationContracts, providerOrganizations, supervisionAssignments, supervisors } from './organizations.schema.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const Npi = z.string().trim().superRefine((v, ctx) => {
  const problem = npiProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const Period = { startsOn: IsoDate, endsOn: z.preprocess(blank, IsoDate.optional()) };

export const OrganizationInput = z.object({
  name: z.string().trim().min(2, 'Give the organization’s legal name.').max(200),
  kind: z.enum(['county_operated', 'contracted'], { message: 'Say whether the county runs it or contracts with it.' }),
  npi: Npi,
  taxId: z
    .string()
    .trim()
    .transform((v) => v.replace('-', ''))
    .pipe(z.string().regex(/^\d{9}$/, 'A tax id (EIN) is nine digits, like 94-1234567.')),
  countyFips: z.string().refine((f) => CALIFORNIA_COUNTIES.some((c) => c.fips === f), 'Choose a California county.'),
  street: z.string().trim().min(3, 'Give the street address (not a PO box: claims need one).').max(200),
  city: z.string().trim().min(2).max(100),
  zip: z.string().trim().regex(/^\d{5}(-?\d{4})?$/, 'A ZIP code is 5 or 9 digits.'),
});

/** The organization, if the actor may manage it. */
async function manageableOrganization(db: Db, organizationId: string, context: UseCaseContext): Promise<OrganizationRow> {
  return (await reachOrganization(db, organizationId, 'organizations.manage', context, 'manage this provider organization')).org;
}


export async function createOrganization(db: Db, input: unknown, context: UseCaseContext): Promise<OrganizationRow> {
  const data = parseInput(OrganizationInput, input, 'Check the organization’s details.');
  requireCan(context, 'organizations.manage', 'add provider organizations', { countyFips: data.countyFips });
  return db.transaction(async (tx) => {
    const [same] = await tx.select({ name: providerOrganizations.name }).from(providerOrganizations).where(eq(providerOrganizations.npi, data.npi));
    if (same) throw new AppError('conflict', `NPI ${data.npi} is already recorded for ${same.name}.`, [{ path: 'npi', message: 'This NPI is already recorded.' }]);
    const [org] = await tx.insert(providerOrganizations).values({ ...data, createdBy: actorUserId(context.actor) }).returning();
    await recordAudit(tx, { ...auditContext(context), action: 'organization.create', entityType: 'provider_organization', entityId: org!.id, changes: [{ field: 'npi', before: null, after: data.npi }] });
    return org!;
  });
}

export const ContractInput = z.object({ deliverySystem: z.enum(['SMHS', 'DMC', 'DMC_ODS'], { message: 'Choose a delivery system.' }), ...Period });

/** A contract for a delivery system over a period; a second contract for the same system may not overlap it. */
export async function addContract(db: Db, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext) {
  const data = parseInput(ContractInput, input);
  checkPeriodOrder(data.startsOn, data.endsOn);
  const org = await manageableOrganization(db, input.organizationId, context);
  return db.transaction(async (tx) => {
    const clash = await tx
      .select({ startsOn: organizationContracts.startsOn })
      .from(organizationContracts)
      .where(and(eq(organizationContracts.organizationId, org.id), eq(organizationContracts.deliverySystem, data.deliverySystem), overlapping(organizationContracts, data.startsOn, data.endsOn ?? null)));
    if (clash[0]) throw new AppError('conflict', `${org.name} already has a ${data.deliverySystem} contract from ${clash[0].startsOn} covering part of that period.`);
    const [row] = await tx.insert(organizationContracts).values({ organizationId: org.id, deliverySystem: data.deliverySystem, startsOn: data.startsOn, endsOn: data.endsOn ?? null, recordedBy: actorUserId(context.actor) }).returning();
    await recordAudit(tx, { ...auditContext(context), action: 'organization.contract', entityType: 'provider_organization', entityId: org.id, changes: [{ field: `contract ${data.deliverySystem}`, before: null, after: `${data.startsOn}–${data.endsOn ?? ''}` }] });
    return row!;
  });
}

export const EmploymentInput = z.object({
  number: z.string().trim().toUpperCase().regex(/^PSS-\d{6}$/, 'A certification number looks like PSS-100001.'),
  individualNpi: Npi,
  ...Period,
});

/** A certified peer employed by the organization over a period, with their own NPI; periods may not overlap. */
export async function employPeer(db: Db, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext) {
  const data = parseInput(EmploymentInput, input);
  checkPeriodOrder(data.startsOn, data.endsOn);
  const org = await manageableOrganization(db, input.organizationId, context);
  const cert = await certificationByNumber(db, data.number);
  if (!cert) throw new AppError('bad-request', `No certification ${data.number} is on the registry.`, [{ path: 'number', message: 'No such certification.' }]);
  return db.transaction(async (tx) => {
    const clash = await tx
      .select({ startsOn: employments.startsOn })
      .from(employments)
      .where(and(eq(employments.organizationId, org.id), eq(employments.peerId, cert.peerId), overlapping(employments, data.startsOn, data.endsOn ?? null)));
    if (clash[0]) throw new AppError('conflict', `${data.number} is already employed by ${org.name} from ${clash[0].startsOn}, covering part of that period.`);
    const [row] = await tx
      .insert(employments)
      .values({ organizationId: org.id, peerId: cert.peerId, startsOn: data.startsOn, endsOn: data.endsOn ?? null, individualNpi: data.individualNpi, recordedBy: actorUserId(context.actor) })
      .returning();
    await recordAudit(tx, { ...auditContext(context), action: 'organization.employ', entityType: 'provider_organization', entityId: org.id, changes: [{ field: `employs ${data.number}`, before: null, after: data.startsOn }] });
    return row!;
  });
}

export const SupervisorInput = z.object({
  userId: z.string().uuid('Choose the supervisor.'),
  qualificationBasis: z.string().trim().min(3, 'Give the basis of the qualification (licence, experience).').max(500),
  trainingCompletedOn: z.preprocess(blank, IsoDate.optional()),
});

/** Record (or update) a supervisor's qualification; the person must hold the supervisor role. */
export async function recordSupervisor(db: Db, input: unknown, context: UseCaseContext) {
  const data = parseInput(SupervisorInput, input);
  const grants = await db.select({ countyFips: roleAssignments.countyFips, organizationId: roleAssignments.organizationId }).from(roleAssignments).where(and(eq(roleAssignments.userId, data.userId), eq(roleAssignments.role, 'supervisor'), isNull(roleAssignments.revokedAt)));
  if (grants.length === 0) throw new AppError('bad-request', 'That person does not hold the supervisor role.', [{ path: 'userId', message: 'Not a supervisor.' }]);
  // A supervisor of an organization is managed by its staff and its county; a county-scoped one by that county; an
  // unscoped supervisor by system administrators.
  if (!grants.some((g) => can(context.actor, 'organizations.manage', { countyFips: g.countyFips, organizationId: g.organizationId }))) refuse(context, 'record supervisors');
  return db.transaction(async (tx) => {
    const values = { qualificationBasis: data.qualificationBasis, trainingCompletedOn: data.trainingCompletedOn ?? null, recordedBy: actorUserId(context.actor), recordedAt: new Date() };
    const [row] = await tx.insert(supervisors).values({ userId: data.userId, ...values }).onConflictDoUpdate({ target: supervisors.userId, set: values }).returning();
    await recordAudit(tx, { ...auditContext(context), action: 'organization.supervisor', entityType: 'user', entityId: data.userId, changes: [{ field: 'trainingCompletedOn', before: null, after: data.trainingCompletedOn ?? null }] });
    return row!;
  });
}

export const SupervisionInput = z.object({ supervisorUserId: z.string().uuid('Choose the supervisor.'), number: EmploymentInput.shape.number, ...Period });

/** Who supervises a peer at an organization, from when; the peer must be employed there when it starts. */
export async function assignSupervision(db: Db, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext) {
  const data = parseInput(SupervisionInput, input);
  checkPeriodOrder(data.startsOn, data.endsOn);
  const org = await manageableOrganization(db, input.organizationId, context);
  const [supervisor] = await db.select().from(supervisors).where(eq(supervisors.userId, data.supervisorUserId));
  if (!supervisor) throw new AppError('bad-request', 'That person is not on record as a supervisor.', [{ path: 'supervisorUserId', message: 'Record the supervisor first.' }]);
  const cert = await certificationByNumber(db, data.number);
  if (!cert) throw new AppError('bad-request', `No certification ${data.number} is on the registry.`, [{ path: 'number', message: 'No such certification.' }]);
  const [employed] = await db
    .select({ id: employments.id })
    .from(employments)
    .where(and(eq(employments.organizationId, org.id), eq(employments.peerId, cert.peerId), coversOn(employments, data.startsOn)));
  if (!employed) throw new AppError('rule-violation', `${data.number} is not employed by ${org.name} on ${data.startsOn}.`, [{ path: 'startsOn', message: 'Not employed there on that date.' }], 'organization.not_employed');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(supervisionAssignments)
      .values({ organizationId: org.id, supervisorUserId: data.supervisorUserId, peerId: cert.peerId, startsOn: data.startsOn, endsOn: data.endsOn ?? null, recordedBy: actorUserId(context.actor) })
      .returning();
    await recordAudit(tx, { ...auditContext(context), action: 'organization.supervision', entityType: 'provider_organization', entityId: org.id, changes: [{ field: `supervises ${data.number}`, before: null, after: data.supervisorUserId }] });
    return row!;
  });
}

/** Whether the person supervises the peer (at any organization) on the date. */
export async function supervisesOn(db: Db, supervisorUserId: string, peerId: string, date: string): Promise<boolean> {
  const [row] = await db
    .select({ id: supervisionAssignments.id })
    .from(supervisionAssignments)
    .where(
      and(
        eq(supervisionAssignments.supervisorUserId, supervisorUserId),
        eq(supervisionAssignments.peerId, peerId),
        coversOn(supervisionAssignments, date),
      ),
    )
    .limit(1);
  return row !== undefined;
}
