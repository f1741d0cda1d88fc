// `npm test`: compiles the tests to JavaScript (compile-tests.ts), starts one embedded PostgreSQL for the whole run,
// migrates a template database once, then runs ava; each test file clones the template into a fresh database of its
// own (see database.ts). Arguments are ava's; test files may be named by their source path (test/a/b.test.ts).
// `--with-checks` also runs `npm run checks` (typecheck, ESLint, Prettier) beside the tests at the lowest CPU priority,
// so that it takes only the CPU the tests leave idle while they wait on timers and the network; its output is printed
// after the tests', and either failing fails the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import { migrate, openStore } from '../../gateway/store/db.js';
import { BUILD_DIR, compileTests } from './compile-tests.js';
import { testGatewaySettings } from './gateway-settings.js';
import { loadConfig } from '../../config/load.js';
import { startGateway } from '../../gateway/main.js';
import { createLogger } from '../../gateway/observability/logger.js';

const TEMPLATE_DB = 'gateway_template';

/** Runs `npm run checks` niced, its output kept for the end. */
function startChecks(): { done: Promise<{ code: number; output: string }>; child: ChildProcess } {
  // Its own process group, so that stopping early stops tsc, ESLint and Prettier too.
  const child = spawn('npm', ['run', '--silent', 'checks'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Its children (tsc, eslint, prettier) inherit the priority: npm starts them after this has run.
  if (child.pid !== undefined) setPriority(child.pid, 19);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<{ code: number; output: string }>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8') }),
    );
    child.on('error', (err) => resolve({ code: 1, output: String(err) }));
  });
  return { done, child };
}

async function main(): Promise<number> {
  const withChecks = process.argv.includes('--with-checks');
  const checks = withChecks ? startChecks() : undefined;
  try {
    const testsCode = await runTests(process.argv.slice(2).filter((a) => a !== '--with-checks'));
    if (!checks) return testsCode;
    if (checks.child.exitCode === null) console.log('\nWaiting for the checks (typecheck, ESLint, Prettier)…');
    const result = await checks.done;
    console.log(`\nChecks (typecheck, ESLint, Prettier): ${result.code === 0 ? 'passed' : 'FAILED'}`);
    if (result.code !== 0) console.log(result.output.trimEnd());
    return testsCode !== 0 ? testsCode : result.code;
  } finally {
    if (checks?.child.exitCode === null && checks.child.pid !== undefined) process.kill(-checks.child.pid, 'SIGTERM');
  }
}

