// The part of co-wechat-api (CommonJS, untyped) the gateway uses: its token hooks and its request helper.
// https://github.com/node-webot/co-wechat-api/blob/master/lib/api_common.js
declare module 'co-wechat-api' {
  interface StoredToken {
    accessToken: string;
    /** Epoch milliseconds. */
    expireTime: number;
  }
  interface RequestOptions {
    method?: 'GET' | 'POST';
    data?: string;
    headers?: Record<string, string>;
    timeout?: number;
  }
  class WechatAPI {
    constructor(
      appid: string,
      appsecret: string,
      getToken?: () => Promise<StoredToken | null>,
      saveToken?: (token: StoredToken | null) => Promise<void>,
      tokenFromCustom?: boolean,
    );
    prefix: string;
    setOpts(opts: { timeout?: number }): void;
    /** Parses JSON with json-bigint; a non-zero errcode is thrown as an Error with `code`. `retry` 0: no token retries. */
    request(url: string, opts?: RequestOptions, retry?: number): Promise<unknown>;
    ensureAccessToken(): Promise<StoredToken>;
    getAccessToken(): Promise<StoredToken>;
  }
  export = WechatAPI;
}
