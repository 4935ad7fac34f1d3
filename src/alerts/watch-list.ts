// Use cases of a person's watch list: add one number or many pasted at once (each unknown one named with its
// reason, the rest added), and remove one. Numbers are matched as the registry does (pss-100001 is PSS-100001).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { auditContext, type UseCaseContext } from '../access/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { certifications } from '../certification/certification.schema.ts';
import { CERTIFICATION_NUMBER } from '../certification/issue-certification.ts';
import type { Db } from '../db/client.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import type { Locale } from '../web/i18n.ts';
import { rememberLocale, watcherOf } from './alerts-context.ts';
import { alertWatches } from './alerts.schema.ts';

/** The most numbers one request may add, and the most one list may hold. */
export const MAX_NUMBERS_PER_ADD = 1000;
export const MAX_WATCHES = 5000;

export interface AddWatchesInput {
  /** Certification numbers, or pasted text holding them (separated by commas, semicolons, spaces or lines). */
  numbers: string[] | string;
  /** The language of the page or request: the alert email will be written in it. */
  locale?: Locale;
}

export interface AddWatchesResult {
  added: string[];
  alreadyWatched: string[];
  refused: Array<{ number: string; message: string }>;
}

/** The distinct tokens of pasted text or a list, upper-cased, in the order first seen ("CSV-ish": any separator). */
export function splitNumbers(input: string[] | string): string[] {
  const pieces = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(/[\s,;]+/));
  const seen = new Set<string>();
  for (const piece of pieces) {
    const number = piece.trim().replace(/^["']|["']$/g, '').toUpperCase();
    if (number !== '') seen.add(number);
  }
  return [...seen];
}

/**
 * Add numbers to the asking person's watch list. Each number that is not a certification number or not on the
 * registry is refused with its reason and the others are added. When nothing could be added or was already there,
 * the whole request is refused (422), each number with its message.
 */
export async function addWatches(db: Db, input: AddWatchesInput, context: UseCaseContext): Promise<AddWatchesResult> {
  const userId = watcherOf(context, 'alerts.watch');
  const numbers = splitNumbers(input.numbers);
  if (numbers.length === 0) throw new AppError('bad-request', 'Enter at least one certification number (e.g. PSS-100001).', [{ path: 'numbers', message: 'Enter at least one certification number (e.g. PSS-100001).' }]);
  if (numbers.length > MAX_NUMBERS_PER_ADD) throw new AppError('bad-request', `At most ${MAX_NUMBERS_PER_ADD} numbers can be added at once; ${numbers.length} were given.`, [{ path: 'numbers', message: `At most ${MAX_NUMBERS_PER_ADD} numbers at once.` }]);

  return db.transaction(async (tx) => {
    const refused: AddWatchesResult['refused'] = [];
    const wellFormed = numbers.filter((number) => {
      if (CERTIFICATION_NUMBER.test(number)) return true;
      refused.push({ number: number.slice(0, 40), message: `"${number.slice(0, 40)}" is not a certification number (PSS- and at least six digits, e.g. PSS-100001).` });
      return false;
    });
    const known = wellFormed.length === 0 ? [] : await tx.select({ id: certifications.id, number: certifications.number }).from(certifications).where(inArray(certifications.number, wellFormed));
    const idOf = new Map(known.map((c) => [c.number, c.id]));
    for (const number of wellFormed) if (!idOf.has(number)) refused.push({ number, message: `No certification ${number} is on the registry; check the number on the certificate.` });

    // Serialize additions by one person, so the size limit holds with two requests at once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`alerts.watch:${userId}`}))`);
    const current = await tx.select({ certificationId: alertWatches.certificationId }).from(alertWatches).where(and(eq(alertWatches.userId, userId), isNull(alertWatches.removedAt)));
    const watched = new Set(current.map((w) => w.certificationId));
    const alreadyWatched = wellFormed.filter((n) => watched.has(idOf.get(n) ?? ''));
    const toAdd = wellFormed.filter((n) => idOf.has(n) && !watched.has(idOf.get(n) ?? ''));
    if (current.length + toAdd.length > MAX_WATCHES) {
      throw new AppError('rule-violation', `A watch list holds at most ${MAX_WATCHES} numbers; yours has ${current.length}, and ${toAdd.length} more were asked for.`, [], 'alerts.list_full');
    }
    if (toAdd.length === 0 && alreadyWatched.length === 0) {
      const errors: FieldError[] = refused.map((r) => ({ path: 'numbers', message: r.message }));
      throw new AppError('rule-violation', refused.length === 1 ? (refused[0]?.message ?? '') : `None of the ${refused.length} numbers could be added.`, errors, 'alerts.unknown_number');
    }
    if (toAdd.length > 0) {
      await tx
        .insert(alertWatches)
        .values(toAdd.map((n) => ({ userId, certificationId: idOf.get(n) ?? '' })))
        .onConflictDoNothing();
      await recordAudit(tx, {
        ...auditContext(context),
        action: 'alerts.watch.add',
        entityType: 'alert_watch_list',
        entityId: userId,
        changes: [{ field: 'numbers', before: null, after: toAdd.join(', ') }],
      });
    }
    await rememberLocale(tx, userId, input.locale);
    return { added: toAdd, alreadyWatched, refused };
  });
}

/** Remove a number from the asking person's list; 404 when it is not on it (someone else's list is never reached). */
export async function removeWatch(db: Db, input: { number: string }, context: UseCaseContext): Promise<void> {
  const userId = watcherOf(context, 'alerts.watch');
  const number = input.number.trim().toUpperCase();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertWatches)
      .set({ removedAt: sql`now()` })
      .where(
        and(
          eq(alertWatches.userId, userId),
          isNull(alertWatches.removedAt),
          inArray(alertWatches.certificationId, tx.select({ id: certifications.id }).from(certifications).where(eq(certifications.number, number))),
        ),
      )
      .returning({ id: alertWatches.id });
    if (!row) throw new AppError('not-found', `${number.slice(0, 40)} is not on your watch list.`);
    await recordAudit(tx, { ...auditContext(context), action: 'alerts.watch.remove', entityType: 'alert_watch_list', entityId: userId, changes: [{ field: 'numbers', before: number, after: null }] });
  });
}
