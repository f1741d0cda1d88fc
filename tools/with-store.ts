// The start-up of an operator's command (`npm run kpi:rebuild`, `npm run pii:rotate`): the gateway's configuration
// (.env read as the gateway reads it), its database migrated, then `work`, then everything closed. Without
// DATABASE_URL it is the development database in DATA_DIR (stop the gateway using it first).
import { loadConfig, ConfigError } from '../config/load.js';
import { withEnvFile } from '../config/env-file.js';
import type { Config } from '../config/settings.js';
import { openStore, migrate, type Db } from '../gateway/store/db.js';
import { startEmbeddedPostgres } from '../gateway/store/embedded-postgres.js';

export async function withStore(work: (db: Db, config: Config) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(withEnvFile(process.env).env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres(config.DATA_DIR);
  const store = openStore(config.DATABASE_URL ?? embedded!.url, 2, () => undefined);
  try {
    await migrate(store.db);
    await work(store.db, config);
  } finally {
    await store.close();
    await embedded?.stop();
  }
}
