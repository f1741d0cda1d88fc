// WeChat's asynchronous photo check (mediaCheckAsync) on mini-program uploads: the trace id WeChat answered with and
// the verdict its push delivers later. A photo is shown publicly only with a `pass`.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mp_uploads
      add column media_check text check (media_check in ('pending', 'pass', 'review', 'risky', 'failed')),
      add column media_trace_id text,
      add column media_label text,
      add column media_checked_at timestamptz;
    create unique index mp_uploads_media_trace_id on mp_uploads (media_trace_id) where media_trace_id is not null;
    create index mp_uploads_media_unchecked on mp_uploads (created_at) where media_check is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists mp_uploads_media_unchecked;
    drop index if exists mp_uploads_media_trace_id;
    alter table mp_uploads drop column if exists media_check, drop column if exists media_trace_id,
      drop column if exists media_label, drop column if exists media_checked_at;
  `.execute(db);
}
