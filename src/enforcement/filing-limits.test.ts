// Filing limits (PROGRAM.md §10.1) flag a complaint for the investigator, never reject it: ethics conduct more than
// the limit (3 years here) before receipt, conduct while the peer was not certified, training-provider conduct
// outside any approval, a complaint not yet linked to whom it is about, and a conduct date that is unknown or after
// receipt. General complaints have no limits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { filingFlags, type FilingFacts, type FilingFlag } from './filing-limits.ts';

const receivedOn = '2025-06-10';
const activePeer = { number: 'PSS-100001', statusThen: 'active' };
const approvedProvider = { name: 'Bay Area Peer Academy', approvedThen: true };

/** An ethics complaint about an active peer, for conduct a month before receipt: it raises no flags. */
const ethics = (overrides: Partial<FilingFacts> = {}): FilingFacts => ({ kind: 'ethics', receivedOn, occurredOn: '2025-05-10', limitYears: 3, subject: activePeer, ...overrides });
const trainingProvider = (overrides: Partial<FilingFacts> = {}): FilingFacts => ({
  kind: 'training_provider',
  receivedOn,
  occurredOn: '2025-05-10',
  limitYears: 3,
  provider: approvedProvider,
  ...overrides,
});

const codes = (flags: FilingFlag[]) => flags.map((f) => f.code);
const flag = (flags: FilingFlag[], code: FilingFlag['code']): FilingFlag => {
  const found = flags.find((f) => f.code === code);
  assert.ok(found, `expected a ${code} flag among ${JSON.stringify(codes(flags))}`);
  return found;
};

describe('filingFlags: ethics complaints', () => {
  test('recent conduct by a peer who was certified at the time raises no flag', () => {
    assert.deepEqual(filingFlags(ethics()), []);
  });

  test('conduct exactly three years before receipt is within the limit; one day earlier is beyond it', () => {
    assert.deepEqual(filingFlags(ethics({ occurredOn: '2022-06-10' })), []);
    const flags = filingFlags(ethics({ occurredOn: '2022-06-09' }));
    assert.deepEqual(codes(flags), ['beyond_filing_limit']);
    assert.match(flag(flags, 'beyond_filing_limit').message, /more than 3 years .* reaches back to 2022-06-10/);
  });

  test('the limit is the configured number of years', () => {
    assert.deepEqual(filingFlags(ethics({ occurredOn: '2022-06-09', limitYears: 5 })), []);
    assert.deepEqual(filingFlags(ethics({ occurredOn: '2020-06-10', limitYears: 5 })), []);
    assert.deepEqual(codes(filingFlags(ethics({ occurredOn: '2020-06-09', limitYears: 5 }))), ['beyond_filing_limit']);
  });

  test('received on a leap day, the limit reaches back to February 28th three years before', () => {
    assert.deepEqual(filingFlags(ethics({ receivedOn: '2028-02-29', occurredOn: '2025-02-28' })), []);
    assert.deepEqual(codes(filingFlags(ethics({ receivedOn: '2028-02-29', occurredOn: '2025-02-27' }))), ['beyond_filing_limit']);
  });

  test('conduct on the day of receipt is fine; conduct the day after is flagged as after receipt', () => {
    assert.deepEqual(filingFlags(ethics({ occurredOn: receivedOn })), []);
    const flags = filingFlags(ethics({ occurredOn: '2025-06-11' }));
    assert.deepEqual(codes(flags), ['conduct_after_receipt']);
    assert.match(flag(flags, 'conduct_after_receipt').message, /2025-06-11 is after .*\(2025-06-10\)/);
  });

  test('no conduct date: that is the one flag, since neither the limit nor the certified period can be checked', () => {
    assert.deepEqual(codes(filingFlags(ethics({ occurredOn: null }))), ['no_conduct_date']);
    // Not even a subject whose status on an unknown date is unknown adds a not-certified flag.
    assert.deepEqual(codes(filingFlags(ethics({ occurredOn: null, subject: { number: 'PSS-100001', statusThen: null } }))), ['no_conduct_date']);
  });

  test('not yet linked to a certification: flagged, and the date checks still run', () => {
    assert.deepEqual(codes(filingFlags(ethics({ subject: undefined }))), ['subject_not_linked']);
    assert.match(flag(filingFlags(ethics({ subject: undefined })), 'subject_not_linked').message, /certification/);
    assert.deepEqual(codes(filingFlags(ethics({ subject: undefined, occurredOn: '2020-01-01' }))), ['subject_not_linked', 'beyond_filing_limit']);
    assert.deepEqual(codes(filingFlags(ethics({ subject: undefined, occurredOn: null }))), ['subject_not_linked', 'no_conduct_date']);
  });

  test('conduct while the certification had expired is flagged, naming the status', () => {
    const flags = filingFlags(ethics({ subject: { number: 'PSS-100001', statusThen: 'expired' } }));
    assert.deepEqual(codes(flags), ['not_certified_then']);
    assert.match(flag(flags, 'not_certified_then').message, /On 2025-05-10, PSS-100001 was expired/);
  });

  test('conduct before the certification was issued (no status then) is flagged as not yet issued', () => {
    const flags = filingFlags(ethics({ subject: { number: 'PSS-100001', statusThen: null } }));
    assert.deepEqual(codes(flags), ['not_certified_then']);
    assert.match(flag(flags, 'not_certified_then').message, /PSS-100001 was not yet issued/);
  });

  test('every status other than active counts as not certified then', () => {
    for (const statusThen of ['suspended', 'revoked', 'vacated']) {
      assert.deepEqual(codes(filingFlags(ethics({ subject: { number: 'PSS-100001', statusThen } }))), ['not_certified_then'], statusThen);
    }
  });

  test('old conduct by a peer then uncertified raises both flags, limit first', () => {
    assert.deepEqual(codes(filingFlags(ethics({ occurredOn: '2021-01-01', subject: { number: 'PSS-100001', statusThen: null } }))), ['beyond_filing_limit', 'not_certified_then']);
  });
});

