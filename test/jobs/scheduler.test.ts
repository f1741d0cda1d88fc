import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import { createTestDatabase } from '../_support/database.js';
import { eventually } from '../_support/gateway.js';
import { openStore } from '../../gateway/store/db.js';
import { createLogger } from '../../gateway/observability/logger.js';
import { createScheduler } from '../../gateway/jobs/scheduler.js';

async function withScheduler(t: ExecutionContext) {
  const url = await createTestDatabase();
  const store = openStore(url, 4);
  t.teardown(() => store.close());
  const lines: { level: number; msg: string }[] = [];
  const log = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const scheduler = createScheduler(store.pool, log, 'scheduler-test', 60);
  await scheduler.start();
  t.teardown(() => scheduler.stop());
  /** Ends the server's sessions matching `where`, from a connection of its own (the pool could hand back one of them). */
  const terminate = async (where: string) => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const r = await admin.query<{ n: string }>(
      `select count(pg_terminate_backend(pid)) as n from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and ${where}`,
    );
    await admin.end();
    return Number(r.rows[0]!.n);
  };
  const warnings = () => lines.filter((l) => l.level >= 40).map((l) => l.msg);
  return { scheduler, pool: store.pool, terminate, warnings };
}

test('when the server ends the connection the running scheduler listens on, then that is a warning', async (t) => {
  const { terminate, warnings } = await withScheduler(t);
  t.is(await terminate(`query ilike 'listen%'`), 1);
  await eventually(async () => (warnings().length > 0 ? true : undefined), 10_000, 'a warning');
  t.deepEqual(warnings(), ['job notification channel error']);
});

test('when the scheduler has stopped and the server then ends the connection it listened on, then nothing is logged as a warning', async (t) => {
  const { scheduler, pool, terminate, warnings } = await withScheduler(t);
  await scheduler.stop();
  // The LISTEN connection is back in the pool, idle. The embedded server stopping right after the pool (a gateway's
  // shutdown) ends it as this does.
  let poolSawIt = false;
  pool.on('error', () => (poolSawIt = true));
  t.true((await terminate('true')) >= 1);
  // The pool hears of its idle connection's end in the same turn as any handler the channel left on it.
  await eventually(async () => (poolSawIt ? true : undefined), 10_000, 'the pool heard of it');
  t.deepEqual(warnings(), []);
});
