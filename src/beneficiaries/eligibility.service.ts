// Members' Medi-Cal eligibility: periods entered by staff or imported from a CSV (an eligibility file from the
// county or a clearinghouse), and the eligibility check the rest of the platform asks through one interface —
// the recorded periods being its first source. A 270/271 exchange would be another `EligibilityChecker` that asks
// the payer and records the 271's period with source `x12_271`; no clearinghouse connection exists here yet.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { actorUserId, auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { arrayParam, queryRows, type Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';
import { parseInput } from '../lib/parse-input.ts';
import { reachOrganization } from '../organizations/organization-access.ts';
import { checkPeriodOrder, coversOn, overlapping } from '../organizations/periods.ts';
import { beneficiaries, eligibilityPeriods } from './beneficiaries.schema.ts';
import { reachBeneficiary } from './beneficiaries.service.ts';
import { Cin, EligibilityInput } from './beneficiaries.types.ts';

export interface EligibilityAnswer {
  eligible: boolean;
  /** Where the answer came from: the recorded periods (`recorded`), or a payer's 271. */
  source: string;
  /** The period that covers the date, when eligible. */
  period: { startsOn: string; endsOn: string | null; aidCode: string | null } | null;
}

/** "Is this member eligible on D?" — validation and claims ask through this, whatever the source. */
export interface EligibilityChecker {
  readonly source: string;
  check(db: Db, beneficiaryId: string, date: string): Promise<EligibilityAnswer>;
  /** Many questions at once (building claims asks thousands): the answers in the order asked. */
  checkMany(db: Db, asks: ReadonlyArray<{ beneficiaryId: string; date: string }>): Promise<boolean[]>;
}

/** The periods recorded here (entered by hand or imported). */
export const recordedEligibility: EligibilityChecker = {
  source: 'recorded',
  async check(db, beneficiaryId, date) {
    const [period] = await db
      .select({ startsOn: eligibilityPeriods.startsOn, endsOn: eligibilityPeriods.endsOn, aidCode: eligibilityPeriods.aidCode })
      .from(eligibilityPeriods)
      .where(and(eq(eligibilityPeriods.beneficiaryId, beneficiaryId), coversOn(eligibilityPeriods, date)))
      .limit(1);
    return { eligible: period !== undefined, source: 'recorded', period: period ?? null };
  },
  async checkMany(db, asks) {
    if (asks.length === 0) return [];
    const rows = await queryRows<{ eligible: boolean }>(
      db,
      sql`select exists (select 1 from eligibility_periods p where p.beneficiary_id = a.id and p.starts_on <= a.d and (p.ends_on is null or p.ends_on > a.d)) as eligible
          from unnest(${arrayParam(asks.map((a) => a.beneficiaryId), 'uuid')}, ${arrayParam(asks.map((a) => a.date), 'date')}) with ordinality as a(id, d, n)
          order by a.n`,
    );
    return rows.map((r) => r.eligible);
  },
};


/** Periods of the member that overlap [startsOn, endsOn). */
async function overlappingPeriod(db: Db, beneficiaryId: string, startsOn: string, endsOn: string | null) {
  const [row] = await db
    .select({ startsOn: eligibilityPeriods.startsOn, endsOn: eligibilityPeriods.endsOn })
    .from(eligibilityPeriods)
    .where(and(eq(eligibilityPeriods.beneficiaryId, beneficiaryId), overlapping(eligibilityPeriods, startsOn, endsOn)))
    .limit(1);
  return row;
}

/** Staff enter a period of eligibility (from a card, a portal lookup); it may not overlap one already recorded. */
export async function recordEligibility(db: Db, beneficiaryId: string, input: unknown, context: UseCaseContext) {
  const data = parseInput(EligibilityInput, input, 'Check the eligibility dates.');
  checkPeriodOrder(data.startsOn, data.endsOn);
  const { row } = await reachBeneficiary(db, beneficiaryId, 'beneficiaries.manage', context);
  return db.transaction(async (tx) => {
    const clash = await overlappingPeriod(tx, row.id, data.startsOn, data.endsOn ?? null);
    if (clash) throw new AppError('conflict', `An eligibility period from ${clash.startsOn} already covers part of those dates.`, [{ path: 'startsOn', message: 'Overlaps a recorded period.' }]);
    const [period] = await tx
      .insert(eligibilityPeriods)
      .values({ beneficiaryId: row.id, startsOn: data.startsOn, endsOn: data.endsOn ?? null, aidCode: data.aidCode ?? null, source: 'manual', recordedBy: actorUserId(context.actor) })
      .returning();
    await recordAudit(tx, { ...auditContext(context), action: 'beneficiary.eligibility', entityType: 'beneficiary', entityId: row.id, changes: [{ field: 'eligibility', before: null, after: `${data.startsOn}–${data.endsOn ?? ''}` }] });
    return period!;
  });
}

