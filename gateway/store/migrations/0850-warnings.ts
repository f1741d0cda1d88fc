// Early warning (综合预警): alerts raised by the spike and cluster checks, stored once each (a unique key decides
// under concurrency), the letters each cluster alert groups (a letter belongs to at most one cluster), and the
// WeCom robot notification's own small outbox state on the alert.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table warning_alerts (
      id uuid primary key,
      kind text not null check (kind in ('spike', 'cluster')),
      dedup_key text not null unique,
      title text not null,
      detail jsonb not null,
      letter_count int not null,
      citizen_count int not null,
      first_letter_id uuid,
      last_letter_id uuid,
      first_at timestamptz not null,
      last_at timestamptz not null,
      raised_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      acknowledged_at timestamptz,
      acknowledged_by text,
      wecom_state text not null default 'none' check (wecom_state in ('none', 'pending', 'sent', 'failed')),
      wecom_attempts int not null default 0,
      wecom_next_at timestamptz not null default now(),
      wecom_error text
    );
    create index warning_alerts_raised on warning_alerts (raised_at desc);
    create index warning_alerts_wecom_due on warning_alerts (wecom_next_at) where wecom_state = 'pending';
    create table warning_alert_letters (
      alert_id uuid not null references warning_alerts(id) on delete cascade,
      letter_id uuid not null unique references letters(id),
      primary key (alert_id, letter_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists warning_alert_letters; drop table if exists warning_alerts;`.execute(db);
}
