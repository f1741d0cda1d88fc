// Grows a JSON body that a route's validation accepts, from every field name the gateway's schemas use, by reading its 422 problems (field and message, as
// parse-body.ts answers them): an unknown key is dropped, a missing or mistyped field gets a value of the type asked
// for, an enumeration its first option, a pattern a candidate that matches it. Where a message says nothing usable (a
// catalogue text), the field tries the next candidate on the next round. The hostile sweep then spoils the accepted
// body one field at a time, so that odd values reach the code behind validation, not only validation itself.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Problem {
  field: string;
  message: string;
}
/** Sends `body`; gives the status and, for a 422, its problems. */
export type Attempt = (body: Json) => Promise<{ status: number; problems?: Problem[] }>;

const uuid = '0190a0a0-0000-7000-8000-000000000001';
// Values that satisfy the patterns the gateway's schemas use (phones, region codes, template codes, ids, months…).
const candidates: Json[] = [
  'x',
  'sweep-value-01',
  '123456',
  '510104',
  '510104001',
  '13800138000',
  '+8613800138000',
  'SMS_123456',
  'o_sweep_citizen_01',
  '2026-11',
  '2026-11-01',
  '2026-11-01T08:00:00.000Z',
  uuid,
  'a@example.com',
  'https://example.com/',
  'complaint',
  // A mailbox of the sample directory and a topic of the taxonomy every gateway starts with.
  'city-mayor',
  'street-510104-01',
  'city-management',
  'public',
  'private',
  'wechat-oa',
  'sms',
  'receipt',
  'accepted',
  'admin',
  1,
  true,
  [],
  {},
];

const seedOfType: Record<string, Json> = {
  string: 'x',
  number: 1,
  int: 1,
  bigint: 1,
  boolean: true,
  array: [],
  object: {},
  record: {},
  date: '2026-11-01T08:00:00.000Z',
};

const pathOf = (field: string): (string | number)[] =>
  field === '(body)' || field === '' ? [] : field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

export function getAt(body: Json, path: (string | number)[]): Json | undefined {
  let at: Json | undefined = body;
  for (const p of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, Json>)[p];
  }
  return at;
}

/** `body` with the value at `path` replaced (containers created on the way); the root itself when `path` is empty. */
export function setAt(body: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? {};
  const copy: Json = Array.isArray(body)
    ? [...body]
    : body !== null && typeof body === 'object'
      ? { ...body }
      : typeof path[0] === 'number'
        ? []
        : {};
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = copy as Record<string | number, Json>;
  if (rest.length === 0) {
    if (value === undefined) {
      if (Array.isArray(copy)) copy.splice(Number(head), 1);
      else return Object.fromEntries(Object.entries(copy).filter(([k]) => k !== String(head)));
    } else container[head] = value;
  } else container[head] = setAt(container[head] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value);
  return copy;
}

/** Every leaf of `body` (strings, numbers, booleans, nulls) with its path. */
export function leafPaths(body: Json, at: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => leafPaths(v, [...at, i]));
  if (body !== null && typeof body === 'object')
    return Object.entries(body).flatMap(([k, v]) => leafPaths(v, [...at, k]));
  return [{ path: at, value: body }];
}

