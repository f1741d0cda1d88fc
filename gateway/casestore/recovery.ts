// Catching up after a case-store outage. Back-off protects the case store while it is down; once it answers again
// the backlog must drain at full speed, not letter by letter as each back-off ends. Letters and events share one view
// of the case store per instance: failures of two or more different items with no success between them mean it is
// down; while it is down, the waiting item due soonest is made due every probe interval (a real call is the honest
// health check); the first success after that makes every letter and event waiting in back-off due at once.
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Logger } from '../observability/logger.js';

export interface CaseStoreRecovery {
  /** An item (letter or event, by its idempotency key) got an answer worth retrying, or none at all. */
  failed(key: string): void;
  /** The case store answered an item (accepted or refused it): it is up. */
  answered(): void;
  readonly down: boolean;
  /** Called with the loops to wake once waiting rows were made due. */
  onRearmed(listener: () => void): void;
  start(): void;
  stop(): Promise<void>;
}

export function createCaseStoreRecovery(o: { db: Db; log: Logger; probeMs: number }): CaseStoreRecovery {
  const failing = new Set<string>();
  let down = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let work: Promise<void> = Promise.resolve();
  const listeners: (() => void)[] = [];
  const notify = () => listeners.forEach((l) => l());

  const run = (what: string, fn: () => Promise<void>) => {
    work = work.then(fn).catch((err: unknown) => o.log.warn({ err }, what));
  };

  const probe = () =>
    run('case store probe failed', async () => {
      if (!down) return;
      // One item only: a letter due soonest, else an event. Its outcome tells whether the case store is back.
      const letter = await sql`
        update letters set next_forward_at = now(), forward_backoff_until = null
        where id = (select id from letters where forward_state = 'pending' and next_forward_at > now()
                      and next_forward_at = forward_backoff_until
                    order by next_forward_at limit 1 for update skip locked)`.execute(o.db);
      if (Number(letter.numAffectedRows ?? 0) === 0) {
        await sql`
          update case_events set next_attempt_at = now(), backoff_until = null
          where id = (select id from case_events where state = 'pending' and next_attempt_at > now()
                        and next_attempt_at = backoff_until
                      order by next_attempt_at limit 1 for update skip locked)`.execute(o.db);
      }
      notify();
    });

  const rearm = () =>
    run('re-arming letters after the case store recovered failed', async () => {
      const letters = await sql`
        update letters set next_forward_at = now(), forward_backoff_until = null
        where forward_state = 'pending' and next_forward_at > now() and next_forward_at = forward_backoff_until`.execute(
        o.db,
      );
      const events = await sql`
        update case_events set next_attempt_at = now(), backoff_until = null
        where state = 'pending' and next_attempt_at > now() and next_attempt_at = backoff_until`.execute(o.db);
      o.log.info(
        { letters: Number(letters.numAffectedRows ?? 0), events: Number(events.numAffectedRows ?? 0) },
        'case store answers again: waiting letters and events are due now',
      );
      notify();
    });

  const schedule = () => {
    if (!running || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!down) return;
      probe();
      schedule();
    }, o.probeMs);
  };

  return {
    failed(key) {
      // Two different keys are all it takes; the set never needs to hold a whole backlog.
      if (failing.size < 2) failing.add(key);
      if (!down && failing.size >= 2) {
        down = true;
        o.log.warn('the case store is not answering; probing it while letters wait');
        schedule();
      }
    },
    answered() {
      failing.clear();
      if (!down) return;
      down = false;
      rearm();
    },
    get down() {
      return down;
    },
    onRearmed(listener) {
      listeners.push(listener);
    },
    start() {
      running = true;
      if (down) schedule();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await work;
    },
  };
}

/** Tells the recovery view what the case store did: any answer means it is up, only failures mean it may be down. */
export function noteOutcomes(
  recovery: CaseStoreRecovery | undefined,
  items: { key: string; answered: boolean }[],
): void {
  if (!recovery) return;
  for (const i of items) if (!i.answered) recovery.failed(i.key);
  if (items.some((i) => i.answered)) recovery.answered();
}
