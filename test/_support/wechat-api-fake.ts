// A fake of WeChat's server API on nock, answering like the real one: HTTP 200 with errcode/errmsg, 64-bit msgid
// left unquoted in the JSON. Per-recipient scripts decide the answer of each send. stable_token behaves as WeChat
// documents it: without force_refresh it hands back the current token while that is valid, even one the message
// API has started refusing; with force_refresh: true it issues a new token and the old one stops working.
// https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken.html
// Every message call is judged by the rules the sandbox's simulator applies (simulator/rules.ts: token answers, the
// request's own checks with their 40003/40037/47001/47003/45002, the window's 45015/45047 and consent's 43101), so a
// rule lives in one place; the window and consents apply to the citizens a test declares with `wrote`/`consented`.
import nock from 'nock';
import {
  checkMessage,
  consentAnswer,
  MESSAGE_PATHS,
  tokenAnswer,
  windowAnswer,
} from '../../gateway/channels/wechat-common/simulator/rules.js';

export const WECHAT_API = 'https://api.weixin.qq.com';

export interface ApiCall {
  path: string;
  token: string | null;
  body: Record<string, unknown>;
}

type Answer = { errcode: number; errmsg: string } | string;
export type Script = (path: string, call: ApiCall) => Answer | undefined;

export interface WechatApiFake {
  calls: ApiCall[];
  tokenFetches: () => number;
  /** stable_token answers after `ms` (a WeChat slow to answer). */
  slowTokens(ms: number): void;
  /** Answers for one recipient (openid); undefined falls back to success. */
  script(openid: string, s: Script): void;
  /** The current token expired: every stable_token call hands out `token` from now on. */
  issue(token: string): void;
  /**
   * The message API refuses the current token (40001) from now on, while stable_token without force_refresh still
   * hands it back (it has not expired); only a forced refresh gets `next`.
   */
  revoke(next: string): void;
  /** stable_token calls with force_refresh: true. */
  forcedFetches: () => number;
  /** The citizen wrote to the official account at `at`: customer-service sends follow WeChat's window from now on. */
  wrote(openid: string, at?: number): void;
  /** The citizen accepted `credits` subscribe messages of the template: subscribe sends spend them, then 43101. */
  consented(openid: string, templateId: string, credits: number): void;
}

let msgSeq = 3487542469355618300n;

export function fakeWechatApi(initialToken = 'TOKEN-1'): WechatApiFake {
  const calls: ApiCall[] = [];
  const scripts = new Map<string, Script>();
  /** What stable_token hands out without force_refresh. */
  let stable = initialToken;
  /** What the message API accepts (null: nothing, until a forced refresh). */
  let token: string | null = initialToken;
  let next: string | undefined;
  /** A token issued by `issue` and not handed out yet: a forced refresh gets it as its new token. */
  let fresh: string | undefined;
  let fetches = 0;
  let forced = 0;
  let tokenDelayMs = 0;
  /** Declared citizens: their latest message and the customer-service messages accepted since. */
  const windows = new Map<string, { last: number; sent: number }>();
  const consents = new Map<string, number>();
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nock(WECHAT_API)
    .persist()
    .post('/cgi-bin/stable_token')
    .reply(200, (_uri, body, answer) => {
      fetches++;
      if ((body as { force_refresh?: unknown }).force_refresh === true) {
        forced++;
        stable = next ?? fresh ?? `${stable}-F${forced}`;
        token = stable;
        next = undefined;
      }
      fresh = undefined;
      const issued = { access_token: stable, expires_in: 7200 };
      setTimeout(() => answer(null, issued), tokenDelayMs);
    });
  nock(WECHAT_API)
    .persist()
    .post(/^\/cgi-bin\/message\//)
    .query(true)
    .reply(
      200,
      (uri, body) => {
        const url = new URL(uri, WECHAT_API);
        const call = {
          path: url.pathname,
          token: url.searchParams.get('access_token'),
          body: body as Record<string, unknown>,
        };
        calls.push(call);
        // The fake's tokens are plain strings: only the current one is known, and it does not expire.
        const known = call.token !== null && call.token === token;
        const refused = tokenAnswer(call.token ?? undefined, known ? { expiresAt: Infinity } : undefined, Date.now());
        if (refused) return refused;
        const checked = checkMessage(call.path, call.body);
        if ('answer' in checked) return checked.answer;
        const answer =
          scripts.get(checked.touser)?.(call.path, call) ?? ruled(call.path, checked.touser, checked.templateId);
        if (answer !== undefined) return answer;
        if (call.path.endsWith('/template/send')) return `{"errcode":0,"errmsg":"ok","msgid":${(msgSeq++).toString()}}`;
        return { errcode: 0, errmsg: 'ok' };
      },
      { 'content-type': 'application/json; encoding=utf-8' },
    );
  /** The window and consent rules for declared citizens (undefined: accepted). */
  function ruled(path: string, touser: string, templateId: string | undefined): Answer | undefined {
    const w = windows.get(touser);
    if (path === MESSAGE_PATHS.custom && w) {
      const refused = windowAnswer(w.last, w.sent, Date.now());
      if (refused) return refused;
      w.sent++;
    }
    const key = `${touser}\u0000${templateId ?? ''}`;
    if (path === MESSAGE_PATHS.subscribe && consents.has(key)) {
      const left = consents.get(key)!;
      const refused = consentAnswer(left);
      if (refused) return refused;
      consents.set(key, left - 1);
    }
    return undefined;
  }
  return {
    calls,
    tokenFetches: () => fetches,
    slowTokens: (ms) => {
      tokenDelayMs = ms;
    },
    script: (openid, s) => scripts.set(openid, s),
    issue: (t) => {
      stable = t;
      token = t;
      fresh = t;
    },
    revoke: (n) => {
      token = null;
      next = n;
    },
    forcedFetches: () => forced,
    wrote: (openid, at = Date.now()) => windows.set(openid, { last: at, sent: 0 }),
    consented: (openid, templateId, credits) => consents.set(`${openid}\u0000${templateId}`, credits),
  };
}
