// The mini-program's calls to WeChat, through the shared WeChat client (shared token store, JSON-bigint parsing, 40001),
// behind our own interface so routes and the outbound adapter never see vendor HTTP. Base URL from WECHAT_API_BASE.
import { createRequire } from 'node:module';
import type { AccessTokenStore } from '../wechat-common/token-store.js';
import type { MpAppWechatApi } from '../../mp/deps.js';
import { createWechatApiClient, idString, scrubSecrets, WechatApiError } from '../wechat-common/api-client.js';

/** The app backend's calls (gateway/mp/deps.ts) and the channel's own: subscribe messages. */
export interface MpWechatApi extends MpAppWechatApi {
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html */
  sendSubscribe(message: {
    touser: string;
    templateId: string;
    page?: string;
    state: 'formal' | 'trial' | 'developer';
    data: Record<string, { value: string }>;
  }): Promise<{ msgid?: string }>;
  /** https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html (v2, image, scene 3); the verdict is pushed. */
  mediaCheckAsync(openid: string, mediaUrl: string): Promise<{ traceId: string }>;
}

interface CoWechatApi {
  snsPrefix: string;
  setOpts(o: { timeout: number }): void;
  code2Session(code: string): Promise<unknown>;
}

type CoWechatApiConstructor = new (appid: string, secret: string) => CoWechatApi;

const require = createRequire(import.meta.url);

export function createMpWechatApi(o: {
  appid: string;
  secret: string;
  baseUrl: string;
  tokens: AccessTokenStore;
  timeoutMs?: number;
}): MpWechatApi {
  // Calls that need the access token go through the shared WeChat client (shared token store, one refresh across
  // instances, a refused token replaced once); code2Session needs no token and uses co-wechat-api directly.
  const client = createWechatApiClient({
    appId: o.appid,
    secret: o.secret,
    // Read on every call: the sandbox's simulator URL names the delivery being sent.
    get apiBase() {
      return o.baseUrl;
    },
    tokens: o.tokens,
    timeoutMs: o.timeoutMs ?? 5000,
  });
  const Api = require('co-wechat-api') as CoWechatApiConstructor;
  const api = new Api(o.appid, o.secret);
  // co-wechat-api hard-codes api.weixin.qq.com; government networks go through an egress proxy.
  api.snsPrefix = `${o.baseUrl}/sns/`;
  api.setOpts({ timeout: o.timeoutMs ?? 5000 });

  const call = async <T>(fn: () => Promise<unknown>): Promise<T> => {
    try {
      const r = await fn();
      // code2Session has been seen answering text/plain: co-wechat-api then hands back the raw text.
      const body = typeof r === 'string' ? parseLoose(r) : r;
      const errcode = Number((body as { errcode?: unknown } | null)?.errcode ?? 0);
      if (errcode !== 0) throw new WechatApiError(errcode, (body as { errmsg?: string }).errmsg ?? 'error');
      return body as T;
    } catch (err) {
      if (err instanceof WechatApiError) throw err;
      const e = err as { name?: string; code?: unknown; message?: string } | null | undefined;
      if (e?.name === 'WeChatAPIError' && typeof e.code === 'number')
        throw new WechatApiError(e.code, e.message ?? 'error');
      throw new WechatApiError(undefined, `WeChat unreachable: ${scrubSecrets(e?.message ?? String(err))}`);
    }
  };
  // Real UTF-8, never \u escapes (JSON.stringify in the client): msgSecCheck does not recognise escaped text.
  const postJson = async <T>(path: string, body: unknown): Promise<T> => call<T>(() => client.postJson(path, body));

  return {
    async code2Session(code) {
      const r = await call<{ openid?: string; unionid?: string }>(() => api.code2Session(code));
      if (typeof r.openid !== 'string' || r.openid === '')
        throw new WechatApiError(undefined, 'code2Session answered without an openid');
      return { openid: r.openid, ...(typeof r.unionid === 'string' ? { unionid: r.unionid } : {}) };
    },
    async msgSecCheck(openid, content, title) {
      const r = await postJson<{ result?: { suggest?: string; label?: unknown }; trace_id?: string | number }>(
        '/wxa/msg_sec_check',
        {
          version: 2,
          scene: 2,
          openid,
          content: content.slice(0, 2500),
          ...(title ? { title } : {}),
        },
      );
      const suggest = r.result?.suggest;
      if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky')
        throw new WechatApiError(undefined, 'msgSecCheck answered without a verdict');
      const label = Number(r.result?.label);
      return {
        suggest,
        ...(Number.isInteger(label) ? { label } : {}),
        ...(r.trace_id ? { traceId: String(r.trace_id) } : {}),
      };
    },
    async phoneNumber(code) {
      const r = await postJson<{
        phone_info?: {
          phoneNumber?: string | number;
          purePhoneNumber?: string;
          countryCode?: string | number;
          watermark?: { appid?: string };
        };
      }>('/wxa/business/getuserphonenumber', { code });
      const p = r.phone_info;
      if (!p?.purePhoneNumber) throw new WechatApiError(undefined, 'getuserphonenumber answered without a number');
      // countryCode is documented as a string but the example shows a number.
      return {
        phoneNumber: String(p.phoneNumber ?? p.purePhoneNumber),
        purePhoneNumber: p.purePhoneNumber,
        countryCode: String(p.countryCode ?? '86'),
        appid: p.watermark?.appid,
      };
    },
    async sendSubscribe(m) {
      const r = await postJson<{ msgid?: unknown }>('/cgi-bin/message/subscribe/send', {
        touser: m.touser,
        template_id: m.templateId,
        ...(m.page ? { page: m.page } : {}),
        miniprogram_state: m.state,
        lang: 'zh_CN',
        data: m.data,
      });
      // msgid is int64: parsed with json-bigint, turned into a string with every digit as the official account does.
      const msgid = idString(r.msgid);
      return msgid ? { msgid } : {};
    },
    async mediaCheckAsync(openid, mediaUrl) {
      const r = await postJson<{ trace_id?: unknown; traceId?: unknown }>('/wxa/media_check_async', {
        media_url: mediaUrl,
        media_type: 2,
        version: 2,
        scene: 3,
        openid,
      });
      // One report has the field come back as traceId.
      const traceId = r.trace_id ?? r.traceId;
      if (typeof traceId !== 'string' || traceId === '')
        throw new WechatApiError(undefined, 'media_check_async answered without a trace_id');
      return { traceId };
    },
  };
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text.replace(/:\s*(\d{16,})/g, ':"$1"'));
  } catch {
    throw new WechatApiError(undefined, 'WeChat answered with something that is not JSON');
  }
}
