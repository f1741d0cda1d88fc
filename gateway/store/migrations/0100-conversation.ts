// Conversation tables: inbound official-account/SMS messages (stored before the provider is answered), one row per
// sender to schedule and serialise its processing, draft letters, the query rate-limit log and citizen preferences.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table conversation_messages (
      id bigserial primary key,
      channel text not null,
      sender_id text not null,
      provider_message_id text not null,
      received_at timestamptz not null,
      type text not null,
      message jsonb not null,
      state text not null default 'pending',
      role text,
      draft_id uuid,
      media_state text,
      media_attempts int not null default 0,
      media_next_at timestamptz,
      media_result jsonb,
      error text,
      created_at timestamptz not null default now(),
      unique (channel, provider_message_id)
    );
    create index conversation_messages_pending on conversation_messages (channel, sender_id, id) where state = 'pending';
    create index conversation_messages_draft on conversation_messages (draft_id, id) where draft_id is not null;
    create index conversation_messages_media_due on conversation_messages (media_next_at) where media_state = 'pending';

    create table conversation_senders (
      channel text not null,
      sender_id text not null,
      due_at timestamptz,
      lease_until timestamptz,
      inbox_version bigint not null default 0,
      failures int not null default 0,
      primary key (channel, sender_id)
    );
    create index conversation_senders_due on conversation_senders (due_at) where due_at is not null;

    create table conversation_drafts (
      id uuid primary key,
      channel text not null,
      sender_id text not null,
      state text not null default 'open',
      opened_at timestamptz not null default now(),
      quiet_until timestamptz not null,
      close_requested_at timestamptz,
      closed_at timestamptz,
      letter_id uuid,
      error text
    );
    create unique index conversation_drafts_one_open on conversation_drafts (channel, sender_id) where state = 'open';
    create index conversation_drafts_closing on conversation_drafts (channel, sender_id, opened_at) where state in ('closing', 'submitting');

    create table conversation_command_events (
      id bigserial primary key,
      channel text not null,
      sender_id text not null,
      action text not null,
      at timestamptz not null default now()
    );
    create index conversation_command_events_sender on conversation_command_events (channel, sender_id, action, at);

    create table citizen_preferences (
      channel text not null,
      citizen_id text not null,
      opted_out_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (channel, citizen_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists citizen_preferences, conversation_command_events, conversation_drafts,
    conversation_senders, conversation_messages`.execute(db);
}
