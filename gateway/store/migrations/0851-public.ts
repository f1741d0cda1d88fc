// Public disclosure (公开通报): the published state of every figure (its published count and whether it is hidden,
// per period, grouping, group and count — the memory that stops two snapshots being solved together), the latest
// snapshot served to the public, letters staff approved for publication, and the per-address request counter.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table public_cells (
      period text not null,
      grouping text not null,
      key text not null,
      measure text not null,
      value int not null,
      hidden boolean not null,
      primary key (period, grouping, key, measure)
    );
    create table public_snapshot (
      id int primary key check (id = 1),
      refreshed_at timestamptz not null,
      body jsonb not null
    );
    create table public_letters (
      letter_id uuid primary key references letters(id),
      title text,
      text text not null,
      reply text,
      approved_by text not null,
      approved_at timestamptz not null default now(),
      withdrawn_at timestamptz
    );
    create index public_letters_approved on public_letters (approved_at desc) where withdrawn_at is null;
    create table public_rate (
      address text not null,
      window_start timestamptz not null,
      count int not null,
      primary key (address, window_start)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists public_rate, public_letters, public_snapshot, public_cells`.execute(db);
}
