// The mini-program's access token now lives in the shared WeChat token store (`wechat_access_tokens`, keyed by
// AppID), so its own table goes. No token is carried over: stable_token hands the same token out again.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists mp_access_tokens`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table if not exists mp_access_tokens (
      appid text primary key,
      access_token text not null,
      expires_at timestamptz not null,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
}
