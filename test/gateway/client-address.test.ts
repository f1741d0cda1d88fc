import test from 'ava';
import { addressSet, clientFacts } from '../../gateway/http/client-address.js';
import { loadConfig } from '../../config/load.js';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';

const ADMIN_PASSWORD = 'correct-horse-battery-42';

const login = (gw: TestGateway, headers: Record<string, string>, password = ADMIN_PASSWORD) =>
  fetch(`${gw.url}/admin/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username: 'admin', password }),
  });

async function auditIps(gw: TestGateway, action: string): Promise<(string | null)[]> {
  const rows = await gw.services.db
    .selectFrom('audit_log')
    .select('ip')
    .where('action', '=', action)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.ip);
}

test('when no proxy is trusted, then forwarded headers are ignored: no Secure cookie from X-Forwarded-Proto, and rotating X-Forwarded-For neither escapes the address throttle nor reaches the audit log', async (t) => {
  const gw = await startTestGateway({ ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD });
  try {
    const https = await login(gw, { 'x-forwarded-proto': 'https' });
    t.is(https.status, 200);
    t.notRegex(https.headers.get('set-cookie') ?? '', /secure/i);

    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(gw, { 'x-forwarded-for': `198.51.100.${i + 1}` }, `wrong-password-${i}`),
      ),
    );
    t.true(burst.filter((r) => r.status === 401).length <= 5);
    t.deepEqual([...new Set(await auditIps(gw, 'session.login_failed'))], ['127.0.0.1']);

    // Failures across many names, each with a different made-up address, are still one address's failures.
    const attempts = Array.from({ length: 45 }, (_, i) =>
      fetch(`${gw.url}/admin/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        body: JSON.stringify({ username: `nobody-${i}`, password: 'wrong-password-xx' }),
      }),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    t.true(statuses.filter((s) => s === 401).length <= 30);
    t.true(statuses.filter((s) => s === 429).length >= 15);
    t.deepEqual([...new Set(await auditIps(gw, 'session.login_failed'))], ['127.0.0.1']);
  } finally {
    await gw.stop();
  }
});

test('when proxies are trusted, then the client is the right-most hop that is not one of them, for IPv4 and IPv6', async (t) => {
  const gw = await startTestGateway({
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8, fd00::/8',
  });
  try {
    t.is((await login(gw, { 'x-forwarded-for': '203.0.113.1, 198.51.100.9, 10.2.3.4' })).status, 200);
    t.is((await login(gw, { 'x-forwarded-for': '2001:db8::1, [2001:DB8::7]:4711, fd00::3' })).status, 200);
    t.is((await login(gw, {})).status, 200);
    t.deepEqual(await auditIps(gw, 'session.login'), ['198.51.100.9', '2001:db8::7', '127.0.0.1']);
    const secure = await login(gw, { 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https' });
    t.regex(secure.headers.get('set-cookie') ?? '', /secure/i);
  } finally {
    await gw.stop();
  }
});

test('when the hops are read, then only trusted peers are believed and a hop that is no address stops the walk', (t) => {
  const trusted = addressSet(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::ffff:192.168.0.0/112']);
  const via = (peer: string, xff: string, proto = '') => clientFacts(trusted, { remoteAddress: peer }, xff, proto);
  t.deepEqual(via('198.51.100.1', '203.0.113.9', 'https'), { ip: '198.51.100.1', https: false });
  t.deepEqual(via('::ffff:127.0.0.1', '203.0.113.9, 10.0.0.1', 'https'), { ip: '203.0.113.9', https: true });
  t.deepEqual(via('127.0.0.1', 'garbage, 10.0.0.1'), { ip: '10.0.0.1', https: false });
  t.deepEqual(via('127.0.0.1', '10.0.0.2, 10.0.0.1'), { ip: '10.0.0.2', https: false });
  t.deepEqual(via('127.0.0.1', '1.2.3.4:5678, 192.168.7.7'), { ip: '1.2.3.4', https: false });
  t.deepEqual(via('127.0.0.1', ''), { ip: '127.0.0.1', https: false });
  t.deepEqual(clientFacts(addressSet([]), { remoteAddress: '127.0.0.1' }, '203.0.113.9', 'https'), {
    ip: '127.0.0.1',
    https: false,
  });
});

test('when TRUSTED_PROXIES or the SMS allowlist holds something that is not an address, then the start is refused naming it', (t) => {
  const err = t.throws(() =>
    loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.local', SMS_PUSH_ALLOWED_IPS: '10.0.0.0/33' }),
  );
  t.regex(err?.message ?? '', /TRUSTED_PROXIES.*"proxy\.local" is not an IPv4 or IPv6 address/);
  t.regex(err?.message ?? '', /SMS_PUSH_ALLOWED_IPS.*"10\.0\.0\.0\/33" has a prefix length outside 0–32/);
});
