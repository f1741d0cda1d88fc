// `npm run bench:pipeline`: the whole path end to end. The gateway (embedded PostgreSQL, or DATABASE_URL) runs here;
// a case store, a WeChat API stand-in and the load generator run in their own processes. CITIZENS official-account
// followers each send a text push and then 提交; the clock stops when every citizen's receipt has gone through the
// WeChat API. Prints letters/s end to end, the time to receipt everyone, p50/p99 push→receipt latency, database
// commits per letter, and CPU milliseconds per letter of the gateway's process, of the embedded PostgreSQL's, of the
// load generator and the stand-ins, and of the whole machine.
// Not part of `npm test`.
// Options: BENCH_CITIZENS (default 1500), `-- --burst` (10,000 citizens), BENCH_RATE (open load: citizens starting per
// second, for BENCH_SECONDS, default 20), BENCH_CONNECTIONS (default 50, 200 with
// --burst: ten thousand citizens writing at once reach the door over many connections); any gateway setting
// (FORWARD_BATCH_SIZE, DISPATCH_CONCURRENCY, …) set in the environment is passed to the gateway.
// BENCH_DOOR=1 sends the pushes to a second gateway in its own process that only takes them (BACKGROUND_WORK=false),
// and leaves the work to this one: the door and the pipeline then each have a JavaScript thread of their own.
// BENCH_STAGES=1 prints, once a second, the work waiting at each stage (messages, drafts, forwarding, sending, case
// events): the stage where it piles up is the one to look at. A run that gives up prints the rows by state.
// BENCH_WARMUP=<n> first runs n other citizens through (not measured), so the figures are those of a gateway whose
// code the JIT has already compiled, as a running gateway's is, and whose tables have planner statistics (the
// database is analysed after the warm-up); by default the gateway is measured from cold, on a fresh database.
// BENCH_CPU_PROFILE=<file.cpuprofile> writes a V8 CPU profile of the gateway's process over the measured window only
// (start-up and shutdown left out); open it in Chrome DevTools or read it with test/bench/profile-summary.ts.
// BENCH_PG_PROFILE=1 loads pg_stat_statements into the embedded PostgreSQL and lists, per letter, the statements
// (those run inside triggers too) and trigger functions by the time they took in the measured window (pg-profile.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../config/load.js';
import { settings } from '../../config/settings.js';
import { startGateway } from '../../gateway/main.js';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import type { Database } from '../../gateway/store/tables.js';
import { oaEnv } from '../_support/wechat-oa.js';
import { fmt, percentile } from './stats.js';
import { machineBusyMs, postgresCpuMs, processCpuMs } from './proc-cpu.js';
import { pgProfileSettings, startPgProfile, type PgProfile } from './pg-profile.js';

const burst = process.argv.includes('--burst');
// BENCH_RATE: open load, that many citizens starting each second for BENCH_SECONDS (default 20): what the pipeline
// sustains, rather than how fast it clears a crowd that arrived at once.
const rate = Number(process.env.BENCH_RATE ?? 0);
const rateSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const citizens = burst ? 10_000 : rate > 0 ? rate * rateSeconds : Number(process.env.BENCH_CITIZENS ?? 1500);
const connections = Number(process.env.BENCH_CONNECTIONS ?? (burst || rate > 0 ? 200 : 50));
const warmup = Number(process.env.BENCH_WARMUP ?? 0);
const deadlineMs = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 300) * 1000;
const secret = 'bench-case-store-secret-0123456789';
const pgProfiled = process.env.BENCH_PG_PROFILE === '1';
const stagesSampled = process.env.BENCH_STAGES === '1';
const doorSeparate = process.env.BENCH_DOOR === '1';

