// Closes a sender's drafts that are due: waits (bounded) for media still being fetched, confirms to the citizen what
// was collected, hands the draft to intake as one letter with every message as a source, and records the letter.
// The confirmation is queued before intake so it always reaches the citizen before the receipt; intake deduplicates
// by source message, so a close repeated after a crash (state `submitting`) yields the same letter.
import type { Config } from '../../config/settings.js';
import type { Db } from '../store/db.js';
import type { Intake } from '../letters/intake.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { AppError } from '../errors.js';
import { dropHeldMessages, queueDeliveries, type NewDelivery } from '../outbox/deliveries.js';
import type { IntakeInput } from '../letters/intake.js';
import { composeLetter, type ComposeOptions, type DraftMessage } from './compose.js';
import type { InboundMessage } from './types.js';
import { holdClaims, type SenderClaim } from './claims.js';

export interface CloseDeps {
  db: Db;
  config: Config;
  intake: Intake;
  log: Logger;
  metrics: Metrics;
  compose: ComposeOptions;
}

export const notFetched = 'not fetched from the channel before the letter closed';

/**
 * The confirmation is held back for CONVERSATION_CONFIRM_HOLD_SECONDS: if the letter's receipt is queued meanwhile
 * (the case store accepted it), the receipt goes alone (outbox/deliveries.ts drops the confirmation), one message less.
 * The letter is named by its first source message, which intake stores with it whatever its id turns out to be.
 */
export function heldConfirmation(config: Config, input: IntakeInput): Pick<NewDelivery, 'notBefore' | 'heldForDraft'> {
  const hold = config.CONVERSATION_CONFIRM_HOLD_SECONDS;
  const [draft] = heldMessagesOf(input);
  if (hold === 0 || !draft) return {};
  return { notBefore: new Date(Date.now() + hold * 1000), heldForDraft: draft.firstMessage };
}

/** The draft as its held messages name it (outbox/deliveries.ts dropHeldMessages): by its first message. */
export function heldMessagesOf(input: IntakeInput): { channel: string; firstMessage: string }[] {
  const first = input.sources[0];
  return first ? [{ channel: input.draft.channel, firstMessage: first.providerMessageId }] : [];
}

/**
 * Closes what is due; returns whether a closing draft is still waiting for media (check again shortly). Stops as soon
 * as the sender turns out to be claimed again by another pass (claims.ts), which then closes them.
 */
export async function closeDueDrafts(d: CloseDeps, sender: SenderClaim): Promise<{ waiting: boolean; closed: number }> {
  const drafts = await d.db
    .selectFrom('conversation_drafts')
    .select(['id', 'state', 'close_requested_at'])
    .where('channel', '=', sender.channel)
    .where('sender_id', '=', sender.senderId)
    .where('state', 'in', ['closing', 'submitting'])
    .orderBy('opened_at')
    .execute();
  let waiting = false;
  let closed = 0;
  for (const draft of drafts) {
    const rows = (
      await d.db
        .selectFrom('conversation_messages')
        .select(['provider_message_id', 'received_at', 'role', 'message', 'media_state', 'media_result'])
        .where('draft_id', '=', draft.id)
        .orderBy('id')
        .execute()
    ).map(toDraftMessage);
    if (draft.state === 'closing') {
      const requested = new Date(draft.close_requested_at ?? Date.now()).getTime();
      const fetching = rows.some((r) => r.mediaState === 'pending');
      if (fetching && Date.now() < requested + d.config.CONVERSATION_MEDIA_WAIT_SECONDS * 1000) {
        waiting = true;
        continue;
      }
      if (!(await confirm(d, draft.id, rows, sender))) break;
    }
    await submit(d, draft.id, rows);
    closed++;
  }
  return { waiting, closed };
}

/**
 * Media still being fetched go into the letter as missing; the citizen is told what was collected. Returns false, with
 * nothing written, if the sender is no longer this pass's.
 */
async function confirm(d: CloseDeps, draftId: string, rows: DraftMessage[], sender: SenderClaim): Promise<boolean> {
  // Most drafts are text only, with nothing to mark as missing.
  const fetching = rows.some((r) => r.mediaState === 'pending');
  for (const r of rows) {
    if (r.mediaState === 'pending') Object.assign(r, { mediaState: 'missing', mediaResult: { reason: notFetched } });
  }
  const { input, summary } = composeLetter(rows, d.compose);
  return d.db.transaction().execute(async (tx) => {
    if ((await holdClaims(tx, [sender])).size === 0) return false;
    if (fetching) {
      await tx
        .updateTable('conversation_messages')
        .set({ media_state: 'missing', media_result: JSON.stringify({ reason: notFetched }) })
        .where('draft_id', '=', draftId)
        .where('media_state', '=', 'pending')
        .execute();
    }
    const moved = await tx
      .updateTable('conversation_drafts')
      .set({ state: 'submitting' })
      .where('id', '=', draftId)
      .where('state', '=', 'closing')
      .executeTakeFirst();
    // Confirmed already (its confirmation is queued): the citizen hears it once.
    if (moved.numUpdatedRows === 0n) return true;
    // Submitted: a "keep writing" notice still held back is pointless now.
    await dropHeldMessages(tx, heldMessagesOf(input));
    await queueDeliveries(tx, [
      {
        letterId: null,
        channel: input.draft.channel,
        recipient: input.draft.citizen.channelUserId,
        kind: 'service',
        templateKey: 'draft_submitted',
        variables: { draftSummary: summary },
        ...heldConfirmation(d.config, input),
      },
    ]);
    return true;
  });
}

async function submit(d: CloseDeps, draftId: string, rows: DraftMessage[]): Promise<void> {
  const { input } = composeLetter(rows, d.compose);
  try {
    const result = await d.intake.submit(input);
    await d.db
      .updateTable('conversation_drafts')
      .set({ state: 'submitted', closed_at: new Date(), letter_id: result.letterId })
      .where('id', '=', draftId)
      .where('state', '=', 'submitting')
      .execute();
    d.metrics.conversationDrafts.inc({ channel: input.draft.channel, outcome: 'submitted' });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // A draft intake refuses would be refused again: keep it (with its messages) for staff instead of looping.
    d.log.error({ err, draftId, problems: err.details.problems }, 'draft letter refused by intake');
    d.metrics.conversationDrafts.inc({ channel: input.draft.channel, outcome: 'refused' });
    await d.db
      .updateTable('conversation_drafts')
      .set({ state: 'failed', closed_at: new Date(), error: err.message.slice(0, 1000) })
      .where('id', '=', draftId)
      .where('state', '=', 'submitting')
      .execute();
  }
}

export function toDraftMessage(r: {
  provider_message_id: string;
  received_at: Date;
  role: 'content' | 'submit' | null;
  message: Record<string, unknown>;
  media_state: 'pending' | 'stored' | 'missing' | null;
  media_result: Record<string, unknown> | null;
}): DraftMessage {
  return {
    providerMessageId: r.provider_message_id,
    receivedAt: new Date(r.received_at),
    role: r.role,
    message: { ...(r.message as unknown as InboundMessage), receivedAt: new Date(r.received_at) },
    mediaState: r.media_state,
    mediaResult: r.media_result,
  };
}
