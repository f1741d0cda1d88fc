import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { ADMIN_PASSWORD, staffClient, staffWithRole, type StaffClient } from './_staff.js';

const MAX = 5;
const PER_ADDRESS = 12;
let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  // The tests play the proxy in front of the gateway, so each can come from addresses of its own.
  gw = await startTestGateway({
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    ADMIN_LOGIN_MAX_FAILURES: String(MAX),
    ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
    TRUSTED_PROXIES: '127.0.0.1',
  });
  admin = staffClient(gw);
  const r = await admin.login('admin', ADMIN_PASSWORD);
  if (!r.ok) throw new Error(`admin login failed: ${r.status}`);
});
test.after.always(async () => {
  await gw?.stop();
});

const loginFrom = (ip: string, username: string, password: string) =>
  fetch(`${gw.url}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ username, password }),
  });

async function newAccount(username: string): Promise<string> {
  const password = `${username}-password-1`;
  const r = await admin.call('POST', '/staff', { username, displayName: username, role: 'viewer', password });
  if (r.status !== 201) throw new Error(`creating ${username}: ${r.status}`);
  return password;
}

interface AuditEntry {
  staff: string;
  action: string;
  ip: string | null;
  after: { reason?: string } | null;
}

async function auditOf(username: string, action: string): Promise<AuditEntry[]> {
  const r = await admin.call('GET', `/audit?action=${action}&staff=${username}&limit=200`);
  return ((await r.json()) as { entries: AuditEntry[] }).entries;
}

const count = (statuses: number[], s: number) => statuses.filter((x) => x === s).length;

test('when 40 logins to one account arrive at once, 39 wrong and the right one 25th, then at most the allowed number of wrong passwords is checked and the account locks', async (t) => {
  const password = await newAccount('burst');
  const attempts = Array.from({ length: 40 }, (_, i) =>
    loginFrom(`198.51.100.${i + 1}`, 'burst', i === 24 ? password : `wrong-password-${i}`),
  );
  const statuses = (await Promise.all(attempts)).map((r) => r.status);
  t.true(count(statuses, 401) <= MAX, `${count(statuses, 401)} wrong passwords were checked`);
  // The rest are refused: locked once the failures are in, or sent away after waiting for the others to settle.
  t.is(count(statuses, 401) + count(statuses, 423) + count(statuses, 429) + count(statuses, 200), 40);
  const checked = await gw.services.db
    .selectFrom('login_attempts')
    .select('success')
    .where('username', '=', 'burst')
    .where('success', '=', false)
    .execute();
  t.is(checked.length, count(statuses, 401));
  // Every wrong password that was checked is in the audit log, with the address it came from.
  const failed = await auditOf('burst', 'session.login_failed');
  t.is(failed.length, count(statuses, 401));
  t.true(failed.every((e) => e.ip?.startsWith('198.51.100.') && e.after?.reason === 'wrong_password'));

  // One more wrong password fills the window if the right one had taken a slot; from then on even the right one waits.
  await loginFrom('198.51.100.200', 'burst', 'wrong-password-again');
  const locked = await loginFrom('198.51.100.201', 'burst', password);
  t.is(locked.status, 423);
  t.is(((await locked.json()) as { code: string }).code, 'account_locked');
  t.is(
    (
      await gw.services.db
        .selectFrom('login_attempts')
        .select('id')
        .where('username', '=', 'burst')
        .where('success', '=', false)
        .execute()
    ).length,
    MAX,
  );
  t.is((await auditOf('burst', 'session.locked')).length, 1);
});

test('when the right password comes alone, then it is not counted as a failure', async (t) => {
  const password = await newAccount('steady');
  for (let i = 0; i < MAX - 1; i++)
    t.is((await loginFrom('198.51.100.210', 'steady', 'wrong-password-xx')).status, 401);
  // Each right login gives its slot back, so logging in again and again never locks the account.
  for (let i = 0; i < 3; i++) t.is((await loginFrom('198.51.100.210', 'steady', password)).status, 200);
});

test('when the audit log is filtered by session.login, then only logins are listed, not failed ones; session. lists both', async (t) => {
  const password = await newAccount('filtered');
  t.is((await loginFrom('198.51.100.220', 'filtered', 'wrong-password-xx')).status, 401);
  t.is((await loginFrom('198.51.100.220', 'filtered', password)).status, 200);
  const logins = await auditOf('filtered', 'session.login');
  t.deepEqual(
    logins.map((e) => e.action),
    ['session.login'],
  );
  const all = await auditOf('filtered', 'session.');
  t.deepEqual(all.map((e) => e.action).sort(), ['session.login', 'session.login_failed']);
});

test('when 60 failed logins from one address arrive at once, then at most ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS are checked and that address is throttled', async (t) => {
  const attempts = Array.from({ length: 60 }, (_, i) => loginFrom('203.0.113.60', `nobody-${i}`, 'wrong-password-xx'));
  const statuses = (await Promise.all(attempts)).map((r) => r.status);
  t.true(count(statuses, 401) <= PER_ADDRESS, `${count(statuses, 401)} were checked`);
  t.true(count(statuses, 401) > 0);
  t.is(count(statuses, 401) + count(statuses, 429), 60);
  t.is((await loginFrom('203.0.113.60', 'admin', ADMIN_PASSWORD)).status, 429);
  t.is((await loginFrom('203.0.113.61', 'admin', ADMIN_PASSWORD)).status, 200);
  // Unknown names are audited too, under the name that was tried.
  const unknown = await auditOf('nobody-0', 'session.login_failed');
  t.true(unknown.length <= 1);
  t.true(unknown.every((e) => e.after?.reason === 'unknown_user' && e.ip === '203.0.113.60'));
});

test('when a signed-in staff member sends 20 wrong current passwords at once, then at most the allowed number is checked', async (t) => {
  const viewer = await staffWithRole(gw, admin, 'viewer', 'changer');
  const attempts = Array.from({ length: 20 }, () =>
    viewer.call('POST', '/password', { current: 'wrong-password-xx', next: 'a-new-password-2026' }),
  );
  const statuses = (await Promise.all(attempts)).map((r) => r.status);
  t.true(count(statuses, 401) <= MAX, `${count(statuses, 401)} were checked`);
  t.is(count(statuses, 401) + count(statuses, 423), 20);
  t.is(
    (await auditOf('changer', 'session.login_failed')).filter((e) => e.after?.reason === 'wrong_current_password')
      .length,
    count(statuses, 401),
  );
});

test.serial(
  'when one account signs in from several places at the same moment with the right password, then every login succeeds',
  async (t) => {
    const password = await newAccount('many-tabs');
    const statuses = (
      await Promise.all(
        Array.from({ length: MAX * 3 }, (_, i) => loginFrom(`198.51.100.${100 + i}`, 'many-tabs', password)),
      )
    ).map((r) => r.status);
    t.deepEqual(
      statuses,
      Array.from({ length: MAX * 3 }, () => 200),
    );
  },
);
