// Uplink items: every item of a push is stored as it came (accepted, or rejected with the reason), duplicates by
// provider message id + phone skipped, and the good ones handed to the conversation module as InboundMessages.
import type { Db } from '../../store/db.js';
import type { InboundMessage } from '../../conversation/types.js';
import type { ParsedUplink } from './provider.js';

export interface StoredUplinks {
  messages: InboundMessage[];
  fresh: number;
  duplicates: number;
  rejected: number;
}

const chunk = 1000;

export async function storeUplinks(db: Db, provider: string, items: ParsedUplink[], now = new Date()): Promise<StoredUplinks> {
  const seen = new Set<string>();
  const messages: InboundMessage[] = [];
  const rows = items.map((u) => {
    const key = u.problem ? null : `${u.phone}:${u.messageId}`;
    if (key && !seen.has(key)) {
      seen.add(key);
      messages.push({ channel: 'sms', senderId: u.phone!, providerMessageId: key, receivedAt: u.sentAt ?? now, type: 'text', text: u.content!, payload: u.raw });
    }
    return {
      provider,
      dedup_key: key,
      phone: u.phone,
      content: u.content,
      sent_at: u.sentAt,
      sent_at_raw: u.sentAtRaw,
      status: u.problem ? ('rejected' as const) : ('accepted' as const),
      reason: u.problem ?? null,
      payload: JSON.stringify(u.raw ?? null),
    };
  });
  let fresh = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const r = await db
      .insertInto('sms_uplinks')
      .values(rows.slice(i, i + chunk))
      .onConflict((oc) => oc.columns(['provider', 'dedup_key']).where('dedup_key', 'is not', null).doNothing())
      .executeTakeFirst();
    fresh += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  const rejected = rows.filter((r) => r.status === 'rejected').length;
  // Every good item goes to the conversation module, including repeats: it skips what it has already stored, and a
  // push retried after a failed hand-over must still get through.
  return { messages, fresh: fresh - rejected, duplicates: rows.length - fresh, rejected };
}
