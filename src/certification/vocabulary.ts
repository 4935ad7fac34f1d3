// The certification domain's fixed vocabularies (PROGRAM.md §4–8). Values that may change are program rules
// (src/rules/), not constants here; these are the names of things.

/** Application types: the three pathways to a first certification, and the two that keep or restore one. */
export const PATHWAYS = ['initial', 'reciprocity', 'grandparenting', 'renewal', 'reinstatement'] as const;
export type Pathway = (typeof PATHWAYS)[number];

/**
 * The application machine (PROGRAM.md §7). `submitted` is the review queue; `certified` ends an application that
 * issued, renewed or reinstated a certification; denied, application_expired, attempts_exhausted and withdrawn
 * end it otherwise.
 */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'revision_requested',
  'denied',
  'approved',
  'training_verified',
  'exam_authorized',
  'exam_failed',
  'attempts_exhausted',
  'application_expired',
  'certified',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** The certification machine (PROGRAM.md §7); probation and the like arrive with enforcement. */
export const CERTIFICATION_STATUSES = ['active', 'expired', 'suspended', 'revoked', 'vacated'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];

/** DHCS's four specializations (PROGRAM.md §8); their hours are a program rule. */
export const SPECIALIZATIONS = ['parent_caregiver_family', 'crisis_care', 'unhoused', 'justice_involved'] as const;
export type Specialization = (typeof SPECIALIZATIONS)[number];

export const LIVED_EXPERIENCE = ['consumer', 'parent_caregiver_family'] as const;
export type LivedExperience = (typeof LIVED_EXPERIENCE)[number];

export const DOCUMENT_KINDS = [
  'photo_id',
  'diploma',
  'out_of_state_certification',
  'letter_supervisor',
  'letter_colleague',
  'letter_self',
  'employment_verification',
  'training_certificate',
  'evidence',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const FEE_KINDS = ['application', 'exam', 'exam_retake', 'renewal', 'reinstatement', 'late_renewal'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** Who settled a fee (PROGRAM.md §4.8). No card data is ever stored; a payment carries the processor's reference. */
export const SETTLEMENTS = ['payment', 'county_scholarship', 'dhcs_scholarship', 'fee_waiver', 'employer'] as const;
export type Settlement = (typeof SETTLEMENTS)[number];

export const EXAM_RESULTS = ['pass', 'fail', 'no_show'] as const;
export type ExamResult = (typeof EXAM_RESULTS)[number];

export const CYCLE_KINDS = ['initial', 'renewal', 'late_renewal', 'reinstatement', 'imported'] as const;
export type CycleKind = (typeof CYCLE_KINDS)[number];
