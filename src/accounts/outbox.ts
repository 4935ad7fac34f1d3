// Outgoing email. Every message is written to the outbox in the transaction that caused it, so none is lost when
// that transaction commits and none is sent when it rolls back; a sender then delivers it over SMTP if configured.
import { desc, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { queryRows, type Db } from '../db/client.ts';
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

/** Take one waiting message for this sender: marked sent now, so no other instance sends it too. */
async function claimNext(db: Db) {
  const claimed = await queryRows<{ id: string; to: string; subject: string; text: string }>(db, sql`
    update outbox set sent_at = now()
    where id = (select id from outbox where sent_at is null and error is null order by created_at limit 1 for update skip locked)
    returning id, "to", subject, text`);
  return claimed[0];
}

/**
 * Send what is waiting, over SMTP. Without SMTP_URL nothing is sent: messages stay in the outbox for
 * administrators to read at /admin/outbox (the embedded default, for trying the platform out).
 * A message that fails keeps its error and is not retried automatically (an administrator sees it).
 */
export async function deliverOutbox(db: Db, smtpUrl: string | undefined, from: string, max = 100): Promise<{ sent: number; failed: number }> {
  if (!smtpUrl) return { sent: 0, failed: 0 };
  const transport = nodemailer.createTransport(smtpUrl);
  let sent = 0;
  let failed = 0;
  try {
    for (let message = await claimNext(db); message && sent + failed < max; message = await claimNext(db)) {
      try {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
        sent++;
      } catch (err) {
        await db.update(outbox).set({ sentAt: null, error: (err as Error).message.slice(0, 500) }).where(eq(outbox.id, message.id));
        failed++;
      }
    }
  } finally {
    transport.close();
  }
  return { sent, failed };
}

/** Deliver every few seconds while the server runs; returns a function that stops it. */
export function startOutboxSender(db: Db, smtpUrl: string | undefined, from: string, onError: (err: unknown) => void, everyMs = 5000): () => void {
  if (!smtpUrl) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverOutbox(db, smtpUrl, from)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
