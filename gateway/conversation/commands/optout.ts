// `退订` / `TD` (and `T` by SMS): no more surveys and notices, only messages about the citizen's own open letters.
// Confirmed once; a repeated opt-out is recorded but not answered again. `订阅` (or 恢复订阅, 取消退订) lifts it.
import type { CommandHandler } from './handler.js';
import { optIn, optOut } from '../preferences.js';

export const optOutCommand: CommandHandler = {
  name: 'optout',
  async handle(ctx) {
    if (ctx.command?.type !== 'optout') return false;
    if (await optOut(ctx.tx, ctx.message.channel, ctx.message.senderId, 'command'))
      await ctx.reply('optout_confirm', {});
    return true;
  },
};

export const optInCommand: CommandHandler = {
  name: 'optin',
  async handle(ctx) {
    if (ctx.command?.type !== 'optin') return false;
    // Answered either way, so the citizen knows where they stand.
    await optIn(ctx.tx, ctx.message.channel, ctx.message.senderId);
    await ctx.reply('resubscribe_confirm', {});
    return true;
  },
};
