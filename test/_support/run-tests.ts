// `npm test`: compiles the tests to JavaScript (compile-tests.ts), starts one embedded PostgreSQL for the whole run,
// migrates a template database once, then runs ava; each test file clones the template into a fresh database of its
// own (see database.ts). Arguments are ava's; test files may be named by their source path (test/a/b.test.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import { migrate, openStore } from '../../gateway/store/db.js';
import { BUILD_DIR, compileTests } from './compile-tests.js';

const TEMPLATE_DB = 'gateway_template';

async function main(): Promise<number> {
  await compileTests();
  const dir = mkdtempSync(join(tmpdir(), 'gateway-test-pg-'));
  const server = await startEmbeddedPostgres(dir);
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
    const args = process.argv
      .slice(2)
      .map((a) => (/^test\/.*\.ts$/.test(a) ? join(BUILD_DIR, a.replace(/\.ts$/, '.js')) : a));
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [join('node_modules', 'ava', 'entrypoints', 'cli.mjs'), ...args], {
        stdio: 'inherit',
        env: { ...process.env, TEST_PG_ADMIN_URL: adminUrl, TEST_PG_TEMPLATE: TEMPLATE_DB },
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      // Interrupted: stop ava, then fall through to stopping PostgreSQL below.
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => child.kill(s));
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
