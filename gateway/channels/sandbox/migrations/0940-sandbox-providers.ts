// The sandbox's provider simulators: every call the live adapters made to a simulated provider (the request as the
// provider received it, its answer and what the citizen would read), and the refusals staff switched on to watch a
// delivery plan move on. Sandbox only: nothing writes these tables while a channel has provider credentials.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sandbox_provider_calls (
      id bigserial primary key,
      delivery_id uuid,
      channel text not null,
      provider text not null,
      action text not null,
      recipient text,
      template text,
      request jsonb not null,
      answer jsonb not null,
      code text not null,
      shown text,
      report jsonb,
      created_at timestamptz not null default now()
    );
    create index sandbox_provider_calls_delivery on sandbox_provider_calls (delivery_id) where delivery_id is not null;
    create index sandbox_provider_calls_recipient on sandbox_provider_calls (channel, recipient, action);
    create index sandbox_provider_calls_created on sandbox_provider_calls (created_at);
    create table sandbox_refusals (
      channel text not null,
      kind text not null,
      set_by text not null,
      set_at timestamptz not null default now(),
      primary key (channel, kind)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists sandbox_provider_calls, sandbox_refusals`.execute(db);
}
