// `npm run bench:intake`: letters/s stored through intake (p50/p99 latency) with 1 and 16 concurrent producers, then
// letters/s forwarded to a local case store running in its own process. Uses DATABASE_URL when set, else an embedded
// PostgreSQL in a temporary directory. Options: BENCH_SECONDS (default 5) per intake run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { startGateway } from '../../gateway/main.js';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import { sampleIntake } from '../_support/letters.js';
import { percentile, fmt } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

async function startCaseStore(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/case-store-server.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout.on('data', (c: Buffer) => resolve(Number(/listening (\d+)/.exec(c.toString())?.[1]))),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function main() {
  const dir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const pg = dir ? await startEmbeddedPostgres(dir) : undefined;
  const caseStore = await startCaseStore();
  const gw = await startGateway(
    loadConfig({
      DATABASE_URL: process.env.DATABASE_URL ?? pg!.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      DATABASE_POOL_SIZE: '40',
      CASE_STORE_URL: caseStore.url,
      CASE_STORE_SECRET: 'bench-secret-0123456789',
      CORE_API_KEY: 'bench-core-api-key-0123456789',
      FORWARD_CONCURRENCY: '32',
      FORWARD_BATCH_SIZE: '200',
    }),
    { quiet: true },
  );
  console.log(
    `intake benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${seconds} s per run`,
  );
  try {
    // Intake alone: forwarding (and sending receipts) paused, so the figures are those of storing.
    await gw.forwarder.stop();
    await gw.dispatcher.stop();
    let stored = 0;
    for (const producers of [1, 16]) {
      const latencies: number[] = [];
      const until = performance.now() + seconds * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: producers }, async () => {
          while (performance.now() < until) {
            const t0 = performance.now();
            await gw.services.intake.submit(sampleIntake());
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      stored += latencies.length;
      console.log(
        `intake  ${String(producers).padStart(2)} producer(s): ${fmt(latencies.length / elapsed, 0)} letters/s  p50 ${fmt(percentile(latencies, 50), 2)} ms  p99 ${fmt(percentile(latencies, 99), 2)} ms  (${latencies.length} letters)`,
      );
    }
    // Forwarding the backlog to the local case store.
    const t0 = performance.now();
    gw.forwarder.start();
    for (;;) {
      const r = await gw.services.db
        .selectFrom('letters')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('forward_state', '=', 'pending')
        .executeTakeFirstOrThrow();
      if (Number(r.n) === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const forwardSeconds = (performance.now() - t0) / 1000;
    console.log(
      `forward backlog of ${stored}: ${fmt(stored / forwardSeconds, 0)} letters/s to the local case store (${fmt(forwardSeconds, 1)} s)`,
    );

    // Both at once: 16 producers while the forwarder keeps up.
    const until = performance.now() + seconds * 1000;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < until) {
          const s = performance.now();
          await gw.services.intake.submit(sampleIntake());
          latencies.push(performance.now() - s);
        }
      }),
    );
    let drained = performance.now();
    for (;;) {
      const r = await gw.services.db
        .selectFrom('letters')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('forward_state', '=', 'pending')
        .executeTakeFirstOrThrow();
      if (Number(r.n) === 0) break;
      await new Promise((res) => setTimeout(res, 50));
      drained = performance.now();
    }
    latencies.sort((a, b) => a - b);
    const total = (drained - started) / 1000;
    console.log(
      `intake + forwarding, 16 producers: ${fmt(latencies.length / ((until - started) / 1000), 0)} letters/s stored (p99 ${fmt(percentile(latencies, 99), 2)} ms), all ${latencies.length} forwarded after ${fmt(total, 1)} s → ${fmt(latencies.length / total, 0)} letters/s end to end`,
    );
  } finally {
    await gw.stop();
    caseStore.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
