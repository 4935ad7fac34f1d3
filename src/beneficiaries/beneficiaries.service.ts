// A member's record at an organization: register, correct (optimistic lock), read, find by CIN, list. The CIN and
// birth date are encrypted before they reach the database and decrypted only for a person allowed to read them;
// every read and change writes an audit row naming the record, never its values.
import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { actorUserId, auditContext, todayOf, type UseCaseContext } from '../access/context.ts';
import { auditRead } from '../audit/audit-reads.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { ageOn } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';
import { parseInput } from '../lib/parse-input.ts';
import { organizationsInScope, reachOrganization } from '../organizations/organization-access.ts';
import { beneficiaries, eligibilityPeriods } from './beneficiaries.schema.ts';
import { BeneficiaryInput } from './beneficiaries.types.ts';

export type BeneficiaryRow = typeof beneficiaries.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const memberNotFound = () => new AppError('not-found', 'There is no such member record.');

/** The fields that are encrypted: the audit log names them, never their values. */
const CIN = 'beneficiaries.cin';
const BIRTH_DATE = 'beneficiaries.birth_date';

function checkBirthDate(birthDate: string, today: string): void {
  if (birthDate > today || ageOn(birthDate, today) > 125) {
    throw new AppError('bad-request', 'Check the date of birth.', [{ path: 'birthDate', message: 'The date of birth is in the future or too long ago.' }]);
  }
}

/** A member's record with the CIN and birth date readable. */
export interface Beneficiary {
  id: string;
  organizationId: string;
  cin: string;
  birthDate: string;
  firstName: string;
  lastName: string;
  sex: string;
  countyFips: string;
  street: string | null;
  city: string | null;
  zip: string | null;
  version: number;
}

export function decryptBeneficiary(cipher: FieldCipher, row: BeneficiaryRow): Beneficiary {
  return {
    id: row.id,
    organizationId: row.organizationId,
    cin: cipher.decrypt(CIN, row.cinEncrypted),
    birthDate: cipher.decrypt(BIRTH_DATE, row.birthDateEncrypted),
    firstName: row.firstName,
    lastName: row.lastName,
    sex: row.sex,
    countyFips: row.countyFips,
    street: row.street,
    city: row.city,
    zip: row.zip,
    version: row.version,
  };
}

/** The columns of a member's details as stored: the CIN and birth date encrypted, the CIN's blind index. */
function storedFields(cipher: FieldCipher, data: BeneficiaryInput) {
  return {
    cinEncrypted: cipher.encrypt(CIN, data.cin),
    cinIndex: cipher.index(CIN, data.cin),
    birthDateEncrypted: cipher.encrypt(BIRTH_DATE, data.birthDate),
    firstName: data.firstName,
    lastName: data.lastName,
    sex: data.sex,
    countyFips: data.countyFips,
    street: data.street ?? null,
    city: data.city ?? null,
    zip: data.zip?.replace('-', '') ?? null,
  };
}

export async function registerBeneficiary(db: Db, cipher: FieldCipher, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext): Promise<Beneficiary> {
  const data = parseInput(BeneficiaryInput, input, 'Check the member’s details.');
  checkBirthDate(data.birthDate, todayOf(context));
  const { org } = await reachOrganization(db, input.organizationId, 'beneficiaries.manage', context, 'register members for this organization');
  return db.transaction(async (tx) => {
    const [same] = await tx
      .select({ id: beneficiaries.id })
      .from(beneficiaries)
      .where(and(eq(beneficiaries.organizationId, org.id), inArray(beneficiaries.cinIndex, cipher.indexes(CIN, data.cin))));
    if (same) throw new AppError('conflict', 'A member with this CIN is already registered here.', [{ path: 'cin', message: 'Already registered.' }]);
    const [row] = await tx
      .insert(beneficiaries)
      .values({
        organizationId: org.id,
        ...storedFields(cipher, data),
        createdBy: actorUserId(context.actor),
      })
      .returning();
    await recordAudit(tx, { ...auditContext(context), action: 'beneficiary.create', entityType: 'beneficiary', entityId: row!.id, changes: [{ field: 'cin', before: null, after: '***' }, { field: 'birthDate', before: null, after: '***' }] });
    return decryptBeneficiary(cipher, row!);
  });
}

/** The record (any organization's), and the organization it belongs to, if the actor may do `action` with it. */
export async function reachBeneficiary(db: Db, beneficiaryId: string, action: 'beneficiaries.read' | 'beneficiaries.manage', context: UseCaseContext) {
  const [row] = UUID.test(beneficiaryId) ? await db.select().from(beneficiaries).where(eq(beneficiaries.id, beneficiaryId)) : [];
  if (!row) throw memberNotFound();
  try {
    const reach = await reachOrganization(db, row.organizationId, action, context, 'see this member');
    return { row, ...reach };
  } catch (err) {
    // Someone who may not see the member learns nothing, not even that the record exists.
    if (err instanceof AppError && err.status === 403) throw memberNotFound();
    throw err;
  }
}

