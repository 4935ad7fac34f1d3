// The clocks of a complaint or appeal (PROGRAM.md §10.2): acknowledge within N business days of receipt, decide
// within M calendar days, one extension of at most K days with a reason. Pure functions over dates; the rules and
// the holiday set are passed in, so the same arithmetic serves intake, the dashboard, reminders and tests.
import { addBusinessDays } from '../lib/business-days.ts';
import { addDays, daysBetween } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import type { ProgramRules } from '../rules/rule-definitions.ts';

export type ClockRules = Pick<ProgramRules, 'enforcement.acknowledge_business_days' | 'enforcement.decision_days' | 'enforcement.extension_max_days'>;

export interface CaseClocks {
  acknowledgeBy: string;
  decideBy: string;
}

/** The due dates of a case received on `receivedOn`, by the rules in force that day. */
export function clocksFor(receivedOn: string, rules: ClockRules, holidays: ReadonlySet<string>): CaseClocks {
  return {
    acknowledgeBy: addBusinessDays(receivedOn, rules['enforcement.acknowledge_business_days'], holidays),
    decideBy: addDays(receivedOn, rules['enforcement.decision_days']),
  };
}

/** The dates whose holidays the acknowledgement clock can reach: N business days never span more than 2N + 14 days. */
export function holidayWindow(receivedOn: string, rules: ClockRules): { from: string; to: string } {
  return { from: receivedOn, to: addDays(receivedOn, 2 * rules['enforcement.acknowledge_business_days'] + 14) };
}

export interface ExtensionFacts {
  decideBy: string;
  extendedTo: string | null;
  decidedOn: string | null;
}

/**
 * The one extension: `days` (1 to the configured maximum) added to the decision due date, with a reason, while the
 * case is undecided and its clock has not yet run out. Throws a rule violation naming what is wrong.
 */
export function extendDecision(facts: ExtensionFacts, days: number, reason: string, today: string, rules: ClockRules): string {
  const max = rules['enforcement.extension_max_days'];
  if (facts.decidedOn !== null) throw new AppError('conflict', `This case was decided on ${facts.decidedOn}; its clock no longer runs.`, [], 'enforcement.decided');
  if (facts.extendedTo !== null) {
    throw new AppError('rule-violation', `The decision clock was already extended once, to ${facts.extendedTo}; only one extension is allowed.`, [], 'enforcement.extension_used');
  }
  if (!Number.isInteger(days) || days < 1 || days > max) {
    throw new AppError('rule-violation', `An extension is from 1 to ${max} calendar days.`, [{ path: 'days', message: `Give 1 to ${max} days.` }], 'enforcement.extension_length');
  }
  if (reason.trim() === '') throw new AppError('rule-violation', 'Give the reason for the extension.', [{ path: 'reason', message: 'Give the reason for the extension.' }], 'enforcement.extension_reason');
  if (today > facts.decideBy) {
    throw new AppError('rule-violation', `The decision was due on ${facts.decideBy}; a clock that has run out cannot be extended.`, [], 'enforcement.extension_late');
  }
  return addDays(facts.decideBy, days);
}

/** When the decision is due now: the extended date if there is one. */
export function decisionDueOn(facts: Pick<ExtensionFacts, 'decideBy' | 'extendedTo'>): string {
  return facts.extendedTo ?? facts.decideBy;
}

/** met / late: done, on or after the due date; due / overdue: not done yet. */
export type ClockState = 'met' | 'late' | 'due' | 'overdue';

export interface ClockReading {
  state: ClockState;
  dueOn: string;
  /** Days until due (negative: overdue); null once done. */
  daysLeft: number | null;
}

export function readClock(dueOn: string, doneOn: string | null, today: string): ClockReading {
  if (doneOn !== null) return { state: doneOn <= dueOn ? 'met' : 'late', dueOn, daysLeft: null };
  const daysLeft = daysBetween(today, dueOn);
  return { state: daysLeft < 0 ? 'overdue' : 'due', dueOn, daysLeft };
}
