// Contracts of the county participation API: validation, types and OpenAPI from one source.
import { z } from 'zod';
import { IsoDate } from '../lib/dates.ts';
import { DELIVERY_SYSTEM_CODES } from './reference-data.ts';

export const DeliverySystemCode = z.enum(DELIVERY_SYSTEM_CODES).meta({
  description: 'SMHS = Specialty Mental Health Services; DMC = Drug Medi-Cal State Plan; DMC_ODS = Drug Medi-Cal Organized Delivery System',
});

export const AsOfQuery = z.object({
  asOf: IsoDate.optional().describe('Calendar date (America/Los_Angeles). Default: today.'),
});

export const FipsParams = z.object({
  fips: z.string().regex(/^\d{5}$/, 'Expected a 5-digit FIPS code such as 06001').describe('County FIPS code, e.g. 06001 (Alameda)'),
});

const Plan = z.object({ code: z.string(), name: z.string() });

const SourceNote = z.object({ code: z.string(), message: z.string(), county: z.string().optional() });

const ImportNote = z.object({
  source: z.string(),
  effectiveOn: IsoDate,
  statedCount: z.number().int().nullable().describe('The count the source page states about itself'),
  listedCount: z.number().int().describe('The counties the source page actually lists'),
  warnings: z.array(SourceNote).describe('Discrepancies found in the source page'),
});

export const ParticipationChangeBody = z.object({
  participating: z.boolean().describe('true: takes part from effectiveOn; false: stops from effectiveOn'),
  effectiveOn: IsoDate,
  reason: z.string().min(1).max(2000).describe('Why: the BHIN, letter or notice behind the change'),
});

export const ParticipationChangeCreate = ParticipationChangeBody.extend({ deliverySystem: DeliverySystemCode });

export const CountyParticipationOut = z.object({
  fips: z.string(),
  name: z.string(),
  plan: Plan,
  deliverySystems: z.array(DeliverySystemCode),
});

export const ParticipationListOut = z.object({
  asOf: IsoDate,
  participatingCount: z.number().int(),
  totals: z.object({ DMC: z.number().int(), DMC_ODS: z.number().int(), SMHS: z.number().int() }),
  source: ImportNote.nullable(),
  counties: z.array(CountyParticipationOut),
});

export const CountyDetailOut = CountyParticipationOut.extend({
  asOf: IsoDate,
  plan: Plan.extend({ counties: z.array(z.object({ fips: z.string(), name: z.string() })) }),
  history: z.array(
    z.object({
      deliverySystem: DeliverySystemCode,
      from: IsoDate,
      to: IsoDate.nullable().describe('Exclusive end date; null while ongoing'),
      source: z.string(),
      reason: z.string(),
    }),
  ),
  sourceNotes: z.array(SourceNote).describe('What the source page in force on asOf got wrong or left unclear about this county'),
});
