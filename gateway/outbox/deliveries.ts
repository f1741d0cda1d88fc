// Queues outbound messages as delivery rows, always inside the caller's transaction so a message exists exactly when
// the change that caused it (an accepted letter, a reply received) is committed.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Letter } from '../../shared/letter.js';
import type { Database } from '../store/tables.js';
import { uuidv7 } from '../lib/uuid.js';
import type { TemplateValues } from '../templates/variables.js';

export type DeliveryKind = 'receipt' | 'reply' | 'notice' | 'survey' | 'service';

export interface NewDelivery {
  letterId: string | null;
  channel: string;
  recipient: string;
  kind: DeliveryKind;
  templateKey: string;
  variables: TemplateValues;
  /** Held until the letter has its serial (and earlier messages of the letter have gone out). */
  requiresSerial?: boolean;
  /** Not sent before this time (e.g. a survey some time after the final reply). */
  notBefore?: Date;
  /**
   * A message held until notBefore that a later step makes pointless, named by the first message of the draft it is
   * about (the letter's first source message): a draft's "keep writing" notice, dropped unsent when the draft is
   * submitted before it goes, and a draft's submit confirmation, dropped unsent when the letter's receipt is queued
   * before it goes (dropHeldMessages).
   */
  heldForDraft?: string;
}

type Executor = Kysely<Database> | Transaction<Database>;

export async function queueDeliveries(db: Executor, items: NewDelivery[]): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((d) => ({
    id: uuidv7(),
    letter_id: d.letterId,
    channel: d.channel,
    recipient: d.recipient,
    kind: d.kind,
    template_key: d.templateKey,
    variables: JSON.stringify(d.variables),
    requires_serial: d.requiresSerial ?? d.letterId !== null,
    next_attempt_at: d.notBefore ?? new Date(),
    ...(d.heldForDraft !== undefined ? { held_for_draft: d.heldForDraft } : {}),
  }));
  await db.insertInto('deliveries').values(rows).execute();
  return rows.map((r) => r.id);
}

/**
 * One `receipt` per newly accepted letter, on the channel it came from. A confirmation still held back for one of these
 * letters is dropped: the receipt tells the citizen the letter was received, with its serial (the count of parts the
 * confirmation listed is not repeated). One being sent already (claimed) is not touched and goes out first, as before.
 */
export async function queueReceipts(
  db: Executor,
  letters: { id: string; citizen_id: string; body: Letter }[],
): Promise<number> {
  if (letters.length === 0) return 0;
  // Named by the letter's first source message, which the letter carries: index look-ups, no join.
  await dropHeldMessages(
    db,
    letters.flatMap((l) =>
      l.body.sourceMessages.slice(0, 1).map((m) => ({ channel: l.body.channel, firstMessage: m.providerMessageId })),
    ),
  );
  const ids = await queueDeliveries(
    db,
    letters.map((l) => ({
      letterId: l.id,
      channel: l.body.channel,
      // The citizen as stored (a phone's token), not the body's id, which is encrypted there.
      recipient: l.citizen_id,
      kind: 'receipt',
      templateKey: 'receipt',
      // Letter values (serial, code, mailbox…) are filled in at send time, so they are always current.
      variables: {},
    })),
  );
  return ids.length;
}

/**
 * Drops the messages still held for these drafts (`heldForDraft`), named by each draft's first message:
 * only those not sent yet nor being sent. A message already claimed by a sender goes out, first, as it would have.
 */
export async function dropHeldMessages(
  db: Executor,
  drafts: { channel: string; firstMessage: string }[],
): Promise<void> {
  if (drafts.length === 0) return;
  // Looked up draft by draft (the lateral subquery, kept apart by `offset 0`, is planned with each draft's values):
  // joined as a whole, the planner read every message held at the time for each pass, thousands after a burst.
  await sql`
    delete from deliveries
    where id in (
      select held.id
      from unnest(${drafts.map((f) => f.channel)}::text[], ${drafts.map((f) => f.firstMessage)}::text[]) as v(channel, source)
      cross join lateral (select d.id from deliveries d
                          where d.channel = v.channel and d.held_for_draft = v.source
                            and d.status = 'queued' and d.attempts = 0
                          offset 0) held)`.execute(db);
}
