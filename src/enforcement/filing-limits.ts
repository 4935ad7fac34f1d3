// The filing limits of a complaint (PROGRAM.md §10.1): ethics conduct more than the configured years before receipt,
// conduct while the person was not certified, training-provider conduct outside any approval. They are flags for the
// investigator, with the reason, never a silent rejection: the complaint is kept and the investigator decides.
import { addYears } from '../lib/dates.ts';

export interface FilingFlag {
  code: 'no_conduct_date' | 'beyond_filing_limit' | 'not_certified_then' | 'outside_approval' | 'subject_not_linked' | 'conduct_after_receipt';
  message: string;
}

export interface FilingFacts {
  kind: string;
  receivedOn: string;
  occurredOn: string | null;
  limitYears: number;
  /** For an ethics complaint linked to a certification: its number and its status on the conduct date. */
  subject?: { number: string; statusThen: string | null } | undefined;
  /** For a training-provider complaint linked to a provider: whether any approval of theirs covered the date. */
  provider?: { name: string; approvedThen: boolean } | undefined;
}

export function filingFlags(f: FilingFacts): FilingFlag[] {
  const flags: FilingFlag[] = [];
  if (f.kind === 'ethics' && !f.subject) flags.push({ code: 'subject_not_linked', message: 'The complaint is not yet linked to a certification; link it to check the certified period.' });
  if (f.kind === 'training_provider' && !f.provider) flags.push({ code: 'subject_not_linked', message: 'The complaint is not yet linked to a training provider; link it to check the approval period.' });
  if (f.kind === 'general') return flags;
  if (f.occurredOn === null) {
    flags.push({ code: 'no_conduct_date', message: 'The date of the conduct is not known, so the filing limit and the certified period could not be checked.' });
    return flags;
  }
  if (f.occurredOn > f.receivedOn) flags.push({ code: 'conduct_after_receipt', message: `The conduct date ${f.occurredOn} is after the complaint was received (${f.receivedOn}).` });
  const earliest = addYears(f.receivedOn, -f.limitYears);
  if (f.kind === 'ethics' && f.occurredOn < earliest) {
    flags.push({
      code: 'beyond_filing_limit',
      message: `The conduct on ${f.occurredOn} is more than ${f.limitYears} years before the complaint was received on ${f.receivedOn} (the limit reaches back to ${earliest}).`,
    });
  }
  if (f.subject && f.subject.statusThen !== 'active') {
    flags.push({
      code: 'not_certified_then',
      message: `On ${f.occurredOn}, ${f.subject.number} was ${f.subject.statusThen ?? 'not yet issued'}: only conduct while certified is investigated.`,
    });
  }
  if (f.provider && !f.provider.approvedThen) {
    flags.push({ code: 'outside_approval', message: `On ${f.occurredOn}, ${f.provider.name} held no approval: training-provider complaints cover only the period of approval.` });
  }
  return flags;
}
