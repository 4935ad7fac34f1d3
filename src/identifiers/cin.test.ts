// CIN format: the pattern, normalisation of what people type, and the warning for a last letter never issued.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCin, normalizeCin } from './cin.ts';

test('a CIN is 9, seven digits and a letter; spaces, dashes and case are forgiven', () => {
  assert.equal(normalizeCin(' 9123-4567 a '), '91234567A');
  assert.deepEqual(checkCin('91234567a'), { cin: '91234567A', problem: null, warning: null });
  for (const bad of ['81234567A', '9123456A', '912345678', '91234567AB', '']) assert.ok(checkCin(bad).problem, bad);
});

test('a last letter never issued is a warning, not a refusal', () => {
  const check = checkCin('91234567B');
  assert.equal(check.problem, null);
  assert.match(check.warning ?? '', /not known to end in B/);
});
