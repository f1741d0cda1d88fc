// Channel health for staff: which channels run live or sandboxed, the last inbound message, provider errors in the
// last hour and the latest one, deliveries waiting to go out, and what each channel reports of itself (WeChat token).
import Router from '@koa/router';
import { sql } from 'kysely';
import type { GatewayServices } from '../services.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { ChannelAdapter, ChannelHealth } from '../channels/adapter.js';
import { maskText } from './mask.js';

export function channelRoutes(s: GatewayServices, channels: ChannelRegistry): Router {
  const router = new Router();
  router.get('/channels', async (ctx) => {
    const [inbound, errors, queued] = await Promise.all([
      s.db
        .selectFrom('source_messages')
        .select(['channel', sql<Date>`max(received_at)`.as('last')])
        .groupBy('channel')
        .execute(),
      sql<{ channel: string; n: string; last_error: string | null; last_at: Date | null }>`
        select d.channel, count(*) as n,
               (array_agg(coalesce(a.error_code || ': ', '') || coalesce(a.error, '') order by a.at desc))[1] as last_error,
               max(a.at) as last_at
        from delivery_attempts a join deliveries d on d.id = a.delivery_id
        where a.at > now() - interval '1 hour' and a.outcome in ('failed', 'retry', 'fallback')
        group by d.channel`.execute(s.db),
      s.db
        .selectFrom('deliveries')
        .select(['channel', sql<string>`count(*)`.as('n')])
        .where('status', 'in', ['queued', 'sending'])
        .groupBy('channel')
        .execute(),
    ]);
    const adapters = [...channels.values()];
    const health = await Promise.all(adapters.map((a) => readHealth(s, a)));
    ctx.body = {
      caseStore: { sandbox: s.config.sandbox.caseStore },
      channels: adapters.map((a, i) => {
        const err = errors.rows.find((e) => e.channel === a.channel);
        const token = health[i]?.token ?? null;
        return {
          channel: a.channel,
          mode: a.mode,
          configured: !s.config.sandbox.channels.includes(a.channel),
          lastInboundAt: inbound.find((i) => i.channel === a.channel)?.last ?? null,
          providerErrorsLastHour: Number(err?.n ?? 0),
          lastProviderError: err?.last_error ? maskText(err.last_error) : null,
          lastProviderErrorAt: err?.last_at ?? null,
          waitingDeliveries: Number(queued.find((q) => q.channel === a.channel)?.n ?? 0),
          // A token that is merely absent or expired is fetched on the next call; only a failed fetch is a failure.
          token,
          status:
            (err && Number(err.n) > 0) || (token && !token.ok && token.lastError)
              ? 'failing'
              : a.mode === 'sandbox'
                ? 'sandbox'
                : 'ok',
        };
      }),
    };
  });
  return router;
}

/** A channel that cannot say how it is doing must not take the whole page down. */
async function readHealth(s: GatewayServices, a: ChannelAdapter): Promise<ChannelHealth> {
  if (!a.health) return {};
  try {
    return await a.health();
  } catch (err) {
    s.log.warn({ err, channel: a.channel }, 'channel health could not be read');
    return { token: { ok: false, lastError: 'health unavailable' } };
  }
}
