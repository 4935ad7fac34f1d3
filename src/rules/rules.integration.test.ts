// /rules through its pages: the rules in force on a date with their authority, one rule's history, and a change
// recorded from today that is in force from its date — never before it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { actorHeaders } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';

const TODAY = todayInCalifornia();
const YESTERDAY = addDays(TODAY, -1);

let t: TestApp;
let staff: Record<string, string>;

function form(headers: Record<string, string>, fields: Record<string, string>) {
  return { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams({ _csrf: headers['x-csrf-token'] ?? '', ...fields }).toString() };
}
const page = (url: string, headers = staff) => t.app.inject({ url, headers: { ...headers, accept: 'text/html' } });
const post = (fields: Record<string, string>, headers = staff) => t.app.inject({ method: 'POST', url: '/rules', ...form(headers, fields) });

/** The text of the value cell of one rule. */
function valueOf(html: string, key: string): string {
  const cell = new RegExp(`data-testid="value-${key.replace(/\./g, '\\.')}">([\\s\\S]*?)</td>`).exec(html)?.[1] ?? '';
  return cell.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

before(async () => {
  t = await createTestApp();
  staff = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'certification_staff', countyFips: null }] });
});
after(() => t.close());

describe('program rules page', () => {
  test('shows every rule in force today with its meaning, value, date and authority', async () => {
    const res = await page('/rules');
    assert.equal(res.statusCode, 200);
    assert.equal(valueOf(res.body, 'exam.attempts_per_application'), '3');
    assert.equal(valueOf(res.body, 'renewal.reminder_offsets_days'), '[90, 30, 7]');
    assert.equal(valueOf(res.body, 'fee.application'), '10000 ($100.00)');
    assert.match(res.body, /Exam attempts allowed per application, the first one included\./);
    assert.match(res.body, /CalMHSA exam and fee pages/);
    assert.match(res.body, /Working value: 3 in total/);
  });

  test('a change from today is in force from its date, not before; the history lists both values', async () => {
    const recorded = await post({ key: 'application.review_target_days', value: '20', effectiveFrom: TODAY, authority: 'CalMHSA notice, October 2022', note: 'Back to the quoted 20 days.' });
    assert.equal(recorded.statusCode, 303);
    assert.equal(recorded.headers.location, '/rules?done=recorded&key=application.review_target_days#history');

    const today = await page('/rules?done=recorded&key=application.review_target_days');
    assert.match(today.body, /The change is recorded; it is in force from its date\./);
    assert.equal(valueOf(today.body, 'application.review_target_days'), '20');
    assert.match(today.body, /data-testid="rule-history"/);
    assert.match(today.body.replace(/\s+/g, ' '), new RegExp(`${TODAY}<span class="usa-tag[^"]*">in force on ${TODAY}</span>`));

    const before = await page(`/rules?asOf=${YESTERDAY}`);
    assert.equal(valueOf(before.body, 'application.review_target_days'), '30');
    assert.match(before.body, new RegExp(`Program rules in force on ${YESTERDAY}`));

    const queue = await page('/workbench');
    assert.match(queue.body, /Review target: 20 days/, 'the queue reads the rule in force today');
    const { rows } = await searchAudit(t.database.db, { action: 'rule.change', entityId: 'application.review_target_days' });
    assert.equal(rows.length, 1);
  });

  test('a list value is read as a list, and a later date shows only in the history until it arrives', async () => {
    const nextMonth = addDays(TODAY, 30);
    assert.equal((await post({ key: 'renewal.reminder_offsets_days', value: '[60, 14]', effectiveFrom: nextMonth, authority: 'Board decision' })).statusCode, 303);
    const now = await page('/rules?key=renewal.reminder_offsets_days');
    assert.equal(valueOf(now.body, 'renewal.reminder_offsets_days'), '[90, 30, 7]');
    assert.ok(now.body.includes(nextMonth));
    const later = await page(`/rules?asOf=${nextMonth}`);
    assert.equal(valueOf(later.body, 'renewal.reminder_offsets_days'), '[60, 14]');
  });

  test('refusals are shown beside the form with what was typed: retroactive, a bad value, no authority', async () => {
    const retro = await post({ key: 'fee.exam', value: '16000', effectiveFrom: YESTERDAY, authority: 'Fee notice' });
    assert.equal(retro.statusCode, 422);
    assert.match(retro.body, new RegExp(`data-testid="form-error"[^>]*>A rule change takes effect from today \\(${TODAY}\\) or later; history is not rewritten\\.`));
    assert.match(retro.body, /id="effectiveFrom-error"[^>]*>Choose today or a later date\./);
    assert.match(retro.body, /value="16000"/);
    assert.match(retro.body, /<option value="fee.exam" selected/);

    const words = await post({ key: 'fee.exam', value: 'a lot', effectiveFrom: TODAY, authority: 'Fee notice' });
    assert.equal(words.statusCode, 400);
    assert.match(words.body, /id="value-error"[^>]*>Enter the value in the form shown/);

    const tooBig = await post({ key: 'application.review_target_days', value: '99999', effectiveFrom: TODAY, authority: 'Typo' });
    assert.equal(tooBig.statusCode, 400);
    assert.match(tooBig.body, /That is not a valid value for application\.review_target_days\./);

    const notADate = await post({ key: 'fee.exam', value: '16000', effectiveFrom: 'tomorrow', authority: 'Fee notice' });
    assert.equal(notADate.statusCode, 400);
    assert.match(notADate.body, /id="effectiveFrom-error"[^>]*>Enter the date the change takes effect/);

    const noAuthority = await post({ key: 'fee.exam', value: '16000', effectiveFrom: TODAY, authority: ' ' });
    assert.equal(noAuthority.statusCode, 400);
    assert.match(noAuthority.body, /id="authority-error"[^>]*>Name the authority for the change\./);

    assert.equal(valueOf((await page('/rules')).body, 'fee.exam'), '15000 ($150.00)', 'nothing was recorded');
  });

  test('a bad date to show is refused beside its field; Spanish labels', async () => {
    const res = await page('/rules?asOf=2025-13-01&lang=es');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="asOf-error"[^>]*>Escriba una fecha con el formato AAAA-MM-DD\./);
    assert.match(res.body, /<h1>Reglas del programa<\/h1>/);
    assert.match(res.body, /<td data-label="Significado" lang="en">/);
  });

  test('DHCS analysts read the rules but cannot change them', async () => {
    const analyst = await actorHeaders(t.app, { kind: 'user', userId: randomUUID(), roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    const res = await page('/rules', analyst);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /method="post" action="\/rules"/);
    assert.equal((await post({ key: 'fee.exam', value: '1', effectiveFrom: TODAY, authority: 'x' }, analyst)).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/rules', headers: { accept: 'text/html' } })).statusCode, 401);
  });
});
