// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { spawnGateway, untilReady } from '../_support/child-gateway.js';
import { createTestDatabase } from '../_support/database.js';
import { fakeCaseStore, CASE_STORE_SECRET } from '../_support/case-store.js';
import { startTestGateway, eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { freePort } from '../../gateway/store/embedded-postgres.js';
import { openStore } from '../../gateway/store/db.js';
import { createIntake } from '../../gateway/letters/intake.js';

test('when the configuration is invalid, then start-up fails with every problem listed and a non-zero exit', async (t) => {
  const child = spawnGateway({
    PORT: 'eighty',
    CASE_STORE_URL: 'ftp://case-store',
    CONVERSATION_QUIET_SECONDS: '-3',
    NODE_ENV: 'production',
  });
  const code = await child.exited;
  t.is(code, 1);
  const out = child.output();
  t.regex(out, /Invalid configuration/);
  t.regex(out, /PORT \("eighty"\)/);
  t.regex(out, /CASE_STORE_URL/);
  t.regex(out, /CONVERSATION_QUIET_SECONDS/);
});

test('when production would run sandboxed, then start-up refuses and names what is missing', async (t) => {
  const child = spawnGateway({ NODE_ENV: 'production', DATA_DIR: '/nonexistent' });
  t.is(await child.exited, 1);
  t.regex(child.output(), /refuses the sandbox case store/);
  t.regex(child.output(), /refuses a sandboxed channel: configure sms/);
});

test('when the gateway is killed while posting a letter, then after a restart the letter is forwarded once more with the same key', async (t) => {
  t.timeout(400_000);
  const databaseUrl = await createTestDatabase();
  const cs = await fakeCaseStore();
  await cs.start();
  cs.script.push({ status: 201, delayMs: 30_000 }); // the first try hangs until the process is gone
  const port = await freePort();
  const child = spawnGateway({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CASE_STORE_URL: cs.url,
    CASE_STORE_SECRET,
    CASE_STORE_TIMEOUT_MS: '1000',
    FORWARD_BATCH_SIZE: '16',
    WORKER_POLL_MS: '100',
  });
  const store = openStore(databaseUrl, 2);
  t.teardown(async () => {
    child.process.kill('SIGKILL');
    await store.close();
    await cs.close();
  });
  await untilReady(child, port, 120_000);
  const { letterId } = await createIntake(store.db, () => {}).submit(sampleIntake());
  await eventually(
    async () => (cs.received.some((r) => r.body.id === letterId) ? true : undefined),
    30_000,
    'first try in flight',
  );
  child.process.kill('SIGKILL');
  await child.exited;

  const pending = await store.db.selectFrom('letters').selectAll().where('id', '=', letterId).executeTakeFirstOrThrow();
  t.is(pending.forward_state, 'pending');
  const gw = await startTestGateway(
    { CASE_STORE_URL: cs.url, CASE_STORE_SECRET, CASE_STORE_TIMEOUT_MS: '1000', FORWARD_BATCH_SIZE: '16' },
    databaseUrl,
  );
  t.teardown(() => gw.stop());
  const row = await eventually(
    async () => {
      const r = await store.db.selectFrom('letters').selectAll().where('id', '=', letterId).executeTakeFirstOrThrow();
      return r.serial ? r : undefined;
    },
    60_000,
    'forwarded after restart',
  );
  const tries = cs.received.filter((r) => r.body.id === letterId);
  t.is(tries.length, 2);
  t.true(tries.every((r) => r.idempotencyKey === letterId));
  t.is(row.serial, cs.serials.get(letterId) ?? null);
});

test('when SIGTERM arrives, then the gateway stops cleanly with exit code 0', async (t) => {
  t.timeout(400_000);
  const databaseUrl = await createTestDatabase();
  const port = await freePort();
  const child = spawnGateway({ DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  t.teardown(() => child.process.kill('SIGKILL'));
  await untilReady(child, port, 120_000);
  child.process.kill('SIGTERM');
  t.is(await child.exited, 0);
  t.regex(child.output(), /shutting down/);
});