function quoted(message: string): string[] {
  return [...message.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
}

/** What one problem asks for, or undefined when its message says nothing usable. */
function fixFor(p: Problem, current: Json | undefined): { drop: string[] } | { value: Json | undefined } | undefined {
  const m = p.message;
  if (/^Unrecognized keys?:/.test(m)) return { drop: quoted(m) };
  const expected = /expected (\w+), received/.exec(m);
  if (expected && expected[1]! in seedOfType) return { value: seedOfType[expected[1]!] };
  if (/^Invalid option: expected one of/.test(m)) {
    const first = /one of (.+)$/.exec(m)![1]!.split('|')[0]!;
    try {
      return { value: JSON.parse(first) as Json };
    } catch {
      return undefined;
    }
  }
  const literal = /^Invalid input: expected (".*"|\d+|true|false)$/.exec(m);
  if (literal) return { value: JSON.parse(literal[1]!) as Json };
  if (/Invalid UUID/i.test(m)) return { value: uuid };
  if (/Invalid ISO datetime/i.test(m)) return { value: '2026-11-01T08:00:00.000Z' };
  if (/Invalid ISO date/i.test(m)) return { value: '2026-11-01' };
  if (/Invalid email/i.test(m)) return { value: 'a@example.com' };
  if (/Invalid URL/i.test(m)) return { value: 'https://example.com/' };
  const pattern = /must match pattern \/(.+)\/(\w*)$/.exec(m);
  if (pattern) {
    const re = new RegExp(pattern[1]!, pattern[2]);
    const fit = candidates.find((c) => typeof c === 'string' && re.test(c));
    return fit === undefined ? undefined : { value: fit };
  }
  const small = /Too small: expected (string|number|array) to (?:have|be) >=?(\d+)/.exec(m);
  if (small) {
    const n = Number(small[2]);
    if (small[1] === 'string') return { value: (typeof current === 'string' ? current : 'x').padEnd(n, 'x') };
    if (small[1] === 'number') return { value: n };
    const item = Array.isArray(current) && current.length > 0 ? current[0]! : 'x';
    return { value: Array.from({ length: n }, () => item) };
  }
  const big = /Too big: expected (string|number|array) to (?:have|be) <=?(\d+)/.exec(m);
  if (big) {
    const n = Number(big[2]);
    if (big[1] === 'number') return { value: n };
    if (typeof current === 'string' || Array.isArray(current)) return { value: current.slice(0, n) as Json };
  }
  return undefined;
}

/** The gateway's TypeScript files: where the names the sweep tries come from. */
export function sourceFiles(root = 'gateway'): { path: string; text: string }[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => {
    const path = join(root, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });
}

/** All of the gateway's source in one text. */
export const sourceText = (): string =>
  sourceFiles()
    .map((f) => f.text)
    .join('\n');

/** Every field name the zod schemas of `text` (by default the whole gateway) declare (`name: z.…`). */
export function schemaFieldNames(text = sourceText()): string[] {
  return [...new Set([...text.matchAll(/\b([A-Za-z_]\w*): z\./g)].map((m) => m[1]!))].sort();
}

/**
 * Grows a body the route accepts (any answer but 422), within `rounds` attempts; undefined when it never gets past
 * validation (a shape these rules cannot guess, or a route that validates nothing as JSON).
 */
export async function growValidBody(attempt: Attempt, fieldNames: string[], rounds = 80): Promise<Json | undefined> {
  let body: Json = Object.fromEntries(fieldNames.map((k) => [k, 'x']));
  const tried = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    const r = await attempt(body);
    // A route with a small body limit: start again from nothing.
    if (r.status === 413 && round === 0) {
      body = {};
      continue;
    }
    // Past validation: anything but the answers that come before it (or instead of it).
    if (r.status !== 422) return [401, 403, 405, 413, 415, 429].includes(r.status) ? undefined : prune(attempt, body);
    if (!r.problems || r.problems.length === 0) return undefined;
    for (const p of r.problems) {
      const path = pathOf(p.field);
      const current = getAt(body, path);
      const fix = fixFor(p, current);
      if (fix && 'drop' in fix) {
        for (const key of fix.drop) body = setAt(body, [...path, key], undefined);
      } else if (fix && JSON.stringify(fix.value) !== JSON.stringify(current)) {
        body = setAt(body, path, fix.value);
      } else {
        // The message says nothing usable (a catalogue text), or its fix is what failed: the next candidate.
        const n = tried.get(p.field) ?? 0;
        tried.set(p.field, n + 1);
        body = setAt(body, path, candidates[n % candidates.length]);
      }
    }
  }
  return undefined;
}

/** `body` without the top-level fields the route does not read: those that still pass with a value of no type it
 *  could take. A schema that strips unknown keys accepts every name it was given. */
async function prune(attempt: Attempt, body: Json): Promise<Json> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const kept: Record<string, Json> = {};
  for (const [key, value] of Object.entries(body)) {
    const r = await attempt({ ...body, [key]: { sweep: [1] } });
    if (r.status === 422) kept[key] = value;
  }
  return kept;
}
