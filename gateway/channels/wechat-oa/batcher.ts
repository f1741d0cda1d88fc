// Group commit for the push endpoint: pushes arriving while a write is in flight are written together by the next
// one, so 50 concurrent pushes cost a few commits instead of 50, and a lone push is written at once (no timer).
// `write` may refuse single items (an Error in their place); a batch that throws is retried item by item, so one
// bad item cannot fail the others.
export interface Batcher<T> {
  add(item: T): Promise<void>;
}

export function createBatcher<T>(
  write: (items: T[]) => Promise<(Error | null)[]>,
  o: { maxItems: number; maxInFlight: number },
): Batcher<T> {
  let pending: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let inFlight = 0;

  const run = async (batch: typeof pending) => {
    const settle = (b: (typeof batch)[number], err: Error | null | undefined) => (err ? b.reject(err) : b.resolve());
    try {
      const errors = await write(batch.map((b) => b.item));
      batch.forEach((b, i) => settle(b, errors[i]));
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else for (const b of batch) await write([b.item]).then(([e]) => settle(b, e), b.reject);
    }
  };
  const pump = () => {
    while (pending.length > 0 && inFlight < o.maxInFlight) {
      const batch = pending.slice(0, o.maxItems);
      pending = pending.slice(batch.length);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };
  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        // Let the requests parsed in this turn of the event loop join the same batch.
        if (pending.length === 1) setImmediate(pump);
        else if (pending.length >= o.maxItems) pump();
      });
    },
  };
}
