import { createHash } from 'node:crypto';
import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { ADMIN_PASSWORD, staffClient, staffWithRole, type StaffClient } from './_staff.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  // The tests play the proxy in front of the gateway: they connect from 127.0.0.1 and say who the client was.
  gw = await startTestGateway({
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    ADMIN_LOGIN_MAX_FAILURES: '3',
    TRUSTED_PROXIES: '127.0.0.1',
  });
  admin = staffClient(gw);
  const r = await admin.login('admin', ADMIN_PASSWORD);
  if (!r.ok) throw new Error(`admin login failed: ${r.status}`);
});
test.after.always(async () => {
  await gw?.stop();
});

test('when the gateway starts without an admin, then one is created with the bootstrap password and the password is stored hashed', async (t) => {
  const rows = await gw.services.db.selectFrom('staff').selectAll().where('role', '=', 'admin').execute();
  t.is(rows.length, 1);
  // scrypt at the configured cost (2^ADMIN_PASSWORD_COST), with its parameters kept in the hash.
  t.regex(rows[0]!.password_hash, new RegExp(`^scrypt\\$${2 ** gw.services.config.ADMIN_PASSWORD_COST}\\$8\\$1\\$`));
  t.false(rows[0]!.password_hash.includes(ADMIN_PASSWORD));
});

test('when no bootstrap password is set, then a random one is created and reported for the banner', async (t) => {
  const other = await startTestGateway({});
  try {
    t.is(other.bootstrapAdmin?.username, 'admin');
    t.regex(other.bootstrapAdmin?.password ?? '', /^[A-Za-z0-9_-]{20}$/);
    const c = staffClient(other);
    t.is((await c.login('admin', other.bootstrapAdmin!.password!)).status, 200);
  } finally {
    await other.stop();
  }
});

test('when logging in, then the session cookie is HttpOnly and SameSite=Strict, and only its hash is stored', async (t) => {
  const c = staffClient(gw);
  const r = await c.login('admin', ADMIN_PASSWORD);
  const cookie = r.headers.get('set-cookie') ?? '';
  t.regex(cookie, /httponly/i);
  t.regex(cookie, /samesite=strict/i);
  t.notRegex(cookie, /secure/i);
  const token = c.cookie.split('=')[1]!;
  const stored = await gw.services.db.selectFrom('staff_sessions').select('token_hash').execute();
  t.false(stored.some((s) => s.token_hash === token));
  const me = await c.call('GET', '/session');
  t.is(((await me.json()) as { staff: { role: string } }).staff.role, 'admin');
});

