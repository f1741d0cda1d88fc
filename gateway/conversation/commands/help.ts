// `帮助` / `?`: how to write a letter and check progress on this channel.
import type { CommandHandler } from './handler.js';
import { quietPeriodLabel } from '../notices.js';

export const helpCommand: CommandHandler = {
  name: 'help',
  async handle(ctx) {
    if (ctx.command?.type !== 'help') return false;
    await ctx.reply('help', {
      submitWord: ctx.config.CONVERSATION_SUBMIT_WORDS[0] ?? '',
      quietPeriod: quietPeriodLabel(ctx.config.CONVERSATION_QUIET_SECONDS),
    });
    return true;
  },
};
