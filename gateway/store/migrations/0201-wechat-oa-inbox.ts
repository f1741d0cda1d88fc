// Official-account messages accepted before the conversation module takes them over: one row per MsgId.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table wechat_oa_inbox (
      provider_message_id text primary key,
      openid text not null,
      type text not null,
      message jsonb not null,
      received_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists wechat_oa_inbox`.execute(db);
}
