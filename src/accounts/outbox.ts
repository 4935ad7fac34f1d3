// Outgoing email. Every message is written to the outbox in the transaction that caused it, so none is lost when
// that transaction commits and none is sent when it rolls back; a sender then delivers it over SMTP if configured.
import { and, asc, desc, isNull } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db } from '../db/client.ts';
import { outbox } from './accounts.schema.ts';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export async function queueEmail(tx: Db, email: Email): Promise<void> {
  await tx.insert(outbox).values(email);
}

export async function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt)).limit(limit);
}

/**
 * Send what is waiting, over SMTP. Without SMTP_URL nothing is sent: messages stay in the outbox for
 * administrators to read at /admin/outbox (the embedded default, for trying the platform out).
 */
export async function deliverOutbox(db: Db, smtpUrl: string | undefined, from: string): Promise<{ sent: number; failed: number }> {
  if (!smtpUrl) return { sent: 0, failed: 0 };
  const transport = nodemailer.createTransport(smtpUrl);
  const waiting = await db.select().from(outbox).where(and(isNull(outbox.sentAt), isNull(outbox.error))).orderBy(asc(outbox.createdAt)).limit(100);
  let sent = 0;
  let failed = 0;
  for (const message of waiting) {
    try {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
      await db.update(outbox).set({ sentAt: new Date() }).where(eq(outbox.id, message.id));
      sent++;
    } catch (err) {
      await db.update(outbox).set({ error: (err as Error).message.slice(0, 500) }).where(eq(outbox.id, message.id));
      failed++;
    }
  }
  transport.close();
  return { sent, failed };
}
