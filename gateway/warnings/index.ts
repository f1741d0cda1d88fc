// Early warning (综合预警) wired into the gateway: the checks as one recurring job (clusters first, so a spike made
// of one matter's letters is recognised as that matter), and the WeCom robot notifications as another.
import type { GatewayServices } from '../services.js';
import { checkClusters } from './clusters.js';
import { checkSpikes, type SpikeFinding } from './spikes.js';
import { notifyWecom } from './wecom.js';
import { createTopicTaxonomy } from '../classification/taxonomy.js';
import { loadRegions } from '../classification/regions.js';
import { say } from './messages.zh-CN.js';

export interface WarningRun {
  raised: string[];
  grown: string[];
}

/** One pass of both checks as of `now` (tests pass a past instant to replay a month). */
export async function runWarningChecks(
  s: Pick<GatewayServices, 'db' | 'config'>,
  now = new Date(),
): Promise<WarningRun> {
  const c = s.config;
  const taxonomy = await createTopicTaxonomy(s.db).current();
  const regions = await loadRegions(c.REGION_CITY_CODE);
  const names = (f: SpikeFinding) => ({
    topic: taxonomy.byCode.get(f.topic)?.name ?? say('warnings.unknown'),
    region: regions.get(f.region)?.name ?? f.region,
  });
  const wecom = c.WARNING_WECOM_WEBHOOK_URL !== undefined;
  const clusters = await checkClusters(s.db, now, {
    windowDays: c.WARNING_CLUSTER_WINDOW_DAYS,
    similarity: c.WARNING_CLUSTER_SIMILARITY,
    minCitizens: c.WARNING_CLUSTER_MIN_CITIZENS,
    wecom,
  });
  const spikes = await checkSpikes(
    s.db,
    now,
    {
      alpha: c.WARNING_SPIKE_ALPHA,
      minLetters: c.WARNING_SPIKE_MIN_LETTERS,
      baselineWeeks: c.WARNING_SPIKE_BASELINE_WEEKS,
      wecom,
    },
    names,
  );
  return { raised: [...clusters.raised, ...spikes], grown: clusters.grown };
}

export async function scheduleWarnings(s: GatewayServices): Promise<void> {
  // A run that outlives the default job lock may be taken over by another instance: harmless, the checks decide under
  // an advisory lock and unique keys.
  s.scheduler.define('warnings', async () => {
    const r = await runWarningChecks(s);
    if (r.raised.length > 0) {
      s.log.warn({ alerts: r.raised }, 'early warning raised alerts');
      s.wakeup.wake('events');
    }
  });
  await s.scheduler.every(`${s.config.WARNING_CHECK_MINUTES} minutes`, 'warnings');
  const webhook = s.config.WARNING_WECOM_WEBHOOK_URL;
  if (webhook) {
    s.scheduler.define('warnings-wecom', async () => {
      await notifyWecom(s.db, webhook, s.log);
    });
    await s.scheduler.every('1 minute', 'warnings-wecom');
  }
}
