// Why a WeChat access token could not be fetched, kept beside the token so staff see it from any instance. A row
// may now exist before the first token does (the first fetch failed), so the token columns become optional.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table wechat_access_tokens
      alter column access_token drop not null,
      alter column expires_at drop not null,
      add column last_error text,
      add column last_error_at timestamptz
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from wechat_access_tokens where access_token is null or expires_at is null;
    alter table wechat_access_tokens
      drop column last_error,
      drop column last_error_at,
      alter column access_token set not null,
      alter column expires_at set not null
  `.execute(db);
}
