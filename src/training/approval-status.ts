// When an approval lets a provider's completions count: [approved_from, approved_to), cut short at ended_on.

export interface ApprovalPeriod {
  approvedFrom: string;
  approvedTo: string;
  endedOn: string | null;
}

export type ApprovalStatus = 'current' | 'ended' | 'expired' | 'upcoming';

/** The first day the approval no longer covers: its end date, or the day it was ended early if sooner. */
export function approvalEnd(a: ApprovalPeriod): string {
  return a.endedOn !== null && a.endedOn < a.approvedTo ? a.endedOn : a.approvedTo;
}

/** Whether a completion on `date` falls inside the approval. */
export function approvalCovers(a: ApprovalPeriod, date: string): boolean {
  return a.approvedFrom <= date && date < approvalEnd(a);
}

/** The approval's state on `today`; an approval ended early says so even after its natural end date. */
export function approvalStatus(a: ApprovalPeriod, today: string): ApprovalStatus {
  if (a.endedOn !== null && a.endedOn <= today) return 'ended';
  if (today < a.approvedFrom) return 'upcoming';
  if (today >= a.approvedTo) return 'expired';
  return 'current';
}
