// Retro-checks: when a certification status or a county's participation is recorded with an effective date in the
// past, every documented service it affects is flagged with the reason, and the people responsible (whoever
// documented it, the rendering peer, the organization's provider staff) are emailed — a count and the reason,
// never a member's name. The caller passes the condition that decides "affected" as SQL over `encounters`, so each
// fact's owner keeps its own rule (the certification's status on the date of service, say) and nothing is guessed.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { roleAssignments, users } from '../accounts/accounts.schema.ts';
import { queueEmail } from '../accounts/outbox.ts';
import { peers } from '../certification/certification.schema.ts';
import { queryRows, type Db } from '../db/client.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';
import { encounterFlags, encounters } from './encounters.schema.ts';

export interface RetroCheck {
  cause: 'certification_status' | 'participation';
  code: string;
  reason: string;
  /** Which encounters the change affects (a condition over the `encounters` table). */
  affected: SQL;
}

/** Flag the affected encounters that have no open flag of this code; returns how many were flagged. */
export async function flagAffectedEncounters(tx: Db, check: RetroCheck): Promise<number> {
  const flagged = await queryRows<{ id: string; organization_id: string; recorded_by: string | null; peer_id: string }>(
    tx,
    sql`with flagged as (
          insert into ${encounterFlags} (encounter_id, cause, code, reason)
          select ${encounters.id}, ${check.cause}, ${check.code}, ${check.reason} from ${encounters}
          where ${check.affected}
            and not exists (select 1 from ${encounterFlags} f where f.encounter_id = ${encounters.id} and f.code = ${check.code} and not f.resolved)
          returning encounter_id)
        select e.id, e.organization_id, e.recorded_by, e.peer_id from flagged join ${encounters} e on e.id = flagged.encounter_id`,
  );
  if (flagged.length === 0) return 0;
  await notifyResponsible(tx, check, flagged);
  return flagged.length;
}

async function notifyResponsible(tx: Db, check: RetroCheck, flagged: ReadonlyArray<{ organization_id: string; recorded_by: string | null; peer_id: string }>): Promise<void> {
  const orgIds = [...new Set(flagged.map((f) => f.organization_id))];
  const orgs = await tx.select({ id: providerOrganizations.id, name: providerOrganizations.name }).from(providerOrganizations).where(inArray(providerOrganizations.id, orgIds));
  const staff = await tx
    .select({ organizationId: roleAssignments.organizationId, email: users.email })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(inArray(roleAssignments.organizationId, orgIds), eq(roleAssignments.role, 'provider_staff'), isNull(roleAssignments.revokedAt), isNull(users.deactivatedAt)));
  const recorders = flagged.flatMap((f) => (f.recorded_by ? [f.recorded_by] : []));
  const peerIds = [...new Set(flagged.map((f) => f.peer_id))];
  const people = [
    ...(recorders.length === 0 ? [] : await tx.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.id, recorders), isNull(users.deactivatedAt)))),
    ...(await tx.select({ id: peers.id, email: users.email }).from(peers).innerJoin(users, eq(users.id, peers.userId)).where(inArray(peers.id, peerIds))),
  ];
  for (const org of orgs) {
    const ofOrg = flagged.filter((f) => f.organization_id === org.id);
    const emails = new Set([
      ...staff.filter((s) => s.organizationId === org.id).map((s) => s.email),
      ...people.filter((p) => ofOrg.some((f) => f.recorded_by === p.id || f.peer_id === p.id)).map((p) => p.email),
    ]);
    for (const to of emails) {
      await queueEmail(tx, {
        to,
        subject: `${ofOrg.length} service record${ofOrg.length === 1 ? '' : 's'} at ${org.name} flagged for review`,
        text: `${check.reason}\n\n${ofOrg.length} documented service${ofOrg.length === 1 ? ' is' : 's are'} affected and cannot be claimed until reviewed. Sign in and open Services, filtered to "Flagged", to see ${ofOrg.length === 1 ? 'it' : 'them'}.`,
      });
    }
  }
}
