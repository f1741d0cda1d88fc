// The event outbox towards the case store (`POST {CASE_STORE_URL}/events`): events are queued inside the transaction
// of the change they report, then sent by a batch loop — signed, with the event id as Idempotency-Key, retried with
// back-off like letters, and in order per letter (an event waits while an earlier one of its letter is pending).
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { CaseStoreClient } from './client.js';
import type { Logger } from '../observability/logger.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { backoffMs } from '../jobs/backoff.js';
import { mapLimited } from '../lib/map-limited.js';
import { noteOutcomes, type CaseStoreRecovery } from './recovery.js';

// Queueing lives in the outbox layer (every feature queues events); re-exported for existing callers.
export { queueCaseEvent, queueCaseEvents, type CaseEventType } from '../outbox/case-events.js';

interface EventOutcome {
  id: string;
  state: 'sent' | 'rejected' | 'pending';
  /** When a pending event is due again. */
  at: Date | null;
  error: string | null;
}

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
  /** Events posted at once (each letter's events still one after the other). */
  concurrency: number;
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
      // Events of different letters are posted at once (bounded); the events of one letter one after the other, in
      // order: a failed event holds back the later events of its letter (not of other letters).
      const byLetter = new Map<string, DueEvent[]>();
      for (const e of batch) {
        const letterId = (e.payload.letterId as string | null) ?? null;
        const group = letterId ?? `event:${e.id}`;
        byLetter.set(group, [...(byLetter.get(group) ?? []), e]);
      }
      const outcomes: EventOutcome[] = [];
      await mapLimited([...byLetter.values()], o.concurrency, async (events) => {
        let held: Date | undefined;
        for (const e of events) {
          if (held) {
            outcomes.push({ id: e.id, state: 'pending', at: held, error: null });
            continue;
          }
          const r = await o.client.post('/events', e.payload, e.id);
          noteOutcomes(o.recovery, [{ key: e.id, answered: r.kind !== 'retry' }]);
          if (r.kind === 'ok') {
            outcomes.push({ id: e.id, state: 'sent', at: null, error: null });
          } else if (r.kind === 'rejected') {
            o.log.error({ eventId: e.id, error: r.error }, 'case store rejected an event');
            outcomes.push({ id: e.id, state: 'rejected', at: null, error: r.error.slice(0, 1000) });
          } else {
            held = new Date(Date.now() + backoffMs(e.attempts, o.retryMaxSeconds * 1000, o.retryBaseMs));
            outcomes.push({ id: e.id, state: 'pending', at: held, error: r.error.slice(0, 1000) });
          }
        }
      });
      // Every outcome of the pass in one statement; backoff_until marks a wait the recovery may cut short once the
      // case store answers again.
      await sql`
        update case_events e set state = v.state, last_error = v.error,
               sent_at = case when v.state = 'sent' then now() else e.sent_at end,
               next_attempt_at = coalesce(v.at, e.next_attempt_at), backoff_until = coalesce(v.at, e.backoff_until)
        from unnest(${outcomes.map((x) => x.id)}::uuid[], ${outcomes.map((x) => x.state)}::text[],
                    ${outcomes.map((x) => x.at)}::timestamptz[], ${outcomes.map((x) => x.error)}::text[])
          as v(id, state, at, error)
        where e.id = v.id`.execute(o.db);
    },
  });
}
