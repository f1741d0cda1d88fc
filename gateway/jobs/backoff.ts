// Exponential back-off with "equal jitter": half the step is fixed, half random, so retries from many letters
// spread out instead of hitting a recovering case store together.
export function backoffMs(attempt: number, capMs: number, baseMs = 1000): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return step / 2 + Math.random() * (step / 2);
}
