// Case progress reported by the case store: statuses only move forward (a late or repeated report is accepted and
// changes nothing), each change is kept for timelines, and a notice goes to the citizen when staff enabled one.
import type { Transaction } from 'kysely';
import type { Database, LetterStatus } from '../store/tables.js';
import { hasEnabledTemplate } from '../templates/store.js';
import { queueDeliveries } from '../outbox/deliveries.js';
import { AppError } from '../errors.js';
import { format } from '../i18n/catalogue.js';
import { messages } from './messages.zh-CN.js';

export const reportableStatuses = ['accepted', 'in_progress', 'replied', 'closed'] as const;
export type ReportableStatus = (typeof reportableStatuses)[number];

const rank: Record<LetterStatus, number> = {
  received: 0,
  accepted: 1,
  in_progress: 2,
  replied: 3,
  closed: 4,
  rejected: -1,
};

export const statusLabels: Record<LetterStatus, string> = {
  received: format(messages, 'letters.statusLabels.received'),
  accepted: format(messages, 'letters.statusLabels.accepted'),
  in_progress: format(messages, 'letters.statusLabels.in_progress'),
  replied: format(messages, 'letters.statusLabels.replied'),
  closed: format(messages, 'letters.statusLabels.closed'),
  rejected: format(messages, 'letters.statusLabels.rejected'),
};

export interface StatusChange {
  changed: boolean;
  status: LetterStatus;
  noticeDeliveryId?: string;
}

/** Reads and writes through `tx` alone: a transaction must never wait on the pool for a second connection. */
export async function recordStatus(
  tx: Transaction<Database>,
  letterId: string,
  next: ReportableStatus,
  note: string | undefined,
): Promise<StatusChange> {
  const letter = await tx
    .selectFrom('letters')
    .select(['id', 'status', 'channel', 'citizen_id'])
    .where('id', '=', letterId)
    .forUpdate()
    .executeTakeFirst();
  if (!letter) throw new AppError('letter_not_found');
  if (letter.status === 'rejected') throw new AppError('conflict', { detail: 'the case store rejected this letter' });
  if (rank[next] <= rank[letter.status]) return { changed: false, status: letter.status };
  // History first, with its note: the trigger that records every other status change then sees it is there.
  await tx
    .insertInto('letter_status_history')
    .values({ letter_id: letterId, status: next, note: note ?? null })
    .execute();
  await tx
    .updateTable('letters')
    .set({ status: next, status_changed_at: new Date() })
    .where('id', '=', letterId)
    .execute();
  const key = `status.${next}`;
  if (!(await hasEnabledTemplate(tx, letter.channel, key))) return { changed: true, status: next };
  const [noticeDeliveryId] = await queueDeliveries(tx, [
    {
      letterId,
      channel: letter.channel,
      recipient: letter.citizen_id,
      kind: 'notice',
      templateKey: key,
      variables: { status: statusLabels[next], statusNote: note ?? '' },
    },
  ]);
  return { changed: true, status: next, noticeDeliveryId };
}
