// The gateway's small interface to the WeChat server API, on co-wechat-api: its getToken/saveToken hooks keep the
// token in the shared store, its request helper parses answers with json-bigint (64-bit msgid intact) and turns a
// non-zero errcode in an HTTP 200 answer into an error. A refused token (40001/42001/40014) is replaced once.
// https://developers.weixin.qq.com/doc/service/guide/dev/api/ (global return codes)
import WechatAPI from 'co-wechat-api';
import type { AccessTokenStore } from './token-store.js';

export interface WechatApiClient {
  /** POSTs JSON to `path` (e.g. `/cgi-bin/message/custom/send`) with the access token; resolves with the answer. */
  postJson(path: string, body: unknown): Promise<Record<string, unknown>>;
  /** The access token to use for a call made outside co-wechat-api (media download); `failed` replaces a refused one. */
  token(failed?: string): Promise<string>;
}

/** WeChat's answer carried a non-zero errcode (or the call failed before one was known: `errcode` undefined). */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'WechatApiError';
  }
}

export const tokenRefused = new Set([40001, 40014, 42001]);

export function createWechatApiClient(o: {
  appId: string;
  secret: string;
  apiBase: string;
  tokens: AccessTokenStore;
  timeoutMs?: number;
}): WechatApiClient {
  const api = new WechatAPI(
    o.appId,
    o.secret,
    () => o.tokens.read(),
    async (t) => {
      if (t) await o.tokens.save(t);
    },
  );
  api.prefix = `${o.apiBase}/cgi-bin/`;
  api.setOpts({ timeout: o.timeoutMs ?? 10_000 });
  // co-wechat-api would fetch /cgi-bin/token itself, in every process, without a lock: the shared store does it.
  api.getAccessToken = () => o.tokens.refresh();

  const call = async (path: string, token: string, body: unknown) => {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${o.apiBase}${path}${sep}access_token=${encodeURIComponent(token)}`;
    const opts = {
      method: 'POST' as const,
      data: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    };
    // retry 0: co-wechat-api's own 40001 handling would drop the shared token whichever token failed.
    return (await api.request(url, opts, 0)) as Record<string, unknown>;
  };

  return {
    async postJson(path, body) {
      const { accessToken } = await api.ensureAccessToken();
      try {
        return await call(path, accessToken, body);
      } catch (err) {
        const code = errcodeOf(err);
        if (code === undefined || !tokenRefused.has(code)) throw asApiError(err);
        const fresh = await o.tokens.refresh(accessToken);
        return await call(path, fresh.accessToken, body).catch((again: unknown) => {
          throw asApiError(again);
        });
      }
    },
    async token(failed) {
      if (failed !== undefined) return (await o.tokens.refresh(failed)).accessToken;
      return (await api.ensureAccessToken()).accessToken;
    },
  };
}

function errcodeOf(err: unknown): number | undefined {
  const code = err && typeof err === 'object' && 'code' in err ? err.code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function asApiError(err: unknown): WechatApiError {
  if (err instanceof WechatApiError) return err;
  return new WechatApiError(errcodeOf(err), scrubSecrets(err instanceof Error ? err.message : String(err)));
}

/** co-wechat-api's transport errors quote the URL, which carries the AppSecret, a login code or the access token. */
export function scrubSecrets(message: string): string {
  return message.replace(/(secret|js_code|access_token)=[^&\s]*/g, '$1=***');
}

/** A WeChat 64-bit id from an answer parsed by json-bigint (a BigNumber) or a plain value, as a string. */
export function idString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'toFixed' in v && typeof v.toFixed === 'function')
    return (v as { toFixed(): string }).toFixed();
  return undefined;
}