test('when the gateway is reached over HTTPS through a proxy, then the cookie is Secure', async (t) => {
  const r = await fetch(`${gw.url}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  t.is(r.status, 200);
  t.regex(r.headers.get('set-cookie') ?? '', /secure/i);
});

test('when a change comes without the CSRF token or with a wrong one, then it is refused with 403', async (t) => {
  const body = { username: 'csrf-victim', displayName: 'x', role: 'viewer', password: 'viewer-password-12345' };
  const none = await admin.call('POST', '/staff', body, { 'x-csrf-token': '' });
  t.is(none.status, 403);
  t.is(((await none.json()) as { code: string }).code, 'csrf_invalid');
  const wrong = await admin.call('POST', '/staff', body, { 'x-csrf-token': 'A'.repeat(admin.csrf.length) });
  t.is(wrong.status, 403);
  t.is(
    await gw.services.db.selectFrom('staff').select('id').where('username', '=', 'csrf-victim').executeTakeFirst(),
    undefined,
  );
});

test('when no session is sent, then every console API answers 401', async (t) => {
  for (const path of ['/templates', '/letters', '/staff', '/audit', '/stats', '/channels', '/api-keys']) {
    const r = await fetch(`${gw.url}/admin/api${path}`);
    t.is(r.status, 401, path);
  }
});

test('when a viewer or an operator calls what their role may not do, then the server refuses with 403', async (t) => {
  const viewer = await staffWithRole(gw, admin, 'viewer', 'vera');
  const operator = await staffWithRole(gw, admin, 'operator', 'otto');
  t.is((await viewer.call('GET', '/templates')).status, 200);
  t.is((await viewer.call('PUT', '/templates/sms/sms/receipt', { content: {} })).status, 403);
  t.is((await viewer.call('POST', '/letters/00000000-0000-7000-8000-000000000000/retry')).status, 403);
  t.is((await operator.call('GET', '/staff')).status, 403);
  t.is((await operator.call('GET', '/audit')).status, 403);
  t.is((await operator.call('POST', '/api-keys', { name: 'x', scopes: ['letters:read'] })).status, 403);
  t.is((await operator.call('POST', '/letters/00000000-0000-7000-8000-000000000000/retry')).status, 404);
});

test('when the password is wrong too many times, then the account is locked even for the right password', async (t) => {
  const name = 'lockme';
  t.is(
    (
      await admin.call('POST', '/staff', {
        username: name,
        displayName: 'L',
        role: 'viewer',
        password: 'lock-me-password-1',
      })
    ).status,
    201,
  );
  const c = staffClient(gw);
  for (let i = 0; i < 3; i++) t.is((await c.login(name, 'wrong-password-xx')).status, 401);
  const locked = await c.login(name, 'lock-me-password-1');
  t.is(locked.status, 423);
  t.is(((await locked.json()) as { code: string }).code, 'account_locked');
  // The lock lives in the database: a second instance on the same database refuses as well.
  const second = await startTestGateway({ ADMIN_LOGIN_MAX_FAILURES: '3' }, gw.databaseUrl);
  try {
    t.is((await staffClient(second).login(name, 'lock-me-password-1')).status, 423);
  } finally {
    await second.stop();
  }
});

test('when a session is idle longer than allowed, then it ends', async (t) => {
  const c = staffClient(gw);
  await c.login('admin', ADMIN_PASSWORD);
  const hash = createHash('sha256').update(c.cookie.split('=')[1]!).digest('hex');
  await gw.services.db
    .updateTable('staff_sessions')
    .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
    .where('token_hash', '=', hash)
    .execute();
  const r = await c.call('GET', '/session');
  t.is(r.status, 401);
  t.is(((await r.json()) as { code: string }).code, 'session_expired');
});

test('when an admin changes a staff role, then the audit log shows who, what, before and after, filterable', async (t) => {
  const created = await admin.call('POST', '/staff', {
    username: 'audited',
    displayName: 'A',
    role: 'viewer',
    password: 'audited-password-1',
  });
  const { id } = (await created.json()) as { id: string };
  t.is((await admin.call('PATCH', `/staff/${id}`, { role: 'operator' })).status, 200);
  const r = await admin.call('GET', `/audit?action=staff.update&targetId=${id}`);
  const { entries } = (await r.json()) as {
    entries: { staff: string; action: string; before: { role: string }; after: { role: string } }[];
  };
  t.is(entries.length, 1);
  t.is(entries[0]!.staff, 'admin');
  t.is(entries[0]!.before.role, 'viewer');
  t.is(entries[0]!.after.role, 'operator');
});

test('when a weak password is given for a new account, then it is refused naming the field', async (t) => {
  const r = await admin.call('POST', '/staff', {
    username: 'weak',
    displayName: 'W',
    role: 'viewer',
    password: '123456789012',
  });
  t.is(r.status, 422);
  t.deepEqual(
    ((await r.json()) as { problems: { field: string }[] }).problems.map((p) => p.field),
    ['password'],
  );
});

test('when two dozen requests create one username at once, then one account is made and the others are told the name is taken', async (t) => {
  // Several names, each asked for by 24 requests at once: the check and the insert are one statement, or some of
  // them race.
  for (const username of ['same-name-1', 'same-name-2', 'same-name-3', 'same-name-4']) {
    const answers = await Promise.all(
      Array.from({ length: 24 }, () =>
        admin.call('POST', '/staff', {
          username,
          displayName: '同名',
          role: 'viewer',
          password: `${username}-password-42`,
        }),
      ),
    );
    t.deepEqual(answers.map((r) => r.status).sort(), [201, ...Array.from({ length: 23 }, () => 409)], username);
    const conflict = (await answers.find((r) => r.status === 409)!.json()) as { problems: { field: string }[] };
    t.deepEqual(
      conflict.problems.map((p) => p.field),
      ['username'],
    );
    const rows = await gw.services.db.selectFrom('staff').select('id').where('username', '=', username).execute();
    t.is(rows.length, 1);
  }
});

test('when one address fails logins across many usernames, then that address is throttled while others can still log in', async (t) => {
  const from = (ip: string, username: string, password: string) =>
    fetch(`${gw.url}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    });
  const attempts = await Promise.all(
    Array.from({ length: 30 }, (_, i) => from('203.0.113.9', `nobody-${i}`, 'wrong-password-xx')),
  );
  t.true(attempts.every((r) => r.status === 401));
  const throttled = await from('203.0.113.9', 'admin', ADMIN_PASSWORD);
  t.is(throttled.status, 429);
  t.is((await from('203.0.113.10', 'admin', ADMIN_PASSWORD)).status, 200);
});

test('when a session passes its absolute lifetime or its account is disabled, then it ends', async (t) => {
  const c = staffClient(gw);
  await c.login('admin', ADMIN_PASSWORD);
  const hash = createHash('sha256').update(c.cookie.split('=')[1]!).digest('hex');
  await gw.services.db
    .updateTable('staff_sessions')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('token_hash', '=', hash)
    .execute();
  t.is((await c.call('GET', '/session')).status, 401);

  const created = await admin.call('POST', '/staff', {
    username: 'leaver',
    displayName: 'L',
    role: 'operator',
    password: 'leaver-password-123',
  });
  const { id } = (await created.json()) as { id: string };
  const leaver = staffClient(gw);
  await leaver.login('leaver', 'leaver-password-123');
  t.is((await leaver.call('GET', '/templates')).status, 200);
  t.is((await admin.call('PATCH', `/staff/${id}`, { disabled: true })).status, 200);
  t.is((await leaver.call('GET', '/templates')).status, 401);
  t.is((await leaver.login('leaver', 'leaver-password-123')).status, 401);
});
