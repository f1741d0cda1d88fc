// SMS channel tables: raw uplink and delivery-report items as the provider pushed them (dedup and provenance),
// sends whose outcome is unknown after a timeout, and the shared counters behind the fleet-wide send limits.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sms_uplinks (
      id bigserial primary key,
      provider text not null,
      dedup_key text,
      phone text,
      content text,
      sent_at timestamptz,
      sent_at_raw text,
      status text not null,
      reason text,
      payload jsonb not null,
      received_at timestamptz not null default now()
    );
    create unique index sms_uplinks_dedup on sms_uplinks (provider, dedup_key) where dedup_key is not null;

    create table sms_reports (
      id bigserial primary key,
      provider text not null,
      dedup_key text,
      delivery_id text,
      provider_message_id text,
      phone text,
      outcome text,
      error_code text,
      applied_at timestamptz,
      status text not null,
      reason text,
      payload jsonb not null,
      received_at timestamptz not null default now()
    );
    create unique index sms_reports_dedup on sms_reports (provider, dedup_key) where dedup_key is not null;

    create table sms_uncertain_sends (
      delivery_id uuid primary key,
      phone text not null,
      since timestamptz not null default now()
    );

    create table sms_rate_buckets (
      second bigint primary key,
      sends int not null
    );

    create table sms_daily_counts (
      phone text not null,
      day date not null,
      sends int not null,
      primary key (phone, day)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists sms_daily_counts, sms_rate_buckets, sms_uncertain_sends, sms_reports, sms_uplinks`.execute(
    db,
  );
}
