// Mini-program tables: sessions (token hashes only), the shared access token until a common store exists, consent
// credits for subscribe messages, the mailbox directory, verified phones, uploads and progress-query rate limits.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mp_sessions (
      token_hash text primary key,
      openid text not null,
      unionid text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now()
    );
    create index mp_sessions_expiry on mp_sessions (expires_at);

    create table mp_access_tokens (
      appid text primary key,
      access_token text not null,
      expires_at timestamptz not null,
      updated_at timestamptz not null default now()
    );

    create table mp_consents (
      openid text not null,
      template_id text not null,
      credits int not null default 0 check (credits >= 0),
      updated_at timestamptz not null default now(),
      primary key (openid, template_id)
    );
    create table mp_consent_results (
      id bigserial primary key,
      openid text not null,
      template_id text not null,
      result text not null,
      at timestamptz not null default now()
    );

    create table mailboxes (
      id text primary key,
      parent_id text,
      name text not null,
      level text not null,
      region_code text,
      region_name text,
      sort int not null default 0,
      source text not null,
      updated_at timestamptz not null default now()
    );
    create index mailboxes_parent on mailboxes (parent_id, sort);

    create table mp_phones (
      openid text primary key,
      phone text not null,
      verified_at timestamptz not null default now()
    );

    create table mp_uploads (
      id uuid primary key,
      openid text not null,
      attachment_id uuid not null references attachments(id),
      content_type text not null,
      bytes int not null,
      sha256 text not null,
      created_at timestamptz not null default now()
    );
    create index mp_uploads_owner on mp_uploads (openid, created_at);

    create table mp_rate_limits (
      bucket text not null,
      window_start timestamptz not null,
      count int not null default 0,
      primary key (bucket, window_start)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists mp_sessions, mp_access_tokens, mp_consents, mp_consent_results, mailboxes, mp_phones, mp_uploads, mp_rate_limits`.execute(
    db,
  );
}
