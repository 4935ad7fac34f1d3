// The people who work for a provider organization on the platform: provider staff and supervisors whose role is
// limited to it (role_assignments.organization_id), and the places it serves from. Granting an organization role
// stores the organization's county with it, so the county's administrators see and manage those people too.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, auditContext, type UseCaseContext } from '../access/context.ts';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import { reachOrganization } from './organization-access.ts';
import { organizationSites } from './organizations.schema.ts';

export const OrganizationStaffInput = z.object({
  email: z.string().trim().email('Give the person’s email address.'),
  role: z.enum(['provider_staff', 'supervisor'], { message: 'Choose provider staff or supervisor.' }),
});

/** Give a person with an account a role limited to this organization. */
export async function addOrganizationStaff(db: Db, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext) {
  const data = parseInput(OrganizationStaffInput, input);
  const { org } = await reachOrganization(db, input.organizationId, 'organizations.manage', context, 'manage this provider organization');
  const [person] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${data.email})`);
  if (!person) throw new AppError('not-found', 'No account uses that email address. Invite the person first (People, /admin/users), then add them here.', [{ path: 'email', message: 'No account uses this address.' }]);
  return db.transaction(async (tx) => {
    const [held] = await tx
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userId, person.id), eq(roleAssignments.role, data.role), eq(roleAssignments.organizationId, org.id), isNull(roleAssignments.revokedAt)));
    if (held) throw new AppError('conflict', `That person is already ${data.role === 'supervisor' ? 'a supervisor' : 'staff'} of ${org.name}.`);
    await tx.insert(roleAssignments).values({ userId: person.id, role: data.role, countyFips: org.countyFips, organizationId: org.id, grantedBy: actorUserId(context.actor) });
    await recordAudit(tx, { ...auditContext(context), action: 'user.role.grant', entityType: 'user', entityId: person.id, changes: [{ field: 'roles', before: null, after: { role: data.role, countyFips: org.countyFips, organizationId: org.id } }] });
    return { userId: person.id, role: data.role };
  });
}

export const SiteInput = z.object({
  name: z.string().trim().min(2, 'Name the site.').max(200),
  street: z.string().trim().min(3, 'Give the street address.').max(200),
  city: z.string().trim().min(2, 'Give the city.').max(100),
  zip: z.string().trim().regex(/^\d{5}(-?\d{4})?$/, 'A ZIP code is 5 or 9 digits.'),
  placeOfService: z.string().trim().regex(/^\d{2}$/, 'A place-of-service code is two digits (11 office, 53 community mental health center).'),
});

export async function addSite(db: Db, input: { organizationId: string } & Record<string, unknown>, context: UseCaseContext) {
  const data = parseInput(SiteInput, input, 'Check the site’s details.');
  const { org } = await reachOrganization(db, input.organizationId, 'organizations.manage', context, 'manage this provider organization');
  return db.transaction(async (tx) => {
    const [site] = await tx.insert(organizationSites).values({ organizationId: org.id, ...data, recordedBy: actorUserId(context.actor) }).returning();
    await recordAudit(tx, { ...auditContext(context), action: 'organization.site', entityType: 'provider_organization', entityId: org.id, changes: [{ field: 'site', before: null, after: data.name }] });
    return site!;
  });
}
