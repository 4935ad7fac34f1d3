// Every program rule the platform reads: its key, the shape of its value, what it means, and the value and authority
// loaded as reference data (PROGRAM.md §19). Code reads rules only through rulesAsOf(); no number here is used
// directly by a use case.
import { z } from 'zod';

const days = z.number().int().min(0).max(3650);
const hours = z.number().min(0).max(1000);
const cents = z.number().int().min(0).max(1_000_000);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** What a service component is billed as: HCPCS code, modifiers, minutes per unit (null: one unit per service). */
const procedure = z.object({ code: z.string().regex(/^[A-Z]\d{4}$/), modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/)).max(4), unitMinutes: z.number().int().min(1).max(1440).nullable() });

export const RULE_SCHEMAS = {
  'application.min_age': z.number().int().min(0).max(120),
  'application.review_target_days': days,
  'application.validity_months': z.number().int().min(1).max(60),
  'exam.attempts_per_application': z.number().int().min(1).max(20),
  'certification.term_years': z.number().int().min(1).max(10),
  'renewal.window_days': days,
  'renewal.ce_hours': hours,
  'renewal.law_ethics_hours': hours,
  'renewal.reminder_offsets_days': z.array(days).max(10),
  'expiry.late_renewal_limit_days': days,
  'expiry.vacate_after_years': z.number().int().min(1).max(50),
  'reinstatement.ce_hours': hours,
  'training.core_hours': hours,
  'specialization.hours': hours,
  'grandparenting.last_submission_on': isoDate,
  'grandparenting.employed_on': isoDate,
  'reciprocity.experience_hours': z.number().min(0).max(100_000),
  'reciprocity.ce_hours': hours,
  'reciprocity.law_ethics_hours': hours,
  'reciprocity.ce_lookback_years': z.number().int().min(1).max(10),
  'reciprocity.letters': z.number().int().min(0).max(10),
  'fee.application': cents,
  'fee.exam': cents,
  'fee.exam_retake': cents,
  'fee.renewal': cents,
  'fee.reinstatement': cents,
  'fee.late_renewal': cents,
  'enforcement.acknowledge_business_days': days,
  'enforcement.decision_days': days,
  'enforcement.extension_max_days': days,
  'enforcement.filing_limit_years': z.number().int().min(1).max(20),
  'enforcement.reminder_offsets_days': z.array(days).max(10),
  'enforcement.public_outcomes': z.array(z.enum(['warning', 'corrective_action', 'probation', 'suspension', 'revocation', 'renewal_denial', 'approval_suspension', 'approval_revocation'])).max(10),
  'services.note_due_business_days': days,
  'services.max_minutes_per_encounter': z.number().int().min(1).max(1440),
  'services.care_plan_required': z.boolean(),
  'services.supervisor_cosign_required': z.boolean(),
  'services.supervisor_training_required': z.boolean(),
  'services.telehealth_consent_required': z.boolean(),
  'claims.procedure_codes': z.object({ educational_group: procedure, engagement: procedure, therapeutic_activity: procedure }),
  'claims.unit_rounding': z.enum(['midpoint', 'up', 'down']),
  'claims.max_units_per_member_day': z.number().int().min(1).max(200),
  'claims.timely_filing_days': days,
  'claims.x12_parties': z.object({
    receiverName: z.string().min(1).max(60),
    receiverId: z.string().min(1).max(15),
    payerName: z.string().min(1).max(60),
    payerId: z.string().min(1).max(80),
    usage: z.enum(['T', 'P']),
  }),
} as const;

export type RuleKey = keyof typeof RULE_SCHEMAS;
export type RuleValue<K extends RuleKey> = z.infer<(typeof RULE_SCHEMAS)[K]>;
export type ProgramRules = { [K in RuleKey]: RuleValue<K> };
export const RULE_KEYS = Object.keys(RULE_SCHEMAS) as RuleKey[];

export function isRuleKey(key: string): key is RuleKey {
  return Object.hasOwn(RULE_SCHEMAS, key);
}

