// Closes the due drafts of a whole claimed batch of senders in a few set-based statements (close.ts does the same for
// one sender, and is what a failed batch falls back to): the drafts and their messages are read in two statements,
// the confirmations queued in one transaction, the letters stored by one intake statement, and the drafts marked in
// one more. Every step can be repeated after a crash: a confirmed draft is `submitting`, and intake deduplicates by
// source message.
import { sql } from 'kysely';
import { AppError } from '../errors.js';
import { dropHeldMessages, queueDeliveries, type NewDelivery } from '../outbox/deliveries.js';
import type { IntakeInput } from '../letters/intake.js';
import { composeLetter, type DraftMessage } from './compose.js';
import { heldConfirmation, heldMessagesOf, notFetched, toDraftMessage, type CloseDeps } from './close.js';
import { yielder } from '../lib/yield.js';
import { holdClaims, senderKey, type SenderClaim } from './claims.js';

/**
 * Closes what is due; returns the senders with a closing draft still waiting for media, and how many closed. The drafts
 * of a sender claimed again by another pass meanwhile (claims.ts) are left to that pass.
 */
export async function closeDueDraftsOf(
  d: CloseDeps,
  senders: SenderClaim[],
): Promise<{ waiting: Set<string>; closed: number }> {
  const waiting = new Set<string>();
  if (senders.length === 0) return { waiting, closed: 0 };
  const drafts = await sql<{ id: string; channel: string; sender_id: string; state: string; close_requested_at: Date }>`
    select d.id, d.channel, d.sender_id, d.state, d.close_requested_at
    from conversation_drafts d
    join unnest(${senders.map((s) => s.channel)}::text[], ${senders.map((s) => s.senderId)}::text[]) as s(channel, sender_id)
      on d.channel = s.channel and d.sender_id = s.sender_id
    where d.state in ('closing', 'submitting')
    order by d.opened_at`.execute(d.db);
  if (drafts.rows.length === 0) return { waiting, closed: 0 };
  const rows = await d.db
    .selectFrom('conversation_messages')
    .select(['draft_id', 'provider_message_id', 'received_at', 'role', 'message', 'media_state', 'media_result'])
    .where('draft_id', '=', sql<string>`any(${drafts.rows.map((x) => x.id)}::uuid[])`)
    .orderBy('id')
    .execute();
  const byDraft = new Map<string, DraftMessage[]>();
  for (const r of rows) {
    const list = byDraft.get(r.draft_id!) ?? [];
    list.push(toDraftMessage(r));
    byDraft.set(r.draft_id!, list);
  }
  const now = Date.now();
  const toConfirm: Closing[] = [];
  const toSubmit: Closing[] = [];
  for (const draft of drafts.rows) {
    const messages = byDraft.get(draft.id) ?? [];
    if (draft.state === 'closing') {
      const requested = new Date(draft.close_requested_at).getTime();
      const fetching = messages.some((r) => r.mediaState === 'pending');
      if (fetching && now < requested + d.config.CONVERSATION_MEDIA_WAIT_SECONDS * 1000) {
        waiting.add(`${draft.channel}\u0000${draft.sender_id}`);
        continue;
      }
      toConfirm.push({ id: draft.id, sender: senderKey(draft.channel, draft.sender_id), rows: messages });
    }
    toSubmit.push({ id: draft.id, sender: senderKey(draft.channel, draft.sender_id), rows: messages });
  }
  const held = await confirmAll(d, senders, toConfirm, toSubmit.length > 0);
  const submitting = toSubmit.filter((x) => held.has(x.sender));
  await submitAll(d, submitting);
  return { waiting, closed: submitting.length };
}

interface Closing {
  id: string;
  /** senderKey of the draft's sender. */
  sender: string;
  rows: DraftMessage[];
}

/**
 * Media still being fetched go into the letters as missing; each citizen is told what was collected. Returns the senders
 * still this pass's (only their drafts are confirmed, and submitted next); checked with the confirmations' transaction,
 * so without a round trip of its own when there is something to confirm.
 */
