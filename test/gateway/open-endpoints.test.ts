// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import http from 'node:http';
import { loadConfig } from '../../config/load.js';
import { startTestGateway, TEST_METRICS_TOKEN, type TestGateway } from '../_support/gateway.js';
import { createTestDatabase } from '../_support/database.js';
import { ADMIN_PASSWORD, staffClient } from '../admin/_staff.js';

const unknownLetter = '/api/v1/letters/0190a0a0-0000-7000-8000-000000000000';

test('when no metrics token is set, then the main port has no /metrics and the metrics listener on 127.0.0.1 serves it', async (t) => {
  const gw = await startTestGateway({ METRICS_TOKEN: '', METRICS_PORT: '0' });
  try {
    const main = await fetch(`${gw.url}/metrics`);
    t.is(main.status, 404);
    t.notRegex(await main.text(), /gateway_/);
    t.regex(gw.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const listener = await fetch(`${gw.metricsUrl}/metrics`);
    t.is(listener.status, 200);
    t.regex(await listener.text(), /gateway_http_requests_total/);
    t.is((await fetch(`${gw.metricsUrl}/readyz`)).status, 200);
    // The listener serves nothing else of the gateway.
    t.is((await fetch(`${gw.metricsUrl}${unknownLetter}`)).status, 404);
  } finally {
    await gw.stop();
  }
});

test('when a metrics token is set, then /metrics on the main port answers only to that bearer token', async (t) => {
  const gw = await startTestGateway();
  try {
    const none = await fetch(`${gw.url}/metrics`);
    t.is(none.status, 401);
    t.is(none.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    t.is(
      (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}x` } })).status,
      401,
    );
    const ok = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    t.is(ok.status, 200);
    t.regex(await ok.text(), /gateway_queue_depth/);
  } finally {
    await gw.stop();
  }
});

test('when production would serve metrics on a public address without a token, then the start is refused', (t) => {
  const production = {
    NODE_ENV: 'production',
    CHANNELS: 'sms',
    CASE_STORE_URL: 'https://cases.example.gov.cn/api',
    CASE_STORE_SECRET: 'case-store-secret-0123456789',
    CORE_API_KEY: 'core-api-key-0123456789abcdef',
    ALIYUN_SMS_ACCESS_KEY_ID: 'id',
    ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret',
    ALIYUN_SMS_SIGN_NAME: '成都12345',
    SMS_PUSH_TOKEN: 'push-token-0123456789abcdef',
    PII_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  };
  const err = t.throws(() => loadConfig({ ...production, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }));
  t.regex(err?.message ?? '', /refuses an open metrics endpoint on 0\.0\.0\.0/);
  t.notThrows(() => loadConfig({ ...production, METRICS_PORT: '9464' }));
  t.notThrows(() =>
    loadConfig({ ...production, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TEST_METRICS_TOKEN }),
  );
});

test('when the sandbox outbox is asked without a console session, then it answers 401; with one, it lists the messages', async (t) => {
  const gw = await startTestGateway({ ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD });
  try {
    const anonymous = await fetch(`${gw.url}/sandbox/outbox`);
    t.is(anonymous.status, 401);
    t.is(((await anonymous.json()) as { code: string }).code, 'unauthorized');
    const admin = staffClient(gw);
    t.is((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
    const r = await fetch(`${gw.url}/sandbox/outbox`, { headers: { cookie: admin.cookie } });
    t.is(r.status, 200);
    t.true(Array.isArray(((await r.json()) as { messages: unknown[] }).messages));
  } finally {
    await gw.stop();
  }
});

test('when the gateway starts again without CORE_API_KEY, then the previous development key is revoked; with CORE_API_KEY, none is created', async (t) => {
  const databaseUrl = await createTestDatabase();
  const call = (gw: TestGateway, key: string | undefined) =>
    fetch(gw.url + unknownLetter, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
  const first = await startTestGateway({ CORE_API_KEY: '' }, databaseUrl);
  const firstKey = first.developmentApiKey;
  t.truthy(firstKey);
  t.is(await call(first, firstKey), 404, 'the key works');
  await first.stop();

  const second = await startTestGateway({ CORE_API_KEY: '' }, databaseUrl);
  try {
    t.truthy(second.developmentApiKey);
    t.is(await call(second, firstKey), 401);
    t.is(await call(second, second.developmentApiKey), 404);
  } finally {
    await second.stop();
  }

  const configured = await startTestGateway({}, databaseUrl);
  try {
    t.is(configured.developmentApiKey, undefined);
    const keys = await configured.services.db
      .selectFrom('api_keys')
      .select(['development', 'revoked_at'])
      .where('development', '=', true)
      .execute();
    t.is(keys.length, 2);
    t.true(keys.every((k) => k.revoked_at !== null));
    const revoked = await configured.services.db
      .selectFrom('audit_log')
      .select('staff_username')
      .where('action', '=', 'api_key.revoke')
      .execute();
    t.deepEqual(
      revoked.map((r) => r.staff_username),
      ['system', 'system'],
    );
  } finally {
    await configured.stop();
  }
});

test('when a keep-alive request is still being received as the gateway stops, then it is answered and the stop does not wait out the grace period', async (t) => {
  const gw = await startTestGateway({ SHUTDOWN_GRACE_MS: '20000' });
  const agent = new http.Agent({ keepAlive: true });
  const { port } = new URL(gw.url);
  // The body follows only once the gateway has taken the request (its 100 Continue), so the request is in flight
  // when the stop begins.
  let continued!: () => void;
  const taken = new Promise<void>((resolve) => (continued = resolve));
  const answered = new Promise<number>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `${unknownLetter}/replies`,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer x',
          'content-length': '2',
          expect: '100-continue',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.on('continue', () => {
      continued();
      setTimeout(() => req.end('{}'), 300);
    });
    req.flushHeaders();
  });
  await taken;
  const started = Date.now();
  const stopped = gw.stop();
  t.is(await answered, 401);
  await stopped;
  agent.destroy();
  t.true(Date.now() - started < 15_000, `stopped after ${Date.now() - started} ms`);
});
