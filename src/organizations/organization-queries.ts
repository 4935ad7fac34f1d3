// What the organization pages and API show: the organizations in the actor's scope, and one organization with its
// contracts, sites, peers, supervision and staff.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { todayOf, type UseCaseContext } from '../access/context.ts';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import { certifications, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { organizationsInScope, reachOrganization } from './organization-access.ts';
import { coversOn } from './periods.ts';
import { employments, organizationContracts, organizationSites, providerOrganizations, supervisionAssignments, supervisors } from './organizations.schema.ts';

export async function listOrganizations(db: Db, context: UseCaseContext) {
  const scope = await organizationsInScope(db, 'organizations.read', context);
  if (scope !== 'all' && scope.length === 0) return [];
  return db
    .select({ id: providerOrganizations.id, name: providerOrganizations.name, kind: providerOrganizations.kind, npi: providerOrganizations.npi, countyFips: providerOrganizations.countyFips, city: providerOrganizations.city })
    .from(providerOrganizations)
    .where(scope === 'all' ? undefined : inArray(providerOrganizations.id, scope))
    .orderBy(asc(providerOrganizations.name));
}

export async function getOrganization(db: Db, organizationId: string, context: UseCaseContext) {
  const { org } = await reachOrganization(db, organizationId, 'organizations.read', context, 'see this provider organization');
  const today = todayOf(context);
  const [contracts, sites, staff, people, supervision] = await Promise.all([
    db.select().from(organizationContracts).where(eq(organizationContracts.organizationId, org.id)).orderBy(asc(organizationContracts.deliverySystem), asc(organizationContracts.startsOn)),
    db.select().from(organizationSites).where(eq(organizationSites.organizationId, org.id)).orderBy(asc(organizationSites.name)),
    db
      .select({ id: employments.id, number: certifications.number, firstName: peers.legalFirstName, lastName: peers.legalLastName, startsOn: employments.startsOn, endsOn: employments.endsOn, individualNpi: employments.individualNpi, taxonomy: employments.taxonomy, current: coversOn(employments, today) })
      .from(employments)
      .innerJoin(peers, eq(peers.id, employments.peerId))
      .innerJoin(certifications, eq(certifications.peerId, peers.id))
      .where(eq(employments.organizationId, org.id))
      .orderBy(asc(peers.legalLastName), asc(employments.startsOn)),
    db
      .select({ userId: users.id, displayName: users.displayName, email: users.email, role: roleAssignments.role, trainingCompletedOn: supervisors.trainingCompletedOn, qualificationBasis: supervisors.qualificationBasis })
      .from(roleAssignments)
      .innerJoin(users, eq(users.id, roleAssignments.userId))
      .leftJoin(supervisors, eq(supervisors.userId, users.id))
      .where(and(eq(roleAssignments.organizationId, org.id), isNull(roleAssignments.revokedAt)))
      .orderBy(asc(users.displayName)),
    db
      .select({ id: supervisionAssignments.id, supervisorUserId: supervisionAssignments.supervisorUserId, supervisor: users.displayName, number: certifications.number, startsOn: supervisionAssignments.startsOn, endsOn: supervisionAssignments.endsOn, current: coversOn(supervisionAssignments, today) })
      .from(supervisionAssignments)
      .innerJoin(users, eq(users.id, supervisionAssignments.supervisorUserId))
      .innerJoin(certifications, eq(certifications.peerId, supervisionAssignments.peerId))
      .where(eq(supervisionAssignments.organizationId, org.id))
      .orderBy(asc(certifications.number), asc(supervisionAssignments.startsOn)),
  ]);
  return { organization: org, contracts, sites, employments: staff, people, supervision };
}
