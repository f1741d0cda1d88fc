// `npm run bench:sms`: SMS uplink pushes through the real endpoint (batches of 1, 100 and 1,000 items) and outbound
// sends per second against a local fake provider with the rate limit off (measured first, before the uplinks' own
// answers add to the queue). Prints its figures; not part of `npm test`.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/load.js';
import { startGateway } from '../../gateway/main.js';
import { createLogger } from '../../gateway/observability/logger.js';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import { queueDeliveries } from '../../gateway/outbox/deliveries.js';

const TOKEN = 'bench-push-token-0123456789';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sms-bench-pg-'));
  const pg = await startEmbeddedPostgres(dir);
  // The fake Aliyun: every SendSms is accepted at once.
  let sends = 0;
  const fake = createServer((req, res) => {
    req.resume().on('end', () => {
      sends++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: `${sends}^0`, RequestId: 'bench' }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_URL: pg.url,
    CORE_API_KEY: 'bench-core-api-key-0123456789abcdef',
    ALIYUN_SMS_ACCESS_KEY_ID: 'benchId',
    ALIYUN_SMS_ACCESS_KEY_SECRET: 'benchSecret',
    ALIYUN_SMS_SIGN_NAME: '网络理政',
    ALIYUN_SMS_ENDPOINT: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    SMS_PUSH_TOKEN: TOKEN,
    SMS_SEND_RATE_PER_SECOND: '0',
    SMS_DAILY_CAP_PER_NUMBER: '0',
  });
  const gw = await startGateway(config, { quiet: true, log: createLogger('silent') });
  try {
    const n = 2000;
    const before = sends;
    const t0 = performance.now();
    for (let i = 0; i < n; i += 500) {
      await queueDeliveries(
        gw.services.db,
        Array.from({ length: 500 }, (_, j) => ({
          letterId: null,
          channel: 'sms',
          recipient: `+86137${String(i + j).padStart(8, '0')}`,
          kind: 'service' as const,
          templateKey: 'survey',
          variables: { serial: 'CD20261126000001' },
        })),
      );
    }
    gw.services.wakeup.wake('deliveries');
    for (;;) {
      const left = await gw.services.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', 'in', ['queued', 'sending'])
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `SMS sends to a local fake provider, rate limit off: ${n} in ${secs.toFixed(2)} s = ${Math.round(n / secs)} sends/s (${sends - before} provider calls)`,
    );

    let seq = 0;
    const push = async (n: number) => {
      const items = Array.from({ length: n }, () => {
        seq++;
        return {
          phone_number: `139${String(seq % 100_000_000).padStart(8, '0')}`,
          send_time: '2026-11-26 10:00:00',
          content: `路灯坏了，请修理（${seq}）`,
          sign_name: '网络理政',
          dest_code: '1234',
          sequence_id: seq,
        };
      });
      const t0 = performance.now();
      const res = await fetch(`${gw.url}/sms/aliyun/uplink?token=${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(items),
      });
      if (res.status !== 200) throw new Error(`push answered ${res.status}`);
      await res.arrayBuffer();
      return performance.now() - t0;
    };
    console.log('SMS uplink pushes through POST /sms/aliyun/uplink');
    for (const [batch, pushes] of [
      [1, 300],
      [100, 30],
      [1000, 10],
    ] as const) {
      await push(batch); // warm-up
      const times: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < pushes; i++) times.push(await push(batch));
      const total = (performance.now() - t0) / 1000;
      times.sort((x, y) => x - y);
      console.log(
        `  batch ${String(batch).padStart(4)}: ${Math.round((batch * pushes) / total)
          .toString()
          .padStart(
            6,
          )} items/s, ack median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
      );
    }
  } finally {
    await gw.stop();
    await new Promise((r) => fake.close(r));
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
