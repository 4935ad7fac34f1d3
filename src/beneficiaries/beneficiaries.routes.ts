// JSON API of members (protected health information): list and register at an organization, find by CIN (in the
// body, never in a URL), read and correct one (optimistic lock), record eligibility or import it from CSV.
// Every answer is no-store; every read is audited by the use case.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../access/guard.ts';
import { ProblemOut } from '../http/contracts.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { AppError } from '../lib/errors.ts';
import { contextOf } from '../web/form-refusal.ts';
import { findBeneficiaryByCin, getBeneficiary, listBeneficiaries, registerBeneficiary, updateBeneficiary } from './beneficiaries.service.ts';
import { BeneficiaryInput, EligibilityInput } from './beneficiaries.types.ts';
import { importEligibilityCsv, recordEligibility } from './eligibility.service.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const tags = ['Members'];
const Params = z.object({ id: z.string() });

const MemberOut = z.object({ id: z.string(), organizationId: z.string(), cin: z.string(), birthDate: z.string(), firstName: z.string(), lastName: z.string(), sex: z.string(), countyFips: z.string(), street: z.string().nullable(), city: z.string().nullable(), zip: z.string().nullable(), version: z.number().int() });
const PeriodOut = z.object({ id: z.string(), startsOn: z.string(), endsOn: z.string().nullable(), source: z.string(), aidCode: z.string().nullable() });
const MemberListOut = z.object({ members: z.array(z.object({ id: z.string(), organizationId: z.string(), firstName: z.string(), lastName: z.string(), countyFips: z.string(), eligibleToday: z.boolean() })) });
const ImportOut = z.object({
  recorded: z.number().int(),
  alreadyRecorded: z.number().int(),
  rejected: z.number().int(),
  rows: z.array(z.object({ line: z.number().int(), outcome: z.enum(['recorded', 'already_recorded', 'rejected']), reason: z.string().optional() })),
});

const period = (p: { id: string; startsOn: string; endsOn: string | null; source: string; aidCode: string | null }) => ({ id: p.id, startsOn: p.startsOn, endsOn: p.endsOn, source: p.source, aidCode: p.aidCode });

/** An eligibility file of 20,000 rows is about 1 MB. */
const MAX_ELIGIBILITY_FILE = 4 * 1024 * 1024;

export const beneficiariesRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db, fieldCipher }) => {
  // Who may act is decided per record by the use case; before validation, only that someone is signed in.
  app.addHook('onRequest', async (req) => requireActor(req));
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_ELIGIBILITY_FILE }, (_req, body, done) => done(null, body));
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/v1/beneficiaries') || /^\/api\/v1\/organizations\/[^/]+\/(beneficiaries|eligibility)/.test(req.url)) reply.header('cache-control', 'no-store');
  });

  app.get('/api/v1/organizations/:id/beneficiaries', { schema: { tags, summary: 'Members registered at an organization (names only; the list is audited)', params: Params, querystring: z.object({ name: z.string().max(100).optional() }), response: { 200: MemberListOut, ...errors } } }, async (req) => ({
    members: await listBeneficiaries(db, { organizationId: req.params.id, ...(req.query.name ? { name: req.query.name } : {}) }, contextOf(req)),
  }));

  app.post('/api/v1/organizations/:id/beneficiaries', { schema: { tags, summary: 'Register a member (CIN format checked; CIN and birth date stored encrypted)', params: Params, body: BeneficiaryInput, response: { 201: MemberOut, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await registerBeneficiary(db, fieldCipher, { ...req.body, organizationId: req.params.id }, contextOf(req))),
  );

  app.post('/api/v1/organizations/:id/beneficiaries/lookup', { schema: { tags, summary: 'Find a member by exact CIN (sent in the body so it never appears in a URL or log)', params: Params, body: z.object({ cin: z.string() }), response: { 200: MemberOut, ...errors } } }, async (req) => {
    const member = await findBeneficiaryByCin(db, fieldCipher, req.params.id, req.body.cin, contextOf(req));
    if (!member) throw new AppError('not-found', 'No member with this CIN is registered at this organization.');
    return member;
  });

  app.post(
    '/api/v1/organizations/:id/eligibility',
    { schema: { tags, summary: 'Import eligibility periods from CSV (cin, starts_on, ends_on, aid_code); the same file twice changes nothing', params: Params, consumes: ['text/csv'], response: { 200: ImportOut, ...errors } } },
    async (req) => importEligibilityCsv(db, fieldCipher, { organizationId: req.params.id, csv: String(req.body ?? '') }, contextOf(req)),
  );

  app.get('/api/v1/beneficiaries/:id', { schema: { tags, summary: 'One member with their eligibility periods (the read is audited)', params: Params, response: { 200: z.object({ member: MemberOut, eligibility: z.array(PeriodOut) }), ...errors } } }, async (req) => {
    const { member, eligibility } = await getBeneficiary(db, fieldCipher, req.params.id, contextOf(req));
    return { member, eligibility: eligibility.map(period) };
  });

  app.put('/api/v1/beneficiaries/:id', { schema: { tags, summary: 'Correct a member’s details; send the version you read (409 if it changed)', params: Params, body: BeneficiaryInput.extend({ version: z.number().int() }), response: { 200: MemberOut, ...errors } } }, async (req) =>
    updateBeneficiary(db, fieldCipher, req.params.id, req.body, contextOf(req)),
  );

  app.post('/api/v1/beneficiaries/:id/eligibility', { schema: { tags, summary: 'Record an eligibility period (may not overlap one recorded)', params: Params, body: EligibilityInput, response: { 201: PeriodOut, ...errors } } }, async (req, reply) =>
    reply.status(201).send(period(await recordEligibility(db, req.params.id, req.body, contextOf(req)))),
  );
};
