// Gathers the calls made in the same turn of the event loop into one batch call: work done for many items at once
// (a dispatcher sending dozens of messages concurrently) then costs one database round trip instead of one each.
export function coalesce<K, V>(many: (keys: K[]) => Promise<V[]>): (key: K) => Promise<V> {
  let waiting: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    many(batch.map((b) => b.key)).then(
      (values) => batch.forEach((b, i) => b.resolve(values[i]!)),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      // Every call made before the pending I/O callbacks run joins this batch.
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ key, resolve, reject });
    });
}
