// Transactions that record what already happened outside the database (a post to the case store, a message sent to a
// citizen) must not be lost to a conflict with another instance's transaction: their work cannot be taken back, and
// left unrecorded it is done again when its lease ends (a second post, or a second message the citizen reads).
import type { Logger } from '../observability/logger.js';

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back and may simply run again. */
const retryable = new Set(['40P01', '40001']);

/** Runs `work` (one whole transaction) again at once when it failed on a deadlock or serialization conflict. */
export async function retryingConflicts<T>(log: Logger, what: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (attempt >= 5 || typeof code !== 'string' || !retryable.has(code)) throw err;
      log.warn({ err, attempt }, `${what} hit a conflict with another transaction; running it again`);
    }
  }
}
