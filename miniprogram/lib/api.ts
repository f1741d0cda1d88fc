// Calls to the gateway's /mp API: logs in with wx.login when there is no valid session, sends the session token,
// logs in again once when the gateway says the session expired, and turns error answers into ApiFailure with a
// Chinese message (the gateway's English titles and details never reach a citizen). Every request has a timeout.
import { apiBase, SANDBOX_LOGIN_NAME } from '../config';
import type { FieldProblem } from '../shared/index';
import { codeMessage, fieldMessage, isChinese, say } from './messages.zh-CN';

/** How long one request may take before the app says the network is too slow (WeChat's own default is 60 s). */
export const REQUEST_TIMEOUT_MS = 15_000;
export const UPLOAD_TIMEOUT_MS = 60_000;

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
      url: apiBase() + path,
      method,
      timeout: REQUEST_TIMEOUT_MS,
      ...(data === undefined ? {} : { data: data as WechatMiniprogram.IAnyObject }),
      header: { 'content-type': 'application/json', ...header },
      success: (res) => resolve({ status: res.statusCode, data: res.data }),
      fail: (e) => reject(networkFailure(e)),
    });
  });
}

function networkFailure(e: { errMsg?: string } | undefined): ApiFailure {
  return /timeout/i.test(e?.errMsg ?? '')
    ? new ApiFailure(0, 'timeout', say('mp.timeout'))
    : new ApiFailure(0, 'network', say('mp.network'));
}

function failure(a: Answer): ApiFailure {
  const body = (typeof a.data === 'object' && a.data !== null ? a.data : {}) as {
    code?: string;
    detail?: string;
    title?: string;
    problems?: FieldProblem[];
  };
  const problems = (Array.isArray(body.problems) ? body.problems : []).map((p) => ({
    field: p.field,
    message: fieldMessage(p.field.split('.')[0] ?? p.field, p.message),
  }));
  const code = body.code ?? 'error';
  const message = problems[0]?.message ?? (isChinese(body.detail) ? body.detail : codeMessage(code));
  return new ApiFailure(a.status, code, message, problems);
}

function wxLogin(): Promise<string> {
  if (SANDBOX_LOGIN_NAME) return Promise.resolve(`dev:${SANDBOX_LOGIN_NAME}`);
  return new Promise((resolve, reject) => {
    wx.login({ success: (r) => resolve(r.code), fail: () => reject(new ApiFailure(0, 'login', say('mp.login'))) });
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
export async function api<T>(
  method: Method,
  path: string,
  data?: unknown,
  header: Record<string, string> = {},
): Promise<T> {
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
        url: `${apiBase()}/mp/uploads`,
        filePath,
        name: 'file',
        timeout: UPLOAD_TIMEOUT_MS,
        header: { authorization: `Bearer ${t}` },
        success: (res) => resolve({ status: res.statusCode, data: safeJson(res.data) }),
        fail: (e) =>
          reject(
            /timeout/i.test(e.errMsg)
              ? new ApiFailure(0, 'timeout', say('mp.timeout'))
              : new ApiFailure(0, 'network', say('mp.photo.upload-failed')),
          ),
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
