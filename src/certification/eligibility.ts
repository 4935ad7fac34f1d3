// Whether an application may be submitted: every requirement of its pathway, checked against the program rules in
// force on the submission date, each failure with a rule code, the field it concerns and a plain message. Pure:
// the caller gathers the facts (answers, documents, training, the certification being renewed).
import { addDays, addYears, ageOn, daysBetween } from '../lib/dates.ts';
import type { ProgramRules } from '../rules/rule-definitions.ts';
import type { TrainingSummary } from '../training/training-credit.ts';
import type { Answers } from './application.types.ts';
import type { CertificationStatus, DocumentKind, Pathway } from './vocabulary.ts';

export interface Problem {
  code: string;
  path: string;
  message: string;
}

export interface RenewalFacts {
  status: CertificationStatus;
  expiresOn: string;
  /** Training completed in the current term (renewal) or since it began (reinstatement). */
  training: TrainingSummary;
  /** Core training completed after expiry (the refresher that can replace the exam on reinstatement). */
  refresherCompletedOn: string | null;
}

export interface EligibilityFacts {
  pathway: Pathway;
  answers: Answers;
  documents: ReadonlySet<DocumentKind>;
  rules: ProgramRules;
  /** The submission date. */
  today: string;
  /** Reciprocity: CE completed within the look-back period. */
  recentTraining?: TrainingSummary;
  renewal?: RenewalFacts;
}

const REQUIRED_FIELDS: ReadonlyArray<[keyof Answers, string]> = [
  ['legalFirstName', 'Enter your legal first name as on your photo ID.'],
  ['legalLastName', 'Enter your legal last name as on your photo ID.'],
  ['dateOfBirth', 'Enter your date of birth.'],
  ['education', 'Tell us your highest level of education.'],
  ['livedExperience', 'Tell us how you identify your lived experience.'],
];

const DOCUMENT_MESSAGES: Partial<Record<DocumentKind, string>> = {
  photo_id: 'Upload your government photo ID (proof of age and legal name).',
  diploma: 'Upload your high school diploma, equivalency certificate or higher degree.',
  out_of_state_certification: 'Upload your current out-of-state peer certification.',
  letter_supervisor: 'Upload a letter from your supervisor on agency letterhead.',
  letter_colleague: 'Upload a letter from a professional colleague.',
  letter_self: 'Upload your self-recommendation describing your current peer role.',
  employment_verification: 'Upload the employment verification form.',
};

/** The documents a pathway needs uploaded before submission. */
export function requiredDocuments(pathway: Pathway, rules: ProgramRules): DocumentKind[] {
  const letters: DocumentKind[] = ['letter_supervisor', 'letter_colleague', 'letter_self'];
  switch (pathway) {
    case 'initial':
      return ['photo_id', 'diploma'];
    case 'reciprocity':
      return ['photo_id', 'diploma', 'out_of_state_certification', ...letters.slice(0, rules['reciprocity.letters'])];
    case 'grandparenting':
      return ['photo_id', 'diploma', 'employment_verification'];
    case 'renewal':
    case 'reinstatement':
      return [];
  }
}

/** The renewal situation on `today`: in the window, too early, late, reinstatement, or no longer possible. */
export type RenewalStage = 'too_early' | 'renewal' | 'late_renewal' | 'reinstatement' | 'vacated' | 'not_renewable';

export function renewalStage(status: CertificationStatus, expiresOn: string, today: string, rules: ProgramRules): RenewalStage {
  if (status === 'vacated') return 'vacated';
  if (status === 'revoked' || status === 'suspended') return 'not_renewable';
  if (today < expiresOn) return today >= addDays(expiresOn, -rules['renewal.window_days']) ? 'renewal' : 'too_early';
  const late = daysBetween(expiresOn, today);
  if (late < rules['expiry.late_renewal_limit_days']) return 'late_renewal';
  return today < addYears(expiresOn, rules['expiry.vacate_after_years']) ? 'reinstatement' : 'vacated';
}

function personalProblems(f: EligibilityFacts): Problem[] {
  const { answers: a, rules } = f;
  const problems: Problem[] = [];
  for (const [field, message] of REQUIRED_FIELDS) if (a[field] === undefined || a[field] === '') problems.push({ code: 'application.incomplete', path: field, message });
  const minAge = rules['application.min_age'];
  if (a.dateOfBirth && ageOn(a.dateOfBirth, f.today) < minAge) {
    problems.push({ code: 'eligibility.age', path: 'dateOfBirth', message: `You must be at least ${minAge} years old to apply.` });
  }
  if (a.education === 'none') {
    problems.push({ code: 'eligibility.education', path: 'education', message: 'A high school diploma or equivalent is required; life or work experience cannot replace it.' });
  }
  if (a.willingToShare !== true) problems.push({ code: 'eligibility.willing_to_share', path: 'willingToShare', message: 'Certified peers must be willing to share their lived experience.' });
  if (a.dedicatedToRecovery !== true) problems.push({ code: 'eligibility.dedicated', path: 'dedicatedToRecovery', message: 'Certified peers must be strongly dedicated to recovery.' });
  return problems;
}

function documentProblems(f: EligibilityFacts, kinds: readonly DocumentKind[]): Problem[] {
  return kinds.filter((k) => !f.documents.has(k)).map((k) => ({ code: `document.missing`, path: `document.${k}`, message: DOCUMENT_MESSAGES[k] ?? `Upload the ${k.replace(/_/g, ' ')}.` }));
}

