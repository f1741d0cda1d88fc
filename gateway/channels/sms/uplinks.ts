// Uplink items: every item of a push is stored as it came (accepted, or rejected with the reason), duplicates by
// provider message id + phone skipped, and the good ones handed to the conversation module as InboundMessages.
// Items are independent: each is cleaned by the one text rule before it reaches PostgreSQL (an item that needed it
// keeps its original JSON for staff), an item longer than the per-item limit is held as rejected instead of
// acknowledged into a draft, and an item PostgreSQL still refuses is held alone without failing the others.
import type { Db } from '../../store/db.js';
import type { InboundMessage } from '../../conversation/types.js';
import type { ParsedUplink } from './provider.js';
import { cleanJson, cleanText } from '../../../shared/text.js';

export interface StoredUplinks {
  messages: InboundMessage[];
  fresh: number;
  duplicates: number;
  rejected: number;
}

export interface UplinkLimits {
  /** Longest content (characters) one item may carry to become part of a letter. */
  maxChars: number;
}

const chunk = 1000;

type Row = {
  provider: string;
  dedup_key: string | null;
  phone: string | null;
  content: string | null;
  sent_at: Date | null;
  sent_at_raw: string | null;
  status: 'accepted' | 'rejected';
  reason: string | null;
  payload: string;
  raw_text: string | null;
};

export async function storeUplinks(
  db: Db,
  provider: string,
  items: ParsedUplink[],
  limits: UplinkLimits,
  now = new Date(),
): Promise<StoredUplinks> {
  const seen = new Set<string>();
  const messages = new Map<number, InboundMessage>();
  const rows = items.map((u, i): Row => {
    const content = u.content === null ? null : cleanText(u.content);
    const messageId = u.messageId === null ? null : cleanText(u.messageId);
    const payload = cleanJson(u.raw ?? null);
    const problem =
      u.problem ??
      (!content?.trim()
        ? 'no content'
        : !messageId
          ? 'no sequence_id'
          : content.length > limits.maxChars
            ? `content too long (${content.length} characters, limit ${limits.maxChars})`
            : undefined);
    const key = problem ? null : `${u.phone}:${messageId}`;
    if (key && !seen.has(key)) {
      seen.add(key);
      messages.set(i, {
        channel: 'sms',
        senderId: u.phone!,
        providerMessageId: key,
        receivedAt: u.sentAt ?? now,
        type: 'text',
        text: content!,
        payload,
      });
    }
    return {
      provider,
      dedup_key: key,
      phone: u.phone,
      content,
      sent_at: u.sentAt,
      sent_at_raw: u.sentAtRaw === null ? null : cleanText(u.sentAtRaw),
      status: problem ? 'rejected' : 'accepted',
      reason: problem ?? null,
      payload: JSON.stringify(payload),
      // cleanJson hands back the very same value when nothing needed cleaning.
      raw_text: payload === (u.raw ?? null) ? null : JSON.stringify(u.raw ?? null),
    };
  });
  let fresh = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    try {
      fresh += await insert(db, part);
    } catch (err) {
      if (!isDataError(err)) throw err;
      // One item PostgreSQL refuses must not hold back the others: store them one by one.
      for (let j = 0; j < part.length; j++) {
        const row = part[j]!;
        try {
          fresh += await insert(db, [row]);
        } catch (rowErr) {
          if (!isDataError(rowErr)) throw rowErr;
          messages.delete(i + j);
          const reason = `not storable: ${(rowErr as Error).message.slice(0, 200)}`;
          const held: Row = {
            ...row,
            dedup_key: null,
            content: null,
            sent_at_raw: null,
            status: 'rejected',
            reason,
            payload: 'null',
            raw_text: JSON.stringify(items[i + j]?.raw ?? null),
          };
          rows[i + j] = held;
          fresh += await insert(db, [held]);
        }
      }
    }
  }
  const rejected = rows.filter((r) => r.status === 'rejected').length;
  // Every good item goes to the conversation module, including repeats: it skips what it has already stored, and a
  // push retried after a failed hand-over must still get through.
  return { messages: [...messages.values()], fresh: fresh - rejected, duplicates: rows.length - fresh, rejected };
}

async function insert(db: Db, rows: Row[]): Promise<number> {
  const r = await db
    .insertInto('sms_uplinks')
    .values(rows)
    .onConflict((oc) => oc.columns(['provider', 'dedup_key']).where('dedup_key', 'is not', null).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** PostgreSQL's data exceptions (class 22: bad encoding, value too long …) and program limits (54): the row, not the database. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}
