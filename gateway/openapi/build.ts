// Turns a list of operations declared with zod schemas into OpenAPI 3.1 paths, shared by the documents of /api/v1 and
// /mp: request bodies and query parameters as clients send them, answers as the gateway writes them, errors as RFC 9457
// problem details referencing one `Problem` component. Nothing in a document is written by hand but the words.
import { z } from 'zod';
import { errorCatalogue } from '../errors.js';

export type Method = 'get' | 'post';

export interface Answer {
  description: string;
  /** A problem answer when `problem`; a JSON answer otherwise (none: no body). */
  schema?: z.ZodType;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface Operation {
  method: Method;
  /** OpenAPI form, `{id}` for path parameters. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** The security scheme the call needs (a key of `components.securitySchemes`); none: anyone may call it. */
  security?: string;
  /** Extension `x-scope`: the API key scope the call needs. */
  scope?: string;
  pathParams?: Record<string, { description: string; schema: z.ZodType }>;
  /** Query parameters: the properties of the zod object the route parses its query with. */
  query?: z.ZodType | { name: string; required: boolean; description: string; schema: Record<string, unknown> }[];
  headers?: { name: string; required: boolean; description: string; schema: Record<string, unknown> }[];
  body?: z.ZodType;
  bodyType?: 'application/json' | 'multipart/form-data';
  responses: Record<string, Answer>;
}

// RFC 9457 lets a problem carry extension members; the ones a client can act on are named here.
export const problem = z
  .looseObject({
    type: z.string().describe('urn:letter-gateway:error:<code>'),
    title: z.string().describe('what went wrong, in English; the same for every answer with this code'),
    status: z.int().describe('the HTTP status'),
    code: z
      .enum(Object.keys(errorCatalogue) as [string, ...string[]])
      .describe('stable error code (gateway/errors.ts)'),
    detail: z.string().optional().describe('what went wrong with this request, in English'),
    instance: z.string().optional().describe('urn:request:<id>: quote it when asking about this answer'),
    problems: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('field-level problems of a request body'),
    letterId: z.uuid().optional().describe('`serial_conflict`: the letter that has this serial'),
    letterIds: z
      .array(z.uuid())
      .optional()
      .describe('`letter_not_owned`: the letters of the request that were not registered with this API key'),
  })
  .describe('RFC 9457 problem details');

/**
 * Request bodies as clients send them (defaults optional), responses as the gateway writes them. A schema that names
 * a part of itself (a recursive tree, `.meta({ id })`) has it in `$defs`: those go to `defs`, the document's
 * `components.schemas`, where the references then point.
 */
export function jsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  defs?: Record<string, unknown>,
): Record<string, unknown> {
  const {
    $schema: _dialect,
    $defs,
    ...rest
  } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  if (!$defs) return rest;
  if (!defs) throw new Error('a schema with shared definitions needs the document to keep them');
  const moved = JSON.parse(JSON.stringify({ rest, $defs }).replaceAll('"#/$defs/', '"#/components/schemas/')) as {
    rest: Record<string, unknown>;
    $defs: Record<string, unknown>;
  };
  for (const [name, def] of Object.entries(moved.$defs)) {
    if (name in defs && JSON.stringify(defs[name]) !== JSON.stringify(def))
      throw new Error(`two schemas define ${name} differently: give one another id`);
    defs[name] = def;
  }
  return moved.rest;
}

const problemRef = { $ref: '#/components/schemas/Problem' };

/** A problem answer with its meaning, for an operation's `responses`. */
export const problemAnswer = (description: string, headers?: Answer['headers']): Answer => ({
  description,
  schema: problem,
  ...(headers ? { headers } : {}),
});

function queryParams(query: Operation['query'], defs: Record<string, unknown>): Record<string, unknown>[] {
  if (!query) return [];
  if (Array.isArray(query)) return query.map((q) => ({ ...q, in: 'query' }));
  const s = jsonSchema(query, 'input', defs) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(s.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: (s.required ?? []).includes(name),
    ...(schema.description ? { description: schema.description } : {}),
    schema,
  }));
}

function answer(r: Answer, defs: Record<string, unknown>): Record<string, unknown> {
  const type = r.schema === problem ? 'application/problem+json' : 'application/json';
  return {
    description: r.description,
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.schema
      ? { content: { [type]: { schema: r.schema === problem ? problemRef : jsonSchema(r.schema, 'output', defs) } } }
      : {}),
  };
}

export const operationId = (op: Pick<Operation, 'method' | 'path'>): string =>
  `${op.method}${op.path.replace(/[{}]/g, '').replace(/[/.]+(\w)/g, (_m, c: string) => c.toUpperCase())}`;

/**
 * The document's `paths`. `common(op)` adds what every operation of the API shares (the answers of its security,
 * an idempotency header) before the operation's own parameters and answers. Named parts of schemas go to `defs`.
 */
export function pathsOf(
  operations: Operation[],
  common: (op: Operation) => {
    parameters?: Record<string, unknown>[];
    responses?: Record<string, Answer>;
  } = () => ({}),
  defs: Record<string, unknown> = {},
): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const shared = common(op);
    const parameters = [
      ...Object.entries(op.pathParams ?? {}).map(([name, p]) => ({
        name,
        in: 'path',
        required: true,
        description: p.description,
        schema: jsonSchema(p.schema, 'input', defs),
      })),
      ...queryParams(op.query, defs),
      ...(op.headers ?? []).map((h) => ({ ...h, in: 'header' })),
      ...(shared.parameters ?? []),
    ];
    const responses = Object.fromEntries(
      Object.entries({ ...shared.responses, ...op.responses }).map(([status, r]) => [status, answer(r, defs)]),
    );
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: operationId(op),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: op.security ? [{ [op.security]: [] }] : [],
      ...(op.scope ? { 'x-scope': op.scope } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { [op.bodyType ?? 'application/json']: { schema: jsonSchema(op.body, 'input', defs) } },
            },
          }
        : {}),
      responses,
    };
  }
  return paths;
}

/** The `Problem` component every problem answer refers to. */
export const problemComponent = (): Record<string, unknown> => jsonSchema(problem, 'output');

/** `METHOD /path` of every operation, in the document's `{param}` form. */
export const operationNames = (operations: Operation[]): string[] =>
  operations.map((o) => `${o.method.toUpperCase()} ${o.path}`);

/** The answer of `GET …/openapi.json`: the document itself. */
export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.literal('3.1.0'),
    info: z.looseObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
    servers: z.array(z.looseObject({ url: z.string() })),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())).describe('every call, by path and method'),
    components: z.record(z.string(), z.unknown()),
  })
  .describe('An OpenAPI 3.1 document');