function reciprocityProblems(f: EligibilityFacts): Problem[] {
  const { answers: a, rules } = f;
  const problems: Problem[] = [];
  if (!a.outOfStateState || !a.outOfStateCertificationNumber) problems.push({ code: 'application.incomplete', path: 'outOfStateCertificationNumber', message: 'Enter the state and number of your out-of-state certification.' });
  if (a.outOfStateActive !== true) problems.push({ code: 'reciprocity.not_active', path: 'outOfStateActive', message: 'Your out-of-state certification must be current and active.' });
  if (a.outOfStateNoPendingDiscipline !== true) problems.push({ code: 'reciprocity.pending_discipline', path: 'outOfStateNoPendingDiscipline', message: 'Reciprocity needs a certification with no pending discipline or unresolved complaints.' });
  const hours = rules['reciprocity.experience_hours'];
  if ((a.experienceHours ?? 0) < hours) problems.push({ code: 'reciprocity.experience_hours', path: 'experienceHours', message: `Reciprocity needs at least ${hours} hours of peer work.` });
  const training = f.recentTraining;
  const ce = rules['reciprocity.ce_hours'];
  const ethics = rules['reciprocity.law_ethics_hours'];
  const years = rules['reciprocity.ce_lookback_years'];
  if (!training || training.ceHours < ce) problems.push({ code: 'reciprocity.ce_hours', path: 'training', message: `Reciprocity needs ${ce} continuing education hours in the past ${years} years (${training?.ceHours ?? 0} recorded).` });
  if (!training || training.lawEthicsHours < ethics) problems.push({ code: 'reciprocity.law_ethics_hours', path: 'training', message: `Of those, ${ethics} hours must be law and ethics (${training?.lawEthicsHours ?? 0} recorded).` });
  return problems;
}

function renewalProblems(f: EligibilityFacts): Problem[] {
  const { rules, renewal } = f;
  if (!renewal) return [{ code: 'renewal.no_certification', path: 'certification', message: 'There is no certification to renew.' }];
  const problems: Problem[] = [];
  const stage = renewalStage(renewal.status, renewal.expiresOn, f.today, rules);
  const expectedPathway = stage === 'reinstatement' ? 'reinstatement' : 'renewal';
  if (stage === 'too_early') {
    problems.push({ code: 'renewal.window', path: 'certification', message: `Renewal opens ${rules['renewal.window_days']} days before expiry, on ${addDays(renewal.expiresOn, -rules['renewal.window_days'])}.` });
  } else if (stage === 'vacated') {
    problems.push({ code: 'certification.vacated', path: 'certification', message: 'This certification was vacated; apply again as a new applicant.' });
  } else if (stage === 'not_renewable') {
    problems.push({ code: 'renewal.not_in_good_standing', path: 'certification', message: `A ${renewal.status} certification cannot be renewed.` });
  } else if (expectedPathway !== f.pathway) {
    problems.push({ code: 'renewal.wrong_pathway', path: 'pathway', message: stage === 'reinstatement' ? 'It is too late to renew; apply for reinstatement.' : 'This certification can still be renewed; reinstatement is not needed.' });
  }
  const ce = f.pathway === 'reinstatement' ? rules['reinstatement.ce_hours'] : rules['renewal.ce_hours'];
  const ethics = rules['renewal.law_ethics_hours'];
  if (renewal.training.ceHours < ce) problems.push({ code: 'renewal.ce_hours_short', path: 'training', message: `${ce} continuing education hours are required (${renewal.training.ceHours} recorded).` });
  if (renewal.training.lawEthicsHours < ethics) problems.push({ code: 'renewal.ethics_hours_short', path: 'training', message: `${ethics} of them must be law and ethics (${renewal.training.lawEthicsHours} recorded).` });
  if (f.answers.ceAttested !== true) problems.push({ code: 'renewal.ce_attestation', path: 'ceAttested', message: 'Attest that you completed the continuing education and will keep its records.' });
  return problems;
}

/** Everything that stands between this application and submission (empty: it may be submitted). */
export function eligibilityProblems(f: EligibilityFacts): Problem[] {
  switch (f.pathway) {
    case 'initial':
      return [...personalProblems(f), ...documentProblems(f, requiredDocuments('initial', f.rules))];
    case 'reciprocity':
      return [...personalProblems(f), ...documentProblems(f, requiredDocuments('reciprocity', f.rules)), ...reciprocityProblems(f)];
    case 'grandparenting': {
      const last = f.rules['grandparenting.last_submission_on'];
      const closed: Problem[] = f.today > last ? [{ code: 'grandparenting.closed', path: 'pathway', message: `The grandparenting pathway closed on ${last}.` }] : [];
      const employed = f.rules['grandparenting.employed_on'];
      const employment: Problem[] =
        f.answers.employedAsPeerOn && f.answers.employedAsPeerOn <= employed ? [] : [{ code: 'grandparenting.employment', path: 'employedAsPeerOn', message: `Grandparenting needs employment as a peer on ${employed}.` }];
      return [...closed, ...personalProblems(f), ...employment, ...documentProblems(f, requiredDocuments('grandparenting', f.rules))];
    }
    case 'renewal':
    case 'reinstatement':
      return renewalProblems(f);
  }
}
