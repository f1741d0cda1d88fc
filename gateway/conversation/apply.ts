// One sender's pending messages, in arrival order, inside one transaction: each is a command (answered by the first
// handler that takes it) or draft content. The first message of a new draft is answered with how the draft is
// submitted; a submit word, or a message arriving after the quiet period, closes the draft it belongs to.
import { sql, type Transaction } from 'kysely';
import type { Config } from '../../config/settings.js';
import type { Database } from '../store/tables.js';
import type { Db } from '../store/db.js';
import { queueDeliveries, type NewDelivery } from '../outbox/deliveries.js';
import { uuidv7 } from '../letters/ids.js';
import type { TemplateValues } from '../templates/variables.js';
import { normalizeText, parseCommand, parseSubmit } from './parse.js';
import { quietPeriodLabel } from './notices.js';
import { commandHandlers, type CommandContext } from './commands/index.js';
import type { InboundMessage } from './types.js';
import { holdClaims } from './claims.js';

export interface PendingMessage {
  id: string;
  created_at: Date;
  message: InboundMessage;
}

/**
 * Returns how many answers were queued (the caller wakes the dispatcher after commit). Nothing is written if the
 * sender was claimed again meanwhile (`claim` is no longer the sender's: claims.ts).
 */
export async function applyMessages(
  tx: Transaction<Database>,
  config: Config,
  partChars: number,
  sender: { channel: InboundMessage['channel']; senderId: string; isPhone: boolean; claim: string },
  messages: PendingMessage[],
  db: Db,
): Promise<number> {
  if ((await holdClaims(tx, [sender])).size === 0) return 0;
  const existing = await tx
    .selectFrom('conversation_drafts')
    .select(['id', 'quiet_until'])
    .where('channel', '=', sender.channel)
    .where('sender_id', '=', sender.senderId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  const writes = newWrites();
  await planMessages(
    { tx, config, partChars, sender, messages, db, writes },
    existing && { id: existing.id, quietUntil: new Date(existing.quiet_until) },
  );
  await flushWrites(tx, writes);
  return writes.deliveries.length;
}

/**
 * What a pass decided, written at its end in a few set-based statements whatever the number of senders and messages:
 * new and changed drafts, answers queued, and what each message became.
 */
export interface Writes {
  drafts: Map<string, DraftWrite>;
  deliveries: NewDelivery[];
  marks: Mark[];
}

interface DraftWrite {
  isNew: boolean;
  channel: string;
  senderId: string;
  state: 'open' | 'closing';
  quietUntil: Date;
  closeRequestedAt: Date | null;
}

export const newWrites = (): Writes => ({ drafts: new Map(), deliveries: [], marks: [] });

export interface PlanContext {
  tx: Transaction<Database>;
  config: Config;
  partChars: number;
  sender: { channel: InboundMessage['channel']; senderId: string; isPhone: boolean };
  messages: PendingMessage[];
  db: Db;
  writes: Writes;
}

/** Decides what one sender's pending messages become (commands run inside `tx`); returns the draft left open. */
export async function planMessages(c: PlanContext, open: OpenDraft | undefined): Promise<OpenDraft | undefined> {
  const { tx, config, partChars, sender, messages, db, writes } = c;
  const quietMs = config.CONVERSATION_QUIET_SECONDS * 1000;
  const reply = (
    templateKey: string,
    variables: TemplateValues,
    letterId: string | null = null,
    held?: Pick<NewDelivery, 'notBefore' | 'heldForDraft'>,
  ) => {
    const delivery: NewDelivery = {
      letterId,
      channel: sender.channel,
      recipient: sender.senderId,
      kind: 'service',
      templateKey,
      variables,
      ...held,
    };
    writes.deliveries.push(delivery);
    return delivery;
  };
  const noticeHoldMs = config.CONVERSATION_NOTICE_HOLD_SECONDS * 1000;
  // The held "keep writing" notice of a draft opened in this pass: a submit in the same pass means it is never queued.
  let heldNotice: NewDelivery | undefined;
  let draft = open;
  const write = (d: OpenDraft, patch: Partial<DraftWrite>) => {
    const before = writes.drafts.get(d.id);
    writes.drafts.set(d.id, {
      isNew: before?.isNew ?? false,
      channel: sender.channel,
      senderId: sender.senderId,
      state: 'open',
      closeRequestedAt: null,
      ...before,
      quietUntil: d.quietUntil,
      ...patch,
    });
  };
  const close = (d: OpenDraft, requestedAt: Date) => write(d, { state: 'closing', closeRequestedAt: requestedAt });
  // What each message became is written once at the end of the pass, and a draft's quiet end when it closes or the
  // pass ends: a round trip per pass, not two per message.
  const mark = (id: string, v: Omit<Mark, 'id'>) => void writes.marks.push({ id, ...v });

  for (const p of messages) {
    const m = p.message;
    const arrived = new Date(p.created_at);
    if (draft && arrived > draft.quietUntil) {
      close(draft, draft.quietUntil);
      draft = undefined;
    }
    const rawText = m.type === 'text' ? (m.text ?? '') : '';
    const text = normalizeText(rawText);
    const ctx: CommandContext = {
      tx,
      db,
      config,
      message: m,
      senderIsPhone: sender.isPhone,
      text,
      command: text ? parseCommand(text, sender) : null,
      partChars,
      draftOpen: draft !== undefined,
      reply: (key, values, opts) => {
        reply(key, values, opts?.letterId ?? null);
        return Promise.resolve();
      },
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
      reply('nothing_to_submit', { submitWord: config.CONVERSATION_SUBMIT_WORDS[0] ?? '' });
      mark(p.id, { state: 'command', role: null, draft_id: null });
      continue;
    }
    if (!draft) {
      draft = { id: uuidv7(), quietUntil: new Date(arrived.getTime() + quietMs) };
      write(draft, { isNew: true });
      // A letter written and submitted in one message needs no "keep writing" notice. Held back, it is not needed
      // either when the draft is submitted before it goes (dropped then, see close.ts).
      heldNotice = undefined;
      if (!submit.submit) {
        const notice = reply(
          'draft_started',
          {
            submitWord: config.CONVERSATION_SUBMIT_WORDS[0] ?? '',
            quietPeriod: quietPeriodLabel(config.CONVERSATION_QUIET_SECONDS),
          },
          null,
          noticeHoldMs > 0 ? { notBefore: new Date(Date.now() + noticeHoldMs), heldForDraft: m.providerMessageId } : {},
        );
        if (noticeHoldMs > 0) heldNotice = notice;
      }
    }
    mark(p.id, {
      state: 'draft',
      role: submit.submit && submit.content === '' ? 'submit' : 'content',
      draft_id: draft.id,
    });
    draft.quietUntil = new Date(arrived.getTime() + quietMs);
    write(draft, {});
    if (submit.submit) {
      close(draft, arrived);
      draft = undefined;
      if (heldNotice) writes.deliveries.splice(writes.deliveries.indexOf(heldNotice), 1);
      heldNotice = undefined;
    }
  }
  // A draft left open is written even without new messages: its quiet end may have passed (it closes at flush).
  if (draft) write(draft, {});
  return draft;
}

/**
 * Writes a pass's decisions. Drafts still open are closed when their quiet end has passed by the database's clock.
 * Changed drafts are written before new ones: a sender's open draft closes before its next one opens (one open draft
 * per sender is a unique index).
 */
export async function flushWrites(tx: Transaction<Database>, w: Writes): Promise<void> {
  const all = [...w.drafts.entries()].map(([id, d]) => ({ id, ...d }));
  for (const rows of [all.filter((d) => !d.isNew), all.filter((d) => d.isNew)]) {
    if (rows.length === 0) continue;
    const values = sql`
      select v.id, v.channel, v.sender_id, v.quiet_until,
             case when v.state = 'open' and v.quiet_until <= now() then 'closing' else v.state end as state,
             case when v.state = 'open' and v.quiet_until <= now() then v.quiet_until else v.close_requested_at end
               as close_requested_at
      from unnest(${rows.map((d) => d.id)}::uuid[], ${rows.map((d) => d.channel)}::text[],
                  ${rows.map((d) => d.senderId)}::text[], ${rows.map((d) => d.quietUntil)}::timestamptz[],
                  ${rows.map((d) => d.state)}::text[], ${rows.map((d) => d.closeRequestedAt)}::timestamptz[])
        as v(id, channel, sender_id, quiet_until, state, close_requested_at)`;
    if (rows[0]!.isNew) {
      await sql`
        insert into conversation_drafts (id, channel, sender_id, quiet_until, state, close_requested_at)
        ${values}`.execute(tx);
    } else {
      await sql`
        update conversation_drafts d set quiet_until = n.quiet_until, state = n.state,
               close_requested_at = coalesce(n.close_requested_at, d.close_requested_at)
        from (${values}) n where d.id = n.id`.execute(tx);
    }
  }
  await queueDeliveries(tx, w.deliveries);
  const marks = w.marks;
  if (marks.length > 0) {
    await sql`
      update conversation_messages m set state = v.state, role = v.role, draft_id = v.draft_id
      from unnest(${marks.map((x) => x.id)}::bigint[], ${marks.map((x) => x.state)}::text[], ${marks.map((x) => x.role)}::text[],
                  ${marks.map((x) => x.draft_id)}::uuid[]) as v(id, state, role, draft_id)
      where m.id = v.id and m.state = 'pending'`.execute(tx);
  }
}

export interface OpenDraft {
  id: string;
  quietUntil: Date;
}

interface Mark {
  id: string;
  state: 'command' | 'draft';
  role: 'content' | 'submit' | null;
  draft_id: string | null;
}
