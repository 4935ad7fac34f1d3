// Program rules as of a date, their history, and recording a change (from today or later: history is never rewritten).
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { auditContext, actorUserId, requireCan, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { isIsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { isRuleKey, RULE_KEYS, RULE_SCHEMAS, RULE_SEEDS, type ProgramRules, type RuleKey } from './rule-definitions.ts';
import { programRules } from './rules.schema.ts';

export type RuleRow = typeof programRules.$inferSelect;

/** The rows in force on `date`: per key, the latest effective_from ≤ date (a same-day correction: the later recorded). */
async function rowsInForce(db: Db, date: string): Promise<RuleRow[]> {
  return db
    .selectDistinctOn([programRules.key])
    .from(programRules)
    .where(lte(programRules.effectiveFrom, date))
    .orderBy(programRules.key, sql`${programRules.effectiveFrom} desc`, sql`${programRules.recordedAt} desc`);
}

/**
 * Every rule's value in force on `date`. A rule with no value yet on that date (the renewal fee before September
 * 2024) is a 422 naming it — when it is read, so use cases that do not need it are unaffected.
 */
export async function rulesAsOf(db: Db, date: string): Promise<ProgramRules> {
  const rows = new Map((await rowsInForce(db, date)).map((r) => [r.key, r]));
  const rules: Record<string, unknown> = {};
  for (const key of RULE_KEYS) {
    const row = rows.get(key);
    if (row) {
      rules[key] = RULE_SCHEMAS[key].parse(row.value);
    } else {
      Object.defineProperty(rules, key, {
        enumerable: true,
        get() {
          throw new AppError('rule-violation', `No program rule ${key} is in force on ${date}.`, [], 'rules.not_in_force');
        },
      });
    }
  }
  return rules as ProgramRules;
}

/** The rows in force on `date` (with their authority), for the staff page. */
export async function ruleRowsAsOf(db: Db, date: string): Promise<RuleRow[]> {
  return (await rowsInForce(db, date)).filter((r) => isRuleKey(r.key));
}

export async function ruleHistory(db: Db, key: RuleKey): Promise<RuleRow[]> {
  return db.select().from(programRules).where(eq(programRules.key, key)).orderBy(asc(programRules.effectiveFrom), asc(programRules.recordedAt));
}

export interface RuleChangeInput {
  key: string;
  value: unknown;
  effectiveFrom: string;
  authority: string;
  note?: string | undefined;
}

export async function recordRuleChange(db: Db, input: RuleChangeInput, context: UseCaseContext): Promise<RuleRow> {
  requireCan(context, 'rules.edit', 'change program rules');
  if (!isRuleKey(input.key)) throw new AppError('bad-request', `Unknown program rule "${input.key}".`, [{ path: 'key', message: 'Unknown program rule.' }]);
  const parsed = RULE_SCHEMAS[input.key].safeParse(input.value);
  if (!parsed.success) throw new AppError('bad-request', `That is not a valid value for ${input.key}.`, [{ path: 'value', message: parsed.error.issues[0]?.message ?? 'Invalid value.' }]);
  const today = context.today ?? todayInCalifornia();
  if (!isIsoDate(input.effectiveFrom)) throw new AppError('bad-request', 'The effective date must be a date written YYYY-MM-DD.', [{ path: 'effectiveFrom', message: 'Enter a date written YYYY-MM-DD.' }]);
  if (input.effectiveFrom < today) {
    throw new AppError('rule-violation', `A rule change takes effect from today (${today}) or later; history is not rewritten.`, [{ path: 'effectiveFrom', message: 'Choose today or a later date.' }], 'rules.retroactive');
  }
  if (input.authority.trim() === '') throw new AppError('bad-request', 'Name the authority for the change.', [{ path: 'authority', message: 'Name the authority for the change.' }]);
  return db.transaction(async (tx) => {
    const [before] = await rowsInForce(tx, input.effectiveFrom).then((rows) => rows.filter((r) => r.key === input.key));
    const [row] = await tx
      .insert(programRules)
      .values({ key: input.key, value: parsed.data, effectiveFrom: input.effectiveFrom, authority: input.authority.trim(), note: input.note?.trim() || null, recordedBy: actorUserId(context.actor) })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, {
      ...auditContext(context),
      action: 'rule.change',
      entityType: 'program_rule',
      entityId: input.key,
      changes: [{ field: `${input.key} from ${input.effectiveFrom}`, before: before?.value ?? null, after: parsed.data }],
      reason: input.authority.trim(),
    });
    return row;
  });
}

/** Reference data: each seed row is written once (matched on key and date), so later changes are never undone. */
export async function seedProgramRules(db: Db): Promise<void> {
  for (const seed of RULE_SEEDS) {
    const existing = await db
      .select({ id: programRules.id })
      .from(programRules)
      .where(and(eq(programRules.key, seed.key), eq(programRules.effectiveFrom, seed.effectiveFrom)))
      .limit(1);
    if (existing.length > 0) continue;
    await db.insert(programRules).values({ key: seed.key, value: seed.value, effectiveFrom: seed.effectiveFrom, authority: seed.authority, note: seed.note ?? null });
  }
}
