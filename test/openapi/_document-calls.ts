// Makes calls against a running gateway and holds each answer to its OpenAPI document: the status must be one the
// operation documents, the content type and body must match the schema documented for that status. Shared by the
// tests of the /api/v1 and /mp documents; remembers which operations answered with success.
import type { ExecutionContext } from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
}

export interface CallInit {
  json?: unknown;
  form?: FormData;
  /** Sent as is (a malformed body). */
  raw?: string;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends none even when the caller has a default. */
  token?: string | null;
}

export interface Answered {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** `METHOD /path` of every operation the document describes. */
export const documentedOperations = (doc: OpenApiDoc): string[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

/**
 * `call('POST /letters/{id}', '/letters/…', init)` calls `base + path` and checks the answer against what the document
 * says of `op` at that status. `made` holds the operations that answered with success, `problems` those that answered
 * with a documented problem.
 */
export function documentCaller(t: ExecutionContext, doc: OpenApiDoc, base: string, defaults: { token?: string } = {}) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'doc');
  const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const made = new Set<string>();
  const problems = new Set<string>();

  const call = async (op: string, path: string, init: CallInit = {}): Promise<Answered> => {
    const [method, template] = op.split(' ') as [string, string];
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? defaults.token : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.json !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
    const r = await fetch(base + path, {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : (init.raw ?? init.form),
    });
    const text = await r.text();
    const body = (text ? JSON.parse(text) : undefined) as Record<string, unknown>;
    const answered = { status: r.status, headers: r.headers, body };
    const documented = doc.paths[template]?.[method.toLowerCase()]?.responses[String(r.status)];
    if (!documented) {
      t.fail(`${op} answered ${r.status}, which the document does not describe: ${text.slice(0, 300)}`);
      return answered;
    }
    const type = (r.headers.get('content-type') ?? '').split(';')[0]!;
    if (documented.content) {
      t.truthy(documented.content[type], `${op} ${r.status}: ${type} is not the documented content type`);
      const ref = `doc#/${pointer('paths', template, method.toLowerCase(), 'responses', String(r.status), 'content', type, 'schema')}`;
      const valid = ajv.validate({ $ref: ref }, body);
      t.true(valid, `${op} ${r.status}: ${ajv.errorsText(ajv.errors)} in ${text.slice(0, 500)}`);
    } else {
      t.is(text, '', `${op} ${r.status} has no documented body`);
    }
    (r.status < 400 ? made : problems).add(op);
    return answered;
  };

  return { call, made, problems };
}
