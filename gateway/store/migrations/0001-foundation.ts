// Foundation tables: letters and their provenance, forwarding, deliveries, templates, API keys, idempotency records
// and the sandbox's recordings.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table letters (
      id uuid primary key,
      channel text not null,
      citizen_id text not null,
      status text not null default 'received',
      forward_state text not null default 'pending',
      forward_attempts int not null default 0,
      next_forward_at timestamptz not null default now(),
      last_forward_error text,
      stuck_at timestamptz,
      rejected_reason text,
      serial text unique,
      case_id text,
      extraction_code text not null,
      body jsonb not null,
      received_at timestamptz not null,
      created_at timestamptz not null default now(),
      forwarded_at timestamptz,
      status_changed_at timestamptz not null default now()
    );
    create index letters_forward_due on letters (next_forward_at) where forward_state = 'pending';
    create index letters_citizen on letters (channel, citizen_id, created_at desc);
    create index letters_created on letters (created_at);

    create table source_messages (
      id bigserial primary key,
      channel text not null,
      provider_message_id text not null,
      letter_id uuid not null references letters(id),
      type text not null,
      received_at timestamptz not null,
      payload jsonb not null,
      unique (channel, provider_message_id)
    );
    create index source_messages_letter on source_messages (letter_id);

    create table forward_attempts (
      id bigserial primary key,
      letter_id uuid not null references letters(id),
      at timestamptz not null default now(),
      outcome text not null,
      http_status int,
      error text,
      duration_ms int not null
    );
    create index forward_attempts_letter on forward_attempts (letter_id, at);

    create table deliveries (
      id uuid primary key,
      seq bigserial not null,
      letter_id uuid references letters(id),
      channel text not null,
      recipient text not null,
      kind text not null,
      template_key text not null,
      variables jsonb not null,
      requires_serial boolean not null default true,
      status text not null default 'queued',
      route text,
      template_version int,
      rendered jsonb,
      provider_message_id text,
      attempts int not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index deliveries_due on deliveries (next_attempt_at) where status in ('queued', 'sending');
    create index deliveries_letter on deliveries (letter_id, seq);
    create index deliveries_provider_id on deliveries (channel, provider_message_id) where provider_message_id is not null;

    create table delivery_attempts (
      id bigserial primary key,
      delivery_id uuid not null references deliveries(id),
      at timestamptz not null default now(),
      route text not null,
      outcome text not null,
      provider_message_id text,
      error_code text,
      error text
    );
    create index delivery_attempts_delivery on delivery_attempts (delivery_id, at);

    create table templates (
      id bigserial primary key,
      channel text not null,
      template_key text not null,
      route text not null,
      version int not null,
      enabled boolean not null default true,
      content jsonb not null,
      source text not null,
      created_at timestamptz not null default now(),
      created_by text,
      unique (channel, template_key, route, version)
    );

    create table api_keys (
      id uuid primary key,
      name text not null,
      key_hash text not null unique,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table idempotency_records (
      principal text not null,
      key text not null,
      request_hash text not null,
      status_code int not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (principal, key)
    );

    create table sandbox_messages (
      id bigserial primary key,
      delivery_id uuid,
      channel text not null,
      route text not null,
      recipient text not null,
      payload jsonb not null,
      created_at timestamptz not null default now()
    );

    create table sandbox_case_letters (
      letter_id uuid primary key,
      serial text not null unique,
      letter jsonb not null,
      received_at timestamptz not null default now(),
      deliveries int not null default 1
    );
    create sequence sandbox_serial_seq;
    create table sandbox_case_events (
      idempotency_key text primary key,
      event jsonb not null,
      received_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop sequence if exists sandbox_serial_seq;
  drop table if exists sandbox_case_events, sandbox_case_letters, sandbox_messages, idempotency_records, api_keys,
    templates, delivery_attempts, deliveries, forward_attempts, source_messages, letters`.execute(db);
}
