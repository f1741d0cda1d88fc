// `npm run pii:rotate`: re-encrypts every citizen phone and name stored in letters, the phones behind citizen tokens
// (pii_ids) and the names and phones sealed in source messages' raw payloads, under the current PII_ENCRYPTION_KEY
// (old keys from PII_PREVIOUS_KEYS, clear values of rows written before encryption), in batches, while the gateway
// keeps running. Restart the gateway with the new key (old one in PII_PREVIOUS_KEYS) first.
import { piiServiceFor } from '../gateway/privacy/pii-service.js';
import { rotateLetters } from '../gateway/privacy/pii-rotate.js';
import { sealPiiIds } from '../gateway/privacy/pii-seal.js';
import { rotateSourcePayloads } from '../gateway/privacy/pii-rotate-sources.js';
import { withStore } from './with-store.js';

withStore(async (db, config) => {
  const pii = await piiServiceFor(db, config);
  const r = await rotateLetters(db, pii, {
    batchSize: config.RETENTION_BATCH_SIZE,
    onBatch: (n) => console.log(`re-encrypted ${n} letters`),
  });
  console.log(`done: ${r.letters} letters re-encrypted under key ${pii.ring.current.id} in ${r.batches} batches`);
  // The phones behind citizen tokens (SMS senders, recipients, verified mini-program phones).
  const ids = await sealPiiIds(db, pii, {
    batchSize: config.RETENTION_BATCH_SIZE,
    onBatch: (n) => console.log(`re-encrypted ${n} citizen phones`),
  });
  console.log(`done: ${ids.ids} citizen phones re-encrypted in ${ids.batches} batches`);
  // Names and phones citizens typed, sealed in the raw payloads kept until the retention purge.
  const sources = await rotateSourcePayloads(db, pii, {
    batchSize: config.RETENTION_BATCH_SIZE,
    onBatch: (n) => console.log(`re-encrypted ${n} source messages`),
  });
  console.log(`done: ${sources.payloads} source messages re-encrypted in ${sources.batches} batches`);
}).catch((err: unknown) => {
  console.error(`key rotation failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
