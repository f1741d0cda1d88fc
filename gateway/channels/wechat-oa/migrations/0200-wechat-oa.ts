// WeChat access tokens shared by all instances, and the official account's own records: push nonces (replay
// protection), events (deduplicated, processed once), followers (48-hour customer-service window and its quota,
// subscription state) and subscription-notification consents.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table wechat_access_tokens (
      appid text primary key,
      access_token text not null,
      expires_at timestamptz not null,
      updated_at timestamptz not null default now()
    );
    create table wechat_oa_nonces (
      nonce text not null,
      timestamp bigint not null,
      body_sha256 text not null,
      seen_at timestamptz not null default now(),
      primary key (nonce, timestamp)
    );
    create index wechat_oa_nonces_seen on wechat_oa_nonces (seen_at);
    create table wechat_oa_events (
      id bigserial primary key,
      dedup_key text not null unique,
      openid text not null,
      event text not null,
      payload jsonb not null,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      error text
    );
    create index wechat_oa_events_unprocessed on wechat_oa_events (received_at) where processed_at is null;
    create table wechat_oa_followers (
      openid text primary key,
      subscribed boolean not null default true,
      window_until timestamptz not null default '-infinity',
      quota_left int not null default 0,
      last_message_at timestamptz,
      updated_at timestamptz not null default now()
    );
    create table wechat_oa_consents (
      openid text not null,
      template_id text not null,
      status text not null,
      updated_at timestamptz not null default now(),
      primary key (openid, template_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists wechat_access_tokens, wechat_oa_nonces, wechat_oa_events, wechat_oa_followers, wechat_oa_consents`.execute(
    db,
  );
}
