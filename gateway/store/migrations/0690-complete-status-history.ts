// Every status change of a letter lands in letter_status_history, whoever makes it: the case store's status reports
// wrote their own row, but acceptance by forwarding, a reply and a rejection changed `letters.status` without one.
// A trigger records those (unless the writer already recorded that status, with its note), and past letters get
// their missing steps from what the letters row still knows.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function letter_status_history_record() returns trigger language plpgsql as $$
    begin
      insert into letter_status_history (letter_id, status, note)
      select new.id, new.status, null
      where not exists (select 1 from letter_status_history h where h.letter_id = new.id and h.status = new.status);
      return null;
    end $$;
    create trigger letters_status_history after update of status on letters
      for each row when (old.status is distinct from new.status) execute function letter_status_history_record();

    insert into letter_status_history (letter_id, status, note, at)
    select l.id, 'accepted', null, coalesce(l.forwarded_at, l.status_changed_at, l.received_at)
    from letters l
    where l.status in ('accepted', 'in_progress', 'replied', 'closed')
      and not exists (select 1 from letter_status_history h where h.letter_id = l.id and h.status = 'accepted');
    insert into letter_status_history (letter_id, status, note, at)
    select l.id, l.status, null, coalesce(l.status_changed_at, l.received_at)
    from letters l
    where l.status not in ('received', 'accepted')
      and not exists (select 1 from letter_status_history h where h.letter_id = l.id and h.status = l.status);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists letters_status_history on letters;
    drop function if exists letter_status_history_record();
  `.execute(db);
}
