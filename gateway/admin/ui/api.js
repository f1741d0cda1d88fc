// Calls to the console API: the session cookie goes by itself; every change carries the CSRF token from the session.
let csrf = '';
export const session = { staff: null };

const messages = {
  template_invalid: '模板不符合发送规则',
  request_invalid: '输入有误',
  csrf_invalid: '页面已过期，请刷新后重试',
  role_forbidden: '你的角色不能执行此操作',
  account_locked: '账号已临时锁定，请稍后再试',
  login_failed: '用户名或密码错误',
  session_expired: '会话已结束，请重新登录',
  unauthorized: '请先登录',
  rate_limited: '请求过多，请稍后再试',
  conflict: '当前状态下不能这样操作',
  not_found: '找不到',
  letter_not_found: '没有这封来信',
  delivery_not_found: '没有这条消息',
};
const hasChinese = (s) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

export class ApiError extends Error {
  constructor(status, body) {
    super(hasChinese(body?.detail) ? body.detail : messages[body?.code] ?? body?.detail ?? body?.title ?? `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export async function api(method, path, json) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`/admin/api${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: 'same-origin' });
  const body = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
  if (r.status === 401 && path !== '/login') {
    session.staff = null;
    location.hash = '#/login';
  }
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

export async function loadSession() {
  try {
    const r = await api('GET', '/session');
    csrf = r.csrfToken;
    session.staff = r.staff;
  } catch {
    session.staff = null;
  }
  return session.staff;
}

export async function login(username, password) {
  const r = await api('POST', '/login', { username, password });
  csrf = r.csrfToken;
  session.staff = r.staff;
  return r.staff;
}

export async function logout() {
  await api('POST', '/logout').catch(() => {});
  session.staff = null;
  csrf = '';
}

const rank = { viewer: 1, operator: 2, admin: 3 };
export const can = (role) => Boolean(session.staff) && rank[session.staff.role] >= rank[role];

export const labels = {
  channel: { 'wechat-oa': '公众号', 'wechat-mp': '小程序', sms: '短信', web: '网页版' },
  // How a letter reached the platform: its channel, or the way the case store registered it from.
  origin: { 'wechat-oa': '公众号', 'wechat-mp': '小程序', sms: '短信', web: '网页版', phone: '12345热线电话', counter: '窗口来访', mail: '纸质来信', other: '其他途径' },
  status: { received: '已接收', accepted: '已受理', in_progress: '办理中', replied: '已答复', closed: '已办结', rejected: '被拒收' },
  delivery: { queued: '排队中', sending: '发送中', sent: '已发送', delivered: '已送达', failed: '失败', fallback: '已转其他方式' },
  kind: { complaint: '投诉', suggestion: '建议', consultation: '咨询', praise: '表扬', other: '其他' },
  role: { admin: '管理员', operator: '操作员', viewer: '只读' },
};
