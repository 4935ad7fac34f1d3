// Filing a complaint (PROGRAM.md §10.1): from the public form (signed in, or not with contact details), or entered
// by enforcement staff from an email, a letter or a call. It gets a number, its clocks from the rules in force on
// receipt, its filing flags, and its evidence; a complainant with an email address is acknowledged at once.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorUserId, refuse, requireCan, todayOf, type UseCaseContext } from '../access/context.ts';
import { can } from '../access/can.ts';
import { users } from '../accounts/accounts.schema.ts';
import { queueEmail } from '../accounts/outbox.ts';
import { certificationByNumber } from '../certification/certificate-data.ts';
import type { Db } from '../db/client.ts';
import { IsoDate } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { parseInput } from '../lib/parse-input.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import { translator, type Locale } from '../web/i18n.ts';
import { auditCase, checkEvidence, clocksOnReceipt, computeFlags, nextCaseNumber, providerExists, storeEvidence, type CaseRow, type EvidenceUpload } from './case-record.ts';
import { enforcementCases } from './enforcement.schema.ts';
import { COMPLAINT_KINDS, STAFF_CHANNELS } from './enforcement.vocabulary.ts';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number, message: string) => z.preprocess(blankToUndefined, z.string().trim().max(max, message).optional());

export const ComplaintInput = z.object({
  kind: z.enum(COMPLAINT_KINDS, { message: 'Choose what the complaint is about.' }),
  subjectNumber: z.preprocess(blankToUndefined, z.string().trim().toUpperCase().regex(/^PSS-\d{6}$/, 'A certification number looks like PSS-100001.').optional()),
  subjectDescription: optionalText(300, 'Describe who it is about in at most 300 characters.'),
  providerId: z.preprocess(blankToUndefined, z.string().uuid('Choose a training provider from the list.').optional()),
  occurredOn: z.preprocess(blankToUndefined, IsoDate.optional()),
  location: optionalText(300, 'Say where in at most 300 characters.'),
  narrative: z.string({ message: 'Say what happened.' }).trim().min(20, 'Say what happened, in at least 20 characters.').max(10_000, 'Keep it under 10,000 characters; attach documents for more.'),
  name: optionalText(200, 'A name of at most 200 characters.'),
  email: z.preprocess(blankToUndefined, z.string().trim().email('Enter an email address, like name@example.org.').max(254).optional()),
  phone: z.preprocess(blankToUndefined, z.string().trim().regex(/^[0-9()+.\-\s]{7,25}$/, 'Enter a phone number, like (916) 555-0100.').optional()),
  locale: z.enum(['en', 'es']).default('en'),
  /** Staff entry only: how it arrived and when. */
  channel: z.preprocess(blankToUndefined, z.enum(STAFF_CHANNELS).optional()),
  receivedOn: z.preprocess(blankToUndefined, IsoDate.optional()),
});
export type ComplaintInput = z.input<typeof ComplaintInput>;

export interface FiledComplaint {
  id: string;
  number: string;
  acknowledged: boolean;
  acknowledgeBy: string;
}

