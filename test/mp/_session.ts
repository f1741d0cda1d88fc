// A sandbox login for /mp/ API tests (`dev:<name>` gives openid `dev-<name>`) and a caller that sends its token.
import { randomBytes } from 'node:crypto';
import type { TestGateway } from '../_support/gateway.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}
export type Call = (
  path: string,
  init?: { json?: unknown; raw?: string; headers?: Record<string, string> },
) => Promise<Answer>;

export async function sandboxSession(
  gw: TestGateway,
  prefix: string,
): Promise<Call & { openid: string; token: string }> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  const r = await fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev:${name}` }),
  });
  const { token } = (await r.json()) as { token: string };
  const call: Call = async (path, init = {}) => {
    const body = init.raw ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
    const res = await fetch(gw.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body,
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  return Object.assign(call, { openid: `dev-${name}`, token });
}

/** A letter request the sandbox accepts, with `extra` merged in. */
export function letterJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientKey: `key-${randomBytes(6).toString('hex')}`,
    kind: 'complaint',
    mailboxId: 'city-mayor',
    title: '路灯不亮',
    body: '玉林路小区门口的路灯坏了一个月，晚上很黑，请尽快修理。',
    visibility: 'public',
    ...extra,
  };
}

/** Values no endpoint may answer with a 500: NUL bytes, a huge string, wrong types. */
export const hostile: unknown[] = ['a\u0000b', 'x'.repeat(100_000), 42, true, null, ['a'], { a: 1 }, '\u202e\u0000'];
