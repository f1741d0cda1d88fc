// A fake of WeChat's server API on nock, answering like the real one: HTTP 200 with errcode/errmsg, 64-bit msgid
// left unquoted in the JSON. Per-recipient scripts decide the answer of each send. stable_token behaves as WeChat
// documents it: without force_refresh it hands back the current token while that is valid, even one the message
// API has started refusing; with force_refresh: true it issues a new token and the old one stops working.
// https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken.html
import nock from 'nock';

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
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nock(WECHAT_API)
    .persist()
    .post('/cgi-bin/stable_token')
    .reply(200, (_uri, body) => {
      fetches++;
      if ((body as { force_refresh?: unknown }).force_refresh === true) {
        forced++;
        stable = next ?? fresh ?? `${stable}-F${forced}`;
        token = stable;
        next = undefined;
      }
      fresh = undefined;
      return { access_token: stable, expires_in: 7200 };
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
        if (call.token !== token)
          return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
        const answer = scripts.get(String(call.body.touser))?.(call.path, call);
        if (answer !== undefined) return answer;
        if (call.path.endsWith('/template/send')) return `{"errcode":0,"errmsg":"ok","msgid":${(msgSeq++).toString()}}`;
        return { errcode: 0, errmsg: 'ok' };
      },
      { 'content-type': 'application/json; encoding=utf-8' },
    );
  return {
    calls,
    tokenFetches: () => fetches,
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
  };
}
