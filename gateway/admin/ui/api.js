// Calls to the console API: the session cookie goes by itself; every change carries the CSRF token from the session.
import { group, has, t } from './i18n.js';

let csrf = '';
export const session = { staff: null };

const hasChinese = (s) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

export class ApiError extends Error {
  constructor(status, body) {
    super(
      hasChinese(body?.detail)
        ? body.detail
        : has(`problem.${body?.code}`)
          ? t(`problem.${body.code}`)
          : t('console.api.requestFailed', { status }),
    );
    this.status = status;
    this.body = body || {};
  }
}

export async function api(method, path, json) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`/admin/api${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
    credentials: 'same-origin',
  });
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

// Names of identifiers, read from the message catalogue (i18n.js) each time so they follow the loaded language.
export const labels = {
  get channel() {
    return group('channel');
  },
  // How a letter reached the platform: its channel, or the way the case store registered it from.
  get origin() {
    return group('origin');
  },
  get status() {
    return group('letterStatus');
  },
  get delivery() {
    return group('deliveryStatus');
  },
  get kind() {
    return group('kind');
  },
  get role() {
    return group('role');
  },
};
