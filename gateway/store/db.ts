// One pg pool and one Kysely instance over it, shared by the whole gateway (Agenda included), plus every schema change
// at start-up (our migrations and the job library's tables) under one advisory lock, so instances starting together
// change the schema one after the other.
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.js';
import { migrations } from './migration-list.js';
import { ensureJobSchema } from '../jobs/scheduler.js';
import { preparingClient } from './prepared-statements.js';

// Keep int8 (bigserial, counts) as strings; ids that exceed 2^53 must never be rounded.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export type Db = Kysely<Database>;

/** Pool connections lent for good to LISTEN: the wake-ups' (jobs/wakeup.ts) and the job scheduler's (Agenda's). */
export const LISTENING_CONNECTIONS = 2;

export interface Store {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export function openStore(
  url: string,
  poolSize: number,
  onError: (err: Error) => void = () => {},
  opts: { preparedStatements?: boolean } = {},
): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    ...(opts.preparedStatements ? { Client: preparingClient() } : {}),
  });
  let closed = false;
  // An idle client losing its connection must not crash the process; the pool replaces it. Once closing, the pool
  // has asked its clients to end but does not wait for their sockets: a server stopping right after may still
  // answer one with "terminating connection", which is expected then and not worth a warning.
  pool.on('error', (err) => {
    if (!closed) onError(err);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    pool,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

// Held for the whole start-up schema work. Kysely's migrator takes its own lock on its own connection inside this one;
// PostgreSQL's `create table if not exists` is not safe under concurrency (pg_type unique violations), hence one lock.
const SCHEMA_LOCK = 7_402_913_550_118_001;

export async function migrate(db: Db): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(SCHEMA_LOCK)})`.execute(conn);
    try {
      const applied = await migrateUnlocked(db);
      await ensureJobSchema(async (text) => {
        await sql.raw(text).execute(conn);
      });
      return applied;
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(SCHEMA_LOCK)})`.execute(conn);
    }
  });
}

/**
 * Whether every migration this code knows is recorded as run. One indexed read: Kysely's migrator checks that its
 * tables exist by introspecting the whole catalogue (tens of milliseconds of the server's CPU, twice per start, and
 * once per readiness probe), which a gateway starting on an up-to-date database has no need of.
 */
async function upToDate(db: Db): Promise<boolean> {
  const names = Object.keys(migrations);
  try {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from kysely_migration where name = any(${names}::text[])`.execute(db);
    return rows[0]?.n === names.length;
  } catch (err) {
    // No migration table yet (a new database): the migrator creates it.
    if ((err as { code?: string }).code === '42P01') return false;
    throw err;
  }
}

async function migrateUnlocked(db: Db): Promise<string[]> {
  if (await upToDate(db)) return [];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever a migration threw; its text is all we have
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Db): Promise<number> {
  if (await upToDate(db)) return 0;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const list = await migrator.getMigrations();
  return list.filter((m) => m.executedAt === undefined).length;
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
