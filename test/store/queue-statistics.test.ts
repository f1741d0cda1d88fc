import test, { type ExecutionContext } from 'ava';
import { sql, type RawBuilder } from 'kysely';
import { createTestDatabase } from '../_support/database.js';
import { openStore, type Db } from '../../gateway/store/db.js';
import { claimDueDeliveries } from '../../gateway/outbound/dispatcher.js';
import { dropHeldMessages } from '../../gateway/outbox/deliveries.js';
import { clearStaleStatisticsSql, staleStatistics } from '../../gateway/store/stale-statistics.js';
import { startGateway } from '../../gateway/main.js';
import { loggedLines } from '../_support/log-lines.js';
import { loadConfig } from '../../config/load.js';

// A server that has run for a while has planner statistics, gathered when next to nothing was queued. A burst then
// queues thousands of rows at once: the claims must stay about as cheap per row as with a short queue.

/** Buffers (pages) a statement read and the rows it gave, from EXPLAIN ANALYZE, in a transaction rolled back. */
async function pagesRead(db: Db, statement: RawBuilder<unknown>): Promise<{ pages: number; rows: number }> {
  let read = { pages: 0, rows: 0 };
  await db
    .transaction()
    .execute(async (tx) => {
      const r = await sql<{ 'QUERY PLAN': [{ Plan: Record<string, number> }] }>`
        explain (analyze, buffers, format json) ${statement}`.execute(tx);
      const plan = r.rows[0]!['QUERY PLAN'][0].Plan;
      read = { pages: plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!, rows: plan['Actual Rows']! };
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return read;
}
class Rollback extends Error {}

/** Letters already forwarded, each with its receipt: `status` sent (the past) or queued (a burst). */
async function lettersWithReceipts(db: Db, n: number, from: number, status: 'sent' | 'queued'): Promise<void> {
  await sql`
    with l as (
      insert into letters (id, channel, citizen_id, extraction_code, body, received_at, serial, forward_state)
      select gen_random_uuid(), 'wechat-oa', 'o-citizen-' || (i + ${from}), '123456', '{}'::jsonb, now(),
             'S' || (i + ${from}), 'forwarded'
      from generate_series(1, ${n}::int) i
      returning id, citizen_id)
    insert into deliveries (id, letter_id, channel, recipient, kind, template_key, variables, status)
    select gen_random_uuid(), l.id, 'wechat-oa', l.citizen_id, 'receipt', 'receipt', '{}'::jsonb, ${status} from l`.execute(
    db,
  );
}

/** A database as a server in service has it: 3,000 letters receipted in the past, and statistics gathered then. */
async function databaseInService(t: ExecutionContext): Promise<Db> {
  const store = openStore(await createTestDatabase(), 2);
  t.teardown(() => store.close());
  await lettersWithReceipts(store.db, 3000, 0, 'sent');
  await sql`analyze`.execute(store.db);
  return store.db;
}

test('after a burst of receipts, claiming 200 of them reads each queued message about once', async (t) => {
  const db = await databaseInService(t);
  await lettersWithReceipts(db, 2000, 10_000, 'queued');
  const { pages, rows } = await pagesRead(db, claimDueDeliveries(200, 60));
  t.is(rows, 200);
  // Looking through all queued messages for each one claimed reads about 2,000 × 200 rows.
  t.true(pages < 30_000, `${pages} pages read`);
});

test('with thousands of messages held for their drafts, dropping those of 58 drafts reads about 58 rows', async (t) => {
  const db = await databaseInService(t);
  // A burst: each draft's confirmation held until its receipt is queued.
  await sql`
    insert into deliveries (id, channel, recipient, kind, template_key, variables, held_for_draft)
    select gen_random_uuid(), 'wechat-oa', 'o-held-' || i, 'notice', 'submit_confirmation', '{}'::jsonb, 'm-' || i
    from generate_series(1, 3000) i`.execute(db);
  const read = await db.transaction().execute(async (tx) => {
    await dropHeldMessages(
      tx,
      Array.from({ length: 58 }, (_, i) => ({ channel: 'wechat-oa', firstMessage: `m-${i * 50 + 1}` })),
    );
    const r = await sql<{ n: string }>`
      select seq_tup_read + coalesce(idx_tup_fetch, 0) as n from pg_stat_xact_user_tables
      where relname = 'deliveries'`.execute(tx);
    return Number(r.rows[0]!.n);
  });
  const left = await sql<{ n: string }>`select count(*) as n from deliveries where held_for_draft is not null`.execute(
    db,
  );
  t.is(Number(left.rows[0]!.n), 3000 - 58);
  t.true(read < 300, `${read} rows read`);
});

// States where rows stay for good, or for days: statistics count them right.
const statesWithStatistics: Record<string, string> = {
  'letters.status': '"closed" is where letters end',
  'surveys.state': 'a survey stays open for days, and a withdrawn one stays withdrawn',
};

test('every partial index over rows in a given state is on a state column without statistics, or one named as lasting', async (t) => {
  const store = openStore(await createTestDatabase(), 2);
  t.teardown(() => store.close());
  // The state columns compared with a literal in a partial index's predicate, with their statistics target.
  const r = await sql<{ key: string; target: number | null }>`
    select distinct c.relname || '.' || m[1] as key, a.attstattarget as target
    from pg_index x
    join pg_class c on c.oid = x.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral regexp_matches(pg_get_expr(x.indpred, x.indrelid), ${String.raw`\m(\w*(?:state|status)) = (?:'|ANY)`}, 'g') m
    join pg_attribute a on a.attrelid = c.oid and a.attname = m[1]
    where n.nspname = current_schema() and c.relname not like 'agenda%'`.execute(store.db);
  const keys = r.rows.map((x) => x.key);
  // The queue indexes this guards are there (the predicates read as expected).
  t.true(keys.includes('deliveries.status') && keys.includes('letters.forward_state'), keys.join());
  const withStatistics = r.rows.filter((x) => x.target !== 0 && !(x.key in statesWithStatistics)).map((x) => x.key);
  t.deepEqual(
    withStatistics,
    [],
    'a state rows pass through in seconds: a migration sets its statistics to 0, as 1080-queue-statistics does',
  );
});

// Statistics gathered before 1080-queue-statistics stay on a server before PostgreSQL 18 where the gateway's role is no
// superuser: PostgreSQL 18 lets a table's owner write them (pg_restore_attribute_stats), which stands in for that here.
async function leaveStatistics(db: Db, table: string, column: string): Promise<void> {
  await sql`
    select pg_restore_attribute_stats('schemaname', current_schema()::text, 'relname', ${table}::text,
      'attname', ${column}::text, 'inherited', false, 'null_frac', 0::real, 'avg_width', 10, 'n_distinct', 3::real,
      'most_common_vals', '{forwarded}'::text, 'most_common_freqs', '{1}'::real[])`.execute(db);
}

test('when queue-state columns still have planner statistics, then the gateway names them at start with the statement that clears them', async (t) => {
  const url = await createTestDatabase();
  const store = openStore(url, 2);
  t.teardown(() => store.close());
  t.deepEqual(await staleStatistics(store.db), [], 'a migrated database has none');
  await leaveStatistics(store.db, 'letters', 'forward_state');
  await leaveStatistics(store.db, 'deliveries', 'status');
  // A column that keeps its statistics is not named.
  await leaveStatistics(store.db, 'letters', 'status');
  t.deepEqual(await staleStatistics(store.db), ['deliveries.status', 'letters.forward_state']);

  const { log, lines } = loggedLines();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    BACKGROUND_WORK: 'false',
  });
  const gw = await startGateway(config, { quiet: true, log });
  await gw.stop();
  const warning = lines.find((l) => Array.isArray(l.columns));
  t.is(warning?.level, 40);
  t.deepEqual(warning?.columns, ['deliveries.status', 'letters.forward_state']);
  t.is(warning?.clearAsSuperuser, clearStaleStatisticsSql);

  // The statement the warning gives (the embedded server's role is its superuser) clears those, and only those.
  await sql.raw(clearStaleStatisticsSql).execute(store.db);
  t.deepEqual(await staleStatistics(store.db), []);
  const kept = await sql<{ n: number }>`
    select count(*)::int as n from pg_stats
    where schemaname = current_schema() and tablename = 'letters' and attname = 'status'`.execute(store.db);
  t.is(kept.rows[0]!.n, 1);
});