/** What each rule means, for the staff page. */
export const RULE_DESCRIPTIONS: Readonly<Record<RuleKey, string>> = {
  'application.min_age': 'Minimum age on the date an application is submitted (years).',
  'application.review_target_days': 'Target for reviewing a submitted application (days); the queue flags older ones.',
  'application.validity_months': 'An approval is valid this many months from the approval notice; every step must finish by then.',
  'exam.attempts_per_application': 'Exam attempts allowed per application, the first one included.',
  'certification.term_years': 'Years from the issue date to expiry.',
  'renewal.window_days': 'A renewal can be submitted this many days before expiry, and not earlier.',
  'renewal.ce_hours': 'Continuing education hours completed in the cycle, required to renew.',
  'renewal.law_ethics_hours': 'Of those, hours of law and ethics.',
  'renewal.reminder_offsets_days': 'Days before expiry on which a renewal reminder is emailed.',
  'expiry.late_renewal_limit_days': 'After expiry, a late renewal (with the late fee) is possible for this many days; after that, reinstatement.',
  'expiry.vacate_after_years': 'Years after the renewal due date (expiry) at which an expired certification is vacated.',
  'reinstatement.ce_hours': 'Continuing education hours required to reinstate.',
  'training.core_hours': 'Hours of the core training course.',
  'specialization.hours': 'Hours of each specialization course.',
  'grandparenting.last_submission_on': 'Last day a grandparenting application could be submitted (the pathway is closed after it).',
  'grandparenting.employed_on': 'Grandparenting applicants had to be employed as a peer on this date.',
  'reciprocity.experience_hours': 'Hours of peer work required for out-of-state reciprocity.',
  'reciprocity.ce_hours': 'Continuing education hours required for reciprocity, within the look-back period.',
  'reciprocity.law_ethics_hours': 'Of those, hours of law and ethics.',
  'reciprocity.ce_lookback_years': 'Years before submission in which reciprocity continuing education counts.',
  'reciprocity.letters': 'Recommendation letters required for reciprocity (supervisor, colleague, self).',
  'fee.application': 'Application fee, initial or reciprocity (cents).',
  'fee.exam': 'Exam fee, first attempt (cents).',
  'fee.exam_retake': 'Exam fee for each retake (cents).',
  'fee.renewal': 'Renewal fee (cents).',
  'fee.reinstatement': 'Reinstatement fee (cents).',
  'fee.late_renewal': 'Late renewal fee, added to a renewal or reinstatement after expiry (cents).',
  'enforcement.acknowledge_business_days': 'A complaint or appeal is acknowledged within this many business days of receipt (state holidays excluded).',
  'enforcement.decision_days': 'The investigation or appeal review is completed within this many calendar days of receipt.',
  'enforcement.extension_max_days': 'An extension of the decision clock adds at most this many calendar days.',
  'enforcement.filing_limit_years': 'Ethics complaints are flagged when the conduct is more than this many years before receipt.',
  'enforcement.reminder_offsets_days': 'Days before a clock is due on which the assigned investigator is emailed (0: the due day).',
  'enforcement.public_outcomes': 'Outcomes of a case disclosed on the public registry (kind, dates and public summary only).',
  'services.note_due_business_days': 'A progress note is finalized (signed) within this many business days after the service.',
  'services.max_minutes_per_encounter': 'The longest one documented peer support service may be, in minutes.',
  'services.care_plan_required': 'Whether each peer support service must reference the member’s care plan.',
  'services.supervisor_cosign_required': 'Whether a supervisor must co-sign a peer’s progress note before it is billable.',
  'services.supervisor_training_required': 'Whether the assigned supervisor must have completed the state-required supervisor training by the date of service.',
  'claims.procedure_codes': 'The HCPCS code, modifiers and minutes per unit billed for each service component.',
  'claims.unit_rounding': 'Minutes to units: midpoint (a unit once at least half of it is given, the CMS 8-minute rule for 15-minute units), up, or down.',
  'claims.max_units_per_member_day': 'The most units claimed for one member on one day before the claim is held.',
  'claims.timely_filing_days': 'A claim is held when built more than this many days after the date of service.',
  'claims.x12_parties': 'The receiver and payer named in 837P files, and whether files are test (T) or production (P).',
  'services.telehealth_consent_required': 'Whether a video or audio-only service needs the member’s recorded (verbal or written) consent.',
};

export interface RuleSeed {
  key: RuleKey;
  value: unknown;
  effectiveFrom: string;
  authority: string;
  note?: string;
}

/** Applications opened on 2022-05-02; rules take effect from then unless their source dates them otherwise. */
const OPENED = '2022-05-02';