// Every statement the gateway sends is one round trip to PostgreSQL: counted by its first words (BENCH_PROFILE=1
// prints the commonest), since under a shared machine's load the counts say more than the seconds.
const roundTrips = new Map<string, number>();
// The statement texts repeat: their keys are computed once, so counting costs the gateway's CPU next to nothing.
const tripKeys = new Map<string, string>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each client as `this`
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text =
    typeof first === 'string'
      ? first
      : first && typeof first === 'object' && 'text' in first
        ? String(first.text)
        : '?';
  let key = tripKeys.get(text);
  if (key === undefined) tripKeys.set(text, (key = text.replace(/\s+/g, ' ').trim().slice(0, 90)));
  roundTrips.set(key, (roundTrips.get(key) ?? 0) + 1);
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

function sum(values: (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + v!, 0);
}

function child(
  script: string,
  args: string[] = [],
): { proc: ChildProcess; out: () => string; port: Promise<number>; exited: Promise<void> } {
  // A gateway (the door) gets the young-generation size this process's gateway was started with, as `npm start`
  // gives every instance; the load generator and the stand-ins keep Node's default.
  const heap = script.includes('gateway') ? process.execArgv.filter((a) => a.startsWith('--max-semi-space-size')) : [];
  const proc = spawn(process.execPath, [...heap, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let resolvePort: (p: number) => void = () => {};
  const port = new Promise<number>((r) => (resolvePort = r));
  proc.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /listening (\d+)/.exec(out);
    if (m) resolvePort(Number(m[1]));
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return { proc, out: () => out, port, exited };
}

/** A plain GET: the progress poll runs in the gateway's process, and fetch costs several times more CPU. */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** Gateway settings from the environment (tuning), except where the bench decides. */
function tuning(): Record<string, string> {
  const fixed = new Set([
    'PORT',
    'HOST',
    'DATABASE_URL',
    'DATA_DIR',
    'NODE_ENV',
    'LOG_LEVEL',
    'CHANNELS',
    'CASE_STORE_URL',
    'CASE_STORE_SECRET',
  ]);
  return Object.fromEntries(
    Object.keys(settings)
      .filter((k) => !fixed.has(k) && process.env[k] !== undefined)
      .map((k) => [k, process.env[k]!]),
  );
}

/** BENCH_STAGES=1: once a second, what waits at each stage of the pipeline; the stage where work piles up is the one
 *  that holds the rest back. */
interface StageSample {
  second: number;
  messages: number;
  drafts: number;
  forwarding: number;
  sending: number;
  events: number;
}
async function stageSample(db: Kysely<Database>, second: number): Promise<StageSample> {
  const r = await sql<Record<Exclude<keyof StageSample, 'second'>, string>>`select
      (select count(*) from conversation_messages where state = 'pending') as messages,
      (select count(*) from conversation_drafts where state in ('open', 'closing', 'submitting')) as drafts,
      (select count(*) from letters where forward_state = 'pending') as forwarding,
      (select count(*) from deliveries where status in ('queued', 'sending')) as sending,
      (select count(*) from case_events where state = 'pending') as events`.execute(db);
  const row = r.rows[0]!;
  return {
    second,
    messages: Number(row.messages),
    drafts: Number(row.drafts),
    forwarding: Number(row.forwarding),
    sending: Number(row.sending),
    events: Number(row.events),
  };
}
function printStages(samples: StageSample[]): void {
  console.log('waiting at each stage, once a second (messages | open drafts | to forward | to send | case events):');
  for (const x of samples)
    console.log(
      `  ${String(x.second).padStart(3)} s  ${[x.messages, x.drafts, x.forwarding, x.sending, x.events].map((n) => String(n).padStart(6)).join(' ')}`,
    );
}

/** When the run gives up: how far the citizens' work got, stage by stage, so that a stall shows where it is. */
async function printWhereTheRestAre(db: Kysely<Database>, loadStillSending: boolean): Promise<void> {
  console.log(`load generator ${loadStillSending ? 'still waiting for answers' : 'done'}; rows by state:`);
  const counts = [
    sql`select 'conversation_messages' as t, state as s, count(*) as n from conversation_messages group by 2`,
    sql`select 'conversation_drafts' as t, state as s, count(*) as n from conversation_drafts group by 2`,
    sql`select 'conversation_senders' as t, case when lease_until > now() then 'leased' when due_at is not null then 'due' else 'idle' end as s, count(*) as n from conversation_senders group by 2`,
    sql`select 'letters' as t, forward_state as s, count(*) as n from letters group by 2`,
    sql`select 'deliveries' as t, kind || ' ' || status as s, count(*) as n from deliveries group by 2`,
    sql`select 'case_events' as t, state as s, count(*) as n from case_events group by 2`,
  ];
  for (const q of counts)
    for (const row of (await q.execute(db)).rows as { t: string; s: string; n: string }[])
      console.log(`  ${row.t} ${row.s}: ${row.n}`);
}

/**
 * For an open load (BENCH_RATE): whether the pipeline kept up. The letters receipted per second over the last four
 * fifths of the time the load ran (the first fifth fills the pipeline), and the latency of each fifth of the citizens
 * in the order they started: flat when it keeps up, rising when a queue builds.
 */
function printSustained(started: number, pushedAt: Record<string, number>, receipts: Record<string, number>): void {
  const from = started + (rateSeconds * 1000) / 5;
  const to = started + rateSeconds * 1000;
  const inWindow = Object.values(receipts).filter((at) => at >= from && at < to).length;
  console.log(
    `offered ${rate} letters/s for ${rateSeconds} s; receipted while the load ran: ${fmt(inWindow / ((to - from) / 1000), 0)} letters/s`,
  );
  const order = Object.entries(pushedAt).sort((a, b) => a[1] - b[1]);
  const fifths = [0, 1, 2, 3, 4].map((k) => {
    const part = order.slice((k * order.length) / 5, ((k + 1) * order.length) / 5);
    const waits = part
      .filter(([openid]) => openid in receipts)
      .map(([openid, at]) => receipts[openid]! - at)
      .sort((a, b) => a - b);
    return `${fmt(percentile(waits, 50) / 1000, 2)}/${fmt(percentile(waits, 99) / 1000, 2)}`;
  });
  console.log(`push→receipt p50/p99 by fifth of the citizens, in the order they started (s): ${fifths.join('  ')}`);
}

async function main(): Promise<void> {
  const caseStore = child('test/bench/case-store-server.ts');
  const wechat = child('test/bench/wechat-api-server.ts');
  const dir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'bench-pipeline-pg-'));
  const pg = dir ? await startEmbeddedPostgres(dir, pgProfiled ? { settings: pgProfileSettings } : {}) : undefined;
  const wechatUrl = `http://127.0.0.1:${await wechat.port}`;
  const gatewayEnv = {
    ...oaEnv({ WECHAT_API_BASE: wechatUrl }),
    DATABASE_URL: process.env.DATABASE_URL ?? pg!.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    CORE_API_KEY: 'bench-core-api-key-0123456789',
    CASE_STORE_URL: `http://127.0.0.1:${await caseStore.port}`,
    CASE_STORE_SECRET: secret,
    // Only the submit word closes a draft during the run.
    CONVERSATION_QUIET_SECONDS: '3600',
    ...tuning(),
  };
  const gw = await startGateway(loadConfig(gatewayEnv), { quiet: true });
  // BENCH_DOOR=1: the pushes go to a second gateway, in its own process, that only takes them; this one does the work.
  const door = doorSeparate ? child('test/bench/door-gateway.ts', [JSON.stringify(gatewayEnv)]) : undefined;
  const target = door ? `http://127.0.0.1:${await door.port}` : gw.url;
  const db = gw.services.db;
  const commitCount = async () =>
    Number(
      (
        await sql<{
          n: string;
        }>`select xact_commit as n from pg_stat_database where datname = current_database()`.execute(db)
      ).rows[0]?.n ?? 0,
    );
  console.log(
    `pipeline benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ${citizens} citizens, ${connections} connections`,
  );
  type Stats = { messages: number; receipted: number; receipts: Record<string, number> };
  const progress = async () => JSON.parse(await httpGet(`${wechatUrl}/stats`)) as Stats;
  try {
    if (warmup > 0) {
      const warm = child('test/bench/pipeline-client.ts', [target, String(warmup), String(connections), 'oWarm']);
      const started = Date.now();
      while ((await progress()).receipted < warmup && Date.now() - started < deadlineMs)
        await new Promise((r) => setTimeout(r, 200));
      await warm.exited;
      console.log(
        `warm-up: ${warmup} other citizens receipted in ${fmt((Date.now() - started) / 1000, 1)} s (not measured)`,
      );
      // A running server's tables have planner statistics (autovacuum gathers them about once a minute under load),
      // taken while next to nothing was queued; a fresh database has none, and plans differ. Measured as in service.
      await sql`analyze`.execute(db);
    }
    const receiptedBefore = (await progress()).receipted;
    const commitsBefore = await commitCount();
    const pgProfile: PgProfile | undefined = pgProfiled ? await startPgProfile(db) : undefined;
    roundTrips.clear();
    const profileFile = process.env.BENCH_CPU_PROFILE;
    const inspector = profileFile ? new Session() : undefined;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    const pgCpuBefore = pg ? postgresCpuMs() : undefined;
    const standInsCpu = () => sum([processCpuMs(caseStore.proc.pid), processCpuMs(wechat.proc.pid)]);
    const standInsBefore = standInsCpu();
    const doorCpu = () => (door ? processCpuMs(door.proc.pid) : undefined);
    const doorBefore = doorCpu();
    const machineBefore = machineBusyMs();
    const cpuBefore = process.cpuUsage();
    const loopBefore = performance.eventLoopUtilization();
    const load = child('test/bench/pipeline-client.ts', [
      target,
      String(citizens),
      String(connections),
      'oPipe',
      String(rate),
    ]);
    const started = Date.now();
    const stages: StageSample[] = [];
    const sampler = stagesSampled
      ? setInterval(() => {
          void stageSample(db, Math.round((Date.now() - started) / 1000)).then((x) => stages.push(x));
        }, 1000)
      : undefined;
    for (;;) {
      const receipted = (await progress()).receipted - receiptedBefore;
      if (receipted >= citizens) break;
      if (Date.now() - started > deadlineMs) {
        console.log(`gave up after ${deadlineMs / 1000} s: ${receipted} of ${citizens} receipted`);
        await printWhereTheRestAre(db, load.proc.exitCode === null);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Measured as soon as everyone is receipted: reading the results below is the benchmark's work.
    const cpu = process.cpuUsage(cpuBefore);
    const loop = performance.eventLoopUtilization(loopBefore);
    clearInterval(sampler);
    const pgCpuAfter = pg ? postgresCpuMs() : undefined;
    const standInsAfter = standInsCpu();
    const doorAfter = doorCpu();
    const machineAfter = machineBusyMs();
    if (inspector && profileFile) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      inspector.disconnect();
    }
    await load.exited;
    const r = JSON.parse(load.out()) as {
      started: number;
      finished: number;
      failures: Record<string, number>;
      pushedAt: Record<string, number>;
      cpuMs: number;
    };
    const all = JSON.parse(await httpGet(`${wechatUrl}/stats?times`)) as Stats;
    const stats = {
      messages: all.messages,
      receipts: Object.fromEntries(Object.entries(all.receipts).filter(([openid]) => openid in r.pushedAt)),
    };
    const trips = [...roundTrips.entries()].sort((a, b) => b[1] - a[1]);
    const tripCount = trips.reduce((n, [, c]) => n + c, 0);
    const commitsAfter = await commitCount();
    const times = Object.values(stats.receipts);
    const done = times.length;
    const last = Math.max(...times);
    const seconds = (last - r.started) / 1000;
    const latencies = Object.entries(stats.receipts)
      .map(([openid, at]) => at - (r.pushedAt[openid] ?? at))
      .sort((a, b) => a - b);
    const forwarded = await db
      .selectFrom('letters')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('forward_state', '=', 'forwarded')
      .executeTakeFirstOrThrow();
    console.log(`pushes sent in ${fmt((r.finished - r.started) / 1000, 1)} s (not 200: ${JSON.stringify(r.failures)})`);
    console.log(
      `letters at the case store: ${forwarded.n}; receipts through the WeChat API: ${done} of ${citizens} (${stats.messages} messages in all)${warmup > 0 ? ', warm-up included' : ''}`,
    );
    console.log(`end to end: ${fmt(done / seconds, 0)} letters/s; every receipt out after ${fmt(seconds, 1)} s`);
    console.log(
      `push→receipt latency: p50 ${fmt(percentile(latencies, 50) / 1000, 2)} s  p99 ${fmt(percentile(latencies, 99) / 1000, 2)} s`,
    );
    if (rate > 0) printSustained(r.started, r.pushedAt, stats.receipts);
    console.log(
      `per letter: ${fmt((commitsAfter - commitsBefore) / Math.max(1, done), 1)} database commits, ${fmt(tripCount / Math.max(1, done), 1)} round trips, ` +
        `${fmt((cpu.user + cpu.system) / 1000 / Math.max(1, done), 2)} ms of gateway CPU`,
    );
    const perLetter = (ms: number) => fmt(ms / Math.max(1, done), 2);
    console.log(
      `CPU per letter: gateway ${perLetter((cpu.user + cpu.system) / 1000)} ms (user ${perLetter(cpu.user / 1000)}, ` +
        `system ${perLetter(cpu.system / 1000)})` +
        (pgCpuBefore !== undefined && pgCpuAfter !== undefined
          ? `, PostgreSQL ${perLetter(pgCpuAfter - pgCpuBefore)} ms (all its processes, from /proc)`
          : ', PostgreSQL not measured (external DATABASE_URL or no /proc)'),
    );
    // The budget the target is set against: everything on the two cores, the load and the stand-ins included.
    if (
      standInsBefore !== undefined &&
      standInsAfter !== undefined &&
      machineBefore !== undefined &&
      machineAfter !== undefined
    )
      console.log(
        `CPU per letter, the rest: load generator ${perLetter(r.cpuMs)} ms, case store and WeChat stand-ins ` +
          `${perLetter(standInsAfter - standInsBefore)} ms; the whole machine ${perLetter(machineAfter - machineBefore)} ms ` +
          `(${fmt((machineAfter - machineBefore) / 1000 / seconds, 2)} of ${cpus().length} cores busy)`,
      );
    if (doorBefore !== undefined && doorAfter !== undefined)
      console.log(`CPU per letter of the door's own process (BENCH_DOOR): ${perLetter(doorAfter - doorBefore)} ms`);
    // Near 100 %, the gateway's one JavaScript thread is what holds the rest back, whatever the cores have left.
    console.log(`the gateway's event loop was busy ${fmt(loop.utilization * 100, 0)} % of the time`);
    if (stagesSampled) printStages(stages);
    await pgProfile?.report(done);
    if (profileFile) console.log(`CPU profile of the measured window: ${profileFile}`);
    if (process.env.BENCH_PROFILE)
      for (const [text, n] of trips.slice(0, 25))
        console.log(`  ${fmt(n / Math.max(1, done), 2).padStart(6)}  ${text}`);
  } finally {
    // The door first: its connections to the database go before the database does.
    if (door) {
      door.proc.kill();
      await door.exited;
    }
    await gw.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    caseStore.proc.kill();
    wechat.proc.kill();
  }
}

void main();
