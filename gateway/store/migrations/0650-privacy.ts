// Personal-data protection: the reason given for each audited access, an audit log the application cannot rewrite
// (no update ever; a delete only of entries past the legal minimum of 180 days), and markers the retention job uses
// to find what it has not yet purged or pseudonymised.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_log add column reason text;
    create function audit_log_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then
        raise exception 'audit_log entries cannot be changed' using errcode = 'insufficient_privilege';
      end if;
      if old.at > now() - interval '180 days' then
        raise exception 'audit_log entries are kept at least 180 days' using errcode = 'insufficient_privilege';
      end if;
      return old;
    end $$;
    create trigger audit_log_guard before update or delete on audit_log for each row execute function audit_log_guard();
    create function audit_log_no_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log cannot be truncated' using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_log_no_truncate before truncate on audit_log execute function audit_log_no_truncate();

    alter table letters add column pseudonymised_at timestamptz;
    create index letters_closed_unpseudonymised on letters (status_changed_at) where status = 'closed' and pseudonymised_at is null;
    alter table source_messages add column payload_purged_at timestamptz;
    create index source_messages_payload_kept on source_messages (received_at) where payload_purged_at is null;
    alter table deliveries add column body_purged_at timestamptz;
    create index deliveries_body_kept on deliveries (created_at) where body_purged_at is null;
    create index sms_uplinks_received on sms_uplinks (received_at);
    create index sms_reports_received on sms_reports (received_at);
    create index sandbox_messages_created on sandbox_messages (created_at);
    create index attachments_created on attachments (created_at);
    create index deliveries_recipient on deliveries (recipient);
    create index letters_citizen_phone on letters ((body->'citizen'->>'phone'));
    create index letters_citizen_id on letters (citizen_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists letters_citizen_id, letters_citizen_phone, deliveries_recipient, attachments_created, sandbox_messages_created,
      sms_reports_received, sms_uplinks_received, deliveries_body_kept, source_messages_payload_kept,
      letters_closed_unpseudonymised;
    alter table deliveries drop column if exists body_purged_at;
    alter table source_messages drop column if exists payload_purged_at;
    alter table letters drop column if exists pseudonymised_at;
    drop trigger if exists audit_log_no_truncate on audit_log;
    drop trigger if exists audit_log_guard on audit_log;
    drop function if exists audit_log_no_truncate(), audit_log_guard();
    alter table audit_log drop column if exists reason;
  `.execute(db);
}
