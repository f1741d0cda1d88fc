// Staff console tables: staff accounts, their sessions (tokens stored hashed), login attempts for throttling and
// lockout across instances, the audit log of every change, and which failed delivery was resent as which.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table staff (
      id uuid primary key,
      username text not null unique,
      display_name text not null,
      role text not null check (role in ('admin', 'operator', 'viewer')),
      password_hash text not null,
      created_at timestamptz not null default now(),
      password_changed_at timestamptz not null default now(),
      disabled_at timestamptz
    );

    create table staff_sessions (
      token_hash text primary key,
      staff_id uuid not null references staff(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index staff_sessions_staff on staff_sessions (staff_id);

    create table login_attempts (
      id bigserial primary key,
      username text not null,
      ip text not null,
      at timestamptz not null default now(),
      success boolean not null
    );
    create index login_attempts_username on login_attempts (username, at desc);
    create index login_attempts_ip on login_attempts (ip, at desc);

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      staff_id uuid,
      staff_username text not null,
      action text not null,
      target_type text not null,
      target_id text,
      before jsonb,
      after jsonb,
      ip text
    );
    create index audit_log_at on audit_log (at desc);
    create index audit_log_target on audit_log (target_type, target_id);

    create table delivery_resends (
      original_id uuid primary key references deliveries(id),
      resend_id uuid not null references deliveries(id),
      staff_id uuid,
      at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists delivery_resends, audit_log, login_attempts, staff_sessions, staff`.execute(db);
}
