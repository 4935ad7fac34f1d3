// The training domain's pure parts: approval periods, name matching, reading a roster file, adding up hours.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../lib/errors.ts';
import { approvalCovers, approvalStatus } from './approval-status.ts';
import { FieldChecks, hoursFromForm } from './form-checks.ts';
import { sameLastName } from './names.ts';
import { parseRosterCsv } from './roster-csv.ts';
import { summarizeTraining, type CreditedCompletion } from './training-credit.ts';

const csv = (text: string) => Buffer.from(text, 'utf8');

describe('an approval covers [approved_from, approved_to), cut short at ended_on', () => {
  const approval = { approvedFrom: '2023-07-01', approvedTo: '2025-07-01', endedOn: null };

  test('from its first day up to, not including, its end date', () => {
    assert.equal(approvalCovers(approval, '2023-06-30'), false);
    assert.equal(approvalCovers(approval, '2023-07-01'), true);
    assert.equal(approvalCovers(approval, '2025-06-30'), true);
    assert.equal(approvalCovers(approval, '2025-07-01'), false);
  });

  test('ending it early stops it on the end date', () => {
    const ended = { ...approval, endedOn: '2024-03-15' };
    assert.equal(approvalCovers(ended, '2024-03-14'), true);
    assert.equal(approvalCovers(ended, '2024-03-15'), false);
  });

  test('its status on a day: upcoming, current, expired, or ended when it was ended early', () => {
    assert.equal(approvalStatus(approval, '2023-06-30'), 'upcoming');
    assert.equal(approvalStatus(approval, '2023-07-01'), 'current');
    assert.equal(approvalStatus(approval, '2025-07-01'), 'expired');
    assert.equal(approvalStatus({ ...approval, endedOn: '2024-03-15' }, '2024-03-14'), 'current', 'an end still to come');
    assert.equal(approvalStatus({ ...approval, endedOn: '2024-03-15' }, '2024-03-15'), 'ended');
    assert.equal(approvalStatus({ ...approval, endedOn: '2024-03-15' }, '2026-01-01'), 'ended', 'not merely expired');
  });
});

describe('last names on a roster', () => {
  test('match whatever the case, accents and hyphens or spaces between parts', () => {
    assert.ok(sameLastName('García-López', 'GARCIA LOPEZ'));
    assert.ok(sameLastName('García-López', 'garcialopez'));
    assert.ok(sameLastName('Nguyễn', 'nguyen'));
    assert.ok(sameLastName("O'Neil", "o'neil"));
  });

  test('but a different name, or an empty one, does not', () => {
    assert.equal(sameLastName('García', 'Garza'), false);
    assert.equal(sameLastName('Lee', ''), false);
    assert.equal(sameLastName("O'Neil", 'ONeil'), false, 'only case, accents, hyphens and spaces are forgiven');
  });
});

describe('reading a roster file', () => {
  test('columns in any order and case, a byte-order mark, blank lines; each row keeps its line number', () => {
    const rows = parseRosterCsv(csv('\ufeffCompleted_On,EMAIL,Legal_Last_Name,legal_first_name\n2024-03-10, ana@example.org ,García,Ana\n\n,,,\n2024-03-11,ben@example.org,Okafor,Ben\n'));
    assert.deepEqual(
      rows.map((r) => [r.row, r.email, r.lastName, r.completedOn, r.hours]),
      [
        [2, 'ana@example.org', 'García', '2024-03-10', ''],
        [5, 'ben@example.org', 'Okafor', '2024-03-11', ''],
      ],
    );
  });

  test('a file without the required columns is refused, naming the missing ones', () => {
    assert.throws(
      () => parseRosterCsv(csv('email,name,date\nana@example.org,Ana García,2024-03-10\n')),
      (err: unknown) => err instanceof AppError && err.status === 400 && /missing the columns legal_first_name, legal_last_name, completed_on/.test(err.message),
    );
  });

  test('an image, text that is not UTF-8, an unclosed quote or a header alone are refused too', () => {
    const refused = (bytes: Buffer, pattern: RegExp) => assert.throws(() => parseRosterCsv(bytes), (err: unknown) => err instanceof AppError && err.status === 400 && pattern.test(err.message));
    refused(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]), /not text in UTF-8|not a CSV/);
    refused(Buffer.from('email,legal_first_name,legal_last_name,completed_on\nana@example.org,Ana,Garc\xeda,2024-03-10\n', 'latin1'), /UTF-8/);
    refused(csv('email,legal_first_name,legal_last_name,completed_on\n"ana@example.org,Ana,García,2024-03-10\n'), /could not be read as CSV/);
    refused(csv('email,legal_first_name,legal_last_name,completed_on\n'), /no completions/);
  });
});

describe('summarizeTraining', () => {
  const completion = (c: Partial<CreditedCompletion>): CreditedCompletion => ({
    id: 'x',
    trainingType: 'ce',
    specialization: null,
    hours: 0,
    lawEthicsHours: 0,
    completedOn: '2025-01-01',
    source: 'roster',
    ...c,
  });

  test('sums the hours and the law and ethics hours of continuing education only', () => {
    const summary = summarizeTraining([
      completion({ trainingType: 'core', hours: 80, lawEthicsHours: 4, completedOn: '2023-03-01' }),
      completion({ hours: 14, lawEthicsHours: 2 }),
      completion({ hours: 6, lawEthicsHours: 6 }),
      completion({ trainingType: 'specialization', specialization: 'crisis_care', hours: 40, completedOn: '2024-05-01' }),
    ]);
    assert.equal(summary.ceHours, 20);
    assert.equal(summary.lawEthicsHours, 8);
    assert.equal(summary.coreCompletedOn, '2023-03-01');
    assert.deepEqual(summary.specializations, [{ specialization: 'crisis_care', completedOn: '2024-05-01' }]);
  });

  test('adds fractional hours exactly: 6.1 + 6.1 + 6.1 + 1.7 is 20, enough for a 20-hour renewal', () => {
    const summary = summarizeTraining([6.1, 6.1, 6.1, 1.7].map((hours) => completion({ hours, lawEthicsHours: hours / 2 })));
    assert.equal(summary.ceHours, 20);
    assert.ok(summary.ceHours >= 20);
    assert.equal(summary.lawEthicsHours, 10);
  });
});

describe('form checks', () => {
  test('hours are numbers in hundredths; a form’s text that is not a number is refused', () => {
    const check = new FieldChecks();
    assert.equal(check.hours(1.1, 'a'), 1.1);
    assert.equal(check.hours(6.25, 'b'), 6.25);
    check.hours(1.005, 'c');
    check.hours(hoursFromForm('six'), 'd');
    check.hours(-1, 'e');
    assert.deepEqual(check.errors.map((e) => e.path), ['c', 'd', 'e']);
    assert.equal(hoursFromForm('', 0), 0);
  });
});
