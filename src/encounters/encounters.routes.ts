// JSON API of documented services: create, validate only, correct with an optimistic lock (send the version you
// read), list with filters (the caseload views), CSV export, read one, mark billable, co-sign, check again.
// Failures come back in the answer (code, message, field) so an EHR can show them beside its own fields.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../access/guard.ts';
import { ProblemOut } from '../http/contracts.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { contextOf } from '../web/form-refusal.ts';
import { cosignEncounter, createEncounter, markBillable, recheckEncounter, updateEncounter, validateEncounterInput, type EncounterRow } from './document-encounter.ts';
import { EncounterFilter, exportEncountersCsv, getEncounter, listEncounters } from './encounter-queries.ts';
import { EncounterInput } from './encounters.types.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const tags = ['Services'];
const Params = z.object({ id: z.string() });

const FailureOut = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });
const EncounterOut = z.object({
  id: z.string(),
  organizationId: z.string(),
  serviceDate: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  minutes: z.number().int(),
  component: z.string(),
  deliverySystem: z.string(),
  modality: z.string(),
  telehealthConsent: z.string().nullable(),
  placeOfService: z.string(),
  siteId: z.string().nullable(),
  carePlanReference: z.string().nullable(),
  diagnosisCode: z.string().nullable(),
  noteNarrative: z.string(),
  noteNextSteps: z.string(),
  signedOn: z.string().nullable(),
  cosigned: z.boolean(),
  status: z.enum(['draft', 'billable']),
  failures: z.array(FailureOut),
  version: z.number().int(),
});
const SavedOut = z.object({ encounter: EncounterOut, failures: z.array(FailureOut) });
const DetailOut = EncounterOut.extend({
  peer: z.object({ number: z.string(), name: z.string() }),
  participants: z.array(z.object({ id: z.string(), firstName: z.string(), lastName: z.string() })),
  flags: z.array(z.object({ id: z.string(), cause: z.string(), code: z.string(), reason: z.string(), raisedAt: z.string(), resolved: z.boolean() })),
});
const ListOut = z.object({
  encounters: z.array(
    z.object({
      id: z.string(),
      serviceDate: z.string(),
      startTime: z.string().nullable(),
      minutes: z.number().int(),
      component: z.string(),
      deliverySystem: z.string(),
      status: z.string(),
      failures: z.array(FailureOut),
      openFlags: z.number().int(),
      peerNumber: z.string(),
      organizationId: z.string(),
      organizationName: z.string(),
      participantCount: z.number().int(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export function encounterOut(row: EncounterRow): z.infer<typeof EncounterOut> {
  return {
    id: row.id,
    organizationId: row.organizationId,
    serviceDate: row.serviceDate,
    startTime: row.startTime?.slice(0, 5) ?? null,
    endTime: row.endTime?.slice(0, 5) ?? null,
    minutes: row.minutes,
    component: row.component,
    deliverySystem: row.deliverySystem,
    modality: row.modality,
    telehealthConsent: row.telehealthConsent,
    placeOfService: row.placeOfService,
    siteId: row.siteId,
    carePlanReference: row.carePlanReference,
    diagnosisCode: row.diagnosisCode,
    noteNarrative: row.noteNarrative,
    noteNextSteps: row.noteNextSteps,
    signedOn: row.signedOn,
    cosigned: row.cosignedAt !== null,
    status: row.status as 'draft' | 'billable',
    failures: row.failures,
    version: row.version,
  };
}

const saved = (r: { encounter: EncounterRow; failures: z.infer<typeof FailureOut>[] }) => ({ encounter: encounterOut(r.encounter), failures: r.failures });

export const encountersRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db, eligibility }) => {
  // Who may act is decided per record by the use case; before validation, only that someone is signed in.
  app.addHook('onRequest', async (req) => requireActor(req));
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/v1/encounters') || /^\/api\/v1\/organizations\/[^/]+\/encounters/.test(req.url)) reply.header('cache-control', 'no-store');
  });

  app.post('/api/v1/organizations/:id/encounters', { schema: { tags, summary: 'Document a service; saved as a draft with its validation failures', params: Params, body: EncounterInput, response: { 201: SavedOut, ...errors } } }, async (req, reply) =>
    reply.status(201).send(saved(await createEncounter(db, eligibility, { ...req.body, organizationId: req.params.id }, contextOf(req)))),
  );

  app.post('/api/v1/organizations/:id/encounters/validate', { schema: { tags, summary: 'Validate a service without saving it', params: Params, body: EncounterInput, response: { 200: z.object({ failures: z.array(FailureOut) }), ...errors } } }, async (req) =>
    validateEncounterInput(db, eligibility, { ...req.body, organizationId: req.params.id }, contextOf(req)),
  );

  app.get('/api/v1/encounters', { schema: { tags, summary: 'Services in my scope, with filters (caseload=mine for a peer’s or supervisor’s own)', querystring: EncounterFilter, response: { 200: ListOut, ...errors } } }, async (req) => {
    const { rows, total, page, pageSize } = await listEncounters(db, req.query, contextOf(req));
    return { encounters: rows.map((r) => ({ ...r, startTime: r.startTime?.slice(0, 5) ?? null })), total, page, pageSize };
  });

  app.get('/api/v1/encounters.csv', { schema: { tags, summary: 'The same list as CSV (members are not named in it)', querystring: EncounterFilter } }, async (req, reply) => {
    const csv = await exportEncountersCsv(db, req.query, contextOf(req));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="services.csv"').send(csv);
  });

  app.get('/api/v1/encounters/:id', { schema: { tags, summary: 'One service with its members, failures and retro-check flags (the read is audited)', params: Params, response: { 200: DetailOut, ...errors } } }, async (req) => {
    const d = await getEncounter(db, req.params.id, contextOf(req));
    return {
      ...encounterOut(d.encounter),
      peer: { number: d.peer.number, name: `${d.peer.firstName} ${d.peer.lastName}` },
      participants: d.participants,
      flags: d.flags.map((f) => ({ id: f.id, cause: f.cause, code: f.code, reason: f.reason, raisedAt: f.raisedAt.toISOString(), resolved: f.resolved })),
    };
  });

  app.put('/api/v1/encounters/:id', { schema: { tags, summary: 'Correct a service; send the version you read (409 if it changed). It returns to draft.', params: Params, body: EncounterInput.and(z.object({ version: z.number().int() })), response: { 200: SavedOut, ...errors } } }, async (req) =>
    saved(await updateEncounter(db, eligibility, req.params.id, req.body as Record<string, unknown>, contextOf(req))),
  );

  app.post('/api/v1/encounters/:id/billable', { schema: { tags, summary: 'Mark billable: refused (422, with the failures) while a rule fails or a flag is open', params: Params, response: { 200: SavedOut, ...errors } } }, async (req) =>
    saved(await markBillable(db, eligibility, req.params.id, contextOf(req))),
  );

  app.post('/api/v1/encounters/:id/cosign', { schema: { tags, summary: 'Co-sign a signed note (the peer’s supervisor on the date of service)', params: Params, response: { 200: EncounterOut, ...errors } } }, async (req) =>
    encounterOut(await cosignEncounter(db, req.params.id, contextOf(req))),
  );

  app.post('/api/v1/encounters/:id/recheck', { schema: { tags, summary: 'Validate again against today’s record; resolves retro-check flags it now passes', params: Params, response: { 200: SavedOut, ...errors } } }, async (req) =>
    saved(await recheckEncounter(db, eligibility, req.params.id, contextOf(req))),
  );
};
