// Lets pending I/O callbacks run in the middle of a long loop of CPU work: a batch of hundreds of items handled
// without a real await would otherwise hold back every request the process is serving (awaited promises that are
// already settled only run microtasks, never I/O).
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Yields every `every` calls: cheap enough to call once per item. */
export function yielder(every = 16): () => Promise<void> {
  let n = 0;
  return () => (++n % every === 0 ? yieldToEventLoop() : Promise.resolve());
}
