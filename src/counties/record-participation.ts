// A DHCS analyst records one participation change: a new effective-dated row with a reason, never an overwrite.
import type { Actor } from '../access/roles.ts';
import { can, hasRole } from '../access/can.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { participationChanges } from './counties.schema.ts';
import { getCounty, participationAsOf } from './counties.service.ts';
import { flagServicesAfterParticipationEnded } from './participation-retro-check.ts';
import type { DeliverySystem } from './reference-data.ts';

export interface ParticipationChangeInput {
  fips: string;
  deliverySystem: DeliverySystem;
  participating: boolean;
  effectiveOn: string;
  reason: string;
}

export interface RequestContext {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
}

/** The other DMC system: a county runs the DMC State Plan or DMC-ODS, never both at once. */
const OTHER_DMC: Partial<Record<DeliverySystem, DeliverySystem>> = { DMC: 'DMC_ODS', DMC_ODS: 'DMC' };

export async function recordParticipationChange(db: Db, input: ParticipationChangeInput, context: RequestContext) {
  if (!can(context.actor, 'counties.participation.edit')) {
    throw new AppError(context.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden', 'Only DHCS analysts and administrators record participation.');
  }
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('bad-request', 'Give the reason for the change.', [{ path: 'reason', message: 'Give the reason for the change.' }]);
  const county = await getCounty(db, input.fips, input.effectiveOn); // 404 for an unknown county

  return db.transaction(async (tx) => {
    const systems = (await participationAsOf(tx, input.effectiveOn, input.fips)).get(input.fips) ?? [];
    if (systems.includes(input.deliverySystem) === input.participating) {
      throw new AppError(
        'conflict',
        `${county.name} already ${input.participating ? 'takes' : 'does not take'} part in ${input.deliverySystem} on ${input.effectiveOn}.`,
      );
    }
    const other = OTHER_DMC[input.deliverySystem];
    if (input.participating && other && systems.includes(other)) {
      throw new AppError(
        'rule-violation',
        `${county.name} takes part in ${other} on ${input.effectiveOn}; a county runs the DMC State Plan or DMC-ODS, not both. End ${other} first.`,
        [],
        'participation.dmc_and_dmc_ods',
      );
    }
    const actorId = context.actor.kind === 'user' ? context.actor.userId : context.actor.kind === 'token' ? context.actor.tokenId : null;
    const [row] = await tx
      .insert(participationChanges)
      .values({
        countyFips: input.fips,
        deliverySystem: input.deliverySystem,
        effectiveOn: input.effectiveOn,
        participating: input.participating,
        source: 'Recorded by a DHCS analyst',
        reason,
      })
      .returning({ id: participationChanges.id });
    if (!row) throw new Error('insert returned no row');
    if (!input.participating) await flagServicesAfterParticipationEnded(tx, { fips: input.fips, countyName: county.name, deliverySystem: input.deliverySystem, effectiveOn: input.effectiveOn });
    await recordAudit(tx, {
      actor: {
        userId: context.actor.kind === 'user' ? actorId : null,
        tokenId: context.actor.kind === 'token' ? actorId : null,
        role: hasRole(context.actor, 'dhcs_analyst') ? 'dhcs_analyst' : 'system_admin',
      },
      action: 'county.participation.change',
      entityType: 'county',
      entityId: input.fips,
      changes: [{ field: `${input.deliverySystem} from ${input.effectiveOn}`, before: !input.participating, after: input.participating }],
      reason,
      ip: context.ip ?? null,
      userAgent: context.userAgent ?? null,
    });
    return { changeId: row.id };
  });
}
