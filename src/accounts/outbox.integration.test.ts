// Email leaves through SMTP when SMTP_URL is set: a real SMTP server (smtp-server) receives it here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase } from '../db/testing.ts';
import { deliverOutbox, listOutbox, queueEmail } from './outbox.ts';

interface Received {
  to: string[];
  body: string;
}

async function smtpSink(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@refused.example')) return callback(new Error('mailbox unavailable'));
      callback();
    },
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('queued email is sent once over SMTP; a refused address keeps its error; without SMTP_URL nothing leaves', async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  const sink = await smtpSink();
  t.after(() => sink.close());
  const { db } = database;

  await queueEmail(db, { to: 'peer@example.org', subject: 'Confirm your email address', text: 'Follow this link' });
  await queueEmail(db, { to: 'nobody@refused.example', subject: 'Hello', text: 'x' });
  assert.deepEqual(await deliverOutbox(db, undefined, 'pss@example.org'), { sent: 0, failed: 0 }, 'no SMTP: messages wait');

  assert.deepEqual(await deliverOutbox(db, sink.url, 'PSS <pss@example.org>'), { sent: 1, failed: 1 });
  assert.equal(sink.received.length, 1);
  assert.deepEqual(sink.received[0]?.to, ['peer@example.org']);
  assert.match(sink.received[0]?.body ?? '', /Subject: Confirm your email address/);
  assert.match(sink.received[0]?.body ?? '', /Follow this link/);

  const outbox = await listOutbox(db);
  assert.ok(outbox.find((m) => m.to === 'peer@example.org')?.sentAt, 'marked sent');
  const refused = outbox.find((m) => m.to === 'nobody@refused.example');
  assert.equal(refused?.sentAt, null);
  assert.match(refused?.error ?? '', /mailbox unavailable/);

  assert.deepEqual(await deliverOutbox(db, sink.url, 'pss@example.org'), { sent: 0, failed: 0 }, 'nothing is sent twice');
  assert.equal(sink.received.length, 1);
});
