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
  const walBefore = await sql<{ bytes: string; records: string }>`
    select wal_bytes::text as bytes, wal_records::text as records from pg_stat_wal`.execute(db);
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
      const walAfter = await sql<{ bytes: string; records: string }>`
        select wal_bytes::text as bytes, wal_records::text as records from pg_stat_wal`.execute(db);
      console.log(
        `WAL per letter (all of it): ${fmt(per(Number(walAfter.rows[0]!.bytes) - Number(walBefore.rows[0]!.bytes)), 0)} bytes, ` +
          `${fmt(per(Number(walAfter.rows[0]!.records) - Number(walBefore.rows[0]!.records)), 1)} records`,
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
    },
  };
}
