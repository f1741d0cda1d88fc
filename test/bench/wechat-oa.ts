// `npm run bench:wechat-oa`: signed safe-mode text pushes per second stored through the real endpoint (POST
// /wechat/oa: verify, decrypt, parse, nonce check and reply window, conversation accept, answer), with p50/p99, from a
// load generator in another process; the conversation processing that follows is paused. Also the CPU cost of
// verifying + decrypting + parsing alone. Uses DATABASE_URL when set, else an embedded PostgreSQL.
// Options: BENCH_SECONDS (default and minimum 10), BENCH_CONNECTIONS (default 50).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { startGateway } from '../../gateway/main.js';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import { aesKeyOf } from '../../gateway/channels/wechat-common/push-crypto.js';
import { openPush } from '../../gateway/channels/wechat-oa/verify.js';
import { classifyPush } from '../../gateway/channels/wechat-oa/push.js';
import { OA, oaEnv, msgId, signedPush, textMessage } from '../_support/wechat-oa.js';
import { fmt, percentile } from './stats.js';
import type { ConversationModule } from '../../gateway/conversation/index.js';

const seconds = Math.max(10, Number(process.env.BENCH_SECONDS ?? 10));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

function cpuOnly(): number {
  const auth = {
    token: OA.token,
    appId: OA.appId,
    aesKeys: [aesKeyOf(OA.aesKey)],
    allowPlain: false,
    windowSeconds: 300,
  };
  const pushes = Array.from({ length: 20_000 }, (_, i) =>
    signedPush(textMessage(`oBench${i % 500}`, `路灯坏了，第${i}条`, msgId())),
  );
  const t0 = performance.now();
  for (const p of pushes) classifyPush(openPush(Object.fromEntries(new URLSearchParams(p.query)), p.body, auth).fields);
  return pushes.length / ((performance.now() - t0) / 1000);
}

async function main() {
  const dir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const pg = dir ? await startEmbeddedPostgres(dir) : undefined;
  const gw = await startGateway(
    loadConfig({
      ...oaEnv(),
      DATABASE_URL: process.env.DATABASE_URL ?? pg!.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      DATABASE_POOL_SIZE: '40',
      CORE_API_KEY: 'bench-core-api-key-0123456789',
    }),
    { quiet: true },
  );
  console.log(
    `official-account push benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
  );
  try {
    console.log(`verify + decrypt + parse only (no storing): ${fmt(cpuOnly(), 0)} pushes/s`);
    // Storing alone: drafting the stored messages into letters (and anything after) is paused, as in bench:intake.
    await (gw.services.conversation as ConversationModule).stop();
    await gw.forwarder.stop();
    await gw.dispatcher.stop();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/bench/wechat-oa-client.ts', gw.url, String(seconds), String(connections)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    const r = JSON.parse(out) as { elapsed: number; failures: Record<string, number>; latencies: number[] };
    const sorted = r.latencies.sort((a, b) => a - b);
    const stored = await gw.services.db
      .selectFrom('conversation_messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      `POST /wechat/oa, ${connections} connections, ${fmt(r.elapsed, 1)} s: ${fmt(sorted.length / r.elapsed, 0)} pushes/s  ` +
        `p50 ${fmt(percentile(sorted, 50), 2)} ms  p99 ${fmt(percentile(sorted, 99), 2)} ms  (${sorted.length} pushes, not 200: ${JSON.stringify(r.failures)}, ${stored.n} stored)`,
    );
  } finally {
    await gw.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
