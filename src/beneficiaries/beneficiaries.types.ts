// The contracts of a member's record: one zod schema for the form and the API.
import { z } from 'zod';
import { CALIFORNIA_COUNTIES } from '../counties/california-counties.ts';
import { checkCin } from '../identifiers/cin.ts';
import { IsoDate } from '../lib/dates.ts';

export const Cin = z
  .string()
  .transform((v) => checkCin(v))
  .superRefine((check, ctx) => {
    if (check.problem) ctx.addIssue({ code: 'custom', message: check.problem });
  })
  .transform((check) => check.cin);

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const BeneficiaryInput = z.object({
  cin: Cin,
  firstName: z.string().trim().min(1, 'Give the member’s first name.').max(100),
  lastName: z.string().trim().min(1, 'Give the member’s last name.').max(100),
  birthDate: IsoDate,
  sex: z.preprocess(blank, z.enum(['F', 'M', 'U']).default('U')),
  countyFips: z.string().refine((f) => CALIFORNIA_COUNTIES.some((c) => c.fips === f), 'Choose the county responsible for the member.'),
  street: z.preprocess(blank, z.string().trim().max(200).optional()),
  city: z.preprocess(blank, z.string().trim().max(100).optional()),
  zip: z.preprocess(blank, z.string().trim().regex(/^\d{5}(-?\d{4})?$/, 'A ZIP code is 5 or 9 digits.').optional()),
});
export type BeneficiaryInput = z.infer<typeof BeneficiaryInput>;

export const EligibilityInput = z.object({
  startsOn: IsoDate,
  endsOn: z.preprocess(blank, IsoDate.optional()),
  aidCode: z.preprocess(blank, z.string().trim().regex(/^[0-9A-Z]{2}$/, 'An aid code is two letters or digits.').optional()),
});
