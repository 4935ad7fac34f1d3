// The training JSON API: providers as the actor may see them, and uploading a course's completion roster.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAllowed } from '../access/guard.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { ProblemOut } from '../http/contracts.ts';
import { AppError } from '../lib/errors.ts';
import { contextOf } from '../web/form-refusal.ts';
import { uploadedCsv } from '../web/multipart.ts';
import { listProviders } from './training-queries.ts';
import { CourseParams, ProviderListOut, RosterQuery, RosterResultOut } from './training.types.ts';
import { uploadRoster } from './upload-roster.ts';
import type { ProviderKind, TrainingType } from './training.vocabulary.ts';

/** The roster in a request: a text/csv body, or the `file` part of a multipart form. */
async function rosterFile(req: FastifyRequest, filename: string | undefined): Promise<{ filename: string; bytes: Buffer }> {
  const file = await uploadedCsv(req);
  if (file) return { filename: filename ?? file.filename ?? 'roster.csv', bytes: file.bytes };
  throw new AppError('bad-request', 'Send the roster as a text/csv body, or as multipart/form-data with the file in a field named "file".', [{ path: 'file', message: 'No roster file.' }]);
}

export const trainingRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db }) => {
  app.get(
    '/api/v1/training/providers',
    {
      onRequest: async (req) => requireAllowed(req, 'training.read'),
      schema: {
        tags: ['Training'],
        summary: 'Training providers with their approvals (status as of today) and courses: all for staff, a provider’s own for its members',
        response: { 200: ProviderListOut, 401: ProblemOut, 403: ProblemOut },
      },
    },
    async (req) => {
      // The columns hold only the vocabulary's values (the use cases write nothing else).
      const providers = await listProviders(db, contextOf(req));
      return {
        providers: providers.map((p) => ({
          id: p.id,
          name: p.name,
          kind: p.kind as ProviderKind,
          leadAgency: p.leadAgency,
          contactEmail: p.contactEmail,
          approvals: p.approvals.map((a) => ({
            id: a.id,
            trainingType: a.trainingType as TrainingType,
            language: a.language,
            approvedFrom: a.approvedFrom,
            approvedTo: a.approvedTo,
            endedOn: a.endedOn,
            endReason: a.endReason,
            status: a.status,
          })),
          courses: p.courses.map((c) => ({
            id: c.id,
            trainingType: c.trainingType as TrainingType,
            specialization: c.specialization,
            language: c.language,
            title: c.title,
            hours: c.hours,
            lawEthicsHours: c.lawEthicsHours,
          })),
        })),
      };
    },
  );

  app.post(
    '/api/v1/training/courses/:courseId/rosters',
    {
      onRequest: async (req) => requireAllowed(req, 'training.rosters.upload'),
      schema: {
        tags: ['Training'],
        summary: 'Upload a completion roster (CSV) for a course: credits each row it can and reports the others with their row and reason',
        description:
          'The body is the CSV itself (Content-Type: text/csv) or a multipart/form-data form with the file in the field "file". ' +
          'Columns (header row, any order and case): email, legal_first_name, legal_last_name, completed_on (YYYY-MM-DD), ' +
          'and optionally hours and law_ethics_hours (continuing education only; by default the course’s). A file without ' +
          'those columns is refused whole (400); the same file again for the same course is a 409 and credits nothing.',
        params: CourseParams,
        querystring: RosterQuery,
        consumes: ['text/csv', 'multipart/form-data'],
        // Documented as a file; the handler reads it (a CSV body arrives as bytes, a form as its parts).
        body: z.any().meta({ type: 'string', format: 'binary', description: 'The roster CSV (or, as multipart/form-data, a form whose "file" field holds it)' }),
        response: { 201: RosterResultOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 413: ProblemOut, 415: ProblemOut },
      },
    },
    async (req, reply) => {
      const file = await rosterFile(req, req.query.filename);
      const result = await uploadRoster(db, { courseId: req.params.courseId, ...file }, contextOf(req));
      return reply.status(201).send({ ...result, uploadedAt: result.uploadedAt.toISOString() });
    },
  );
};
