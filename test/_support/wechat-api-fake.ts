// A fake of WeChat's server API on nock, answering like the real one: HTTP 200 with errcode/errmsg, 64-bit msgid
// left unquoted in the JSON. Per-recipient scripts decide the answer of each send.
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
  /** The token stable_token hands out from now on. */
  issue(token: string): void;
}

let msgSeq = 3487542469355618300n;

export function fakeWechatApi(initialToken = 'TOKEN-1'): WechatApiFake {
  const calls: ApiCall[] = [];
  const scripts = new Map<string, Script>();
  let token = initialToken;
  let fetches = 0;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nock(WECHAT_API)
    .persist()
    .post('/cgi-bin/stable_token')
    .reply(200, () => {
      fetches++;
      return { access_token: token, expires_in: 7200 };
    });
  nock(WECHAT_API)
    .persist()
    .post(/^\/cgi-bin\/message\//)
    .query(true)
    .reply(200, (uri, body) => {
      const url = new URL(uri, WECHAT_API);
      const call = { path: url.pathname, token: url.searchParams.get('access_token'), body: body as Record<string, unknown> };
      calls.push(call);
      if (call.token !== token) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      const answer = scripts.get(String(call.body.touser))?.(call.path, call);
      if (answer !== undefined) return answer;
      if (call.path.endsWith('/template/send')) return `{"errcode":0,"errmsg":"ok","msgid":${(msgSeq++).toString()}}`;
      return { errcode: 0, errmsg: 'ok' };
    }, { 'content-type': 'application/json; encoding=utf-8' });
  return {
    calls,
    tokenFetches: () => fetches,
    script: (openid, s) => scripts.set(openid, s),
    issue: (t) => {
      token = t;
    },
  };
}
