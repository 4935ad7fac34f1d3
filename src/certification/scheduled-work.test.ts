// The renewal reminder's text: every fact the peer needs, in their language, with nothing left unfilled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renewalReminderEmail, type ReminderEmailInput } from './scheduled-work.ts';

const input: ReminderEmailInput = {
  locale: 'en',
  firstName: 'Rosa',
  number: 'PSS-100042',
  expiresOn: '2026-10-01',
  windowOpensOn: '2026-07-03',
  ceHours: 20,
  lawEthicsHours: 6,
  feeCents: 8000,
  link: 'https://pss.example.org/my-certification',
};

test('the English reminder names the certification, the dates, what renewal needs and where to do it', () => {
  const { subject, text } = renewalReminderEmail(input);
  assert.equal(subject, 'Your peer support specialist certification PSS-100042 expires on October 1, 2026');
  for (const fact of ['PSS-100042', 'October 1, 2026', 'July 3, 2026', '20 hours of continuing education', '6 hours of law and ethics', 'Code of Ethics', '$80.00', 'https://pss.example.org/my-certification']) {
    assert.ok(text.includes(fact), `${fact} in:\n${text}`);
  }
  assert.doesNotMatch(subject + text, /{{|}}/);
});

test('the Spanish reminder carries the same facts, with dates written in Spanish', () => {
  const { subject, text } = renewalReminderEmail({ ...input, locale: 'es' });
  assert.equal(subject, 'Su certificación de especialista de apoyo entre pares PSS-100042 vence el 1 de octubre de 2026');
  for (const fact of ['Hola, Rosa:', '3 de julio de 2026', '20 horas de educación continua', '6 horas de ley y ética', 'Código de Ética', '$80.00', 'https://pss.example.org/my-certification']) {
    assert.ok(text.includes(fact), `${fact} in:\n${text}`);
  }
  assert.doesNotMatch(subject + text, /{{|}}/);
});
