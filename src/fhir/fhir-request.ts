// What a FHIR request asks for: the representation (Accept, _format) and, for a Practitioner search, its
// parameters. Unknown parameters are refused with a 400 naming them (strict handling, as `Prefer: handling=strict`
// asks), so a client never mistakes an ignored filter for an empty or complete answer.
import { AppError } from '../lib/errors.ts';
import type { PractitionerSearch } from './practitioner-facts.ts';
import { REGISTRY_PAGE_SIZE } from '../registry/search-registry.ts';

/** Media ranges we can answer: FHIR JSON, its older name, plain JSON, or anything. */
const ACCEPTED_MEDIA = new Set(['*/*', 'application/*', 'application/json', 'application/fhir+json', 'application/json+fhir']);
/** `_format` values for JSON; a `+` typed in a query string arrives as a space. */
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/fhir json', 'application/json+fhir']);

/** Refuse a request whose Accept header or _format wants anything but JSON (406, as FHIR's http page says). */
export function requireJsonRepresentation(accept: string | undefined, format: unknown): void {
  if (format !== undefined) {
    if (typeof format !== 'string' || !JSON_FORMATS.has(format.trim().toLowerCase())) {
      throw new AppError('not-acceptable', `_format ${String(format).slice(0, 40)} is not supported: this server answers in application/fhir+json only.`);
    }
    return;
  }
  if (accept === undefined || accept.trim() === '') return;
  const ranges = accept.split(',').map((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    return { type, refused: params.some((p) => /^q=0(\.0{0,3})?$/.test(p)) };
  });
  if (!ranges.some((r) => !r.refused && ACCEPTED_MEDIA.has(r.type))) {
    throw new AppError('not-acceptable', 'This server answers in application/fhir+json only; send Accept: application/fhir+json (or application/json).');
  }
}

export const PRACTITIONER_SEARCH_PARAMETERS = ['identifier', 'name', 'family', '_count', '_page', '_format'] as const;
const NAME_MAX = 100;
const PAGE_MAX = 10_000;

export interface ParsedPractitionerSearch extends PractitionerSearch {
  /** The search as canonical query parameters (without _page), for the bundle's links. */
  linkParams: Array<[string, string]>;
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new AppError('bad-request', `${name} must be a whole number from ${min} to ${max}; got ${value.slice(0, 20)}.`);
  return n;
}

/**
 * The search a query string asks for. Blank values are ignored (an empty form field); a parameter given twice, a
 * modifier (`name:exact`) or any other parameter is refused. `_count` may lower the page size below our 20, never
 * raise it; `_page` counts from 1.
 */
export function parsePractitionerSearch(query: Record<string, unknown>): ParsedPractitionerSearch {
  const values = new Map<string, string>();
  for (const [key, raw] of Object.entries(query)) {
    if (!(PRACTITIONER_SEARCH_PARAMETERS as readonly string[]).includes(key)) {
      throw new AppError('bad-request', `Unsupported search parameter ${key.slice(0, 40)}: Practitioner supports ${PRACTITIONER_SEARCH_PARAMETERS.join(', ')}.`);
    }
    if (typeof raw !== 'string') throw new AppError('bad-request', `Search parameter ${key} may be given once.`);
    if (raw.trim() !== '') values.set(key, raw.trim());
  }
  const search: ParsedPractitionerSearch = { page: 1, pageSize: REGISTRY_PAGE_SIZE, linkParams: [] };
  const identifier = values.get('identifier');
  if (identifier !== undefined) {
    const bar = identifier.indexOf('|');
    const value = bar < 0 ? identifier : identifier.slice(bar + 1);
    if (value.length > 64) throw new AppError('bad-request', 'identifier is a certification number such as PSS-100001, optionally after its system and a |.');
    search.identifier = { system: bar < 0 ? undefined : identifier.slice(0, bar), value };
    search.linkParams.push(['identifier', identifier]);
  }
  for (const key of ['name', 'family'] as const) {
    const value = values.get(key);
    if (value === undefined) continue;
    if (value.length > NAME_MAX) throw new AppError('bad-request', `${key} may be at most ${NAME_MAX} characters.`);
    search[key] = value;
    search.linkParams.push([key, value]);
  }
  const count = values.get('_count');
  if (count !== undefined) {
    search.pageSize = Math.min(wholeNumber('_count', count, 0, PAGE_MAX), REGISTRY_PAGE_SIZE);
    search.linkParams.push(['_count', String(search.pageSize)]);
  }
  const page = values.get('_page');
  if (page !== undefined) search.page = wholeNumber('_page', page, 1, PAGE_MAX);
  return search;
}
