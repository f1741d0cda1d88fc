// `npm run kpi:rebuild`: recomputes the whole KPI fact table (kpi_daily) from the letters, month by month, while the
// gateway keeps running; needed after mailbox office levels change or after a change of a KPI's definition.
import { loadConfig, ConfigError } from '../config/load.js';
import { withEnvFile } from '../config/env-file.js';
import { openStore, migrate } from '../gateway/store/db.js';
import { startEmbeddedPostgres } from '../gateway/store/embedded-postgres.js';
import { rebuildFacts } from '../gateway/figures/facts.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(withEnvFile(process.env).env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // Without DATABASE_URL the development database in DATA_DIR (stop the gateway using it first).
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR);
  const store = openStore(config.DATABASE_URL ?? embedded!.url, 2, () => undefined);
  try {
    await migrate(store.db);
    const started = Date.now();
    const days = await rebuildFacts(store.db);
    console.log(`done: ${days} days recomputed in ${Date.now() - started} ms`);
  } finally {
    await store.close();
    await embedded?.stop();
  }
}

await main();
