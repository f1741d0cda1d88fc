// PostgreSQL's side of `npm run bench:pipeline` (BENCH_PG_PROFILE=1): the embedded server loads pg_stat_statements
// (nested statements tracked too, so trigger bodies show on their own lines) and counts PL/pgSQL function time, and
// after the measured window the statements and trigger functions are listed per letter by the time they took.
import { sql } from 'kysely';
import type { Db } from '../../gateway/store/db.js';
import { fmt } from './stats.js';

/** Server settings for the embedded PostgreSQL: the extension must be loaded at start. */
export const pgProfileSettings: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.max': '5000',
  track_functions: 'pl',
  track_io_timing: 'on',
};

interface FunctionStat {
  name: string;
  calls: number;
  self: number;
  total: number;
}

async function functionStats(db: Db): Promise<Map<string, FunctionStat>> {
  const r = await sql<{ name: string; calls: string; self: number; total: number }>`
    select funcname as name, calls, self_time as self, total_time as total from pg_stat_user_functions`.execute(db);
  return new Map(r.rows.map((x) => [x.name, { ...x, calls: Number(x.calls) }]));
}

export interface PgProfile {
  report(letters: number): Promise<void>;
}

/** Creates the extension if needed and starts the measured window (statement counters reset). */
export async function startPgProfile(db: Db): Promise<PgProfile> {
  await sql`create extension if not exists pg_stat_statements`.execute(db);
  // Function counters are cumulative and flushed by each backend when idle: diffed rather than reset.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const before = await functionStats(db);
  const tablesBefore = await tableStats(db);
  const walBefore = await walTotals(db);
  await sql`select pg_stat_statements_reset()`.execute(db);
  return {
    async report(letters) {
      const per = (x: number) => x / Math.max(1, letters);
      const r = await sql<{
        toplevel: boolean;
        query: string;
        calls: string;
        rows: string;
        exec: number;
        plan: number;
        wal: string;
        hit: string;
      }>`
        select toplevel, query, calls, rows, total_exec_time as exec, total_plan_time as plan,
               wal_bytes::text as wal, shared_blks_hit + shared_blks_read + shared_blks_dirtied as hit
        from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by total_exec_time desc`.execute(db);
      const top = r.rows.filter((x) => x.toplevel && !x.query.includes('pg_stat_statements'));
      const sum = (rows: typeof r.rows, f: (x: (typeof r.rows)[number]) => number) =>
        rows.reduce((n, x) => n + f(x), 0);
      console.log(
        `PostgreSQL statements per letter (top level): ${fmt(per(sum(top, (x) => Number(x.calls))), 2)} calls, ` +
          `${fmt(per(sum(top, (x) => x.exec)), 3)} ms executing, ${fmt(per(sum(top, (x) => x.plan)), 3)} ms planning, ` +
          `${fmt(per(sum(top, (x) => Number(x.wal))), 0)} WAL bytes`,
      );
      const walAfter = await walTotals(db);
      const walDelta = (k: keyof typeof walAfter) => walAfter[k] - walBefore[k];
      // Full-page images are the first change of each page after a checkpoint: a large share of the bytes when
      // checkpoints come often.
      console.log(
        `WAL per letter (all of it): ${fmt(per(walDelta('bytes')), 0)} bytes, ${fmt(per(walDelta('records')), 1)} records, ` +
          `${fmt(per(walDelta('fullPages')), 2)} full-page images, ${fmt(per(walDelta('syncs')), 2)} flushes to disk; ` +
          `checkpoints in the window: ${walDelta('checkpoints')}`,
      );
      console.log(
        '  calls/letter  ms/letter  rows/call  WAL B/letter  statement (* nested: inside a trigger/function)',
      );
      for (const x of r.rows.filter((y) => !y.query.includes('pg_stat_statements')).slice(0, 30)) {
        const calls = Number(x.calls);
        console.log(
          `  ${fmt(per(calls), 2).padStart(12)}  ${fmt(per(x.exec), 3).padStart(9)}  ${fmt(Number(x.rows) / Math.max(1, calls), 1).padStart(9)}` +
            `  ${fmt(per(Number(x.wal)), 0).padStart(12)}  ${x.toplevel ? ' ' : '*'}${x.query.replace(/\s+/g, ' ').trim().slice(0, 110)}`,
        );
      }
      await sql`select pg_stat_force_next_flush()`.execute(db);
      // Other backends flush their function counters within a second of going idle.
      await new Promise((res) => setTimeout(res, 1500));
      const after = await functionStats(db);
      const fns = [...after.values()]
        .map((a) => {
          const b = before.get(a.name);
          return { name: a.name, calls: a.calls - (b?.calls ?? 0), self: a.self - (b?.self ?? 0) };
        })
        .filter((f) => f.calls > 0)
        .sort((a, b) => b.self - a.self);
      console.log('  calls/letter  self ms/letter  PL/pgSQL function (triggers)');
      for (const f of fns.slice(0, 15))
        console.log(`  ${fmt(per(f.calls), 2).padStart(12)}  ${fmt(per(f.self), 3).padStart(14)}  ${f.name}`);
      // Every row version written outside a HOT update is also an entry in each of the table's indexes (partial ones
      // where the row matches): where the WAL records come from.
      const tablesAfter = await tableStats(db);
      const changes = [...tablesAfter.values()]
        .map((a) => {
          const b = tablesBefore.get(a.name);
          const d = (k: 'inserted' | 'updated' | 'hot' | 'deleted') => a[k] - (b?.[k] ?? 0);
          return { ...a, inserted: d('inserted'), updated: d('updated'), hot: d('hot'), deleted: d('deleted') };
        })
        .filter((t) => t.inserted + t.updated + t.deleted > 0)
        .sort((x, y) => y.inserted + y.updated - (x.inserted + x.updated));
      console.log('  inserted/letter  updated/letter (HOT)  deleted/letter  indexes  table');
      for (const t of changes.slice(0, 15))
        console.log(
          `  ${fmt(per(t.inserted), 2).padStart(15)}  ${`${fmt(per(t.updated), 2)} (${fmt(per(t.hot), 2)})`.padStart(20)}` +
            `  ${fmt(per(t.deleted), 2).padStart(14)}  ${String(t.indexes).padStart(7)}  ${t.name}`,
        );
    },
  };
}

