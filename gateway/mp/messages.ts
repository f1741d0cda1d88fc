// GET /mp/messages — the message centre: every reply, status change and survey invitation of the citizen's own
// letters, newest first, each marked unread when newer than what the citizen has read, so nothing is missed when
// one-time notifications were declined. POST /mp/messages/read moves the read mark forward (never back, under
// concurrency too: one atomic upsert with greatest()); POST /mp/messages/:id/read marks one message read (one row
// per message, inserted once however often and however concurrently it is asked).
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { sql, type Generated } from 'kysely';
import { z } from 'zod';
import { readJson } from '../http/body.js';
import { parseBody } from '../outbound/api.js';
import type { Db } from '../store/db.js';
import type { Timestamp } from '../store/column-types.js';
import type { Letter } from '../../shared/letter.js';
import { statusLabels } from '../../shared/mp-api.js';
import { format } from '../i18n/catalogue.js';
import { AppError } from '../errors.js';
import { messages as mpMessages, say } from './messages.zh-CN.js';
import { wechatMpChannel } from '../channels/wechat-mp/channel-id.js';

export interface MpMessageReadsTable {
  openid: string;
  read_until: Timestamp;
  updated_at: Generated<Date>;
}

export interface MpMessageReadMarksTable {
  openid: string;
  message_id: string;
  read_at: Generated<Date>;
}

declare module '../store/tables.js' {
  interface Database {
    mp_message_reads: MpMessageReadsTable;
    mp_message_read_marks: MpMessageReadMarksTable;
  }
}

/** The ids messagesOf hands out: kind, then the row's id (a number or a UUID). */
const messageIdPattern = /^(status|reply|survey):[0-9a-f-]{1,64}$/;

export interface MpMessage {
  id: string;
  kind: 'status' | 'reply' | 'survey';
  letterId: string;
  title: string;
  text: string;
  at: string;
  unread: boolean;
}

const LIMIT = 100;
const titleOf = (body: Letter) => body.title ?? [...body.body].slice(0, 20).join('');

export async function messagesOf(db: Db, openid: string): Promise<{ messages: MpMessage[]; unread: number }> {
  const letters = await db
    .selectFrom('letters')
    .select(['id', 'body'])
    .where('channel', '=', wechatMpChannel)
    .where('citizen_id', '=', openid)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  if (letters.length === 0) return { messages: [], unread: 0 };
  const ids = letters.map((l) => l.id);
  const titles = new Map(letters.map((l) => [l.id, titleOf(l.body)]));
  const [statuses, replies, surveys, read, marks] = await Promise.all([
    db
      .selectFrom('letter_status_history')
      .select(['id', 'letter_id', 'status', 'at'])
      .where('letter_id', 'in', ids)
      .where('status', 'in', ['accepted', 'in_progress', 'closed', 'rejected'])
      .orderBy('at', 'desc')
      .limit(LIMIT)
      .execute(),
    db
      .selectFrom('deliveries')
      .select(['seq', 'letter_id', 'variables', 'created_at'])
      .where('letter_id', 'in', ids)
      .where('kind', '=', 'reply')
      // A long reply queued in parts is one message: its first part carries it.
      .where(sql<boolean>`coalesce(variables->>'partNumber', '1') = '1'`)
      .orderBy('created_at', 'desc')
      .limit(LIMIT)
      .execute(),
    db
      .selectFrom('surveys')
      .select(['id', 'letter_id', 'state', 'created_at'])
      .where('letter_id', 'in', ids)
      .orderBy('created_at', 'desc')
      .limit(LIMIT)
      .execute(),
    db.selectFrom('mp_message_reads').select('read_until').where('openid', '=', openid).executeTakeFirst(),
    db.selectFrom('mp_message_read_marks').select('message_id').where('openid', '=', openid).execute(),
  ]);
  const marked = new Set(marks.map((m) => m.message_id));
  const readUntil = read ? new Date(read.read_until).getTime() : 0;
  const out: Omit<MpMessage, 'unread'>[] = [
    ...statuses.map((s) => ({
      id: `status:${s.id}`,
      kind: 'status' as const,
      letterId: s.letter_id,
      title: titles.get(s.letter_id) ?? '',
      text: format(mpMessages, 'mp.progress', { status: statusLabels[s.status] }),
      at: new Date(s.at).toISOString(),
    })),
    ...replies.map((r) => ({
      id: `reply:${r.seq}`,
      kind: 'reply' as const,
      letterId: r.letter_id!,
      title: titles.get(r.letter_id!) ?? '',
      text: r.variables.replyText ?? '',
      at: new Date(r.created_at).toISOString(),
    })),
    ...surveys.map((s) => ({
      id: `survey:${s.id}`,
      kind: 'survey' as const,
      letterId: s.letter_id,
      title: titles.get(s.letter_id) ?? '',
      text:
        s.state === 'open'
          ? format(mpMessages, 'mp.surveyPrompt')
          : s.state === 'answered'
            ? format(mpMessages, 'mp.surveyThanks')
            : format(mpMessages, 'mp.surveyClosed'),
      at: new Date(s.created_at).toISOString(),
    })),
  ];
  const messages = out
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, LIMIT)
    .map((m) => ({ ...m, unread: Date.parse(m.at) > readUntil && !marked.has(m.id) }));
  return { messages, unread: messages.filter((m) => m.unread).length };
}

/** POST /mp/messages/read: everything up to this instant is read (never beyond the server's now). */
export const mpReadUntilRequestSchema = z
  .object({ until: z.iso.datetime({ offset: true }).describe('the time of the newest message the citizen saw') })
  .strict();

export function messageRoutes(router: Router, db: Db, auth: Middleware, openidOf: (ctx: Context) => string): void {
  router.get('/mp/messages', auth, async (ctx) => {
    ctx.body = await messagesOf(db, openidOf(ctx));
  });
  router.post('/mp/messages/read', auth, async (ctx) => {
    const openid = openidOf(ctx);
    const { until } = parseBody(mpReadUntilRequestSchema, await readJson(ctx, 1024));
    // Never beyond now: a phone with a fast clock must not hide messages still to come.
    const at = new Date(Math.min(Date.parse(until), Date.now()));
    await sql`
      insert into mp_message_reads (openid, read_until) values (${openid}, ${at})
      on conflict (openid) do update set read_until = greatest(mp_message_reads.read_until, excluded.read_until), updated_at = now()`.execute(
      db,
    );
    ctx.body = await messagesOf(db, openid);
  });
  router.post('/mp/messages/:id/read', auth, async (ctx) => {
    const openid = openidOf(ctx);
    const id = ctx.params.id ?? '';
    // Only a message of the citizen's own letters can be marked: anything else is a message that does not exist.
    const own = messageIdPattern.test(id) ? await messagesOf(db, openid) : null;
    if (!own?.messages.some((m) => m.id === id))
      throw new AppError('not_found', { detail: say('mp.messages.id.invalid') });
    await sql`
      insert into mp_message_read_marks (openid, message_id) values (${openid}, ${id})
      on conflict (openid, message_id) do nothing`.execute(db);
    ctx.body = await messagesOf(db, openid);
  });
}
