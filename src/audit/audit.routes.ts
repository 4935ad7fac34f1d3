// The audit log over HTTP, for auditors and DHCS analysts: search as JSON (a page at a time) and export as CSV.
// Reading the log is not recorded; every export is (who took a copy of what).
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RULES, hasRole, type Action } from '../access/can.ts';
import { requireAllowed } from '../access/guard.ts';
import { clientOf } from '../accounts/actor.plugin.ts';
import type { AuditContext } from '../accounts/users.service.ts';
import type { Db } from '../db/client.ts';
import { ProblemOut } from '../http/contracts.ts';
import { IsoDate, todayInCalifornia } from '../lib/dates.ts';
import { AppError } from '../lib/errors.ts';
import { auditCsv } from './audit.csv.ts';
import { lastAuditSeq, listAudit, recordAudit, searchAudit, type AuditFilter } from './audit.service.ts';

/** Entries per page of a search (the JSON API and /admin/audit). */
export const AUDIT_PAGE_SIZE = 50;
/** Rows per query while exporting: the whole log never has to be in memory at once. */
const EXPORT_BATCH_SIZE = 1000;
const MAX_PAGE = 1_000_000;

export const AuditFilterQuery = z.object({
  actorUserId: z.uuid().optional().describe('Only entries by this person (user id)'),
  entityType: z.string().min(1).max(100).optional().describe('Only entries about this kind of record, e.g. user, api_token, county'),
  entityId: z.string().min(1).max(200).optional().describe('Only entries about this record'),
  action: z.string().min(1).max(100).optional().describe('Only this action, e.g. user.create'),
  from: IsoDate.optional().describe('First day, inclusive (America/Los_Angeles)'),
  to: IsoDate.optional().describe('Last day, inclusive (America/Los_Angeles)'),
});

export const AuditSearchQuery = AuditFilterQuery.extend({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1).describe(`Page number, from 1; ${AUDIT_PAGE_SIZE} entries a page`),
});

const FieldChangeOut = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

export const AuditEntryOut = z.object({
  seq: z.number().int().describe('Position in the hash chain'),
  at: z.string().describe('When, ISO-8601 UTC'),
  actorUserId: z.string().nullable(),
  actorRole: z.string().nullable().describe('The role the actor acted with'),
  actorTokenId: z.string().nullable().describe('The API token, when one was used'),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  changes: z.array(FieldChangeOut).describe('Fields changed; protected values are masked as ***'),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

export const AuditSearchOut = z.object({
  total: z.number().int().describe('Entries matching the filters'),
  page: z.number().int(),
  pageSize: z.number().int(),
  rows: z.array(AuditEntryOut).describe('Newest first'),
});

export type AuditFilterInput = z.infer<typeof AuditFilterQuery>;

/** The service's filter from the query; a reversed date range is refused rather than silently empty. */
export function auditFilterOf(query: AuditFilterInput): AuditFilter {
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new AppError('bad-request', `from (${query.from}) is after to (${query.to}).`, [{ path: 'querystring.from', message: 'must not be after to' }]);
  }
  const { actorUserId, entityType, entityId, action, from, to } = query;
  return Object.fromEntries(Object.entries({ actorUserId, entityType, entityId, action, from, to }).filter(([, v]) => v !== undefined)) as AuditFilter;
}

/** One page of matching entries, newest first. */
export async function searchAuditPage(db: Db, filter: AuditFilter, page: number) {
  const { rows, total } = await searchAudit(db, { ...filter, limit: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE });
  return { total, page, pageSize: AUDIT_PAGE_SIZE, rows };
}

/**
 * Who is acting, for an audit entry: the person or the token, and the role that allowed `action` (the first of the
 * rule's statewide roles the actor holds).
 */
export function requestAuditContext(req: FastifyRequest, action: Action): AuditContext {
  const actor = req.actor;
  const role = actor.kind === 'anonymous' ? null : (RULES[action].statewide?.find((r) => hasRole(actor, r)) ?? null);
  return {
    actor: { userId: actor.kind === 'user' ? actor.userId : null, tokenId: actor.kind === 'token' ? actor.tokenId : null, role },
    ...clientOf(req),
  };
}

/** The export as CSV text, batch after batch (keyset paging down from the newest entry when it starts). */
async function* exportBatches(db: Db, filter: AuditFilter, throughSeq: number): AsyncGenerator<string> {
  let upTo = throughSeq;
  let first = true;
  for (;;) {
    const rows = await listAudit(db, { ...filter, throughSeq: upTo, limit: EXPORT_BATCH_SIZE });
    if (first || rows.length > 0) yield auditCsv(rows, { header: first });
    first = false;
    const oldest = rows.at(-1);
    if (!oldest || rows.length < EXPORT_BATCH_SIZE) return;
    upTo = oldest.seq - 1;
  }
}

export const auditRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/audit',
    {
      // Refuse before the query is validated: someone not allowed learns nothing about the parameters.
      onRequest: async (req) => requireAllowed(req, 'audit.read'),
      schema: {
        tags: ['Audit'],
        summary: 'Search the audit log (system administrators and DHCS analysts)',
        querystring: AuditSearchQuery,
        response: { 200: AuditSearchOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut },
      },
    },
    async (req) => searchAuditPage(db, auditFilterOf(req.query), req.query.page),
  );

  app.get(
    '/api/v1/audit.csv',
    {
      onRequest: async (req) => requireAllowed(req, 'audit.export'),
      schema: {
        tags: ['Audit'],
        summary: 'Export matching audit entries as CSV (the export itself is recorded in the log)',
        querystring: AuditFilterQuery,
        produces: ['text/csv'],
        response: {
          200: z
            .string()
            .describe('CSV: seq, at, actor_user_id, actor_role, actor_token_id, action, entity_type, entity_id, changes (JSON), reason, ip, user_agent, hash; newest first'),
          400: ProblemOut,
          401: ProblemOut,
          403: ProblemOut,
        },
      },
    },
    async (req, reply) => {
      const filter = auditFilterOf(req.query);
      // The export covers the log as it is now; its own entry (and anything later) is not part of it.
      const throughSeq = await lastAuditSeq(db);
      await db.transaction((tx) =>
        recordAudit(tx, {
          ...requestAuditContext(req, 'audit.export'),
          action: 'audit.export',
          entityType: 'audit_log',
          entityId: `through-${throughSeq}`,
          reason: `filter: ${JSON.stringify(filter)}`,
        }),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log-${todayInCalifornia()}.csv"`)
        .header('cache-control', 'no-store')
        // Streamed batch by batch; fastify sends a stream as it is (the 200 schema documents what it carries).
        .send(Readable.from(exportBatches(db, filter, throughSeq)) as unknown as string);
    },
  );
};