async function walTotals(db: Db) {
  const r = await sql<{ bytes: string; records: string; full_pages: string; checkpoints: string; syncs: string }>`
    select wal_bytes::text as bytes, wal_records::text as records, wal_fpi::text as full_pages,
           (select (num_timed + num_requested)::text from pg_stat_checkpointer) as checkpoints,
           (select coalesce(sum(fsyncs), 0)::text from pg_stat_io where object = 'wal') as syncs
    from pg_stat_wal`.execute(db);
  const row = r.rows[0]!;
  return {
    bytes: Number(row.bytes),
    records: Number(row.records),
    fullPages: Number(row.full_pages),
    checkpoints: Number(row.checkpoints),
    syncs: Number(row.syncs),
  };
}

async function tableStats(db: Db) {
  // Table counters, like function counters, reach the view when a backend flushes them.
  const r = await sql<{ name: string; ins: string; upd: string; hot: string; del: string; indexes: number }>`
    select relname as name, n_tup_ins::text as ins, n_tup_upd::text as upd, n_tup_hot_upd::text as hot,
           n_tup_del::text as del, (select count(*)::int from pg_index i where i.indrelid = t.relid) as indexes
    from pg_stat_user_tables t`.execute(db);
  return new Map(
    r.rows.map((x) => [
      x.name,
      {
        name: x.name,
        inserted: Number(x.ins),
        updated: Number(x.upd),
        hot: Number(x.hot),
        deleted: Number(x.del),
        indexes: x.indexes,
      },
    ]),
  );
}
