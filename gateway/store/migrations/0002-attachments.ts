// Attachments kept by the gateway (deduplicated by sha256) and secrets generated once and shared by all instances.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attachments (
      id uuid primary key,
      sha256 text not null unique,
      content_type text not null,
      bytes int not null,
      data bytea not null,
      created_at timestamptz not null default now()
    );
    create table gateway_secrets (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists attachments, gateway_secrets`.execute(db);
}