export async function fileComplaint(db: Db, storage: DocumentStorage, input: unknown, evidence: readonly EvidenceUpload[], context: UseCaseContext): Promise<FiledComplaint> {
  requireCan(context, 'complaints.file', 'file a complaint');
  const data = parseInput(ComplaintInput, input, 'The complaint could not be read.');
  const today = todayOf(context);
  const staffEntry = data.channel !== undefined || data.receivedOn !== undefined;
  if (staffEntry && !can(context.actor, 'enforcement.cases.manage')) refuse(context, 'enter complaints received by mail or email');
  if (staffEntry && !data.channel) throw new AppError('bad-request', 'Say how the complaint arrived.', [{ path: 'channel', message: 'Say how the complaint arrived.' }]);
  const receivedOn = data.receivedOn ?? today;
  if (receivedOn > today) throw new AppError('bad-request', 'The date received cannot be in the future.', [{ path: 'receivedOn', message: 'The date received cannot be in the future.' }]);

  // Who complains: the signed-in person (not staff entering someone else's), or the contact details given.
  const userId = !staffEntry && context.actor.kind === 'user' ? context.actor.userId : null;
  const [account] = userId ? await db.select({ email: users.email, displayName: users.displayName }).from(users).where(eq(users.id, userId)) : [];
  const name = data.name ?? account?.displayName;
  const email = data.email ?? account?.email;
  if (!account && !staffEntry) {
    const errors = [
      ...(data.name ? [] : [{ path: 'name', message: 'Give your full name, so the investigator can reach you.' }]),
      ...(data.email || data.phone ? [] : [{ path: 'email', message: 'Give an email address or a phone number, so the investigator can reach you.' }]),
    ];
    if (errors.length > 0) throw new AppError('bad-request', errors[0]!.message, errors);
  }
  const subject = data.kind === 'ethics' && data.subjectNumber ? await certificationByNumber(db, data.subjectNumber) : undefined;
  if (data.kind === 'training_provider' && data.providerId && !(await providerExists(db, data.providerId))) {
    throw new AppError('bad-request', 'Choose a training provider from the list.', [{ path: 'providerId', message: 'Choose a training provider from the list.' }]);
  }
  const contentTypes = checkEvidence(evidence);
  const clocks = await clocksOnReceipt(db, receivedOn);
  const facts = {
    type: 'complaint' as const,
    kind: data.kind,
    receivedOn,
    occurredOn: data.occurredOn ?? null,
    subjectCertificationId: subject?.certificationId ?? null,
    subjectProviderId: data.kind === 'training_provider' ? (data.providerId ?? null) : null,
  };
  const flags = await computeFlags(db, facts);
  // A number the complainant typed that matches nobody is kept in the description, for the investigator.
  const described = [data.subjectDescription, data.subjectNumber && !subject ? data.subjectNumber : undefined].filter(Boolean).join(' — ') || null;
  const acknowledgeNow = !staffEntry && email !== undefined;

  return db.transaction(async (tx) => {
    const number = await nextCaseNumber(tx, 'complaint', receivedOn);
    const [row] = await tx
      .insert(enforcementCases)
      .values({
        ...facts,
        number,
        channel: staffEntry ? data.channel! : userId ? 'portal' : 'web',
        complainantUserId: userId,
        complainantName: name ?? null,
        complainantEmail: email ?? null,
        complainantPhone: data.phone ?? null,
        locale: data.locale,
        subjectPeerId: subject?.peerId ?? null,
        subjectDescription: described,
        location: data.location ?? null,
        narrative: data.narrative,
        flags,
        acknowledgeBy: clocks.acknowledgeBy,
        decideBy: clocks.decideBy,
        ...(acknowledgeNow ? { acknowledgedOn: today, acknowledgedHow: 'automatic' } : {}),
        createdBy: actorUserId(context.actor),
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await storeEvidence(tx, storage, row.id, evidence, contentTypes, actorUserId(context.actor));
    if (acknowledgeNow) await queueEmail(tx, acknowledgementEmail(row, email, data.locale));
    // The audit row names the case and its kind, never the complainant or what they wrote.
    await auditCase(tx, context, 'enforcement.complaint.file', row, [
      { field: 'kind', before: null, after: row.kind },
      { field: 'channel', before: null, after: row.channel },
      { field: 'evidence', before: null, after: String(evidence.length) },
    ]);
    return { id: row.id, number: row.number, acknowledged: acknowledgeNow, acknowledgeBy: row.acknowledgeBy };
  });
}

/** The acknowledgement: the number to quote, what happens next and when. Nothing of what they wrote is repeated. */
export function acknowledgementEmail(c: Pick<CaseRow, 'number' | 'receivedOn' | 'decideBy' | 'type'>, to: string, locale: Locale) {
  const t = translator(locale);
  return {
    to,
    subject: t('enforcement.ackEmail.subject', { number: c.number }),
    text: t(c.type === 'appeal' ? 'enforcement.ackEmail.appealBody' : 'enforcement.ackEmail.body', { number: c.number, received: c.receivedOn, decideBy: c.decideBy }),
  };
}