async function runTests(avaArgs: string[]): Promise<number> {
  const testFiles = await compileTests();
  const dir = mkdtempSync(join(tmpdir(), 'gateway-test-pg-'));
  // A throwaway server: durability is traded for speed (no fsync, commits not waited for, clones copied as files).
  const profile = process.env.TEST_PROFILE;
  const server = await startEmbeddedPostgres(dir, {
    // The suite opens thousands of connections (each test gateway's pool): no password exchange for each.
    trustLoopback: true,
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      // Three workers, each with up to four files' gateways (a pool of 20 each, and a test may start three or more).
      max_connections: '1000',
      // A hundred databases, one per test file, each visited by an autovacuum worker (a process of its own) every
      // minute: the files' tables are small and short-lived, and their plans do not need the statistics.
      autovacuum: 'off',
      // No replication: the least WAL, and no checkpoint during a run.
      wal_level: 'minimal',
      max_wal_senders: '0',
      checkpoint_timeout: '1h',
      max_wal_size: '10GB',
      ...(profile ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {}),
    },
  });
  try {
    const adminUrl = server.url.replace(/\/gateway$/, '/postgres');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${TEMPLATE_DB}`);
    await admin.end();
    const templateUrl = server.url.replace(/\/gateway$/, `/${TEMPLATE_DB}`);
    const store = openStore(templateUrl, 2);
    await migrate(store.db);
    await store.close();
    await prepareTemplate(templateUrl);
    const args = avaArgs.map((a) => (/^test\/.*\.ts$/.test(a) ? join(BUILD_DIR, a.replace(/\.ts$/, '.js')) : a));
    // Without files named, the compiled list: small files share a worker (compile-tests.ts).
    if (!args.some((a) => /\.(js|ts)$/.test(a))) args.push(...testFiles);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [join('node_modules', 'ava', 'entrypoints', 'cli.mjs'), ...args], {
        stdio: 'inherit',
        // ava's workers are threads of this one process and share its libuv pool (password hashing, file reads):
        // with the default four threads, one file's login tests (scrypt) would hold back another file's reads.
        env: {
          UV_THREADPOOL_SIZE: '12',
          ...process.env,
          TEST_PG_ADMIN_URL: adminUrl,
          TEST_PG_TEMPLATE: TEMPLATE_DB,
        },
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      // Interrupted: stop ava, then fall through to stopping PostgreSQL below.
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => child.kill(s));
    });
    if (profile) await writeDatabaseProfile(adminUrl, `${profile}.database.txt`);
    return code;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Makes the template what a running deployment's database is: a gateway started on it once has seeded it (mailboxes,
 * topics, templates, secrets) and registered its recurring jobs, each next due one interval after the run began, as on
 * a gateway that has been running. Every test gateway then starts as a restarted instance does, instead of seeding and
 * running every job at once (measured: a test gateway's start and first seconds cost about a third less CPU, the
 * server's and its own). First starts on an empty database have their own tests (createEmptyDatabase).
 */
async function prepareTemplate(url: string): Promise<void> {
  const gw = await startGateway(loadConfig(testGatewaySettings(url)), { quiet: true, log: createLogger('silent') });
  await gw.stop();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    // Intervals such as "30 seconds" or "1 hour" (every recurring job today); a cron expression would stay due at once.
    await db.query(
      `update agenda_jobs set next_run_at = now() + repeat_interval::interval, locked_at = null
        where repeat_interval ~ '^[0-9]+ (second|minute|hour|day)s?$'`,
    );
    // Accounts and keys stay as a first start makes them: each test gateway creates its bootstrap admin with the
    // tests' password (the template's has a random one) and its API keys, and audits that as a first start does.
    // The audit log refuses deletes by trigger; triggers are skipped for this one clean-up of a throwaway database.
    await db.query(
      `set session_replication_role = replica; delete from audit_log; delete from api_keys; delete from staff;
       reset session_replication_role`,
    );
  } finally {
    await db.end();
  }
}

/** Where the database server's time went: sessions opened, and the statements that took the most time in total. */
async function writeDatabaseProfile(adminUrl: string, out: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('create extension if not exists pg_stat_statements');
    const sessions = await admin.query<{ sessions: string; commits: string }>(
      'select sum(sessions)::text as sessions, sum(xact_commit)::text as commits from pg_stat_database',
    );
    const top = await admin.query<{ ms: number; calls: string; query: string }>(
      `select round(sum(total_exec_time)::numeric, 0)::float as ms, sum(calls)::text as calls, query
         from pg_stat_statements group by query order by 1 desc limit 40`,
    );
    // By count too: an idle gateway's polls are cheap each but many, and their cost is mostly outside the statement.
    const frequent = await admin.query<{ ms: number; calls: string; query: string }>(
      `select round(sum(total_exec_time)::numeric, 0)::float as ms, sum(calls)::text as calls, query
         from pg_stat_statements group by query order by sum(calls) desc limit 40`,
    );
    const line = (r: { ms: number; calls: string; query: string }) =>
      `${r.ms} ms  ${r.calls} calls  ${r.query.replace(/\s+/g, ' ').slice(0, 300)}`;
    const lines = [
      `sessions ${sessions.rows[0]?.sessions}, commits ${sessions.rows[0]?.commits}`,
      '',
      'By time:',
      ...top.rows.map(line),
      '',
      'By calls:',
      ...frequent.rows.map(line),
    ];
    writeFileSync(out, `${lines.join('\n')}\n`);
  } finally {
    await admin.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
