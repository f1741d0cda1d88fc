// One sender's pending messages, in arrival order, inside one transaction: each is a command (answered by the first
// handler that takes it) or draft content. The first message of a new draft is answered with how the draft is
// submitted; a submit word, or a message arriving after the quiet period, closes the draft it belongs to.
import { sql, type Transaction } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Database } from '../store/tables.js';
import type { Db } from '../store/db.js';
import { queueDeliveries } from '../outbox/deliveries.js';
import { uuidv7 } from '../letters/ids.js';
import type { TemplateValues } from '../templates/variables.js';
import { normalizeText, parseCommand, parseSubmit } from './parse.js';
import { quietPeriodLabel } from './notices.js';
import { commandHandlers, type CommandContext } from './commands/index.js';
import type { InboundMessage } from './types.js';

export interface PendingMessage {
  id: string;
  created_at: Date;
  message: InboundMessage;
}

interface OpenDraft {
  id: string;
  quietUntil: Date;
}

/** Returns how many answers were queued (the caller wakes the dispatcher after commit). */
export async function applyMessages(
  tx: Transaction<Database>,
  config: Config,
  partChars: number,
  sender: { channel: InboundMessage['channel']; senderId: string; isPhone: boolean },
  messages: PendingMessage[],
  db: Db,
): Promise<number> {
  const quietMs = config.CONVERSATION_QUIET_SECONDS * 1000;
  let queued = 0;
  const reply = async (templateKey: string, variables: TemplateValues, letterId: string | null = null) => {
    await queueDeliveries(tx, [
      { letterId, channel: sender.channel, recipient: sender.senderId, kind: 'service', templateKey, variables },
    ]);
    queued++;
  };
  const existing = await tx
    .selectFrom('conversation_drafts')
    .select(['id', 'quiet_until'])
    .where('channel', '=', sender.channel)
    .where('sender_id', '=', sender.senderId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  let draft: OpenDraft | undefined = existing && { id: existing.id, quietUntil: new Date(existing.quiet_until) };

  const close = async (d: OpenDraft, requestedAt: Date) => {
    await tx
      .updateTable('conversation_drafts')
      .set({ state: 'closing', close_requested_at: requestedAt, quiet_until: d.quietUntil })
      .where('id', '=', d.id)
      .execute();
  };
  // What each message became is written once at the end of the pass, and a draft's quiet end when it closes or the
  // pass ends: a round trip per pass, not two per message.
  const marks: Mark[] = [];
  const mark = (id: string, v: Omit<Mark, 'id'>) => void marks.push({ id, ...v });

  for (const p of messages) {
    const m = p.message;
    const arrived = new Date(p.created_at);
    if (draft && arrived > draft.quietUntil) {
      await close(draft, draft.quietUntil);
      draft = undefined;
    }
    const rawText = m.type === 'text' ? (m.text ?? '') : '';
    const text = normalizeText(rawText);
    const ctx: CommandContext = {
      tx,
      db,
      config,
      message: m,
      text,
      command: text ? parseCommand(text, sender) : null,
      partChars,
      draftOpen: draft !== undefined,
      reply: (key, values, opts) => reply(key, values, opts?.letterId ?? null),
    };
    let handled = false;
    for (const h of commandHandlers) {
      if (await h.handle(ctx)) {
        handled = true;
        break;
      }
    }
    if (handled) {
      mark(p.id, { state: 'command', role: null, draft_id: null });
      continue;
    }
    const submit =
      m.type === 'text' ? parseSubmit(rawText, config.CONVERSATION_SUBMIT_WORDS) : { content: '', submit: false };
    if (submit.submit && submit.content === '' && !draft) {
      // Nothing open to submit (already submitted, or never started): say how writing works.
      await reply('nothing_to_submit', { submitWord: config.CONVERSATION_SUBMIT_WORDS[0] ?? '' });
      mark(p.id, { state: 'command', role: null, draft_id: null });
      continue;
    }
    if (!draft) {
      draft = { id: uuidv7(), quietUntil: new Date(arrived.getTime() + quietMs) };
      await tx
        .insertInto('conversation_drafts')
        .values({ id: draft.id, channel: sender.channel, sender_id: sender.senderId, quiet_until: draft.quietUntil })
        .execute();
      // A letter written and submitted in one message needs no "keep writing" notice.
      if (!submit.submit) {
        await reply('draft_started', {
          submitWord: config.CONVERSATION_SUBMIT_WORDS[0] ?? '',
          quietPeriod: quietPeriodLabel(config.CONVERSATION_QUIET_SECONDS),
        });
      }
    }
    mark(p.id, {
      state: 'draft',
      role: submit.submit && submit.content === '' ? 'submit' : 'content',
      draft_id: draft.id,
    });
    draft.quietUntil = new Date(arrived.getTime() + quietMs);
    if (submit.submit) {
      await close(draft, arrived);
      draft = undefined;
    }
  }
  if (draft) {
    // Closed when its quiet end has passed by the database's clock, else kept open until then.
    await sql`
      update conversation_drafts set quiet_until = ${draft.quietUntil}::timestamptz,
             state = case when ${draft.quietUntil}::timestamptz <= now() then 'closing' else state end,
             close_requested_at = case when ${draft.quietUntil}::timestamptz <= now() then ${draft.quietUntil}::timestamptz else close_requested_at end
      where id = ${draft.id}`.execute(tx);
  }
  if (marks.length > 0) {
    await sql`
      update conversation_messages m set state = v.state, role = v.role, draft_id = v.draft_id
      from unnest(${marks.map((x) => x.id)}::bigint[], ${marks.map((x) => x.state)}::text[], ${marks.map((x) => x.role)}::text[],
                  ${marks.map((x) => x.draft_id)}::uuid[]) as v(id, state, role, draft_id)
      where m.id = v.id`.execute(tx);
  }
  return queued;
}

interface Mark {
  id: string;
  state: 'command' | 'draft';
  role: 'content' | 'submit' | null;
  draft_id: string | null;
}
