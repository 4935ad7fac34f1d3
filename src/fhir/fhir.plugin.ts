// The FHIR R4 API of the public registry, read-only: /fhir/metadata, Practitioner read and search. Responses are
// FHIR JSON with a weak ETag; errors are OperationOutcome (src/http/errors.ts). Hidden from the site's OpenAPI
// document: its shapes are FHIR's, documented in docs/ARCHITECTURE.md ("FHIR").
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { DomainOptions } from '../http/domain-options.ts';
import { sendWithEtag } from '../http/etag.ts';
import { todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { capabilityStatement } from './capability-statement.ts';
import { parsePractitionerSearch, requireJsonRepresentation, type ParsedPractitionerSearch } from './fhir-request.ts';
import type { BundleLink, SearchsetBundle } from './fhir.types.ts';
import { FHIR_JSON } from './fhir.vocabulary.ts';
import { practitionerFacts, searchPractitioners, type PractitionerMatches } from './practitioner-facts.ts';
import { practitionerResource } from './practitioner.resource.ts';

/** FHIR's id type. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function searchsetBundle(fhirBase: string, search: ParsedPractitionerSearch, matches: PractitionerMatches): SearchsetBundle {
  const pageUrl = (page: number) => {
    const params = new URLSearchParams(search.linkParams);
    params.set('_page', String(page));
    return `${fhirBase}/Practitioner?${params.toString()}`;
  };
  const pages = search.pageSize === 0 ? 1 : Math.max(1, Math.ceil(matches.total / search.pageSize));
  const link: BundleLink[] = [{ relation: 'self', url: pageUrl(search.page) }];
  if (search.page > 1) link.push({ relation: 'previous', url: pageUrl(Math.min(search.page - 1, pages)) });
  if (search.page < pages) link.push({ relation: 'next', url: pageUrl(search.page + 1) });
  const entries = matches.facts.map((facts) => {
    const resource = practitionerResource(facts);
    return { fullUrl: `${fhirBase}/Practitioner/${resource.id}`, resource, search: { mode: 'match' as const } };
  });
  return { resourceType: 'Bundle', type: 'searchset', total: matches.total, link, ...(entries.length > 0 ? { entry: entries } : {}) };
}

export const fhirPlugin: FastifyPluginAsync<DomainOptions> = async (app, { db, publicUrl }) => {
  const fhirBase = (req: FastifyRequest) => `${(publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '')}/fhir`;
  const formatOf = (req: FastifyRequest) => (req.query as Record<string, unknown> | undefined)?._format;

  // Before the handler, so a client asking for XML learns it at once, whatever else is wrong with the request.
  app.addHook('onRequest', async (req) => requireJsonRepresentation(req.headers.accept, formatOf(req)));

  app.get('/fhir/metadata', { schema: { hide: true } }, (req, reply) => sendWithEtag(req, reply, capabilityStatement(fhirBase(req)), FHIR_JSON));

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/fhir/Practitioner/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params;
    if (!FHIR_ID.test(id)) throw new AppError('bad-request', 'A Practitioner id is a certification number, such as PSS-100001.');
    const unexpected = Object.keys(req.query).filter((key) => key !== '_format');
    if (unexpected.length > 0) throw new AppError('bad-request', `A read takes no parameters but _format; got ${unexpected.join(', ').slice(0, 80)}.`);
    const facts = await practitionerFacts(db, id, todayInCalifornia());
    if (!facts) throw new AppError('not-found', `Practitioner/${id} is not on the registry.`);
    return sendWithEtag(req, reply, practitionerResource(facts), FHIR_JSON);
  });

  app.get<{ Querystring: Record<string, unknown> }>('/fhir/Practitioner', { schema: { hide: true } }, async (req, reply) => {
    const search = parsePractitionerSearch(req.query);
    const matches = await searchPractitioners(db, search, todayInCalifornia());
    return sendWithEtag(req, reply, searchsetBundle(fhirBase(req), search, matches), FHIR_JSON);
  });
};
