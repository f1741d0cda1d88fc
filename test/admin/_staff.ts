// A staff member's HTTP client for the console API: keeps the session cookie and sends the CSRF token back on
// every state change, like the page does.
import { startTestGateway, type TestGateway } from '../_support/gateway.js';

export const ADMIN_PASSWORD = 'correct-horse-battery-42';

export interface StaffClient {
  csrf: string;
  cookie: string;
  login(username: string, password: string): Promise<Response>;
  call(method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export function staffClient(gw: TestGateway): StaffClient {
  const c: StaffClient = {
    csrf: '',
    cookie: '',
    async login(username, password) {
      const r = await fetch(`${gw.url}/admin/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      const set = r.headers.get('set-cookie');
      if (r.ok && set) {
        c.cookie = set.split(';')[0]!;
        c.csrf = ((await r.clone().json()) as { csrfToken: string }).csrfToken;
      }
      return r;
    },
    call(method, path, json, headers = {}) {
      const h: Record<string, string> = { cookie: c.cookie, ...headers };
      if (method !== 'GET' && !('x-csrf-token' in headers)) h['x-csrf-token'] = c.csrf;
      if (json !== undefined) h['content-type'] = 'application/json';
      return fetch(`${gw.url}/admin/api${path}`, {
        method,
        headers: h,
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    },
  };
  return c;
}

/** Logs in as the bootstrap admin and creates an account with `role`, returning a logged-in client for it. */
export async function staffWithRole(
  gw: TestGateway,
  admin: StaffClient,
  role: 'admin' | 'operator' | 'viewer',
  username: string,
): Promise<StaffClient> {
  const password = `${role}-password-12345`;
  const r = await admin.call('POST', '/staff', { username, displayName: username, role, password });
  if (r.status !== 201) throw new Error(`creating ${username} failed: ${r.status} ${await r.text()}`);
  const c = staffClient(gw);
  const l = await c.login(username, password);
  if (!l.ok) throw new Error(`login of ${username} failed: ${l.status}`);
  return c;
}

/** A gateway with its bootstrap admin logged in: where most console tests start. */
export async function startConsoleGateway(
  env: Record<string, string> = {},
): Promise<{ gw: TestGateway; admin: StaffClient }> {
  const gw = await startTestGateway({ ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD, ...env });
  const admin = staffClient(gw);
  const r = await admin.login('admin', ADMIN_PASSWORD);
  if (!r.ok) {
    await gw.stop();
    throw new Error(`admin login failed: ${r.status}`);
  }
  return { gw, admin };
}
