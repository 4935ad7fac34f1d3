// An investigator may not take a case about themselves, about a peer they supervise, or about anyone they have
// declared another conflict with (family, other).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { conflictOfInterest, type ConflictFacts } from './conflicts.ts';

const investigatorId = 'investigator-1';
const facts = (overrides: Partial<ConflictFacts> = {}): ConflictFacts => ({ investigatorId, subjectUserId: 'peer-user-7', declared: [], ...overrides });

describe('conflictOfInterest', () => {
  test('a case about someone else, with nothing declared between them, is no conflict', () => {
    assert.equal(conflictOfInterest(facts()), null);
  });

  test('a case about the investigator themselves is a conflict', () => {
    assert.match(conflictOfInterest(facts({ subjectUserId: investigatorId })) ?? '', /about themselves/);
  });

  test('a case about a peer the investigator supervises is a conflict', () => {
    assert.match(conflictOfInterest(facts({ declared: [{ relation: 'supervises' }] })) ?? '', /someone they supervise/);
  });

  test('a declared family or other relationship is a conflict, naming the relationship', () => {
    assert.match(conflictOfInterest(facts({ declared: [{ relation: 'family' }] })) ?? '', /declared conflict \(family\)/);
    assert.match(conflictOfInterest(facts({ declared: [{ relation: 'other' }] })) ?? '', /declared conflict \(other\)/);
  });

  test('being the subject outweighs any declared relationship', () => {
    assert.match(conflictOfInterest(facts({ subjectUserId: investigatorId, declared: [{ relation: 'supervises' }] })) ?? '', /about themselves/);
  });

  test('several declared relationships are still a conflict', () => {
    assert.notEqual(conflictOfInterest(facts({ declared: [{ relation: 'family' }, { relation: 'supervises' }] })), null);
  });

  test('a subject with no account cannot be the investigator, but a declared relationship still counts', () => {
    assert.equal(conflictOfInterest(facts({ subjectUserId: null })), null);
    assert.match(conflictOfInterest(facts({ subjectUserId: null, declared: [{ relation: 'supervises' }] })) ?? '', /someone they supervise/);
  });
});