export async function getBeneficiary(db: Db, cipher: FieldCipher, beneficiaryId: string, context: UseCaseContext) {
  const { row } = await reachBeneficiary(db, beneficiaryId, 'beneficiaries.read', context);
  const periods = await db.select().from(eligibilityPeriods).where(eq(eligibilityPeriods.beneficiaryId, row.id)).orderBy(asc(eligibilityPeriods.startsOn));
  await auditRead(db, context, { action: 'beneficiary.read', entityType: 'beneficiary', ids: [row.id], how: 'record' });
  return { member: decryptBeneficiary(cipher, row), eligibility: periods };
}

/** Exact CIN lookup at one organization, by the blind index (no row is decrypted to search). */
export async function findBeneficiaryByCin(db: Db, cipher: FieldCipher, organizationId: string, cinText: string, context: UseCaseContext): Promise<Beneficiary | null> {
  const { org } = await reachOrganization(db, organizationId, 'beneficiaries.read', context, 'see this organization’s members');
  const cin = parseInput(BeneficiaryInput.shape.cin, cinText);
  const [row] = await db.select().from(beneficiaries).where(and(eq(beneficiaries.organizationId, org.id), inArray(beneficiaries.cinIndex, cipher.indexes(CIN, cin))));
  if (!row) return null;
  await auditRead(db, context, { action: 'beneficiary.read', entityType: 'beneficiary', ids: [row.id], how: 'CIN lookup' });
  return decryptBeneficiary(cipher, row);
}

export interface MemberListItem {
  id: string;
  organizationId: string;
  firstName: string;
  lastName: string;
  countyFips: string;
  /** Eligible today by the recorded periods. */
  eligibleToday: boolean;
}

/**
 * Members of the organizations in the actor's scope (one organization when asked), by name; the CIN and birth date
 * are not decrypted for a list. The list is audited as one row naming each member shown.
 */
export async function listBeneficiaries(db: Db, filter: { organizationId?: string; name?: string; limit?: number }, context: UseCaseContext): Promise<MemberListItem[]> {
  let scope = await organizationsInScope(db, 'beneficiaries.read', context);
  if (filter.organizationId) {
    await reachOrganization(db, filter.organizationId, 'beneficiaries.read', context, 'see this organization’s members');
    scope = [filter.organizationId];
  }
  if (scope !== 'all' && scope.length === 0) return [];
  const today = todayOf(context);
  const name = filter.name?.trim();
  const rows = await db
    .select({
      id: beneficiaries.id,
      organizationId: beneficiaries.organizationId,
      firstName: beneficiaries.firstName,
      lastName: beneficiaries.lastName,
      countyFips: beneficiaries.countyFips,
      // Written out in full: in a one-table select drizzle leaves columns unqualified, and a bare "id" here would be
      // the period's own id.
      eligibleToday: sql<boolean>`exists (select 1 from eligibility_periods e where e.beneficiary_id = "beneficiaries"."id" and e.starts_on <= ${today} and (e.ends_on is null or e.ends_on > ${today}))`,
    })
    .from(beneficiaries)
    .where(and(scope === 'all' ? undefined : inArray(beneficiaries.organizationId, scope), name ? or(ilike(beneficiaries.lastName, `%${escapeLike(name)}%`), ilike(beneficiaries.firstName, `%${escapeLike(name)}%`)) : undefined))
    .orderBy(asc(beneficiaries.lastName), asc(beneficiaries.firstName))
    .limit(Math.min(filter.limit ?? 200, 500));
  await auditRead(db, context, { action: 'beneficiary.read', entityType: 'beneficiary', ids: rows.map((r) => r.id), how: 'list' });
  return rows;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Correct a member's details; `version` must be the one read (409 otherwise). */
export async function updateBeneficiary(db: Db, cipher: FieldCipher, beneficiaryId: string, input: Record<string, unknown> & { version?: unknown }, context: UseCaseContext): Promise<Beneficiary> {
  const data = parseInput(BeneficiaryInput, input, 'Check the member’s details.');
  checkBirthDate(data.birthDate, todayOf(context));
  const { row } = await reachBeneficiary(db, beneficiaryId, 'beneficiaries.manage', context);
  const before = decryptBeneficiary(cipher, row);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(beneficiaries)
      .set({
        ...storedFields(cipher, data),
        version: sql`${beneficiaries.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(beneficiaries.id, row.id), eq(beneficiaries.version, Number(input.version))))
      .returning();
    if (!updated) throw new AppError('conflict', 'Someone changed this member’s record since you opened it. Reload it and make your change again.');
    const changed = (['cin', 'birthDate', 'firstName', 'lastName', 'sex', 'countyFips', 'street', 'city', 'zip'] as const).filter((f) => before[f] !== (data[f] ?? null));
    await recordAudit(tx, { ...auditContext(context), action: 'beneficiary.update', entityType: 'beneficiary', entityId: row.id, changes: changed.map((field) => ({ field, before: '***', after: '***' })) });
    return decryptBeneficiary(cipher, updated);
  });
}
