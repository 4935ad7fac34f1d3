// Conditional GET for any representation built in memory: a weak ETag from a hash of the exact bytes sent, and
// 304 Not Modified when If-None-Match already names it (RFC 9110 §13.1.2: weak comparison, `*`, lists).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A weak entity tag: equal bodies give equal tags; the hash says nothing about the content. */
export function weakEtagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Whether an If-None-Match header value names this tag (weak comparison: W/ is ignored on both sides). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const tags = header.split(',').map((tag) => tag.trim());
  return tags.includes('*') || tags.some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Send `body` (a string as is, anything else as JSON) with its weak ETag, or an empty 304 when the client holds it.
 * Only for safe requests whose body is the whole representation.
 */
export function sendWithEtag(req: FastifyRequest, reply: FastifyReply, body: unknown, contentType: string): FastifyReply {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const etag = weakEtagOf(text);
  void reply.header('etag', etag);
  if (ifNoneMatchHits(req.headers['if-none-match'], etag)) return reply.status(304).send();
  return reply.type(contentType).send(text);
}

/**
 * The same, as an onSend hook for a whole plugin's GET routes (the registry's pages and API): every 200 answer
 * gets its weak ETag, and a client that holds it gets an empty 304. Answers marked no-store (signed receipts,
 * each unique) are left alone.
 */
export async function etagOnSend(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (req.method !== 'GET' || reply.statusCode !== 200 || /no-store/.test(String(reply.getHeader('cache-control') ?? ''))) return payload;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  const etag = weakEtagOf(typeof payload === 'string' ? payload : payload.toString('latin1'));
  void reply.header('etag', etag);
  if (!ifNoneMatchHits(req.headers['if-none-match'], etag)) return payload;
  void reply.status(304).removeHeader('content-type').removeHeader('content-length');
  return '';
}