async function confirmAll(
  d: CloseDeps,
  senders: SenderClaim[],
  all: Closing[],
  submitting: boolean,
): Promise<Set<string>> {
  if (!submitting) return new Set();
  const fetching = new Set(all.filter((x) => x.rows.some((r) => r.mediaState === 'pending')).map((x) => x.id));
  const closing = new Set(all.map((x) => x.sender));
  const breathe = yielder();
  const confirmations = new Map<string, NewDelivery>();
  const heldMessages = new Map<string, ReturnType<typeof heldMessagesOf>>();
  for (const x of all) {
    await breathe();
    for (const r of x.rows) {
      if (r.mediaState === 'pending') Object.assign(r, { mediaState: 'missing', mediaResult: { reason: notFetched } });
    }
    const { input, summary } = composeLetter(x.rows, d.compose);
    heldMessages.set(x.id, heldMessagesOf(input));
    confirmations.set(x.id, {
      letterId: null,
      channel: input.draft.channel,
      recipient: input.draft.citizen.channelUserId,
      kind: 'service' as const,
      templateKey: 'draft_submitted',
      variables: { draftSummary: summary },
      ...heldConfirmation(d.config, input),
    });
  }
  return d.db.transaction().execute(async (tx) => {
    const held = await holdClaims(
      tx,
      senders.filter((x) => closing.has(senderKey(x.channel, x.senderId))),
    );
    const drafts = all.filter((x) => held.has(x.sender));
    if (drafts.length === 0) return held;
    const missing = drafts.filter((x) => fetching.has(x.id)).map((x) => x.id);
    if (missing.length > 0) {
      await tx
        .updateTable('conversation_messages')
        .set({ media_state: 'missing', media_result: JSON.stringify({ reason: notFetched }) })
        .where('draft_id', '=', sql<string>`any(${missing}::uuid[])`)
        .where('media_state', '=', 'pending')
        .execute();
    }
    // Only drafts still closing are confirmed: the citizen hears each draft's confirmation once.
    const moved = await tx
      .updateTable('conversation_drafts')
      .set({ state: 'submitting' })
      .where('id', '=', sql<string>`any(${drafts.map((x) => x.id)}::uuid[])`)
      .where('state', '=', 'closing')
      .returning('id')
      .execute();
    // Submitted: "keep writing" notices still held back are pointless now.
    await dropHeldMessages(
      tx,
      moved.flatMap((m) => heldMessages.get(m.id) ?? []),
    );
    await queueDeliveries(
      tx,
      moved.map((m) => confirmations.get(m.id)!),
    );
    return held;
  });
}

async function submitAll(d: CloseDeps, drafts: Closing[]): Promise<void> {
  if (drafts.length === 0) return;
  const breathe = yielder();
  const inputs: IntakeInput[] = [];
  for (const x of drafts) {
    await breathe();
    inputs.push(composeLetter(x.rows, d.compose).input);
  }
  const results = await d.intake.submitMany(inputs);
  const outcome = results.map((r, i) => {
    const channel = inputs[i]!.draft.channel;
    if (r instanceof AppError) {
      // A draft intake refuses would be refused again: keep it (with its messages) for staff instead of looping.
      d.log.error({ err: r, draftId: drafts[i]!.id, problems: r.details.problems }, 'draft letter refused by intake');
      d.metrics.conversationDrafts.inc({ channel, outcome: 'refused' });
      return { state: 'failed', letterId: null, error: r.message.slice(0, 1000) };
    }
    d.metrics.conversationDrafts.inc({ channel, outcome: 'submitted' });
    return { state: 'submitted', letterId: r.letterId, error: null };
  });
  await sql`
    update conversation_drafts d set state = v.state, closed_at = now(), letter_id = v.letter_id, error = v.error
    from unnest(${drafts.map((x) => x.id)}::uuid[], ${outcome.map((x) => x.state)}::text[],
                ${outcome.map((x) => x.letterId)}::uuid[], ${outcome.map((x) => x.error)}::text[])
      as v(id, state, letter_id, error)
    where d.id = v.id and d.state = 'submitting'`.execute(d.db);
}
