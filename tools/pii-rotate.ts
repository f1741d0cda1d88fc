// `npm run pii:rotate`: re-encrypts every citizen phone and name stored in letters, and the phones behind citizen
// tokens (pii_ids), under the current PII_ENCRYPTION_KEY (old keys from PII_PREVIOUS_KEYS, clear values of rows
// written before encryption), in batches, while the gateway keeps running. Restart the gateway with the new key (old
// one in PII_PREVIOUS_KEYS) first.
import { loadConfig, ConfigError } from '../config/load.js';
import { withEnvFile } from '../config/env-file.js';
import { openStore, migrate } from '../gateway/store/db.js';
import { startEmbeddedPostgres } from '../gateway/store/embedded-postgres.js';
import { piiServiceFor } from '../gateway/privacy/pii-service.js';
import { rotateLetters } from '../gateway/privacy/pii-rotate.js';
import { sealPiiIds } from '../gateway/privacy/pii-seal.js';

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
    const pii = await piiServiceFor(store.db, config);
    const r = await rotateLetters(store.db, pii, {
      batchSize: config.RETENTION_BATCH_SIZE,
      onBatch: (n) => console.log(`re-encrypted ${n} letters`),
    });
    console.log(`done: ${r.letters} letters re-encrypted under key ${pii.ring.current.id} in ${r.batches} batches`);
    // The phones behind citizen tokens (SMS senders, recipients, verified mini-program phones).
    const ids = await sealPiiIds(store.db, pii, {
      batchSize: config.RETENTION_BATCH_SIZE,
      onBatch: (n) => console.log(`re-encrypted ${n} citizen phones`),
    });
    console.log(`done: ${ids.ids} citizen phones re-encrypted in ${ids.batches} batches`);
  } finally {
    await store.close();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`key rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