export interface EligibilityImportRow {
  line: number;
  outcome: 'recorded' | 'already_recorded' | 'rejected';
  /** Why a row was rejected; never the CIN. */
  reason?: string;
}

export interface EligibilityImportResult {
  rows: EligibilityImportRow[];
  recorded: number;
  alreadyRecorded: number;
  rejected: number;
}

const MAX_ROWS = 20_000;

/**
 * A CSV of eligibility periods (`cin`, `starts_on`, `ends_on`, optional `aid_code`) for members registered at the
 * organization. Each row is recorded, skipped as already recorded (the same period — so importing a file again
 * changes nothing), or rejected with its reason (unknown CIN, bad dates, overlap with a different period). Rows are
 * matched by the CIN's blind index; the report names lines, never CINs.
 */
export async function importEligibilityCsv(db: Db, cipher: FieldCipher, input: { organizationId: string; csv: string | Buffer }, context: UseCaseContext): Promise<EligibilityImportResult> {
  const { org } = await reachOrganization(db, input.organizationId, 'beneficiaries.manage', context, 'import eligibility for this organization');
  let records: Array<Record<string, string>>;
  try {
    records = parse(input.csv, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_')), skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new AppError('bad-request', `The file is not a readable CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError('bad-request', 'The file has no rows under its header.');
  if (records.length > MAX_ROWS) throw new AppError('bad-request', `A file may have at most ${MAX_ROWS.toLocaleString('en-US')} rows; split it.`);
  if (!('cin' in records[0]!) || !('starts_on' in records[0]!)) throw new AppError('bad-request', 'The header needs the columns cin, starts_on and ends_on (aid_code optional).');
  const sha256 = createHash('sha256').update(input.csv).digest('hex');

  const cins = records.map((r) => Cin.safeParse(r.cin ?? ''));
  const indexes = [...new Set(cins.flatMap((c) => (c.success ? cipher.indexes('beneficiaries.cin', c.data) : [])))];
  const members = indexes.length === 0 ? [] : await db.select({ id: beneficiaries.id, cinIndex: beneficiaries.cinIndex }).from(beneficiaries).where(and(eq(beneficiaries.organizationId, org.id), inArray(beneficiaries.cinIndex, indexes)));
  const memberByIndex = new Map(members.map((m) => [m.cinIndex, m.id]));

  const rows: EligibilityImportRow[] = [];
  await db.transaction(async (tx) => {
    for (const [i, record] of records.entries()) {
      const line = i + 2;
      const cin = cins[i]!;
      if (!cin.success) {
        rows.push({ line, outcome: 'rejected', reason: 'The CIN is not 9 characters: 9, seven digits, a letter.' });
        continue;
      }
      const memberId = cipher.indexes('beneficiaries.cin', cin.data).map((x) => memberByIndex.get(x)).find((id) => id !== undefined);
      if (!memberId) {
        rows.push({ line, outcome: 'rejected', reason: 'No member with this CIN is registered here.' });
        continue;
      }
      const period = EligibilityInput.safeParse({ startsOn: record.starts_on, endsOn: record.ends_on, aidCode: record.aid_code });
      if (!period.success || (period.data.endsOn !== undefined && period.data.endsOn <= period.data.startsOn)) {
        rows.push({ line, outcome: 'rejected', reason: period.success ? 'The end date comes after the start date.' : (period.error.issues[0]?.message ?? 'Check the dates.') });
        continue;
      }
      const { startsOn, endsOn = null, aidCode = null } = period.data;
      const clash = await overlappingPeriod(tx, memberId, startsOn, endsOn);
      if (clash && clash.startsOn === startsOn && clash.endsOn === endsOn) {
        rows.push({ line, outcome: 'already_recorded' });
        continue;
      }
      if (clash) {
        rows.push({ line, outcome: 'rejected', reason: `Overlaps the recorded period from ${clash.startsOn}.` });
        continue;
      }
      await tx.insert(eligibilityPeriods).values({ beneficiaryId: memberId, startsOn, endsOn, aidCode, source: 'csv', importSha256: sha256, recordedBy: actorUserId(context.actor) });
      rows.push({ line, outcome: 'recorded' });
    }
    const count = (o: EligibilityImportRow['outcome']) => rows.filter((r) => r.outcome === o).length;
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'beneficiary.eligibility.import',
      entityType: 'provider_organization',
      entityId: org.id,
      changes: [{ field: 'eligibility rows', before: null, after: { recorded: count('recorded'), alreadyRecorded: count('already_recorded'), rejected: count('rejected'), sha256 } }],
    });
  });
  return { rows, recorded: rows.filter((r) => r.outcome === 'recorded').length, alreadyRecorded: rows.filter((r) => r.outcome === 'already_recorded').length, rejected: rows.filter((r) => r.outcome === 'rejected').length };
}
