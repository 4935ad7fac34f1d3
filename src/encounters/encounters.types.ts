// The encounter form's contract (one zod schema for the page and the API), and the vocabulary of a service.
import { z } from 'zod';
import { IsoDate } from '../lib/dates.ts';

export const COMPONENTS = ['educational_group', 'engagement', 'therapeutic_activity'] as const;
export type Component = (typeof COMPONENTS)[number];
export const MODALITIES = ['in_person', 'video', 'audio_only'] as const;
export type Modality = (typeof MODALITIES)[number];
export const CONSENTS = ['verbal', 'written'] as const;
export const ENCOUNTER_STATUSES = ['draft', 'billable'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'Write the time as HH:MM (24-hour), like 14:30.').transform((t) => t.slice(0, 5));
const ids = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().uuid('Choose the member.')).min(1, 'Choose the member (or the group’s participants).').max(50));

/**
 * What a peer (or provider staff for them) writes down. Structure is checked here — a date, a component, who was
 * served — and the program's rules by validation, so a draft can be saved while rules still fail.
 */
export const EncounterInput = z
  .object({
    /** The rendering peer's certification number (staff documenting for a peer); a peer documents as themselves. */
    peerNumber: z.preprocess(blank, z.string().trim().toUpperCase().regex(/^PSS-\d{6}$/, 'A certification number looks like PSS-100001.').optional()),
    participantIds: ids,
    serviceDate: IsoDate,
    startTime: z.preprocess(blank, Time.optional()),
    endTime: z.preprocess(blank, Time.optional()),
    minutes: z.preprocess((v) => (blank(v) === undefined ? undefined : Number(v)), z.number({ message: 'Give the minutes as a number.' }).int('Give whole minutes.').optional()),
    component: z.enum(COMPONENTS, { message: 'Choose the service component.' }),
    deliverySystem: z.enum(['SMHS', 'DMC', 'DMC_ODS'], { message: 'Choose the delivery system.' }),
    modality: z.enum(MODALITIES, { message: 'Choose how the service was given.' }),
    telehealthConsent: z.preprocess(blank, z.enum(CONSENTS).optional()),
    placeOfService: z.string().trim().regex(/^\d{2}$/, 'A place-of-service code is two digits (11 office, 12 home, 02 or 10 telehealth).'),
    siteId: z.preprocess(blank, z.string().uuid().optional()),
    carePlanReference: z.preprocess(blank, z.string().trim().max(200).optional()),
    /** ICD-10-CM (F33.1 or F331); stored without the dot. */
    diagnosisCode: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-TV-Z]\d[0-9A-Z](\.?[0-9A-Z]{1,4})?$/, 'An ICD-10-CM code looks like F33.1.')
        .transform((c) => c.replace('.', ''))
        .optional(),
    ),
    noteNarrative: z.preprocess((v) => v ?? '', z.string().trim().max(20_000)),
    noteNextSteps: z.preprocess((v) => v ?? '', z.string().trim().max(5_000)),
    /** The rendering peer signs the note as they save it. */
    sign: z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === 'yes', z.boolean()).default(false),
  })
  .superRefine((v, ctx) => {
    if (v.minutes === undefined && (v.startTime === undefined || v.endTime === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'Give the start and end times, or the minutes.' });
    }
  });
export type EncounterInput = z.infer<typeof EncounterInput>;

/** A validation failure: a stable code, a plain message, and the form field it belongs beside. */
export interface ValidationFailure {
  code: string;
  message: string;
  field?: string;
}

/** Minutes from HH:MM to HH:MM (negative when the end is before the start). */
export function minutesBetween(start: string, end: string): number {
  const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return toMinutes(end) - toMinutes(start);
}
