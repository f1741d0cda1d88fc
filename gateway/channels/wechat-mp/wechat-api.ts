// The mini-program's calls to WeChat, through co-wechat-api (its token handling, JSON-bigint parsing, 40001 retry),
// behind our own interface so routes and the outbound adapter never see vendor HTTP. Base URL from WECHAT_API_BASE.
import { createRequire } from 'node:module';
import type { TokenStore } from './token-store.js';

/** A business error WeChat answered with (HTTP 200, `errcode` ≠ 0), or a transport failure (`errcode` undefined). */
export class WechatError extends Error {
  constructor(message: string, readonly errcode?: number) {
    super(message);
    this.name = 'WechatError';
  }
}

export interface SessionInfo {
  openid: string;
  unionid?: string;
}

export interface ContentVerdict {
  suggest: 'pass' | 'review' | 'risky';
  label?: number;
  traceId?: string;
}

export interface MpWechatApi {
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html — session_key is dropped here. */
  code2Session(code: string): Promise<SessionInfo>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html (v2; scene 2). */
  msgSecCheck(openid: string, content: string, title?: string): Promise<ContentVerdict>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html */
  phoneNumber(code: string): Promise<{ phoneNumber: string; purePhoneNumber: string; countryCode: string; appid?: string }>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html */
  sendSubscribe(message: { touser: string; templateId: string; page?: string; state: 'formal' | 'trial' | 'developer'; data: Record<string, { value: string }> }): Promise<{ msgid?: string }>;
}

interface CoToken {
  accessToken: string;
  expireTime: number;
}

interface CoWechatApi {
  getAccessToken(): Promise<CoToken>;
  prefix: string;
  snsPrefix: string;
  wxaPrefix: string;
  setOpts(o: { timeout: number }): void;
  request(url: string, opts?: unknown, retry?: number): Promise<unknown>;
  ensureAccessToken(): Promise<CoToken>;
  code2Session(code: string): Promise<unknown>;
}

type CoWechatApiConstructor = new (
  appid: string,
  secret: string,
  getToken: () => Promise<CoToken | null>,
  saveToken: (t: CoToken | null) => Promise<void>,
) => CoWechatApi;

const require = createRequire(import.meta.url);

export function createMpWechatApi(o: { appid: string; secret: string; baseUrl: string; tokens: TokenStore; timeoutMs?: number }): MpWechatApi {
  const Api = require('co-wechat-api') as CoWechatApiConstructor;
  const api = new Api(o.appid, o.secret, () => o.tokens.get(), (t) => o.tokens.save(t));
  // co-wechat-api hard-codes api.weixin.qq.com; government networks go through an egress proxy.
  api.prefix = `${o.baseUrl}/cgi-bin/`;
  api.snsPrefix = `${o.baseUrl}/sns/`;
  api.wxaPrefix = `${o.baseUrl}/wxa/`;
  api.setOpts({ timeout: o.timeoutMs ?? 5000 });
  // stable_token instead of /cgi-bin/token: in normal mode every instance asking gets the same token, and asking
  // again does not revoke the one other instances hold.
  // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
  api.getAccessToken = async () => {
    const r = (await api.request(`${o.baseUrl}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      data: JSON.stringify({ grant_type: 'client_credential', appid: o.appid, secret: o.secret, force_refresh: false }),
    })) as { access_token?: string; expires_in?: number };
    if (!r.access_token) throw new WechatError('stable_token answered without a token');
    // Renewed a little early: WeChat hands out a fresh token in the last five minutes.
    const token = { accessToken: r.access_token, expireTime: Date.now() + Math.max(60, (r.expires_in ?? 7200) - 300) * 1000 };
    await o.tokens.save(token);
    return token;
  };

  const call = async <T>(fn: () => Promise<unknown>): Promise<T> => {
    try {
      const r = await fn();
      // code2Session has been seen answering text/plain: co-wechat-api then hands back the raw text.
      const body = typeof r === 'string' ? parseLoose(r) : r;
      const errcode = Number((body as { errcode?: unknown } | null)?.errcode ?? 0);
      if (errcode !== 0) throw new WechatError(String((body as { errmsg?: unknown }).errmsg ?? 'error'), errcode);
      return body as T;
    } catch (err) {
      if (err instanceof WechatError) throw err;
      const e = err as { name?: string; code?: unknown; message?: string };
      if (e?.name === 'WeChatAPIError' && typeof e.code === 'number') throw new WechatError(e.message ?? 'error', e.code);
      throw new WechatError(`WeChat unreachable: ${scrub(e?.message ?? String(err))}`);
    }
  };
  const postJson = async <T>(path: string, body: unknown): Promise<T> =>
    call<T>(async () => {
      const { accessToken } = await api.ensureAccessToken();
      return api.request(`${o.baseUrl}${path}?access_token=${encodeURIComponent(accessToken)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        // Real UTF-8, never \u escapes: msgSecCheck does not recognise escaped text.
        data: JSON.stringify(body),
      });
    });

  return {
    async code2Session(code) {
      const r = await call<{ openid?: string; unionid?: string }>(() => api.code2Session(code));
      if (typeof r.openid !== 'string' || r.openid === '') throw new WechatError('code2Session answered without an openid');
      return { openid: r.openid, ...(typeof r.unionid === 'string' ? { unionid: r.unionid } : {}) };
    },
    async msgSecCheck(openid, content, title) {
      const r = await postJson<{ result?: { suggest?: string; label?: unknown }; trace_id?: string }>('/wxa/msg_sec_check', {
        version: 2, scene: 2, openid, content: content.slice(0, 2500), ...(title ? { title } : {}),
      });
      const suggest = r.result?.suggest;
      if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') throw new WechatError('msgSecCheck answered without a verdict');
      const label = Number(r.result?.label);
      return { suggest, ...(Number.isInteger(label) ? { label } : {}), ...(r.trace_id ? { traceId: String(r.trace_id) } : {}) };
    },
    async phoneNumber(code) {
      const r = await postJson<{ phone_info?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: unknown; watermark?: { appid?: string } } }>(
        '/wxa/business/getuserphonenumber', { code },
      );
      const p = r.phone_info;
      if (!p?.purePhoneNumber) throw new WechatError('getuserphonenumber answered without a number');
      // countryCode is documented as a string but the example shows a number.
      return { phoneNumber: String(p.phoneNumber ?? p.purePhoneNumber), purePhoneNumber: p.purePhoneNumber, countryCode: String(p.countryCode ?? '86'), appid: p.watermark?.appid };
    },
    async sendSubscribe(m) {
      const r = await postJson<{ msgid?: unknown }>('/cgi-bin/message/subscribe/send', {
        touser: m.touser, template_id: m.templateId, ...(m.page ? { page: m.page } : {}), miniprogram_state: m.state, lang: 'zh_CN', data: m.data,
      });
      // msgid is int64: co-wechat-api parses it with json-bigint, String() keeps every digit.
      return r.msgid === undefined || r.msgid === null ? {} : { msgid: String(r.msgid) };
    },
  };
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text.replace(/:\s*(\d{16,})/g, ':"$1"'));
  } catch {
    throw new WechatError('WeChat answered with something that is not JSON');
  }
}

/** Transport errors quote the URL, which carries the AppSecret, the login code or the access token. */
function scrub(message: string): string {
  return message.replace(/(secret|js_code|access_token)=[^&\s]*/g, '$1=***');
}
