// The spike test: are the letters of the last 24 hours (x) more than the same series' earlier windows (S letters in
// W windows) explain? Under "same rate", x given x + S is Binomial(x + S, 1/(W + 1)) — the exact conditional test
// for two Poisson counts, which also accounts for the baseline being only an estimate (a plain Poisson tail against
// the mean of four weeks flags ordinary noise far more often than its α). Summed in log space: no overflow.

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** P(X ≥ x) for X ~ Binomial(n, p). */
export function binomialUpperTail(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  const lp = Math.log(p);
  const lq = Math.log(1 - p);
  let tail = 0;
  for (let k = x; k <= n; k++) {
    const t = Math.exp(logChoose(n, k) + k * lp + (n - k) * lq);
    tail += t;
    if (k > n * p && t < tail * 1e-15) break;
  }
  return Math.min(1, tail);
}

/** p-value of x letters now against `past` letters in `windows` earlier windows of the same length. */
export function spikePValue(x: number, past: number, windows: number): number {
  return binomialUpperTail(x, x + past, 1 / (windows + 1));
}