/** The reference values (PROGRAM.md §4–8, §19), loaded at every start; a value recorded later supersedes from its date. */
export const RULE_SEEDS: readonly RuleSeed[] = [
  { key: 'application.min_age', value: 18, effectiveFrom: OPENED, authority: 'WIC §14045.15; CalMHSA initial certification' },
  { key: 'application.review_target_days', value: 30, effectiveFrom: OPENED, authority: 'CalMHSA application steps', note: 'Quoted as 20 days in October 2022.' },
  { key: 'application.validity_months', value: 12, effectiveFrom: OPENED, authority: 'CalMHSA application steps', note: "CalMHSA's choice; DHCS sets no limit." },
  { key: 'exam.attempts_per_application', value: 3, effectiveFrom: OPENED, authority: 'CalMHSA exam and fee pages', note: 'Working value: 3 in total (wording could mean 3 retakes).' },
  { key: 'certification.term_years', value: 2, effectiveFrom: OPENED, authority: 'CalMHSA renewal' },
  { key: 'renewal.window_days', value: 90, effectiveFrom: OPENED, authority: 'CalMHSA renewal', note: 'Another CalMHSA page says 60 days.' },
  { key: 'renewal.ce_hours', value: 20, effectiveFrom: OPENED, authority: 'CalMHSA renewal' },
  { key: 'renewal.law_ethics_hours', value: 6, effectiveFrom: OPENED, authority: 'CalMHSA renewal' },
  { key: 'renewal.reminder_offsets_days', value: [90, 30, 7], effectiveFrom: OPENED, authority: 'CalMHSA practice (90 days); 30 and 7 are this platform’s defaults' },
  { key: 'expiry.late_renewal_limit_days', value: 365, effectiveFrom: OPENED, authority: 'DHCS FAQ citing BHIN 25-010', note: 'The boundary between late renewal and reinstatement is not published; working value.' },
  { key: 'expiry.vacate_after_years', value: 4, effectiveFrom: OPENED, authority: 'DHCS FAQ citing BHIN 25-010 (translation)' },
  { key: 'reinstatement.ce_hours', value: 20, effectiveFrom: OPENED, authority: 'DHCS FAQ citing BHIN 25-010 (translation)' },
  { key: 'training.core_hours', value: 80, effectiveFrom: OPENED, authority: 'WIC §14045.13; CalMHSA initial certification' },
  { key: 'specialization.hours', value: 40, effectiveFrom: OPENED, authority: 'CalMHSA specializations' },
  { key: 'grandparenting.last_submission_on', value: '2022-12-31', effectiveFrom: OPENED, authority: 'CalMHSA grandparenting updates' },
  { key: 'grandparenting.employed_on', value: '2022-01-01', effectiveFrom: OPENED, authority: 'CalMHSA grandparenting' },
  { key: 'reciprocity.experience_hours', value: 1550, effectiveFrom: OPENED, authority: 'CalMHSA reciprocity' },
  { key: 'reciprocity.ce_hours', value: 20, effectiveFrom: OPENED, authority: 'CalMHSA reciprocity' },
  { key: 'reciprocity.law_ethics_hours', value: 6, effectiveFrom: OPENED, authority: 'CalMHSA reciprocity' },
  { key: 'reciprocity.ce_lookback_years', value: 2, effectiveFrom: OPENED, authority: 'CalMHSA reciprocity' },
  { key: 'reciprocity.letters', value: 3, effectiveFrom: OPENED, authority: 'CalMHSA reciprocity' },
  { key: 'fee.application', value: 10000, effectiveFrom: OPENED, authority: 'CalMHSA fees (DHCS-approved, WIC §14045.18)' },
  { key: 'fee.exam', value: 15000, effectiveFrom: OPENED, authority: 'CalMHSA fees' },
  { key: 'fee.exam_retake', value: 15000, effectiveFrom: OPENED, authority: 'CalMHSA fees' },
  { key: 'fee.renewal', value: 8000, effectiveFrom: '2024-09-01', authority: 'CalMHSA fees (effective September 2024)' },
  { key: 'fee.reinstatement', value: 8000, effectiveFrom: OPENED, authority: 'californiapeers.org', note: 'Secondary source only.' },
  { key: 'enforcement.acknowledge_business_days', value: 5, effectiveFrom: OPENED, authority: 'CalMHSA complaints page (SLA)' },
  { key: 'enforcement.decision_days', value: 90, effectiveFrom: OPENED, authority: 'CalMHSA complaints page (SLA)' },
  { key: 'enforcement.extension_max_days', value: 30, effectiveFrom: OPENED, authority: 'CalMHSA complaints page (SLA)' },
  { key: 'enforcement.filing_limit_years', value: 3, effectiveFrom: OPENED, authority: 'CalMHSA complaints page' },
  { key: 'enforcement.reminder_offsets_days', value: [7, 2, 0], effectiveFrom: OPENED, authority: 'This platform’s default' },
  {
    key: 'enforcement.public_outcomes',
    value: ['probation', 'suspension', 'revocation', 'renewal_denial', 'approval_suspension', 'approval_revocation'],
    effectiveFrom: OPENED,
    authority: 'CalMHSA complaints page; registry',
    note: 'Which sanctions the registry discloses beyond status is not published; warnings and corrective action are kept private here.',
  },
  { key: 'services.note_due_business_days', value: 3, effectiveFrom: OPENED, authority: 'BHIN 23-068 (documentation); PROGRAM.md §12.4', note: 'Unconfirmed for peer services; crisis services are due in 24 hours.' },
  { key: 'services.max_minutes_per_encounter', value: 480, effectiveFrom: OPENED, authority: 'This platform’s default', note: 'No published per-service limit; catches typing errors (an 8-hour ceiling).' },
  { key: 'services.care_plan_required', value: true, effectiveFrom: OPENED, authority: 'SMHS State Plan ("based on an approved plan of care"); BHIN 23-068', note: 'Unconfirmed whether BHIN 23-068 keeps care plans for peer services.' },
  { key: 'services.supervisor_cosign_required', value: false, effectiveFrom: OPENED, authority: 'This platform’s default', note: 'DHCS gives no guidance on documenting supervision (DHCS FAQ); counties may require it.' },
  { key: 'services.supervisor_training_required', value: true, effectiveFrom: OPENED, authority: 'CalMHSA supervisor training; BHIN 22-018', note: 'The completion deadline is not published.' },
  { key: 'services.telehealth_consent_required', value: true, effectiveFrom: OPENED, authority: 'Medi-Cal telehealth policy; BHIN 23-018', note: 'Consent before the first telehealth service; the peer rule is unconfirmed.' },
  {
    key: 'claims.procedure_codes',
    value: {
      educational_group: { code: 'H0025', modifiers: [], unitMinutes: 15 },
      engagement: { code: 'H0038', modifiers: [], unitMinutes: 15 },
      therapeutic_activity: { code: 'H0038', modifiers: [], unitMinutes: 15 },
    },
    effectiveFrom: OPENED,
    authority: 'CalMHSA procedure table (descriptors); HCPCS H0025, H0038; PROGRAM.md §13.1',
    note: 'The codes are inferred from the descriptors; the H0025 unit and any modifiers are not published.',
  },
  { key: 'claims.unit_rounding', value: 'midpoint', effectiveFrom: OPENED, authority: 'CMS 8-minute rule (the platform’s default)', note: 'SD/MC rounding is not published.' },
  { key: 'claims.max_units_per_member_day', value: 24, effectiveFrom: OPENED, authority: 'This platform’s default', note: 'No published per-day limit for peer services; 24 units is six hours.' },
  { key: 'claims.timely_filing_days', value: 365, effectiveFrom: OPENED, authority: 'SD/MC billing manual (12 months from the month of service)', note: 'Counted here as 365 days from the date of service; check the county’s companion guide.' },
  {
    key: 'claims.x12_parties',
    value: { receiverName: 'DHCS SDMC', receiverId: 'DHCSSDMC', payerName: 'MEDI-CAL SDMC', payerId: 'SDMC', usage: 'T' },
    effectiveFrom: OPENED,
    authority: 'STANDARDS.md §4.2 (placeholders)',
    note: 'Placeholders until the DHCS SD/MC companion guide’s identifiers are recorded; files are marked test (T).',
  },
  { key: 'fee.late_renewal', value: 0, effectiveFrom: OPENED, authority: 'CalMHSA renewal; DHCS FAQ', note: 'A late fee exists but its amount is not published; record it here when known.' },
];
