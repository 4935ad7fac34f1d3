// Corrections to the OpenAPI document @fastify/swagger builds: error responses are sent as
// application/problem+json whatever the route produces, so the document says so.
import { STATUS_CODES } from 'node:http';

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
}

type Document = { paths?: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>> };

export function describeProblemResponses<T>(document: T): T {
  const paths = (document as Document).paths ?? {};
  for (const operation of Object.values(paths).flatMap((item) => Object.values(item))) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (Number(status) < 400 || !response.content) continue;
      const schema = Object.values(response.content)[0]?.schema;
      response.content = { 'application/problem+json': { schema } };
      if (!response.description || response.description === 'Default Response') {
        response.description = STATUS_CODES[Number(status)] ?? 'Error';
      }
    }
  }
  return document;
}
