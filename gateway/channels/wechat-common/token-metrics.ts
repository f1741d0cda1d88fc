// Counts access token refreshes and their failures per channel, around any token store.
import type { Metrics } from '../../observability/metrics.js';
import type { AccessTokenStore } from './token-store.js';

export function countingRefreshes(store: AccessTokenStore, metrics: Metrics, channel: string): AccessTokenStore {
  return {
    ...store,
    async refresh(failed) {
      try {
        const token = await store.refresh(failed);
        metrics.tokenRefreshes.inc({ channel, outcome: 'refreshed' });
        return token;
      } catch (err) {
        metrics.tokenRefreshes.inc({ channel, outcome: 'failed' });
        throw err;
      }
    },
  };
}
