// `退订` / `TD` (and `T` by SMS): no more surveys and notices, only messages about the citizen's own open letters.
// Confirmed once; a repeated opt-out is recorded but not answered again.
import { sql } from 'kysely';
import type { CommandHandler } from './handler.js';

export const optOutCommand: CommandHandler = {
  name: 'optout',
  async handle(ctx) {
    if (ctx.command?.type !== 'optout') return false;
    const r = await sql<{ first: boolean }>`
      with prior as (select opted_out_at from citizen_preferences
                     where channel = ${ctx.message.channel} and citizen_id = ${ctx.message.senderId})
      insert into citizen_preferences (channel, citizen_id, opted_out_at)
      values (${ctx.message.channel}, ${ctx.message.senderId}, now())
      on conflict (channel, citizen_id) do update
        set opted_out_at = coalesce(citizen_preferences.opted_out_at, now()), updated_at = now()
      returning (select opted_out_at from prior) is null as first`.execute(ctx.tx);
    if (r.rows[0]?.first) await ctx.reply('optout_confirm', {});
    return true;
  },
};
