// Calls to the gateway's /mp API: logs in with wx.login when there is no valid session, sends the session token,
// logs in again once when the gateway says the session expired, and turns error answers into ApiFailure.
import { API_BASE, SANDBOX_LOGIN_NAME } from '../config';
import type { FieldProblem } from '../shared/index';

const SESSION_KEY = 'mp.session';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

interface Answer {
  status: number;
  data: unknown;
}

type Method = 'GET' | 'POST';

function send(method: Method, path: string, data: unknown, header: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: API_BASE + path,
      method,
      ...(data === undefined ? {} : { data: data as WechatMiniprogram.IAnyObject }),
      header: { 'content-type': 'application/json', ...header },
      success: (res) => resolve({ status: res.statusCode, data: res.data }),
      fail: () => reject(new ApiFailure(0, 'network', '网络不通，请检查网络后再试')),
    });
  });
}

function failure(a: Answer): ApiFailure {
  const body = (typeof a.data === 'object' && a.data !== null ? a.data : {}) as { code?: string; detail?: string; title?: string; problems?: FieldProblem[] };
  const message = body.problems?.[0]?.message ?? body.detail ?? '操作没有成功，请稍后再试';
  return new ApiFailure(a.status, body.code ?? 'error', message, body.problems ?? []);
}

function wxLogin(): Promise<string> {
  if (SANDBOX_LOGIN_NAME) return Promise.resolve(`dev:${SANDBOX_LOGIN_NAME}`);
  return new Promise((resolve, reject) => {
    wx.login({ success: (r) => resolve(r.code), fail: () => reject(new ApiFailure(0, 'login', '微信登录失败，请稍后再试')) });
  });
}

async function login(): Promise<string> {
  const a = await send('POST', '/mp/session', { code: await wxLogin() }, {});
  if (a.status !== 201) throw failure(a);
  const { token, expiresAt } = a.data as { token: string; expiresAt: string };
  wx.setStorageSync(SESSION_KEY, { token, expiresAt });
  return token;
}

async function token(): Promise<string> {
  const saved = wx.getStorageSync<{ token?: string; expiresAt?: string } | ''>(SESSION_KEY);
  if (saved && saved.token && saved.expiresAt && Date.parse(saved.expiresAt) > Date.now() + 60_000) return saved.token;
  return login();
}

/** One call to the API as the logged-in citizen. */
export async function api<T>(method: Method, path: string, data?: unknown, header: Record<string, string> = {}): Promise<T> {
  let a = await send(method, path, data, { ...header, authorization: `Bearer ${await token()}` });
  if (a.status === 401) {
    wx.removeStorageSync(SESSION_KEY);
    a = await send(method, path, data, { ...header, authorization: `Bearer ${await login()}` });
  }
  if (a.status < 200 || a.status >= 300) throw failure(a);
  return a.data as T;
}

/** Uploads one (already compressed) photo; answers its upload id. */
export async function uploadPhoto(filePath: string): Promise<string> {
  const once = (t: string) =>
    new Promise<Answer>((resolve, reject) => {
      wx.uploadFile({
        url: `${API_BASE}/mp/uploads`,
        filePath,
        name: 'file',
        header: { authorization: `Bearer ${t}` },
        success: (res) => resolve({ status: res.statusCode, data: safeJson(res.data) }),
        fail: () => reject(new ApiFailure(0, 'network', '照片上传失败，请检查网络后再试')),
      });
    });
  let a = await once(await token());
  if (a.status === 401) {
    wx.removeStorageSync(SESSION_KEY);
    a = await once(await login());
  }
  if (a.status !== 201) throw failure(a);
  return (a.data as { uploadId: string }).uploadId;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
