// Schedules the classifier: a recurring job classifies the letters stored since its last run (intake never waits for
// it), and every instance may run it: claims skip the rows another run holds.
import type { GatewayServices } from '../services.js';
import { classifyPending } from './classifier.js';
import { classificationFor } from './service.js';

export async function scheduleClassifier(s: GatewayServices, interval = '15 seconds'): Promise<void> {
  const c = classificationFor(s.db, s.config);
  s.scheduler.define('classify-letters', async () => {
    while ((await classifyPending({ db: s.db, taxonomy: c.taxonomy, regions: c.regions }, 500)) === 500);
  }, { lockLifetimeMs: 5 * 60_000 });
  await s.scheduler.every(interval, 'classify-letters');
}
