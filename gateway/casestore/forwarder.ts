// Forwards stored letters to the case store exactly once: claims due letters in batches under a lease (FOR UPDATE
// SKIP LOCKED, so instances never hold the same letter at once), posts them with bounded concurrency and the letter
// id as Idempotency-Key, then records every outcome of the batch in one transaction.
import { sql } from 'kysely';
import type { Letter } from '../../shared/letter.js';
import type { Db } from '../store/db.js';
import type { CaseStoreClient, CaseStoreOutcome } from './client.js';
import { createBatchLoop, type BatchLoop } from '../jobs/batch-loop.js';
import { queueReceipts } from '../outbox/deliveries.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import { backoffMs } from '../jobs/backoff.js';
import { noteOutcomes, type CaseStoreRecovery } from './recovery.js';
import { openLetter, type PiiService } from '../privacy/pii-service.js';
import { mapLimited } from '../lib/map-limited.js';
import { markForwarded, markRejected } from '../letters/lifecycle.js';
import { retryingConflicts } from '../store/transient.js';
import { cleanText } from '../../shared/text.js';

// Re-exported for existing callers; new code imports it from lib/map-limited.ts.
export { mapLimited };

export interface ForwarderOptions {
  db: Db;
  client: CaseStoreClient;
  metrics: Metrics;
  log: Logger;
  concurrency: number;
  batchSize: number;
  pollMs: number;
  timeoutMs: number;
  retryMaxSeconds: number;
  stuckAfterSeconds: number;
  /** Called after receipts were queued, to wake the dispatcher. */
  onAccepted(): void;
  /** Shared view of whether the case store answers; re-arms waiting letters when it is back. */
  recovery?: CaseStoreRecovery;
  /** First back-off step in milliseconds (doubles per try up to retryMaxSeconds). */
  retryBaseMs?: number;
  /** Opens the letter's encrypted personal fields: the case store receives the letter in clear over its signed call. */
  pii?: PiiService;
}

interface Claimed {
  id: string;
  body: Letter;
  forward_attempts: number;
  received_at: Date;
}

type Outcome = { letter: Claimed; result: CaseStoreOutcome; ms: number; serial?: string; caseId?: string };

export function createForwarder(o: ForwarderOptions): BatchLoop {
  // The lease outlives the slowest possible post, so a claimed letter is never taken by a second instance while
  // this one may still be posting it; if this process dies, the letter is due again when the lease ends.
  const leaseSeconds = Math.ceil((o.timeoutMs * Math.ceil(o.batchSize / o.concurrency)) / 1000) + 5;
  return createBatchLoop<Claimed>({
    name: 'forwarder',
    batchSize: o.batchSize,
    pollMs: o.pollMs,
    onError: (err) => o.log.error({ err }, 'forwarding pass failed'),
    claim: async (limit) => {
      const r = await sql<Claimed>`
        update letters set next_forward_at = now() + make_interval(secs => ${leaseSeconds}),
                           forward_attempts = forward_attempts + 1
        where id in (select id from letters
                     where forward_state = 'pending' and next_forward_at <= now()
                     -- Each citizen's next letter before anyone's second: one sender cannot hold back the others.
                     order by sender_turn, next_forward_at limit ${limit}
                     for update skip locked)
        returning id, body, forward_attempts, received_at`.execute(o.db);
      return r.rows;
    },
    process: async (batch) => {
      const outcomes = await mapLimited(batch, o.concurrency, async (letter): Promise<Outcome> => {
        const started = performance.now();
        const result = await o.client.post('/letters', o.pii ? openLetter(o.pii, letter.body) : letter.body, letter.id);
        const ms = Math.round(performance.now() - started);
        if (result.kind !== 'ok') return { letter, result, ms };
        const b = result.body as { serial?: unknown; caseId?: unknown } | null;
        if (!usableSerial(b?.serial)) {
          return {
            letter,
            ms,
            result: { kind: 'retry', status: result.status, error: 'case store answered without a usable serial' },
          };
        }
        return { letter, result, ms, serial: b.serial, caseId: usableCaseId(b.caseId) };
      });
      await recordAll(o, outcomes);
      noteOutcomes(
        o.recovery,
        outcomes.map((x) => ({ key: x.letter.id, answered: x.result.kind !== 'retry' })),
      );
    },
  });
}

// The serial goes to the citizen, who types it back to check progress, and into a unique column: it is kept only as
// the case store gave it, one line of printable text. Anything else (a NUL, which PostgreSQL refuses, would fail the
// whole batch's transaction) is an answer without a usable serial: retried, and flagged stuck if it never changes.
const unprintable = /[\u0000-\u001F\u007F-\u009F]/;
const printableLine = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max && !unprintable.test(v) && cleanText(v) === v;
const usableSerial = (v: unknown): v is string => printableLine(v, 64) && v.trim() === v;
/** The case store's own id for the letter is for staff only: one it gives that could not be kept is left out. */
const usableCaseId = (v: unknown): string | undefined => (printableLine(v, 200) ? v : undefined);

/**
 * Records a batch in one transaction. A serial the case store gave to two letters (ours already holds it) would abort
 * that transaction and have the whole batch posted again every lease: then each outcome is recorded on its own, and
 * the letter whose serial is taken is set aside for staff with the reason.
 */
