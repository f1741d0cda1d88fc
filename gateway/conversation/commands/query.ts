// `查询 <serial> <code>`: the progress of a letter and its latest reply, through the shared guard in
// letters/progress-query.ts (one per-serial budget across every channel, per sender and overall; the writer of the
// letter is answered without the code and never refused). A wrong serial and a wrong code get the same answer; the
// "too many tries" answer is sent once per hour, not once per try.
import { sql } from 'kysely';
import { splitText } from '../../lib/text.js';
import type { LetterStatus } from '../../store/tables.js';
import { findOwnLetter, lookupProgress, type FoundLetter } from '../../letters/progress-query.js';
import type { CommandContext, CommandHandler } from './handler.js';
import { format } from '../../i18n/catalogue.js';
import { messages } from '../messages.zh-CN.js';

const limitedNoticeMinutes = 60;

const statusLabels: Record<LetterStatus, string> = {
  received: format(messages, 'conversation.statusLabels.received'),
  accepted: format(messages, 'conversation.statusLabels.accepted'),
  in_progress: format(messages, 'conversation.statusLabels.in_progress'),
  replied: format(messages, 'conversation.statusLabels.replied'),
  closed: format(messages, 'conversation.statusLabels.closed'),
  rejected: format(messages, 'conversation.statusLabels.rejected'),
};

export const queryCommand: CommandHandler = {
  name: 'query',
  async handle(ctx) {
    const c = ctx.command;
    if (c?.type === 'query_malformed') {
      await ctx.reply('query_usage', {});
      return true;
    }
    if (c?.type !== 'query') return false;
    const requester = { channel: ctx.message.channel, id: ctx.message.senderId };
    // "查询 CD20261126000123" without a code reads as serial + code; the writer's own serial is found either way.
    const own = await findOwnLetter(ctx.db, c.serial + c.code, requester);
    const r = own
      ? { outcome: 'found' as const, letter: own }
      : await lookupProgress(ctx.db, ctx.config, { serial: c.serial, code: c.code, requester });
    if (r.outcome === 'limited') {
      if ((await countEvents(ctx, 'query_limited')) === 0) {
        await record(ctx, 'query_limited');
        await ctx.reply('rate_limited', { retryMinutes: String(Math.ceil(r.retryAfterSeconds / 60)) });
      }
      return true;
    }
    if (r.outcome === 'not_found') {
      await ctx.reply('query_not_found', {});
      return true;
    }
    await answer(ctx, r.letter);
    return true;
  },
};

async function answer(ctx: CommandContext, letter: FoundLetter): Promise<void> {
  const { id: letterId, serial } = letter;
  const status = statusLabels[letter.status];
  const text = (await latestReply(ctx, letterId)) || format(messages, 'conversation.noReply');
  const parts = splitText(text, Math.max(1, ctx.partChars));
  for (const [i, part] of parts.entries()) {
    await ctx.reply(
      'query_result',
      { serial, status, replyText: part, partNumber: String(i + 1), partCount: String(parts.length) },
      { letterId },
    );
  }
}

/** The text of the newest reply; a reply sent in parts is one delivery per part, joined back here. */
async function latestReply(ctx: CommandContext, letterId: string): Promise<string> {
  const rows = await ctx.tx
    .selectFrom('deliveries')
    .select([
      sql<string | null>`variables->>'replyText'`.as('text'),
      sql<string | null>`variables->>'partCount'`.as('parts'),
    ])
    .where('letter_id', '=', letterId)
    .where('kind', '=', 'reply')
    .orderBy('seq', 'desc')
    .limit(100)
    .execute();
  const count = Math.min(Math.max(1, Number(rows[0]?.parts ?? 1) || 1), rows.length);
  return rows
    .slice(0, count)
    .reverse()
    .map((r) => r.text ?? '')
    .join('')
    .trim();
}

async function countEvents(ctx: CommandContext, action: string): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) as n from conversation_command_events
    where channel = ${ctx.message.channel} and sender_id = ${ctx.message.senderId} and action = ${action}
      and at > now() - make_interval(mins => ${limitedNoticeMinutes})`.execute(ctx.tx);
  return Number(r.rows[0]?.n ?? 0);
}

async function record(ctx: CommandContext, action: string): Promise<void> {
  await ctx.tx
    .insertInto('conversation_command_events')
    .values({ channel: ctx.message.channel, sender_id: ctx.message.senderId, action })
    .execute();
}
