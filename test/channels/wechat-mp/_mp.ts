// Helpers for the mini-program API tests: a gateway with mini-program credentials, WeChat faked by nock answering as
// the real API does (HTTP 200 with errcode), logins, photos and letters as the app sends them.
import { randomBytes, randomUUID } from 'node:crypto';
import nock from 'nock';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';

export const WX = 'https://api.weixin.qq.com';
export const APPID = 'wx0123456789abcdef';

export const mpEnv = { WECHAT_MP_APPID: APPID, WECHAT_MP_SECRET: 'mp-secret-0123456789', WECHAT_API_BASE: WX };

export async function startMpGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  // The access token every WeChat call needs: issued once, then kept by the gateway's token store.
  // A refresh after 40001 is forced (force_refresh: true); the token WeChat hands out is the same either way here.
  nock(WX)
    .persist()
    .post(
      '/cgi-bin/stable_token',
      (b: Record<string, unknown>) =>
        b.grant_type === 'client_credential' &&
        b.appid === APPID &&
        b.secret === mpEnv.WECHAT_MP_SECRET &&
        typeof b.force_refresh === 'boolean',
    )
    .reply(200, () => {
      token.fetches++;
      return { access_token: token.current, expires_in: 7200 };
    });
  return startTestGateway({ ...mpEnv, ...env });
}

/** What the faked stable_token hands out, and how often it was asked. */
const token = { current: 'ACCESS_TOKEN_1', fetches: 0 };
export const tokenFetches = (): number => token.fetches;
/** WeChat revoked the current token: stable_token now hands out `next`. */
export const issueToken = (next: string): void => {
  token.current = next;
};

export function stopNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** Fakes code2Session for `code` and logs in; returns the session token. */
export async function login(
  gw: TestGateway,
  openid = `o-${randomUUID().slice(0, 12)}`,
): Promise<{ token: string; openid: string }> {
  const code = `code-${randomUUID()}`;
  nock(WX)
    .get('/sns/jscode2session')
    .query((q) => q.js_code === code && q.appid === APPID && q.grant_type === 'authorization_code')
    .reply(200, { openid, session_key: 'SESSION_KEY_SECRET==' }, { 'content-type': 'text/plain' });
  const r = await fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (r.status !== 201) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  const { token } = (await r.json()) as { token: string };
  return { token, openid };
}

export function mp(gw: TestGateway, token: string) {
  return async <T = Record<string, unknown>>(
    path: string,
    init: { method?: string; json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(gw.url + path, {
      method: init.method ?? (init.json !== undefined || init.body ? 'POST' : 'GET'),
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export const jpegBytes = (size = 2048) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), randomBytes(size)]);
export const pngBytes = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]);

export function photoForm(bytes: Buffer, filename = 'photo.jpg', type = 'image/jpeg'): FormData {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type }), filename);
  return form;
}

/** A pass verdict from msgSecCheck v2 for any text of `openid`. */
export function passCheck(openid: string, times = 1): nock.Scope {
  return nock(WX)
    .post('/wxa/msg_sec_check', (b: Record<string, unknown>) => b.openid === openid && b.version === 2)
    .query({ access_token: 'ACCESS_TOKEN_1' })
    .times(times)
    .reply(200, {
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: 'pass', label: 100 },
      detail: [],
      trace_id: 'trace-' + openid,
    });
}

export function letterRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientKey: randomUUID(),
    kind: 'complaint',
    mailboxId: 'district-510107',
    title: '玉林路路灯不亮',
    body: '玉林路小区门口的路灯坏了一个月，晚上很黑，老人出门不方便，请尽快修理。',
    visibility: 'private',
    ...overrides,
  };
}
