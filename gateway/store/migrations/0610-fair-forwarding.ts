// Forwarding shares the case store out fairly across citizens: each pending letter carries its sender's turn (1 for
// the citizen's oldest pending letter, 2 for the next…), and the forwarder takes turns in order, so one citizen's
// thousands of letters go one per round while everyone else's first letter goes in the next batch. The turn is set
// by a trigger at insert, whatever door the letter came through; two letters of one citizen stored at the same
// instant may share a turn, which only makes the round a little uneven.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table letters add column sender_turn int not null default 1;
    create index letters_sender_pending on letters (channel, citizen_id, sender_turn) where forward_state = 'pending';
    create index letters_forward_turn on letters (sender_turn, next_forward_at) where forward_state = 'pending';
    create function letters_sender_turn() returns trigger language plpgsql as $$
    begin
      select coalesce(max(sender_turn), 0) + 1 into new.sender_turn from letters
      where channel = new.channel and citizen_id = new.citizen_id and forward_state = 'pending';
      return new;
    end $$;
    create trigger letters_sender_turn before insert on letters for each row execute function letters_sender_turn();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists letters_sender_turn on letters;
    drop function if exists letters_sender_turn();
    drop index if exists letters_forward_turn;
    drop index if exists letters_sender_pending;
    alter table letters drop column if exists sender_turn;
  `.execute(db);
}
