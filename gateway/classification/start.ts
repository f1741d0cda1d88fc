// Schedules the classifier job: it classifies the letters stored unclassified since its last run (intake classifies
// most itself, see at-intake.ts), and every instance may run it: claims skip the rows another run holds.
import type { GatewayServices } from '../services.js';
import { classifyPending } from './classifier.js';
import { classificationFor } from './service.js';

export async function scheduleClassifier(s: GatewayServices, interval = '15 seconds'): Promise<void> {
  const c = classificationFor(s.db, s.config);
  s.scheduler.define('classify-letters', async () => {
    while ((await classifyPending({ db: s.db, taxonomy: c.taxonomy, regions: () => c.regions() }, 500)) === 500);
  });
  await s.scheduler.every(interval, 'classify-letters');
}
