// `查询 <serial> <code>`: the progress of a letter and its latest reply. A wrong serial and a wrong code get the same
// answer after the same work (constant-time comparison), and failed tries are limited per sender in the database so
// extraction codes cannot be guessed; the "too many tries" answer is sent once per window, not once per try.
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { splitText } from '../../outbound/summary.js';
import type { LetterStatus } from '../../store/tables.js';
import type { CommandContext, CommandHandler } from './handler.js';

export const QUERY_FAILURES_ALLOWED = 5;
export const QUERY_WINDOW_MINUTES = 10;

const statusLabels: Record<LetterStatus, string> = {
  received: '已收到，正在登记',
  accepted: '已受理',
  in_progress: '办理中',
  replied: '已答复',
  closed: '已办结',
  rejected: '未能登记，请重新来信',
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
    const failures = await countEvents(ctx, 'query_failed');
    if (failures >= QUERY_FAILURES_ALLOWED) {
      if ((await countEvents(ctx, 'query_limited')) === 0) {
        await record(ctx, 'query_limited');
        await ctx.reply('rate_limited', { retryMinutes: String(QUERY_WINDOW_MINUTES) });
      }
      return true;
    }
    const letter = await ctx.tx
      .selectFrom('letters')
      .select(['id', 'status', 'extraction_code', 'serial'])
      .where('serial', '=', c.serial)
      .executeTakeFirst();
    // Compare digests of equal length whether or not the serial exists, so timing tells nothing either.
    const matches = timingSafeEqual(digest(letter?.extraction_code ?? 'no letter'), digest(c.code)) && letter !== undefined;
    if (!matches || !letter) {
      await record(ctx, 'query_failed');
      await ctx.reply('query_not_found', {});
      return true;
    }
    await answer(ctx, letter.id, c.serial, statusLabels[letter.status] ?? letter.status);
    return true;
  },
};

async function answer(ctx: CommandContext, letterId: string, serial: string, status: string): Promise<void> {
  const text = (await latestReply(ctx, letterId)) || '暂无答复';
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
    .select([sql<string | null>`variables->>'replyText'`.as('text'), sql<string | null>`variables->>'partCount'`.as('parts')])
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

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

async function countEvents(ctx: CommandContext, action: string): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) as n from conversation_command_events
    where channel = ${ctx.message.channel} and sender_id = ${ctx.message.senderId} and action = ${action}
      and at > now() - make_interval(mins => ${QUERY_WINDOW_MINUTES})`.execute(ctx.tx);
  return Number(r.rows[0]?.n ?? 0);
}

async function record(ctx: CommandContext, action: string): Promise<void> {
  await ctx.tx
    .insertInto('conversation_command_events')
    .values({ channel: ctx.message.channel, sender_id: ctx.message.senderId, action })
    .execute();
}
