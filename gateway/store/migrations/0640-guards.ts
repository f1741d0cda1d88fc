// Guards that hold under concurrency: development API keys are marked so the next start revokes them; a login
// attempt row is written before its password is compared (success unknown until then), so parallel attempts count;
// progress queries by code spend from shared per-serial, per-sender and global budgets.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table api_keys add column development boolean not null default false;
    update api_keys set development = true where name like 'development key %';

    alter table login_attempts alter column success drop not null;

    -- One row per budget (a serial, a sender, everyone): its hour starts with the first try counted in it.
    create table query_budgets (
      bucket text primary key,
      window_start timestamptz not null,
      used integer not null
    );
    create index query_budgets_window on query_budgets (window_start);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists query_budgets;
    update login_attempts set success = false where success is null;
    alter table login_attempts alter column success set not null;
    alter table api_keys drop column if exists development;
  `.execute(db);
}