describe('filingFlags: training-provider complaints', () => {
  test('conduct during an approval raises no flag', () => {
    assert.deepEqual(filingFlags(trainingProvider()), []);
  });

  test('conduct outside any approval is flagged, naming the provider', () => {
    const flags = filingFlags(trainingProvider({ provider: { name: 'Bay Area Peer Academy', approvedThen: false } }));
    assert.deepEqual(codes(flags), ['outside_approval']);
    assert.match(flag(flags, 'outside_approval').message, /On 2025-05-10, Bay Area Peer Academy held no approval/);
  });

  test('the years limit is for ethics complaints only: old training-provider conduct is not beyond it', () => {
    assert.deepEqual(filingFlags(trainingProvider({ occurredOn: '2020-01-01' })), []);
  });

  test('not yet linked to a provider: flagged as such, with no approval check', () => {
    const flags = filingFlags(trainingProvider({ provider: undefined }));
    assert.deepEqual(codes(flags), ['subject_not_linked']);
    assert.match(flag(flags, 'subject_not_linked').message, /training provider/);
  });

  test('an unknown date and conduct after receipt are flagged as for ethics complaints', () => {
    assert.deepEqual(codes(filingFlags(trainingProvider({ occurredOn: null }))), ['no_conduct_date']);
    assert.deepEqual(codes(filingFlags(trainingProvider({ occurredOn: '2025-07-01' }))), ['conduct_after_receipt']);
  });
});

describe('filingFlags: general complaints', () => {
  test('get no date flags: no date, a very old date, or a date after receipt', () => {
    const general = (occurredOn: string | null): FilingFacts => ({ kind: 'general', receivedOn, occurredOn, limitYears: 3 });
    assert.deepEqual(filingFlags(general(null)), []);
    assert.deepEqual(filingFlags(general('2001-01-01')), []);
    assert.deepEqual(filingFlags(general('2025-12-31')), []);
  });
});
