// npm run bench:kpi — loads a million letters (a year at the platform's busiest rate, shaped like the seed month) into
// an embedded PostgreSQL, builds the KPI fact table from scratch, then prints how long KPI queries take: a month and a
// year, in total and by every grouping, each with its previous period. BENCH_LETTERS changes the count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../gateway/store/embedded-postgres.js';
import { migrate, openStore } from '../../gateway/store/db.js';
import { computeKpis, kpiGroupings } from '../../gateway/figures/kpi.js';
import { rebuildFacts, recomputeDays } from '../../gateway/figures/facts.js';
import { generate, insert } from '../figures/_month.js';
import { fmt } from './stats.js';

const total = Number(process.env.BENCH_LETTERS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-kpi-'));
const pg = await startEmbeddedPostgres(dir);
const store = openStore(pg.url, 4);
try {
  await migrate(store.db);
  const ms = (t: number) => `${fmt(performance.now() - t, 0)} ms`;
  let t = performance.now();
  // 365 days from 2025-10-01, in chunks so memory stays small.
  for (let done = 0, seed = 1; done < total; seed++) {
    const n = Math.min(50_000, total - done);
    await insert(store.db, generate(seed, '2025-10-01', 365, n));
    done += n;
    process.stdout.write(`\rletters loaded: ${done}`);
  }
  console.log(`\nloaded ${total} letters in ${ms(t)}`);
  t = performance.now();
  const days = await rebuildFacts(store.db);
  console.log(`full rebuild of the fact table (${days} days): ${ms(t)}`);
  t = performance.now();
  await recomputeDays(store.db, ['2026-03-15']);
  console.log(`incremental recompute of one day: ${ms(t)}`);
  for (const [label, from, to] of [
    ['month', '2026-09-01', '2026-09-30'],
    ['year', '2025-10-01', '2026-09-30'],
  ] as const) {
    for (const g of [null, ...kpiGroupings]) {
      t = performance.now();
      const r = await computeKpis(store.db, { from, to, groupBy: g });
      console.log(
        `${label.padEnd(5)} ${(g ?? 'total').padEnd(12)} ${ms(t).padStart(8)}  (${r.totals.current.received} letters, ${r.groups.length} groups)`,
      );
    }
  }
} finally {
  await store.close();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
