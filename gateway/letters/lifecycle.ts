// The letter's lifecycle: every change of a `letters` row's status or forwarding outcome goes through here (forwarded,
// rejected, registered, replied, reopened; the case store's status reports through status.ts). Status history is
// written in one place below them: the `letters_status_history` trigger (migration 0690) records each status change,
// and recordStatus writes its row first when the change carries the case store's note.
import { sql, type Transaction } from 'kysely';
import type { Letter } from '../../shared/letter.js';
import type { Database, LetterStatus } from '../store/tables.js';

export { recordStatus, reportableStatuses, statusLabels, type ReportableStatus, type StatusChange } from './status.js';

type Tx = Transaction<Database>;

/**
 * The case store accepted these letters with a serial: forwarded, and accepted unless a status report got there
 * first. Only letters still pending change (a crashed instance's late answer changes nothing); returns those.
 */
export async function markForwarded(tx: Tx, accepted: { id: string; serial: string; caseId: string | null }[]) {
  if (accepted.length === 0) return [];
  const updated = await sql<{ id: string; citizen_id: string; body: Letter; serial: string }>`
    update letters l set forward_state = 'forwarded', serial = v.serial, case_id = v.case_id, forwarded_at = now(),
           stuck_at = null, last_forward_error = null,
           status = case when l.status = 'received' then 'accepted' else l.status end,
           status_changed_at = case when l.status = 'received' then now() else l.status_changed_at end
    from unnest(${accepted.map((a) => a.id)}::uuid[], ${accepted.map((a) => a.serial)}::text[],
                ${accepted.map((a) => a.caseId)}::text[]) as v(id, serial, case_id)
    where l.id = v.id and l.forward_state = 'pending'
    returning l.id, l.citizen_id, l.body, l.serial`.execute(tx);
  return updated.rows;
}

/** The case store refused these letters for good: rejected, with its reason (staff may reopen them). */
export async function markRejected(tx: Tx, rejected: { id: string; reason: string }[]): Promise<void> {
  if (rejected.length === 0) return;
  await sql`
    update letters l set forward_state = 'rejected', status = 'rejected', rejected_reason = v.error,
           status_changed_at = now(), stuck_at = null
    from unnest(${rejected.map((r) => r.id)}::uuid[], ${rejected.map((r) => r.reason)}::text[]) as v(id, error)
    where l.id = v.id and l.forward_state = 'pending'`.execute(tx);
}

/** A letter the case store registered itself (it has it already): accepted with its serial, never forwarded. */
export async function markRegistered(tx: Tx, letterId: string, serial: string, caseId: string | null) {
  return tx
    .updateTable('letters')
    .set({ serial, case_id: caseId, forward_state: 'external', status: 'accepted', status_changed_at: new Date() })
    .where('id', '=', letterId)
    .returning(['id', 'citizen_id', 'body'])
    .executeTakeFirstOrThrow();
}

/** A reply went out for the letter: replied, when it stood at accepted or in progress (never back from closed). */
export async function markReplied(tx: Tx, letter: { id: string; status: LetterStatus }): Promise<void> {
  if (letter.status !== 'accepted' && letter.status !== 'in_progress') return;
  await tx
    .updateTable('letters')
    .set({ status: 'replied', status_changed_at: new Date() })
    .where('id', '=', letter.id)
    .execute();
}

/** Staff send a stuck or rejected letter to the case store again: pending at once, and a rejected one is received again. */
export async function reopenForForwarding(tx: Tx, letter: { id: string; status: LetterStatus }): Promise<void> {
  await tx
    .updateTable('letters')
    .set({
      forward_state: 'pending',
      next_forward_at: new Date(),
      stuck_at: null,
      rejected_reason: null,
      ...(letter.status === 'rejected' ? { status: 'received' as const, status_changed_at: new Date() } : {}),
    })
    .where('id', '=', letter.id)
    .execute();
}
