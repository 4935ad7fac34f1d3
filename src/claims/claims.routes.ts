// JSON API of claiming for billing systems: batches (list, build, the 837P file), claims (list by state, one with
// its lines and edits), 835 remittances (post a file) and denials by reason. Who may act is decided per record by
// the use case; answers about claims are never cached.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../access/guard.ts';
import { ProblemOut } from '../http/contracts.ts';
import type { DomainOptions } from '../http/domain-options.ts';
import { IsoDate } from '../lib/dates.ts';
import { organizationsInScope } from '../organizations/organization-access.ts';
import { contextOf } from '../web/form-refusal.ts';
import { batch837, listBatches } from './batch-837.ts';
import { buildClaimBatch } from './build-claims.ts';
import { ClaimFilter, denialsByReason, getClaim, listClaims } from './claim-queries.ts';
import { correctClaim, CorrectionInput } from './correct-claim.ts';
import { ingest835 } from './ingest-835.ts';

const errors = { 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut };
const tags = ['Claims'];
const Params = z.object({ id: z.string() });
const Edit = z.object({ code: z.string(), message: z.string(), line: z.number().int().nullable() });
const Adjustment = z.object({ group: z.string(), reason: z.string(), cents: z.number().int() });
const BatchOut = z.object({ id: z.string(), organizationId: z.string(), organization: z.string(), periodFrom: z.string(), periodTo: z.string(), state: z.string(), builtOn: z.string(), claims: z.number().int(), ready: z.number().int(), held: z.number().int(), totalCents: z.number().int() });
const ClaimRow = z.object({ id: z.string(), controlNumber: z.string(), batchId: z.string(), serviceDate: z.string(), deliverySystem: z.string(), state: z.string(), frequency: z.string(), totalCents: z.number().int(), paidCents: z.number().int().nullable(), edits: z.array(Edit), memberName: z.string() });
const Remittance = z.object({ remittanceId: z.string(), alreadyImported: z.boolean(), claimsMatched: z.number().int(), linesPosted: z.number().int(), paidCents: z.number().int(), unmatched: z.array(z.object({ segment: z.string(), reference: z.string(), reason: z.string() })) });

/** An 835 is at most a few MB per day for a county; bigger files come through `pss claims 835`. */
const MAX_835_BYTES = 20 * 1024 * 1024;

