// `npm run kpi:rebuild`: recomputes the whole KPI fact table (kpi_daily) from the letters, month by month, while the
// gateway keeps running; needed after mailbox office levels change or after a change of a KPI's definition.
import { rebuildFacts } from '../gateway/figures/facts.js';
import { withStore } from './with-store.js';

await withStore(async (db) => {
  const started = Date.now();
  const days = await rebuildFacts(db);
  console.log(`done: ${days} days recomputed in ${Date.now() - started} ms`);
});
