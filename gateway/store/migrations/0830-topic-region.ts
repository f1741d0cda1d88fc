// Topic and region for every letter, what only the case store knows (department, deadline, resolution), mailbox
// office levels, the staff-editable topic taxonomy (versioned) and the KPI fact tables (issue 15).
// Letters keep the values that count: a citizen's choice, an inference (marked, with its evidence) or the case
// store's correction, which wins; every change by the case store is kept in letter_case_updates.
// kpi_daily holds one row per (grouping, day, key) for letters received that day (Asia/Shanghai); triggers mark the
// days whose letters changed, and the KPI job recomputes those days.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table letters
      add column topic text,
      add column region_code text check (region_code ~ '^[0-9]{6}([0-9]{3}|[0-9]{6})?$'),
      add column topic_inferred boolean,
      add column region_inferred boolean,
      add column classification_evidence jsonb,
      add column department text,
      add column deadline_at timestamptz,
      add column resolved boolean,
      add column replied_at timestamptz;

    -- Replied when the case store reports the final reply (status replied) or closes the case without one.
    create function letters_replied_at() returns trigger language plpgsql as $$
    begin
      if new.replied_at is null and new.status in ('replied', 'closed') then
        new.replied_at := coalesce(new.status_changed_at, now());
      end if;
      return new;
    end $$;
    create trigger letters_replied_at before update of status on letters
      for each row when (new.status in ('replied', 'closed')) execute function letters_replied_at();
    update letters l set replied_at = coalesce(
        (select min(h.at) from letter_status_history h where h.letter_id = l.id and h.status in ('replied', 'closed')),
        l.status_changed_at)
      where l.status in ('replied', 'closed');

    create table letter_case_updates (
      id bigserial primary key,
      letter_id uuid not null references letters(id),
      at timestamptz not null default now(),
      source text not null,
      changes jsonb not null
    );
    create index letter_case_updates_letter on letter_case_updates (letter_id, id);

    alter table mailboxes add column office_level text
      check (office_level in ('party-secretary', 'mayor', 'city-department', 'district', 'street'));

    create table topic_taxonomy_versions (
      version int primary key,
      created_at timestamptz not null default now(),
      created_by text,
      note text
    );
    create table topic_taxonomy (
      version int not null references topic_taxonomy_versions(version),
      code text not null check (code ~ '^[a-z0-9-]{1,40}$'),
      name text not null,
      keywords text[] not null default '{}',
      sort int not null default 0,
      primary key (version, code)
    );

    create table kpi_daily (
      grouping text not null,
      day date not null,
      key text not null,
      received int not null,
      replied int not null,
      cycle_days_sum double precision not null,
      cycle_days real[] not null,
      closed int not null,
      resolved int not null,
      answered int not null,
      satisfied int not null,
      due int not null,
      overdue int not null,
      primary key (grouping, day, key)
    );
    create table kpi_dirty_days (
      day date primary key,
      marked_at timestamptz not null default now()
    );
    create table kpi_state (
      id int primary key check (id = 1),
      deadlines_swept_to timestamptz not null default now(),
      refreshed_at timestamptz
    );
    insert into kpi_state (id) values (1);

    create function kpi_mark_day(at timestamptz) returns void language sql as $$
      insert into kpi_dirty_days (day) values ((at at time zone 'Asia/Shanghai')::date) on conflict do nothing;
    $$;
    create function kpi_letters_changed() returns trigger language plpgsql as $$
    begin
      perform kpi_mark_day(new.received_at);
      if tg_op = 'UPDATE' and old.received_at is distinct from new.received_at then perform kpi_mark_day(old.received_at); end if;
      return null;
    end $$;
    create trigger letters_kpi_insert after insert on letters for each row execute function kpi_letters_changed();
    create trigger letters_kpi_update after update of status, topic, region_code, department, deadline_at, resolved, replied_at, received_at, body
      on letters for each row
      when (old.status is distinct from new.status or old.topic is distinct from new.topic
        or old.region_code is distinct from new.region_code or old.department is distinct from new.department
        or old.deadline_at is distinct from new.deadline_at or old.resolved is distinct from new.resolved
        or old.replied_at is distinct from new.replied_at or old.received_at is distinct from new.received_at
        or old.body->'mailbox' is distinct from new.body->'mailbox' or old.body->>'kind' is distinct from new.body->>'kind')
      execute function kpi_letters_changed();
    create function kpi_surveys_changed() returns trigger language plpgsql as $$
    begin
      perform kpi_mark_day(l.received_at) from letters l where l.id = new.letter_id;
      return null;
    end $$;
    create trigger surveys_kpi after insert or update of state, score on surveys
      for each row execute function kpi_surveys_changed();

    create index letters_deadline_open on letters (deadline_at) where replied_at is null and deadline_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists surveys_kpi on surveys;
    drop trigger if exists letters_kpi_update on letters;
    drop trigger if exists letters_kpi_insert on letters;
    drop trigger if exists letters_replied_at on letters;
    drop function if exists kpi_surveys_changed();
    drop function if exists kpi_letters_changed();
    drop function if exists kpi_mark_day(timestamptz);
    drop function if exists letters_replied_at();
    drop table if exists kpi_state, kpi_dirty_days, kpi_daily, topic_taxonomy, topic_taxonomy_versions, letter_case_updates;
    drop index if exists letters_deadline_open;
    alter table mailboxes drop column if exists office_level;
    alter table letters drop column if exists topic, drop column if exists region_code, drop column if exists topic_inferred,
      drop column if exists region_inferred, drop column if exists classification_evidence, drop column if exists department,
      drop column if exists deadline_at, drop column if exists resolved, drop column if exists replied_at;
  `.execute(db);
}
