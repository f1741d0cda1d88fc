// The event outbox towards the case store (`POST {CASE_STORE_URL}/events`): events are queued inside the transaction
// of the change they report, then sent by a batch loop — signed, with the event id as Idempotency-Key, retried with
// back-off like letters, and in order per letter (an event waits while an earlier one of its letter is pending).
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { CaseStoreClient } from './client.js';
import type { Logger } from '../observability/logger.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { backoffMs } from '../jobs/backoff.js';
import { noteOutcomes, type CaseStoreRecovery } from './recovery.js';

// Queueing lives in the outbox layer (every feature queues events); re-exported for existing callers.
export { queueCaseEvent, queueCaseEvents, type CaseEventType } from '../outbox/case-events.js';

interface DueEvent {
  id: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export function createEventSender(o: {
  db: Db;
  client: CaseStoreClient;
  log: Logger;
  pollMs: number;
  retryMaxSeconds: number;
  retryBaseMs?: number;
  recovery?: CaseStoreRecovery;
  batchSize: number;
  /** A claimed event is due again after this, should the instance die mid-pass. */
  leaseSeconds: number;
}): BatchLoop {
  return createBatchLoop<DueEvent>({
    name: 'case-events',
    batchSize: o.batchSize,
    pollMs: o.pollMs,
    onError: (err) => o.log.error({ err }, 'sending case events failed'),
    claim: async (limit) => {
      const r = await sql<DueEvent>`
        update case_events set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${o.leaseSeconds})
        where id in (
          select e.id from case_events e
          where e.state = 'pending' and e.next_attempt_at <= now()
            and not exists (select 1 from case_events p where e.letter_id is not null and p.letter_id = e.letter_id
                            and p.state = 'pending' and p.seq < e.seq)
          order by e.seq limit ${limit} for update skip locked)
        returning id, payload, attempts`.execute(o.db);
      return r.rows;
    },
    process: async (batch) => {
      // One at a time, in order: a failed event holds back the later events of its letter (not of other letters).
      const heldBack = new Map<string, Date>();
      // backoff_until marks a wait the recovery may cut short once the case store answers again.
      const reschedule = (id: string, at: Date, error: string | null) =>
        o.db
          .updateTable('case_events')
          .set({ next_attempt_at: at, backoff_until: at, last_error: error })
          .where('id', '=', id)
          .execute();
      for (const e of batch) {
        const letterId = (e.payload.letterId as string | null) ?? null;
        const held = letterId ? heldBack.get(letterId) : undefined;
        if (held) {
          await reschedule(e.id, held, null);
          continue;
        }
        const r = await o.client.post('/events', e.payload, e.id);
        noteOutcomes(o.recovery, [{ key: e.id, answered: r.kind !== 'retry' }]);
        if (r.kind === 'ok') {
          await o.db
            .updateTable('case_events')
            .set({ state: 'sent', sent_at: new Date(), last_error: null })
            .where('id', '=', e.id)
            .execute();
        } else if (r.kind === 'rejected') {
          o.log.error({ eventId: e.id, error: r.error }, 'case store rejected an event');
          await o.db
            .updateTable('case_events')
            .set({ state: 'rejected', last_error: r.error.slice(0, 1000) })
            .where('id', '=', e.id)
            .execute();
        } else {
          const at = new Date(Date.now() + backoffMs(e.attempts, o.retryMaxSeconds * 1000, o.retryBaseMs));
          await reschedule(e.id, at, r.error.slice(0, 1000));
          if (letterId) heldBack.set(letterId, at);
        }
      }
    },
  });
}
