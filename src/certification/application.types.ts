// What an applicant fills in. A draft accepts any subset (save at any step); submission checks completeness and
// eligibility (eligibility.ts). The same contract serves the portal's forms and the JSON API.
import { z } from 'zod';
import { IsoDate } from '../lib/dates.ts';
import { LIVED_EXPERIENCE, PATHWAYS } from './vocabulary.ts';

const text = (max: number) => z.string().trim().max(max);
const yesNo = z.union([z.boolean(), z.enum(['yes', 'no']).transform((v) => v === 'yes')]);

export const EDUCATION_LEVELS = ['high_school', 'equivalency', 'higher_degree', 'none'] as const;

export const Answers = z
  .object({
    legalFirstName: text(100),
    legalMiddleName: text(100),
    legalLastName: text(100),
    dateOfBirth: IsoDate,
    phone: text(40),
    countyFips: z.string().regex(/^06\d{3}$/),
    education: z.enum(EDUCATION_LEVELS),
    livedExperience: z.enum(LIVED_EXPERIENCE),
    willingToShare: yesNo,
    dedicatedToRecovery: yesNo,
    // Reciprocity
    outOfStateState: text(60),
    outOfStateCertificationNumber: text(60),
    outOfStateActive: yesNo,
    outOfStateNoPendingDiscipline: yesNo,
    experienceHours: z.coerce.number().min(0).max(100_000),
    // Grandparenting (historical)
    employedAsPeerOn: IsoDate,
    employerName: text(200),
    // Renewal and reinstatement
    ceAttested: yesNo,
  })
  .partial();

export type Answers = z.infer<typeof Answers>;

/** Answers as posted by a form: empty strings mean "not answered" and are dropped before parsing. */
export function answersFromForm(fields: Record<string, string>): unknown {
  return Object.fromEntries(Object.entries(fields).filter(([key, value]) => key in Answers.shape && value.trim() !== ''));
}

export const StartApplication = z.object({ pathway: z.enum(PATHWAYS) });

export const Signature = z.object({
  /** The applicant types their legal name to sign the Code of Ethics. */
  signedName: text(300).min(1, 'Type your full legal name to sign.'),
  ethicsAffirmed: yesNo.refine((v) => v, 'Affirm the Code of Ethics to submit.'),
});
