// The public registry's JSON API: search, one certification, verification on a date with a signed receipt (JSON
// or PDF), the published keys, checking a receipt, and bulk verification of a CSV. Public by law (PROGRAM.md
// §10.4) and rate limited site-wide; never anything private about a person.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CERTIFICATION_STATUSES } from '../certification/vocabulary.ts';
import { ProblemOut } from '../http/contracts.ts';
import { IsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { formFields, uploadedCsv } from '../web/multipart.ts';
import { BULK_VERIFY_MAX_ROWS, bulkResultsCsv, bulkVerify } from './bulk-verify.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { checkReceipt, issueReceipt, Receipt } from './receipts.ts';
import type { RegistryOptions } from './registry.plugin.ts';
import { registryEntry } from './registry.service.ts';
import { REGISTRY_SORTS, RegistryQuery, searchRegistry } from './search-registry.ts';
import { publishedKeys } from './signing-keys.ts';
import { verifyNumbersOn } from './verification.ts';

const errors = { 400: ProblemOut, 404: ProblemOut, 429: ProblemOut };
const tags = ['Registry'];
/** A CSV of 10,000 rows of numbers, names and dates fits comfortably. */
const MAX_BULK_FILE = 2 * 1024 * 1024;

const Specialization = z.object({ specialization: z.string(), completedOn: z.string() });
const ListingOut = z.object({
  number: z.string(),
  fullName: z.string(),
  status: z.enum(CERTIFICATION_STATUSES),
  firstIssuedOn: z.string(),
  issuedOn: z.string(),
  validThrough: z.string(),
  specializations: z.array(Specialization),
});
const SearchOut = z.object({ total: z.number(), page: z.number(), pageSize: z.number(), pages: z.number(), sort: z.enum(REGISTRY_SORTS), rows: z.array(ListingOut) });
const EntryOut = z.object({
  number: z.string(),
  fullName: z.string(),
  today: z.string(),
  statusToday: z.enum(CERTIFICATION_STATUSES).nullable(),
  firstIssuedOn: z.string(),
  issuedOn: z.string(),
  validThrough: z.string(),
  specializations: z.array(Specialization),
  publicActions: z
    .array(z.object({ kind: z.string(), startsOn: z.string().nullable(), endsOn: z.string().nullable(), decidedOn: z.string(), summary: z.string().nullable() }))
    .describe('Final disciplinary actions (kind, dates, public summary); nothing of the case or who complained'),
  history: z.object({
    statuses: z.array(z.object({ status: z.enum(CERTIFICATION_STATUSES), from: z.string() })),
    terms: z.array(z.object({ issuedOn: z.string(), validThrough: z.string(), kind: z.string() })),
  }),
});
const NumberParams = z.object({ number: z.string().max(40) });
const VerifyQuery = z.object({ number: z.string().trim().min(1, 'Give the certification number.').max(40), asOf: IsoDate.optional().describe('The date to verify (YYYY-MM-DD); default today in California') });
const KeysOut = z.object({
  keys: z.array(z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig'), createdAt: z.string(), retiredAt: z.string().nullable() })),
});
const CheckOut = z.object({ valid: z.boolean(), kid: z.string().optional(), reason: z.string().optional() });
const BulkQuery = z.object({ asOf: IsoDate.optional().describe('The date for rows without their own as_of (default today)') });

/** The CSV of a bulk request, and the form's asOf field when it came as a multipart form. */
async function bulkFile(req: FastifyRequest): Promise<{ csv: string; asOf: string | undefined }> {
  const file = await uploadedCsv(req);
  if (file) return { csv: file.bytes.toString('utf8'), asOf: req.isMultipart() ? formFields(req).asOf || undefined : undefined };
  throw new AppError('bad-request', 'Send the CSV as a text/csv body, or as multipart/form-data with the file in a field named "file".', [{ path: 'file', message: 'No file.' }]);
}

export function sendBulkResults(reply: FastifyReply, csv: string, asOf: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="registry-verification-${asOf}.csv"`)
    .header('cache-control', 'no-store')
    .send(csv);
}

export const registryRoutes: FastifyPluginAsyncZod<RegistryOptions> = async (app, { db, signingKey, issuerOf }) => {
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_BULK_FILE }, (_req, body, done) => done(null, body));

  app.get('/api/v1/registry/peers', { schema: { tags, summary: 'Search the registry: forgiving name search, number, county, specialization, status today; 20 a page', querystring: RegistryQuery, response: { 200: SearchOut, ...errors } } }, async (req) =>
    searchRegistry(db, req.query, todayInCalifornia()),
  );

  app.get('/api/v1/registry/peers/:number', { schema: { tags, summary: 'One certification: status today, history, terms and specializations', params: NumberParams, response: { 200: EntryOut, ...errors } } }, async (req) =>
    registryEntry(db, req.params.number),
  );

  async function receiptFor(req: FastifyRequest, query: z.infer<typeof VerifyQuery>) {
    const asOf = query.asOf ?? todayInCalifornia();
    const [facts] = await verifyNumbersOn(db, [{ number: query.number, asOf }]);
    if (!facts) throw new AppError('not-found', `No certification ${query.number.toUpperCase().slice(0, 40)} is on the registry.`);
    return issueReceipt(await signingKey(), facts, issuerOf(req));
  }

  app.get(
    '/api/v1/registry/verify',
    { schema: { tags, summary: 'Was this certification active on a date? The answer as a receipt signed with Ed25519, checkable offline', querystring: VerifyQuery, response: { 200: Receipt, ...errors } } },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return receiptFor(req, req.query);
    },
  );

  app.get('/api/v1/registry/verify.pdf', { schema: { tags, summary: 'The same verification receipt as a PDF for an audit file', querystring: VerifyQuery, produces: ['application/pdf'] } }, async (req, reply) => {
    const receipt = await receiptFor(req, req.query);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="verification-${receipt.receipt.number}-${receipt.receipt.asOf}.pdf"`)
      .header('cache-control', 'no-store')
      .send(await renderReceiptPdf(receipt));
  });

  app.get('/api/v1/registry/keys', { schema: { tags, summary: "The registry's Ed25519 public keys (JWK), every one that ever signed a receipt", response: { 200: KeysOut } } }, async (_req, reply) => {
    await signingKey(); // a registry that has not signed yet still publishes the key it will sign with
    void reply.header('cache-control', 'public, max-age=300');
    return { keys: await publishedKeys(db) };
  });

  app.post(
    '/api/v1/registry/receipts/verify',
    { schema: { tags, summary: 'Check a receipt: was it issued here, unchanged? (The same check works offline with the published key.)', body: z.unknown(), response: { 200: CheckOut, ...errors } } },
    async (req) => checkReceipt(db, req.body),
  );

  app.post(
    '/api/v1/registry/verify/bulk',
    {
      schema: {
        tags,
        summary: `Verify up to ${BULK_VERIFY_MAX_ROWS.toLocaleString('en-US')} rows (CSV with number and/or name, optional as_of); answers a CSV of results, malformed rows reported per row`,
        querystring: BulkQuery,
        consumes: ['text/csv', 'multipart/form-data'],
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const file = await bulkFile(req);
      const asOf = req.query.asOf ?? file.asOf ?? todayInCalifornia();
      return sendBulkResults(reply, bulkResultsCsv(await bulkVerify(db, { csv: file.csv, asOf })), asOf);
    },
  );
};
