// The plain descriptions of common adjustment reasons: the listed pairs, whatever the case or spacing, and null for
// the rest (a reason code means something else under another group).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAdjustment } from './adjustment-reasons.ts';

test('common group and reason pairs have a plain description; others have none', () => {
  assert.equal(describeAdjustment('CO', '45'), 'Charges exceed the fee schedule or the maximum allowed amount.');
  assert.match(describeAdjustment('co', 'b7') ?? '', /not certified/);
  assert.match(describeAdjustment(' PR ', '1') ?? '', /Deductible/);
  for (const [group, reason] of [['CO', '16'], ['CO', '170'], ['CO', '97'], ['CO', '29']] as const) assert.ok(describeAdjustment(group, reason), `${group}-${reason}`);
  assert.equal(describeAdjustment('PR', '45'), null);
  assert.equal(describeAdjustment('CO', '999'), null);
});
