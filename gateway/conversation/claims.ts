// Fences a conversation pass's writes by its claim. A claim is a lease: a pass that outlives it (a slow machine, a
// long pause) may find the sender claimed again by another instance, which reads the same pending messages. Each
// claim increments the sender's `claim`; a pass's transaction first locks the senders that still carry the number it
// claimed with, and writes only for those. The lock is FOR KEY SHARE: a claim (FOR UPDATE SKIP LOCKED) passes over a
// sender held this way until the transaction ends, while storing new messages (a plain update of the sender's inbox
// version) does not wait for it — the official account must be answered within 5 s.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/tables.js';

export interface SenderClaim {
  channel: string;
  senderId: string;
  /** The sender's `claim` as this pass's claim set it. */
  claim: string;
}

export const senderKey = (channel: string, senderId: string): string => `${channel}\u0000${senderId}`;

/** Inside `tx`: the senders (by senderKey) this pass still owns, locked against another claim until `tx` ends. */
export async function holdClaims(tx: Transaction<Database>, claims: SenderClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const r = await sql<{ channel: string; sender_id: string }>`
    select s.channel, s.sender_id from conversation_senders s
    join unnest(${claims.map((c) => c.channel)}::text[], ${claims.map((c) => c.senderId)}::text[],
                ${claims.map((c) => c.claim)}::bigint[]) as v(channel, sender_id, claim)
      on s.channel = v.channel and s.sender_id = v.sender_id and s.claim = v.claim
    for key share of s`.execute(tx);
  return new Set(r.rows.map((x) => senderKey(x.channel, x.sender_id)));
}
