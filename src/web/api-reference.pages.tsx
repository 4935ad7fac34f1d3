// The API reference: /docs renders the OpenAPI document that @fastify/swagger builds from the route schemas as an
// accessible, bilingual page in the site layout; /docs/openapi.json serves the document itself.
import { STATUS_CODES } from 'node:http';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Fragment, type ComponentChildren } from 'preact';
import type { Translate } from './i18n.ts';
import { Layout, type PageContext } from './layout.tsx';
import { DataTable } from './data-table.tsx';
import { sendPage } from './web.plugin.ts';

// The parts of an OpenAPI 3.x document this page reads. Everything else is ignored.
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  minimum?: number;
  description?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  schema?: SchemaObject;
  example?: unknown;
}

interface ResponseObject {
  description?: string;
  content?: Record<string, { schema?: SchemaObject }>;
}

interface OperationObject {
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  hide?: boolean;
  parameters?: ParameterObject[];
  responses?: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Status codes with a translated meaning in the catalogs (apiReference.status.*). */
const KNOWN_STATUSES = new Set(['200', '201', '204', '400', '401', '403', '404', '409', '422', '500', '503', 'default']);
/**
 * Descriptions that say nothing beyond the status: what @fastify/swagger writes when a route gives none, and the
 * HTTP status phrase (src/http/openapi.ts). The page shows its own translated meaning instead.
 */
function saysOnlyTheStatus(status: string, description: string): boolean {
  return description === 'Default Response' || description === STATUS_CODES[Number(status)];
}
/** Examples longer than this are not "compact": the page leaves them out and the OpenAPI document has the schema. */
const MAX_EXAMPLE_LINES = 60;
const MAX_EXAMPLE_DEPTH = 6;

interface Operation {
  id: string;
  method: string;
  path: string;
  op: OperationObject;
}

interface TagGroup {
  id: string;
  name: string | undefined; // undefined: the operations without a tag
  description?: string;
  operations: Operation[];
}

/** A stable anchor: "get /api/v1/counties/{fips}" → "get-api-v1-counties-fips". */
export function operationSlug(method: string, path: string): string {
  return `${method}-${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The operations of the document grouped by their first tag, in the document's tag order, then the untagged ones. */
export function groupOperations(doc: OpenApiDocument): TagGroup[] {
  const used = new Set<string>();
  const groups = new Map<string | undefined, TagGroup>();
  for (const tag of doc.tags ?? []) {
    groups.set(tag.name, { id: `tag-${operationSlug('', tag.name)}`, name: tag.name, description: tag.description, operations: [] });
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op || op.hide) continue;
      let id = operationSlug(method, path);
      for (let n = 2; used.has(id); n++) id = `${operationSlug(method, path)}-${n}`;
      used.add(id);
      const tag = op.tags?.[0];
      let group = groups.get(tag);
      if (!group) {
        group = { id: tag === undefined ? 'tag-other' : `tag-${operationSlug('', tag)}`, name: tag, operations: [] };
        groups.set(tag, group);
      }
      group.operations.push({ id, method, path, op });
    }
  }
  const ordered = [...groups.values()].filter((g) => g.operations.length > 0);
  // Untagged operations last.
  return [...ordered.filter((g) => g.name !== undefined), ...ordered.filter((g) => g.name === undefined)];
}

function resolve(doc: OpenApiDocument, schema: SchemaObject | undefined): SchemaObject | undefined {
  if (!schema?.$ref) return schema;
  const match = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref);
  return match?.[1] ? doc.components?.schemas?.[match[1]] : undefined;
}

function refName(schema: SchemaObject | undefined): string | undefined {
  return schema?.$ref ? schema.$ref.split('/').pop() : undefined;
}

function nonNullType(schema: SchemaObject): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.find((t) => t !== 'null') ?? types[0];
}

/**
 * A small example value with the shape of a schema: the schema's own example when it has one, else a placeholder of
 * the right type. Returns undefined when the schema cannot be followed (an unknown $ref, or nesting that is too deep).
 */
export function exampleOf(doc: OpenApiDocument, input: SchemaObject | undefined, depth = 0): unknown {
  if (depth > MAX_EXAMPLE_DEPTH) return undefined;
  const schema = resolve(doc, input);
  if (!schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) {
    const first = variants.find((v) => v.type !== 'null') ?? variants[0];
    return exampleOf(doc, first, depth + 1);
  }
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => exampleOf(doc, s, depth + 1));
    if (parts.some((p) => p === undefined)) return undefined;
    return Object.assign({}, ...parts.filter((p) => typeof p === 'object' && p !== null));
  }
  const type = nonNullType(schema) ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(schema.properties ?? {})) {
        const example = exampleOf(doc, value, depth + 1);
        if (example === undefined) return undefined;
        out[key] = example;
      }
      return out;
    }
    case 'array': {
      const item = exampleOf(doc, schema.items, depth + 1);
      return item === undefined ? undefined : [item];
    }
    case 'string':
      return schema.format === 'date' ? '2025-02-01' : schema.format === 'date-time' ? '2025-02-01T00:00:00Z' : 'string';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' && schema.minimum > 0 ? schema.minimum : 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/** The example as indented JSON, or undefined when there is none or it is too long to be a compact example. */
export function compactExample(doc: OpenApiDocument, schema: SchemaObject | undefined): string | undefined {
  const example = exampleOf(doc, schema);
  if (example === undefined) return undefined;
  const json = JSON.stringify(example, null, 2);
  return json.split('\n').length <= MAX_EXAMPLE_LINES ? json : undefined;
}

/** Text from the OpenAPI document, which is written in English: marked as such on pages in another language. */
function English({ ctx, children }: { ctx: PageContext; children: ComponentChildren }) {
  return ctx.locale === 'en' ? <>{children}</> : <span lang="en">{children}</span>;
}

function englishLang(ctx: PageContext): string | undefined {
  return ctx.locale === 'en' ? undefined : 'en';
}

function TypeCell({ schema }: { schema: SchemaObject | undefined }) {
  if (!schema) return <>—</>;
  const name = refName(schema);
  if (name) return <code>{name}</code>;
  const type = nonNullType(schema);
  return (
    <>
      <code>{type === 'array' && schema.items ? `${nonNullType(schema.items) ?? 'array'}[]` : (type ?? '—')}</code>
      {schema.format ? (
        <>
          {' '}
          (<code>{schema.format}</code>)
        </>
      ) : null}
    </>
  );
}

function ParameterDetails({ ctx, param }: { ctx: PageContext; param: ParameterObject }) {
  const { t } = ctx;
  const schema = param.schema;
  const example = param.example ?? schema?.example;
  return (
    <>
      {param.description ? (
        <p class="margin-0" lang={englishLang(ctx)}>
          {param.description}
        </p>
      ) : null}
      {schema?.enum?.length ? (
        <p class="margin-0">
          {t('apiReference.allowedValues')}{' '}
          {schema.enum.map((v, i) => (
            <Fragment key={String(i)}>
              {i > 0 ? ', ' : ''}
              <code>{JSON.stringify(v)}</code>
            </Fragment>
          ))}
        </p>
      ) : null}
      {schema?.pattern ? (
        <p class="margin-0">
          {t('apiReference.pattern')} <code>{schema.pattern}</code>
        </p>
      ) : null}
      {example !== undefined ? (
        <p class="margin-0">
          {t('apiReference.example')} <code>{typeof example === 'string' ? example : JSON.stringify(example)}</code>
        </p>
      ) : null}
    </>
  );
}

function Parameters({ ctx, operation }: { ctx: PageContext; operation: Operation }) {
  const { t } = ctx;
  const params = operation.op.parameters ?? [];
  const label = `${operation.method.toUpperCase()} ${operation.path}`;
  if (params.length === 0) return <p>{t('apiReference.noParameters')}</p>;
  // Path parameters first, then query, header and cookie; by name within each.
  const order = ['path', 'query', 'header', 'cookie'];
  const sorted = [...params].sort((a, b) => order.indexOf(a.in) - order.indexOf(b.in) || a.name.localeCompare(b.name));
  return (
    <DataTable
      caption={t('apiReference.parametersCaption', { operation: label })}
      columns={[
        t('apiReference.colName'),
        t('apiReference.colIn'),
        t('apiReference.colRequired'),
        t('apiReference.colType'),
        t('apiReference.colDescription'),
      ]}
      variant="usa-table--borderless width-full"
      testId={`parameters-${operation.id}`}
    >
      {sorted.map((p) => (
        <tr key={`${p.in}:${p.name}`}>
          <th scope="row" data-label={t('apiReference.colName')}>
            <code>{p.name}</code>
          </th>
          <td data-label={t('apiReference.colIn')}>{['query', 'path', 'header', 'cookie'].includes(p.in) ? t(`apiReference.in.${p.in}`) : p.in}</td>
          <td data-label={t('apiReference.colRequired')}>{p.required ? t('apiReference.required') : t('apiReference.optional')}</td>
          <td data-label={t('apiReference.colType')}>
            <TypeCell schema={p.schema} />
          </td>
          <td data-label={t('apiReference.colDescription')}>
            <ParameterDetails ctx={ctx} param={p} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function statusMeaning(t: Translate, status: string): string | undefined {
  return KNOWN_STATUSES.has(status) ? t(`apiReference.status.${status}`) : undefined;
}

function Responses({ ctx, doc, operation }: { ctx: PageContext; doc: OpenApiDocument; operation: Operation }) {
  const { t } = ctx;
  const responses = Object.entries(operation.op.responses ?? {});
  const label = `${operation.method.toUpperCase()} ${operation.path}`;
  if (responses.length === 0) return <p>{t('apiReference.noContent')}</p>;
  const examples = responses.flatMap(([status, response]) => {
    if (!/^2\d\d$/.test(status)) return [];
    const json = Object.entries(response.content ?? {}).find(([type]) => /json/.test(type));
    const example = json ? compactExample(doc, json[1].schema) : undefined;
    return example ? [{ status, example }] : [];
  });
  return (
    <>
      <DataTable
        caption={t('apiReference.responsesCaption', { operation: label })}
        columns={[t('apiReference.colStatus'), t('apiReference.colDescription'), t('apiReference.colContent')]}
        variant="usa-table--borderless width-full"
        testId={`responses-${operation.id}`}
      >
        {responses.map(([status, response]) => {
          const meaning = statusMeaning(t, status);
          const own = response.description && !saysOnlyTheStatus(status, response.description) ? response.description : undefined;
          const content = Object.entries(response.content ?? {});
          return (
            <tr key={status}>
              <th scope="row" data-label={t('apiReference.colStatus')}>
                <code>{status}</code>
              </th>
              <td data-label={t('apiReference.colDescription')}>
                {meaning ?? (own ? null : '—')}
                {meaning && own ? '. ' : null}
                {own ? <English ctx={ctx}>{own}</English> : null}
              </td>
              <td data-label={t('apiReference.colContent')}>
                {content.length === 0 ? (
                  t('apiReference.noContent')
                ) : (
                  <ul class="usa-list usa-list--unstyled">
                    {content.map(([type, media]) => {
                      const name = refName(media.schema);
                      return (
                        <li key={type}>
                          <code>{type}</code>
                          {name === 'Problem' ? <> — {t('apiReference.problem')}</> : name ? <> — <code>{name}</code></> : null}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {examples.map(({ status, example }) => (
        <details key={status} class="margin-y-2">
          <summary>{t('apiReference.shape', { status })}</summary>
          <pre class="text-pre-wrap font-mono-2xs bg-base-lightest padding-2 margin-top-1">
            <code>{example}</code>
          </pre>
        </details>
      ))}
    </>
  );
}

function OperationSection({ ctx, doc, operation }: { ctx: PageContext; doc: OpenApiDocument; operation: Operation }) {
  const { t } = ctx;
  const { op } = operation;
  return (
    <section class="margin-top-5 border-top-1px border-base-lighter" aria-labelledby={operation.id} data-testid={`operation-${operation.id}`}>
      <h3 id={operation.id} class="font-mono-md">
        <span class="text-bold">{operation.method.toUpperCase()}</span> <code>{operation.path}</code>
      </h3>
      {op.deprecated ? (
        <p>
          <span class="usa-tag">{t('apiReference.deprecated')}</span>
        </p>
      ) : null}
      {op.summary ? (
        <p class="font-body-md" lang={englishLang(ctx)}>
          {op.summary}
        </p>
      ) : null}
      {op.description ? <p lang={englishLang(ctx)}>{op.description}</p> : null}
      <h4>{t('apiReference.parameters')}</h4>
      <Parameters ctx={ctx} operation={operation} />
      <h4>{t('apiReference.responses')}</h4>
      <Responses ctx={ctx} doc={doc} operation={operation} />
      <p>
        <a href="#contents">{t('apiReference.backToContents')}</a>
      </p>
    </section>
  );
}

export function ApiReferencePage({ ctx, doc }: { ctx: PageContext; doc: OpenApiDocument }) {
  const { t } = ctx;
  const groups = groupOperations(doc);
  const tagName = (g: TagGroup) => (g.name === undefined ? t('apiReference.otherTag') : <English ctx={ctx}>{g.name}</English>);
  return (
    <Layout ctx={ctx} title={t('apiReference.title')} current="api">
      <h1>{t('apiReference.title')}</h1>
      <p class="usa-intro">{t('apiReference.lead')}</p>
      <p>{t('apiReference.errors')}</p>
      {ctx.locale === 'en' ? null : <p>{t('apiReference.englishNote')}</p>}
      <p>
        <a href="/docs/openapi.json" type="application/json" data-testid="openapi-link">
          {t('apiReference.openapiLink')}
        </a>
        {' · '}
        {t('apiReference.versions', { openapi: doc.openapi, version: doc.info?.version ?? '—' })}
      </p>
      <nav aria-labelledby="contents" data-testid="api-contents">
        <h2 id="contents" tabindex={-1}>
          {t('apiReference.contents')}
        </h2>
        <ul>
          {groups.map((g) => (
            <li key={g.id}>
              <a href={`#${g.id}`}>{tagName(g)}</a>
              <ul>
                {g.operations.map((o) => (
                  <li key={o.id}>
                    <a href={`#${o.id}`}>
                      <span class="text-bold">{o.method.toUpperCase()}</span> <code>{o.path}</code>
                    </a>
                    {o.op.summary ? (
                      <>
                        {': '}
                        <English ctx={ctx}>{o.op.summary}</English>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={g.id} class="margin-top-6">
          <h2 id={g.id}>{tagName(g)}</h2>
          {g.description ? <p lang={englishLang(ctx)}>{g.description}</p> : null}
          {g.operations.map((o) => (
            <OperationSection key={o.id} ctx={ctx} doc={doc} operation={o} />
          ))}
        </section>
      ))}
    </Layout>
  );
}

/** The OpenAPI document of the whole app. @fastify/swagger decorates the root instance, which every plugin inherits. */
function openApiDocument(req: FastifyRequest): OpenApiDocument {
  const server = req.server as unknown as { swagger?: () => unknown };
  if (typeof server.swagger !== 'function') throw new Error('@fastify/swagger is not registered: the API reference has no document to show');
  return server.swagger() as OpenApiDocument;
}

export const apiReferencePages: FastifyPluginAsync = async (app) => {
  app.get('/docs', { schema: { hide: true } }, async (req, reply) => {
    const ctx = req.pageContext();
    return sendPage(reply, <ApiReferencePage ctx={ctx} doc={openApiDocument(req)} />);
  });

  app.get('/docs/openapi.json', { schema: { hide: true } }, async (req, reply) => {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(openApiDocument(req)));
  });
};
