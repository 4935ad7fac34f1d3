// Fee schedules: the rate per unit for a county plan × delivery system × procedure code × modifiers, from a date,
// imported from CSV (plan_code, delivery_system, procedure_code, modifiers, effective_from, rate). A file is checked
// whole first; any bad row refuses the file with every row's reason, and rows already recorded are skipped, so the
// same file twice changes nothing. `rateOn` answers for one service date.
import { parse } from 'csv-parse/sync';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, auditContext, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { behavioralHealthPlans } from '../counties/counties.schema.ts';
import type { Db } from '../db/client.ts';
import { IsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { feeScheduleRates } from './claims.schema.ts';

const RateRow = z.object({
  plan_code: z.string().trim().min(1, 'plan_code is empty'),
  delivery_system: z.enum(['SMHS', 'DMC', 'DMC_ODS'], { message: 'delivery_system is SMHS, DMC or DMC_ODS' }),
  procedure_code: z.string().trim().toUpperCase().regex(/^[A-Z]\d{4}$/, 'procedure_code is a HCPCS code like H0038'),
  modifiers: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().trim().toUpperCase().regex(/^([A-Z0-9]{2}(:[A-Z0-9]{2}){0,3})?$/, 'modifiers are up to four two-character codes joined by ":"')),
  effective_from: IsoDate,
  rate: z.string().trim().regex(/^\d{1,5}(\.\d{1,2})?$/, 'rate is dollars and cents per unit, like 26.49'),
});

export interface RateImportResult {
  recorded: number;
  alreadyRecorded: number;
}

/** Dollars written as text to integer cents, without floating point. */
export function centsOf(dollars: string): number {
  const [whole = '0', fraction = ''] = dollars.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export async function importFeeSchedule(db: Db, input: { csv: string | Buffer; source: string; illustrative?: boolean }, context: UseCaseContext): Promise<RateImportResult> {
  if (!context.system) requireCan(context, 'claims.rates.manage', 'import fee schedules');
  let records: Array<Record<string, string>>;
  try {
    records = parse(input.csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new AppError('bad-request', `The file is not a readable CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError('bad-request', 'The file has no rows under its header.');
  const plans = new Set((await db.select({ code: behavioralHealthPlans.code }).from(behavioralHealthPlans)).map((p) => p.code));
  const problems: Array<{ path: string; message: string }> = [];
  const rows = records.flatMap((record, i) => {
    const parsed = RateRow.safeParse(record);
    if (!parsed.success) {
      problems.push({ path: `line ${i + 2}`, message: parsed.error.issues[0]?.message ?? 'check the row' });
      return [];
    }
    if (!plans.has(parsed.data.plan_code)) {
      problems.push({ path: `line ${i + 2}`, message: `plan_code ${parsed.data.plan_code} is not a county behavioral health plan` });
      return [];
    }
    return [parsed.data];
  });
  if (problems.length > 0) throw new AppError('bad-request', `The fee schedule was not imported: ${problems.length} row(s) need correcting.`, problems);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(feeScheduleRates)
      .values(rows.map((r) => ({ planCode: r.plan_code, deliverySystem: r.delivery_system, procedureCode: r.procedure_code, modifiers: r.modifiers, effectiveFrom: r.effective_from, rateCents: centsOf(r.rate), illustrative: input.illustrative ?? false, source: input.source, recordedBy: actorUserId(context.actor) })))
      .onConflictDoNothing()
      .returning({ id: feeScheduleRates.id });
    await recordAudit(tx, { ...auditContext(context), action: 'claims.fee_schedule.import', entityType: 'fee_schedule', entityId: input.source, changes: [{ field: 'rates', before: null, after: { recorded: inserted.length, alreadyRecorded: rows.length - inserted.length } }] });
    return { recorded: inserted.length, alreadyRecorded: rows.length - inserted.length };
  });
}

/** The rate in force on the date for the plan, system, code and modifiers (null: none). */
export interface RateKey {
  deliverySystem: string;
  procedureCode: string;
  modifiers: string;
}

export type RateAnswer = { rateCents: number; illustrative: boolean } | null;

/**
 * A county plan's whole fee schedule, held in memory (a few rows per code), answering for any key and date: the rate
 * from the latest date on or before it, the latest recorded on a tie. Building thousands of lines asks it once.
 */
export async function rateTableOf(db: Db, planCode: string): Promise<(key: RateKey, date: string) => RateAnswer> {
  const rows = await db
    .select()
    .from(feeScheduleRates)
    .where(eq(feeScheduleRates.planCode, planCode))
    .orderBy(desc(feeScheduleRates.effectiveFrom), desc(feeScheduleRates.recordedAt));
  const byKey = new Map<string, typeof rows>();
  for (const row of rows) {
    const k = `${row.deliverySystem}|${row.procedureCode}|${row.modifiers}`;
    byKey.set(k, [...(byKey.get(k) ?? []), row]);
  }
  return (key, date) => {
    const row = byKey.get(`${key.deliverySystem}|${key.procedureCode}|${key.modifiers}`)?.find((r) => r.effectiveFrom <= date);
    return row ? { rateCents: row.rateCents, illustrative: row.illustrative } : null;
  };
}

/** The rate for one service date. */
export async function rateOn(db: Db, key: RateKey & { planCode: string }, date: string): Promise<RateAnswer> {
  return (await rateTableOf(db, key.planCode))(key, date);
}
