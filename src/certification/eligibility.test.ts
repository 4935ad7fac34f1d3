// Eligibility and the renewal stages at their boundaries, against the reference rule values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULE_SEEDS, type ProgramRules } from '../rules/rule-definitions.ts';
import { eligibilityProblems, renewalStage, type EligibilityFacts } from './eligibility.ts';
import type { DocumentKind } from './vocabulary.ts';

/** The reference values (the latest seed of each rule). */
const RULES = Object.fromEntries(RULE_SEEDS.map((s) => [s.key, s.value])) as ProgramRules;
const EXPIRES = '2026-06-15';

function facts(overrides: Partial<EligibilityFacts>): EligibilityFacts {
  return {
    pathway: 'initial',
    answers: { legalFirstName: 'A', legalLastName: 'B', dateOfBirth: '1990-01-01', education: 'high_school', livedExperience: 'consumer', willingToShare: true, dedicatedToRecovery: true },
    documents: new Set<DocumentKind>(['photo_id', 'diploma']),
    rules: RULES,
    today: '2026-03-02',
    ...overrides,
  };
}

describe('renewal stages', () => {
  test('the window opens exactly renewal.window_days before expiry', () => {
    assert.equal(renewalStage('active', EXPIRES, '2026-03-16', RULES), 'too_early');
    assert.equal(renewalStage('active', EXPIRES, '2026-03-17', RULES), 'renewal');
    assert.equal(renewalStage('active', EXPIRES, '2026-06-14', RULES), 'renewal');
  });
  test('from the expiry date: late renewal, then reinstatement after the late limit, then vacated after four years', () => {
    assert.equal(renewalStage('expired', EXPIRES, EXPIRES, RULES), 'late_renewal');
    assert.equal(renewalStage('expired', EXPIRES, '2027-06-14', RULES), 'late_renewal', '364 days late');
    assert.equal(renewalStage('expired', EXPIRES, '2027-06-15', RULES), 'reinstatement', '365 days late');
    assert.equal(renewalStage('expired', EXPIRES, '2030-06-14', RULES), 'reinstatement', 'a day short of four years');
    assert.equal(renewalStage('expired', EXPIRES, '2030-06-15', RULES), 'vacated', 'four years after the renewal due date');
    assert.equal(renewalStage('vacated', EXPIRES, '2026-07-01', RULES), 'vacated');
  });
  test('suspended and revoked certifications cannot renew', () => {
    assert.equal(renewalStage('suspended', EXPIRES, '2026-06-01', RULES), 'not_renewable');
    assert.equal(renewalStage('revoked', EXPIRES, '2026-06-01', RULES), 'not_renewable');
  });
});

describe('eligibility', () => {
  test('a complete initial application has no problems', () => {
    assert.deepEqual(eligibilityProblems(facts({})), []);
  });
  test('17 years and 364 days is refused; 18 on the day is accepted', () => {
    assert.deepEqual(eligibilityProblems(facts({ answers: { ...facts({}).answers, dateOfBirth: '2008-03-03' } })).map((p) => p.code), ['eligibility.age']);
    assert.deepEqual(eligibilityProblems(facts({ answers: { ...facts({}).answers, dateOfBirth: '2008-03-02' } })), []);
  });
  test('grandparenting is refused after its closing date whatever else is true', () => {
    const late = eligibilityProblems(facts({ pathway: 'grandparenting', answers: { ...facts({}).answers, employedAsPeerOn: '2021-06-01' }, documents: new Set<DocumentKind>(['photo_id', 'diploma', 'employment_verification']) }));
    assert.deepEqual(late.map((p) => p.code), ['grandparenting.closed']);
    const inTime = eligibilityProblems(facts({ pathway: 'grandparenting', today: '2022-12-31', answers: { ...facts({}).answers, employedAsPeerOn: '2021-06-01' }, documents: new Set<DocumentKind>(['photo_id', 'diploma', 'employment_verification']) }));
    assert.deepEqual(inTime, []);
  });
  test('reciprocity needs 1,550 hours, no pending discipline, CE in the look-back period and three letters', () => {
    const base = { ...facts({}).answers, outOfStateState: 'OR', outOfStateCertificationNumber: 'OR-1', outOfStateActive: true, outOfStateNoPendingDiscipline: true, experienceHours: 1550 };
    const docs = new Set<DocumentKind>(['photo_id', 'diploma', 'out_of_state_certification', 'letter_supervisor', 'letter_colleague', 'letter_self']);
    const training = { coreCompletedOn: null, ceHours: 20, lawEthicsHours: 6, specializations: [] };
    assert.deepEqual(eligibilityProblems(facts({ pathway: 'reciprocity', answers: base, documents: docs, recentTraining: training })), []);
    const short = eligibilityProblems(facts({ pathway: 'reciprocity', answers: { ...base, experienceHours: 1549, outOfStateNoPendingDiscipline: false }, documents: new Set<DocumentKind>(['photo_id', 'diploma', 'out_of_state_certification', 'letter_supervisor']), recentTraining: { ...training, ceHours: 19, lawEthicsHours: 5 } }));
    assert.deepEqual(short.map((p) => p.code).sort(), ['document.missing', 'document.missing', 'reciprocity.ce_hours', 'reciprocity.experience_hours', 'reciprocity.law_ethics_hours', 'reciprocity.pending_discipline']);
  });
  test('renewal: 20 CE hours with 6 of law and ethics, the attestation, inside the window', () => {
    const renewal = { status: 'active' as const, expiresOn: EXPIRES, training: { coreCompletedOn: null, ceHours: 20, lawEthicsHours: 6, specializations: [] }, refresherCompletedOn: null };
    const ok = facts({ pathway: 'renewal', today: '2026-05-01', answers: { ceAttested: true }, renewal });
    assert.deepEqual(eligibilityProblems(ok), []);
    assert.deepEqual(eligibilityProblems({ ...ok, renewal: { ...renewal, training: { ...renewal.training, ceHours: 19 } } }).map((p) => p.code), ['renewal.ce_hours_short']);
    assert.deepEqual(eligibilityProblems({ ...ok, renewal: { ...renewal, training: { ...renewal.training, lawEthicsHours: 5 } } }).map((p) => p.code), ['renewal.ethics_hours_short']);
    assert.deepEqual(eligibilityProblems({ ...ok, today: '2026-03-01' }).map((p) => p.code), ['renewal.window']);
  });
});
