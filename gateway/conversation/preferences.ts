// Citizen preferences the outbound side must respect: after an opt-out only messages about the citizen's own open
// letters (receipt, reply) are sent; surveys and notices are not. An opt-out remembers who set it: the citizen's
// own 退订 stays until they send 订阅; an unfollow of the official account is lifted when they follow again.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/tables.js';

type Executor = Kysely<Database> | Transaction<Database>;
export type OptOutSource = 'command' | 'unfollow';

export async function isOptedOut(db: Executor, channel: string, citizenId: string): Promise<boolean> {
  const row = await db
    .selectFrom('citizen_preferences')
    .select('opted_out_at')
    .where('channel', '=', channel)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row?.opted_out_at != null;
}

/**
 * Records an opt-out; returns whether it is new. The citizen's own command outranks an unfollow (a later re-follow
 * must not lift it); an unfollow never weakens a command.
 */
export async function optOut(db: Executor, channel: string, citizenId: string, source: OptOutSource): Promise<boolean> {
  const r = await sql<{ first: boolean }>`
    with prior as (select opted_out_at from citizen_preferences where channel = ${channel} and citizen_id = ${citizenId})
    insert into citizen_preferences (channel, citizen_id, opted_out_at, opt_out_source)
    values (${channel}, ${citizenId}, now(), ${source})
    on conflict (channel, citizen_id) do update
      set opted_out_at = coalesce(citizen_preferences.opted_out_at, now()),
          opt_out_source = case when citizen_preferences.opted_out_at is null or ${source} = 'command' then ${source}
                                else citizen_preferences.opt_out_source end,
          updated_at = now()
    returning (select opted_out_at from prior) is null as first`.execute(db);
  return r.rows[0]?.first ?? false;
}

/** Lifts an opt-out (only one set by `onlySource` when given); returns whether there was one to lift. */
export async function optIn(
  db: Executor,
  channel: string,
  citizenId: string,
  onlySource?: OptOutSource,
): Promise<boolean> {
  let q = db
    .updateTable('citizen_preferences')
    .set({ opted_out_at: null, opt_out_source: null, updated_at: new Date() })
    .where('channel', '=', channel)
    .where('citizen_id', '=', citizenId)
    .where('opted_out_at', 'is not', null);
  if (onlySource) q = q.where('opt_out_source', '=', onlySource);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