export const claimsRoutes: FastifyPluginAsyncZod<DomainOptions> = async (app, { db, fieldCipher, eligibility }) => {
  app.addHook('onRequest', async (req) => requireActor(req));
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
  for (const type of ['text/plain', 'application/edi-x12']) app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: MAX_835_BYTES }, (_req, body, done) => done(null, body));

  app.get('/api/v1/claims/batches', { schema: { tags, summary: 'Batches of the organizations in my scope, newest first, with counts', response: { 200: z.object({ batches: z.array(BatchOut) }), ...errors } } }, async (req) => {
    const rows = await listBatches(db, await organizationsInScope(db, 'claims.read', contextOf(req), { peerWork: false }));
    return { batches: rows.map((b) => ({ id: b.id, organizationId: b.organization_id, organization: b.organization, periodFrom: b.period_from, periodTo: b.period_to, state: b.state, builtOn: b.built_on, claims: b.claims, ready: b.ready, held: b.held, totalCents: b.total_cents })) };
  });

  app.post('/api/v1/claims/batches', { schema: { tags, summary: 'Build a batch from an organization’s billable services in a period (held claims carry their edits)', body: z.object({ organizationId: z.string(), from: IsoDate, to: IsoDate }), response: { 201: z.object({ id: z.string(), ready: z.number().int(), held: z.number().int() }), ...errors } } }, async (req, reply) => {
    const built = await buildClaimBatch(db, eligibility, req.body, contextOf(req));
    return reply.status(201).send({ id: built.batch.id, ready: built.ready, held: built.held });
  });

  app.get('/api/v1/claims/batches/:id/837', { schema: { tags, summary: 'The batch’s 837P (005010X222A1), parsed back and checked before it is sent; its claims become submitted', params: Params } }, async (req, reply) => {
    const file = await batch837(db, fieldCipher, req.params.id, contextOf(req));
    return reply.type('text/plain; charset=us-ascii').header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.text);
  });

  app.get('/api/v1/claims', { schema: { tags, summary: 'Claims by state, batch or organization', querystring: ClaimFilter, response: { 200: z.object({ claims: z.array(ClaimRow), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }), ...errors } } }, async (req) => {
    const { rows, total, page, pageSize } = await listClaims(db, req.query, contextOf(req));
    return { claims: rows, total, page, pageSize };
  });

  app.get('/api/v1/claims/denials', { schema: { tags, summary: 'Adjusted and denied amounts by CAS group and reason code', querystring: z.object({ organizationId: z.string().uuid().optional() }), response: { 200: z.object({ reasons: z.array(z.object({ group: z.string(), reason: z.string(), lines: z.number().int(), cents: z.number().int() })) }), ...errors } } }, async (req) => ({
    reasons: (await denialsByReason(db, req.query.organizationId ? { organizationId: req.query.organizationId } : {}, contextOf(req))).map((r) => ({ group: r.group_code, reason: r.reason_code, lines: r.lines, cents: r.cents })),
  }));

  app.get('/api/v1/claims/:id', {
    schema: {
      tags,
      summary: 'One claim with its lines, edits, adjustments and state history',
      params: Params,
      response: {
        200: ClaimRow.omit({ memberName: true }).extend({
          payerControlNumber: z.string().nullable(),
          adjustments: z.array(Adjustment),
          lines: z.array(z.object({ lineNumber: z.number().int(), procedureCode: z.string(), modifiers: z.string(), units: z.number().int(), rateCents: z.number().int(), chargeCents: z.number().int(), controlNumber: z.string(), paidCents: z.number().int().nullable(), adjustments: z.array(Adjustment) })),
          history: z.array(z.object({ from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), at: z.string() })),
        }),
        ...errors,
      },
    },
  }, async (req) => {
    const { claim: c, lines, history } = await getClaim(db, req.params.id, contextOf(req));
    return {
      id: c.id, controlNumber: c.controlNumber, batchId: c.batchId, serviceDate: c.serviceDate, deliverySystem: c.deliverySystem, state: c.state, frequency: c.frequency, totalCents: c.totalCents, paidCents: c.paidCents, edits: c.edits, payerControlNumber: c.payerControlNumber, adjustments: c.adjustments,
      lines: lines.map((l) => ({ lineNumber: l.lineNumber, procedureCode: l.procedureCode, modifiers: l.modifiers, units: l.units, rateCents: l.rateCents, chargeCents: l.chargeCents, controlNumber: l.controlNumber, paidCents: l.paidCents, adjustments: l.adjustments })),
      history: history.map((h) => ({ from: h.fromState, to: h.toState, reason: h.reason, at: h.changedAt.toISOString() })),
    };
  });

  for (const kind of ['void', 'replace'] as const) {
    app.post(`/api/v1/claims/:id/${kind}`, {
      schema: {
        tags,
        summary: kind === 'void' ? 'Void an adjudicated claim: a new claim with frequency 8 and REF*F8, in a batch of its own' : 'Replace an adjudicated claim: a new claim (frequency 7, REF*F8) rebuilt from its services with every edit run again',
        params: Params,
        body: CorrectionInput,
        response: { 201: z.object({ batchId: z.string(), claimId: z.string(), controlNumber: z.string(), state: z.string() }), ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await correctClaim(db, eligibility, kind, req.params.id, req.body, contextOf(req))));
  }

  app.post('/api/v1/claims/remittances', { schema: { tags, summary: 'Post an 835 remittance (text/plain or application/edi-x12 body); the same file twice changes nothing', consumes: ['text/plain', 'application/edi-x12'], querystring: z.object({ fileName: z.string().max(200).optional() }), response: { 200: Remittance, ...errors } } }, async (req) =>
    ingest835(db, { text: String(req.body ?? ''), fileName: req.query.fileName ?? 'api upload' }, contextOf(req)),
  );
};
