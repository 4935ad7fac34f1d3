// zod contracts of the training API.
import { z } from 'zod';
import { REJECTION_CODES } from './upload-roster.ts';
import { PROVIDER_KINDS, TRAINING_TYPES } from './training.vocabulary.ts';

const Date = z.string().meta({ format: 'date', example: '2025-02-01' });

export const ApprovalOut = z.object({
  id: z.uuid(),
  trainingType: z.enum(TRAINING_TYPES),
  language: z.string().describe('ISO 639 code, e.g. en, es'),
  approvedFrom: Date,
  approvedTo: Date.describe('The first day not covered: the approval is [approvedFrom, approvedTo)'),
  endedOn: Date.nullable().describe('Set when the approval was ended early; completions from this day on do not count'),
  endReason: z.string().nullable(),
  status: z.enum(['current', 'ended', 'expired', 'upcoming']).describe('As of today'),
});

export const CourseOut = z.object({
  id: z.uuid(),
  trainingType: z.enum(TRAINING_TYPES),
  specialization: z.string().nullable(),
  language: z.string(),
  title: z.string(),
  hours: z.number(),
  lawEthicsHours: z.number(),
});

export const ProviderOut = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  leadAgency: z.string().nullable(),
  contactEmail: z.string(),
  approvals: z.array(ApprovalOut),
  courses: z.array(CourseOut),
});

export const ProviderListOut = z.object({ providers: z.array(ProviderOut) });

export const CourseParams = z.object({ courseId: z.string().describe('The course the roster is for') });

export const RosterQuery = z.object({ filename: z.string().max(200).optional().describe('The file name to keep with a text/csv body') });

export const RosterResultOut = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    providerId: z.uuid(),
    filename: z.string(),
    sha256: z.string(),
    rowCount: z.number().int(),
    credited: z.number().int(),
    rejections: z.array(
      z.object({
        row: z.number().int().describe('The line of the file (the header is line 1)'),
        email: z.string(),
        completedOn: z.string(),
        code: z.enum(REJECTION_CODES),
        reason: z.string(),
      }),
    ),
    uploadedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'RosterResult' });
