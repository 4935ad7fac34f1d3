// JSON API of provider organizations: list and add (county administrators, administrators), read one with its
// contracts, sites, people and supervision, and record contracts, sites, employment, staff and supervision.
// Thin: parse, call the use case, shape the answer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor, requireAllowed } from '../access/guard.ts';
import { ProblemOut } from '../http/contracts.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { contextOf } from '../web/form-refusal.ts';
import { listOrganizations, getOrganization } from './organization-queries.ts';
import { addOrganizationStaff, addSite, OrganizationStaffInput, SiteInput } from './organization-staff.ts';
import { addContract, assignSupervision, ContractInput, createOrganization, EmploymentInput, employPeer, OrganizationInput, recordSupervisor, SupervisionInput, SupervisorInput } from './organizations.service.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const tags = ['Organizations'];
const Params = z.object({ id: z.string() });
const Created = z.object({ id: z.string() });

const OrganizationSummaryOut = z.object({ id: z.string(), name: z.string(), kind: z.string(), npi: z.string(), countyFips: z.string(), city: z.string() });
const Period = { startsOn: z.string(), endsOn: z.string().nullable() };
const OrganizationOut = z.object({
  organization: OrganizationSummaryOut.extend({ taxId: z.string(), street: z.string(), state: z.string(), zip: z.string() }),
  contracts: z.array(z.object({ id: z.string(), deliverySystem: z.string(), ...Period })),
  sites: z.array(z.object({ id: z.string(), name: z.string(), street: z.string(), city: z.string(), zip: z.string(), placeOfService: z.string() })),
  employments: z.array(z.object({ id: z.string(), number: z.string(), firstName: z.string(), lastName: z.string(), individualNpi: z.string(), taxonomy: z.string(), current: z.boolean(), ...Period })),
  people: z.array(z.object({ userId: z.string(), displayName: z.string(), email: z.string(), role: z.string(), qualificationBasis: z.string().nullable(), trainingCompletedOn: z.string().nullable() })),
  supervision: z.array(z.object({ id: z.string(), supervisorUserId: z.string(), supervisor: z.string(), number: z.string(), current: z.boolean(), ...Period })),
});

export const organizationsRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db }) => {
  // Who may act is decided per record by the use case; before validation, only that someone is signed in.
  app.addHook('onRequest', async (req) => requireActor(req));
  app.get('/api/v1/organizations', { onRequest: async (req) => requireAllowed(req, 'organizations.read'), schema: { tags, summary: 'Provider organizations in my scope', response: { 200: z.object({ organizations: z.array(OrganizationSummaryOut) }), ...errors } } }, async (req) => ({
    organizations: await listOrganizations(db, contextOf(req)),
  }));

  app.post('/api/v1/organizations', { onRequest: async (req) => requireAllowed(req, 'organizations.manage'), schema: { tags, summary: 'Add a provider organization (NPI check digit verified)', body: OrganizationInput, response: { 201: Created, ...errors } } }, async (req, reply) => {
    const org = await createOrganization(db, req.body, contextOf(req));
    return reply.status(201).send({ id: org.id });
  });

  app.get('/api/v1/organizations/:id', { schema: { tags, summary: 'One organization with its contracts, sites, peers, people and supervision', params: Params, response: { 200: OrganizationOut, ...errors } } }, async (req) => {
    const detail = await getOrganization(db, req.params.id, contextOf(req));
    return { ...detail, organization: detail.organization };
  });

  const record = <T extends z.ZodTypeAny>(path: string, summary: string, body: T, run: (input: { organizationId: string } & Record<string, unknown>, req: Parameters<typeof contextOf>[0]) => Promise<{ id?: string; userId?: string }>) =>
    app.post(`/api/v1/organizations/:id/${path}`, { schema: { tags, summary, params: Params, body, response: { 201: Created, ...errors } } }, async (req, reply) => {
      const row = await run({ ...(req.body as Record<string, unknown>), organizationId: req.params.id }, req);
      return reply.status(201).send({ id: row.id ?? row.userId ?? '' });
    });
  record('contracts', 'Record a contract for a delivery system, with dates (periods may not overlap)', ContractInput, (input, req) => addContract(db, input, contextOf(req)));
  record('sites', 'Add a site with its place-of-service code', SiteInput, (input, req) => addSite(db, input, contextOf(req)));
  record('employments', 'Record the employment of a certified peer, with their individual NPI', EmploymentInput, (input, req) => employPeer(db, input, contextOf(req)));
  record('staff', 'Give a person with an account a provider-staff or supervisor role limited to this organization', OrganizationStaffInput, (input, req) => addOrganizationStaff(db, input, contextOf(req)));
  record('supervision', 'Assign a supervisor to a peer employed here, with dates', SupervisionInput, (input, req) => assignSupervision(db, input, contextOf(req)));

  app.post('/api/v1/supervisors', { schema: { tags, summary: 'Record a supervisor’s qualification and supervisor-training date', body: SupervisorInput, response: { 201: Created, ...errors } } }, async (req, reply) => {
    const row = await recordSupervisor(db, req.body, contextOf(req));
    return reply.status(201).send({ id: row.userId });
  });
};
