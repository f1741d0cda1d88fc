import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { startGateway } from '../../gateway/main.js';
import { loggedLines } from '../_support/log-lines.js';
import { createTestDatabase } from '../_support/database.js';
import { eventually, readMetrics, startTestGateway, TEST_API_KEY } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';

const exported = (text: string) => new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
// Histograms are exported as one name; queries use its _bucket/_sum/_count series.
const referenced = (text: string) =>
  new Set(
    [...text.matchAll(/\b((?:gateway|process|nodejs)_[a-z0-9_]+)/g)].map((m) =>
      m[1]!.replace(/_(bucket|sum|count)$/, ''),
    ),
  );
const sample = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}${labels ? `\\{${labels}\\}` : ''} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

test('when the Grafana dashboard and the alert rules name a metric, then a running gateway exports it', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const names = exported(await readMetrics(gw));
  const files = ['ops/grafana/gateway.json', 'ops/prometheus/alerts.yml'];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) JSON.parse(text);
    const used = referenced(text);
    t.true(used.size >= 8, `${file} names the health metrics`);
    t.deepEqual(
      [...used].filter((n) => !names.has(n)),
      [],
      `${file}: every metric it names is exported`,
    );
  }
});

test('when a letter waits and a push is refused, then the health metrics say so', async (t) => {
  const gw = await startTestGateway({ SMS_PUSH_TOKEN: 'a-long-enough-push-token' });
  t.teardown(() => gw.stop());
  await gw.forwarder.stop();
  await gw.services.intake.submit(sampleIntake());
  const refused = await fetch(`${gw.url}/sms/aliyun/uplink?token=wrong`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '[]',
  });
  t.is(refused.status, 401);
  const text = await eventually(
    async () => {
      const m = await readMetrics(gw);
      return sample(m, 'gateway_oldest_unforwarded_letter_age_seconds', '') > 0 ? m : undefined;
    },
    30_000,
    'the waiting letter ages',
  );
  t.is(sample(text, 'gateway_push_verification_failures_total', 'channel="sms",reason="unauthorized"'), 1);
  t.regex(text, /^gateway_oldest_queued_delivery_age_seconds \S+$/m);
  t.regex(text, /^gateway_conversation_backlog \d+$/m);
});

test('when a letter arrives, is forwarded and its receipt goes out, then each step is logged once at info level without personal data', async (t) => {
  const { log, lines } = loggedLines();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATABASE_URL: await createTestDatabase(),
    CORE_API_KEY: TEST_API_KEY,
    WORKER_POLL_MS: '200',
  });
  const gw = await startGateway(config, { quiet: true, log });
  t.teardown(() => gw.stop());
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const of = (msg: string) => lines.filter((l) => l.msg === msg && l.letterId === letterId);
  await eventually(
    async () => (of('letter forwarded').length > 0 && of('delivery attempt').length > 0 ? true : undefined),
    30_000,
    'forwarded and receipted',
  );
  t.is(of('letter received').length, 1);
  t.like(of('letter received')[0], { level: 30, channel: 'sms' });
  t.is(of('letter forwarded').length, 1);
  t.regex(String(of('letter forwarded')[0]!.serial), /^\S+$/);
  t.like(of('delivery attempt')[0], { level: 30, kind: 'receipt', outcome: 'sent' });
  const mine = JSON.stringify(lines.filter((l) => l.letterId === letterId));
  t.notRegex(mine, /138\d{8}|13800138000|路灯/, 'no phone number and no letter text');
});
