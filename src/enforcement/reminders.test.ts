// Clock reminders go out on the configured days before a due date (7, 2 and 0 by default) and once the clock is
// missed. reminderOffset says which one is due today: the nearest offset already reached, so a job that missed
// a day still sends the reminder that applies; -1 once overdue; nothing before the widest offset.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reminderOffset } from './enforcement.jobs.ts';

const offsets = [7, 2, 0] as const;
const dueOn = '2025-12-05';

describe('reminderOffset', () => {
  test('eight days out, before the widest offset, no reminder is due', () => {
    assert.equal(reminderOffset(dueOn, '2025-11-27', offsets), null);
    assert.equal(reminderOffset(dueOn, '2025-10-01', offsets), null);
  });

  test('seven days out the 7-day reminder is due, and stays the one due until two days out', () => {
    assert.equal(reminderOffset(dueOn, '2025-11-28', offsets), 7);
    assert.equal(reminderOffset(dueOn, '2025-12-01', offsets), 7);
    assert.equal(reminderOffset(dueOn, '2025-12-02', offsets), 7);
  });

  test('two days and one day out, the 2-day reminder', () => {
    assert.equal(reminderOffset(dueOn, '2025-12-03', offsets), 2);
    assert.equal(reminderOffset(dueOn, '2025-12-04', offsets), 2);
  });

  test('on the due day, the 0-day reminder', () => {
    assert.equal(reminderOffset(dueOn, dueOn, offsets), 0);
  });

  test('from the day after, and every day after that, the overdue reminder (-1)', () => {
    assert.equal(reminderOffset(dueOn, '2025-12-06', offsets), -1);
    assert.equal(reminderOffset(dueOn, '2026-03-01', offsets), -1);
  });

  test('the offsets may come in any order, and are not reordered in place', () => {
    const shuffled = Object.freeze([0, 7, 2]);
    assert.equal(reminderOffset(dueOn, '2025-12-01', shuffled), 7);
    assert.equal(reminderOffset(dueOn, '2025-12-04', shuffled), 2);
    assert.deepEqual(shuffled, [0, 7, 2]);
  });

  test('without a 0 offset, the due day falls under the nearest one; with no offsets, only the overdue reminder', () => {
    assert.equal(reminderOffset(dueOn, dueOn, [14, 3]), 3);
    assert.equal(reminderOffset(dueOn, '2025-11-21', [14, 3]), 14);
    assert.equal(reminderOffset(dueOn, dueOn, []), null);
    assert.equal(reminderOffset(dueOn, '2025-12-06', []), -1);
  });

  test('days are counted across a month end and a daylight-saving change', () => {
    assert.equal(reminderOffset('2026-03-09', '2026-03-02', offsets), 7); // DST starts 2026-03-08
    assert.equal(reminderOffset('2026-03-09', '2026-03-01', offsets), null);
    assert.equal(reminderOffset('2026-01-02', '2025-12-31', offsets), 2);
  });
});
