// The provider push endpoints: POST /sms/{provider}/uplink and /sms/{provider}/report. Each push is a JSON array of
// items; every item is stored (bad ones as rejected, one bad item never failing the others) before the provider gets
// its acknowledgement, and a storage failure answers 5xx so the provider pushes again. A body too large or nested
// too deeply is a 4xx: nothing in it could ever be stored.
import type Router from '@koa/router';
import client from 'prom-client';
import type { Context } from 'koa';
import { parseJsonText, readRaw } from '../../http/body.js';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { InboundMessage } from '../../conversation/types.js';
import type { SmsProvider } from './provider.js';
import { pushGuard } from './push-guard.js';
import { storeUplinks } from './uplinks.js';
import { storeAndApplyReports } from './reports.js';
import { parseJsonKeepingLongIds } from './json.js';
import { cleanJson } from '../../../shared/text.js';
import type { PiiService } from '../../privacy/pii-service.js';
import { protectPhones } from './protect.js';

export interface PushRoutesOptions {
  db: Db;
  log: Logger;
  metrics: Metrics;
  provider: SmsProvider;
  token: string | undefined;
  allowedAddresses: readonly string[];
  /** Longest content of one uplink item; longer items are held as rejected. */
  itemMaxChars: number;
  /** Turns each item's phone into the citizen's token before anything is stored. */
  pii: PiiService;
  /** Hands uplink messages to the conversation module; resolves once they are stored. */
  accept(messages: InboundMessage[]): Promise<unknown>;
}

// 1,000 items of a few hundred bytes each fit with room to spare.
const bodyLimit = 4 * 1024 * 1024;

async function readItems(ctx: Context): Promise<unknown> {
  const raw = await readRaw(ctx, bodyLimit);
  // The content type is not checked: the body is what it is, whatever the push says it is.
  return parseJsonText(raw.toString('utf8'), parseJsonKeepingLongIds);
}

export function mountPushRoutes(router: Router, o: PushRoutesOptions): void {
  const guard = pushGuard(o.token, o.allowedAddresses);
  const base = `/sms/${o.provider.name}`;
  const items = new client.Counter({
    name: 'gateway_sms_push_items_total',
    help: 'Items of SMS provider pushes, by push and what became of them',
    labelNames: ['push', 'result'],
    registers: [o.metrics.registry],
  });

  router.post(`${base}/uplink`, guard, async (ctx) => {
    // Uplinks are cleaned item by item in storeUplinks, which keeps the original of an item that needed it.
    const parsed = await protectPhones(o.db, o.pii, o.provider.push.uplinks(await readItems(ctx)));
    const stored = await storeUplinks(o.db, o.provider.name, parsed, { maxChars: o.itemMaxChars });
    if (stored.messages.length > 0) await o.accept(stored.messages);
    items.inc({ push: 'uplink', result: 'accepted' }, stored.fresh);
    items.inc({ push: 'uplink', result: 'duplicate' }, stored.duplicates);
    items.inc({ push: 'uplink', result: 'rejected' }, stored.rejected);
    if (stored.rejected > 0)
      o.log.warn(
        { rejected: stored.rejected, items: parsed.length },
        'SMS uplink push held unusable items (no phone, no content or too long)',
      );
    ctx.body = o.provider.push.ack;
  });

  router.post(`${base}/report`, guard, async (ctx) => {
    const parsed = await protectPhones(o.db, o.pii, o.provider.push.reports(cleanJson(await readItems(ctx))));
    const r = await storeAndApplyReports(o.db, o.provider.name, parsed);
    items.inc({ push: 'report', result: 'applied' }, r.applied);
    items.inc({ push: 'report', result: 'rejected' }, r.rejected);
    if (r.rejected > 0)
      o.log.warn({ rejected: r.rejected, items: parsed.length }, 'SMS report push held unusable items');
    ctx.body = o.provider.push.ack;
  });
}
