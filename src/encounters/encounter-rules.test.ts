// The service rules as a pure function: a passing visit, and each rule's failure with its code and field, with
// the facts changed one at a time — so a rule that stopped checking anything would be caught here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { californiaStateHolidays } from '../lib/california-holidays.ts';
import { noteDueOn, validateEncounter, type EncounterFacts, type EncounterToValidate } from './encounter-rules.ts';

const holidays = new Set(californiaStateHolidays(2026).map((h) => h.date));
const facts: EncounterFacts = {
  today: '2026-04-07',
  holidays,
  rules: { noteDueBusinessDays: 3, maxMinutes: 480, carePlanRequired: true, cosignRequired: false, supervisorTrainingRequired: true, telehealthConsentRequired: true },
  peerNumber: 'PSS-100001',
  certificationStatus: 'active',
  employed: true,
  organizationName: 'Bay Partners',
  contracted: true,
  supervision: { supervisorName: 'Sam', trainingCompletedOn: '2026-01-12' },
  countyName: 'Alameda County',
  countyParticipates: true,
  participants: [{ id: 'm1', name: 'Maria Member', eligible: true }],
  overlapping: [],
};
const visit: EncounterToValidate = {
  serviceDate: '2026-04-06',
  startTime: '10:00',
  endTime: '11:00',
  minutes: 60,
  component: 'engagement',
  deliverySystem: 'SMHS',
  modality: 'in_person',
  telehealthConsent: null,
  carePlanReference: 'CP-1',
  noteNarrative: 'Planned the move to outpatient care.',
  noteNextSteps: 'Meet next week.',
  signedOn: '2026-04-06',
  cosigned: false,
};
const codes = (e: Partial<EncounterToValidate> = {}, f: Partial<EncounterFacts> = {}) => validateEncounter({ ...visit, ...e }, { ...facts, ...f }).map((x) => x.code);

describe('service rules', () => {
  test('a complete visit passes', () => assert.deepEqual(codes(), []));

  const cases: Array<[string, Partial<EncounterToValidate>, Partial<EncounterFacts>]> = [
    ['peer.not_certified', {}, { certificationStatus: 'suspended' }],
    ['peer.not_certified', {}, { certificationStatus: null }],
    ['peer.not_employed', {}, { employed: false }],
    ['supervision.missing', {}, { supervision: null }],
    ['supervision.training', {}, { supervision: { supervisorName: 'Sam', trainingCompletedOn: null } }],
    ['supervision.training', {}, { supervision: { supervisorName: 'Sam', trainingCompletedOn: '2026-04-07' } }],
    ['county.not_participating', {}, { countyParticipates: false }],
    ['organization.not_contracted', {}, { contracted: false }],
    ['member.not_eligible', {}, { participants: [{ id: 'm1', name: 'Maria', eligible: false }] }],
    ['minutes.not_positive', { startTime: null, endTime: null, minutes: 0 }, {}],
    ['minutes.over_limit', { startTime: null, endTime: null, minutes: 481 }, {}],
    ['minutes.mismatch', { minutes: 50 }, {}],
    ['time.order', { endTime: '09:00' }, {}],
    ['encounter.overlap', {}, { overlapping: [{ startTime: '10:30', endTime: '11:30' }] }],
    ['telehealth.consent', { modality: 'video' }, {}],
    ['care_plan.missing', { carePlanReference: null }, {}],
    ['note.narrative', { noteNarrative: '  ' }, {}],
    ['note.next_steps', { noteNextSteps: '' }, {}],
    ['note.unsigned', { signedOn: null }, {}],
    ['note.late', { signedOn: '2026-04-10' }, { today: '2026-04-10' }],
    ['note.late', { signedOn: null }, { today: '2026-04-10' }],
    ['date.future', { serviceDate: '2026-04-08', signedOn: '2026-04-08' }, { today: '2026-04-07' }],
    ['cosign.missing', {}, { rules: { ...facts.rules, cosignRequired: true } }],
  ];
  for (const [code, e, f] of cases) {
    test(`${code} when ${JSON.stringify({ ...e, ...f }).slice(0, 90)}`, () => assert.ok(codes(e, f).includes(code), codes(e, f).join(' ')));
  }

  test('rules switched off by the program rules do not fail', () => {
    const off = { ...facts.rules, carePlanRequired: false, telehealthConsentRequired: false, supervisorTrainingRequired: false };
    assert.deepEqual(codes({ carePlanReference: null, modality: 'audio_only' }, { rules: off, supervision: { supervisorName: 'Sam', trainingCompletedOn: null } }), []);
  });

  test('a county-operated organization needs no contract; every failure names its field', () => {
    assert.deepEqual(codes({}, { contracted: 'county_operated' }), []);
    const all = validateEncounter({ ...visit, carePlanReference: null, signedOn: null }, { ...facts, employed: false });
    assert.deepEqual(all.map((f) => f.field), ['peerNumber', 'carePlanReference', 'sign']);
  });

  test('the note deadline counts business days: Labor Day and Thanksgiving week', () => {
    assert.equal(noteDueOn('2026-04-06', facts), '2026-04-09');
    assert.equal(noteDueOn('2026-09-02', facts), '2026-09-08', 'Monday 7 September is Labor Day');
    assert.equal(noteDueOn('2026-11-25', facts), '2026-12-02', 'Thanksgiving and the day after are state holidays');
    assert.equal(noteDueOn('2026-04-10', facts), '2026-04-15', 'a Friday service is due the next Wednesday');
  });
});