async function recordAll(o: ForwarderOptions, outcomes: Outcome[]): Promise<void> {
  try {
    // The posts have happened: a conflict with another instance must not leave them unrecorded (store/transient.ts).
    await retryingConflicts(o.log, 'recording a forwarding batch', () => record(o, outcomes));
  } catch (err) {
    if (!isSerialConflict(err)) throw err;
    for (const x of outcomes) {
      try {
        await record(o, [x]);
      } catch (one) {
        if (!isSerialConflict(one) || x.serial === undefined) throw one;
        await setAsideForSerialConflict(o, x);
      }
    }
  }
}

function isSerialConflict(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null | undefined;
  return e?.code === '23505' && e.constraint === 'letters_serial_key';
}

/** Never retried by itself (the case store answers the same serial for the same key): staff see it stuck, with why. */
async function setAsideForSerialConflict(o: ForwarderOptions, x: Outcome): Promise<void> {
  const holder = await o.db.selectFrom('letters').select('id').where('serial', '=', x.serial!).executeTakeFirst();
  const error = `serial_conflict: the case store answered serial ${x.serial}, already held by letter ${holder?.id ?? '(unknown)'}`;
  await o.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('letters')
      .set({
        next_forward_at: sql<Date>`'infinity'::timestamptz`,
        forward_backoff_until: null,
        last_forward_error: error,
        stuck_at: sql<Date>`coalesce(stuck_at, now())`,
      })
      .where('id', '=', x.letter.id)
      .where('forward_state', '=', 'pending')
      .execute();
    await tx
      .insertInto('forward_attempts')
      .values({
        letter_id: x.letter.id,
        outcome: 'retry',
        http_status: 'status' in x.result ? (x.result.status ?? null) : null,
        error,
        duration_ms: x.ms,
      })
      .execute();
  });
  o.log.error(
    { letterId: x.letter.id, serial: x.serial, holder: holder?.id },
    'the case store answered a serial another letter holds; the letter is set aside for staff',
  );
  o.metrics.forwardFailures.inc({ channel: x.letter.body.channel, outcome: 'serial_conflict' });
}

async function record(o: ForwarderOptions, outcomes: Outcome[]): Promise<void> {
  const accepted = outcomes.filter((x) => x.serial !== undefined);
  const retries = outcomes.filter(
    (x) => x.result.kind === 'retry' || (x.result.kind === 'ok' && x.serial === undefined),
  );
  const rejected = outcomes.filter((x) => x.result.kind === 'rejected');
  const now = Date.now();
  let receipts = 0;
  await o.db.transaction().execute(async (tx) => {
    if (accepted.length > 0) {
      const updated = await markForwarded(
        tx,
        accepted.map((a) => ({ id: a.letter.id, serial: a.serial!, caseId: a.caseId ?? null })),
      );
      receipts = await queueReceipts(tx, updated);
    }
    if (retries.length > 0) {
      const waits = retries.map((r) =>
        Math.round(backoffMs(r.letter.forward_attempts, o.retryMaxSeconds * 1000, o.retryBaseMs)),
      );
      await sql`
        update letters l set next_forward_at = now() + make_interval(secs => v.wait_ms / 1000.0), last_forward_error = v.error,
               forward_backoff_until = now() + make_interval(secs => v.wait_ms / 1000.0),
               stuck_at = coalesce(l.stuck_at, case when l.received_at < now() - make_interval(secs => ${o.stuckAfterSeconds}) then now() end)
        from unnest(${retries.map((r) => r.letter.id)}::uuid[], ${waits}::int[], ${retries.map((r) => errorOf(r.result))}::text[]) as v(id, wait_ms, error)
        where l.id = v.id and l.forward_state = 'pending'`.execute(tx);
    }
    await markRejected(
      tx,
      rejected.map((r) => ({ id: r.letter.id, reason: errorOf(r.result) })),
    );
    await tx
      .insertInto('forward_attempts')
      .values(
        outcomes.map((x) => ({
          letter_id: x.letter.id,
          outcome:
            x.serial !== undefined
              ? ('accepted' as const)
              : x.result.kind === 'rejected'
                ? ('rejected' as const)
                : ('retry' as const),
          http_status: 'status' in x.result ? (x.result.status ?? null) : null,
          error: x.serial !== undefined ? null : errorOf(x.result),
          duration_ms: x.ms,
        })),
      )
      .execute();
  });
  for (const x of outcomes) {
    const channel = x.letter.body.channel;
    if (x.serial !== undefined) {
      o.metrics.lettersForwarded.inc({ channel });
      o.log.info(
        { letterId: x.letter.id, channel, serial: x.serial, attempt: x.letter.forward_attempts },
        'letter forwarded',
      );
      o.metrics.forwardLatency.observe({ channel }, (now - new Date(x.letter.received_at).getTime()) / 1000);
    } else {
      o.metrics.forwardFailures.inc({ channel, outcome: x.result.kind === 'rejected' ? 'rejected' : 'retry' });
      const level = x.result.kind === 'rejected' ? 'error' : 'warn';
      o.log[level](
        { letterId: x.letter.id, attempt: x.letter.forward_attempts, error: errorOf(x.result) },
        'letter not accepted by the case store',
      );
    }
  }
  if (receipts > 0) o.onAccepted();
}

function errorOf(r: CaseStoreOutcome): string {
  return r.kind === 'ok' ? 'case store answered without a usable serial' : r.error.slice(0, 1000);
}
