// The sandbox adapter: stands in for any channel without provider credentials. It records what would be sent (shown
// to staff and readable at /sandbox/outbox) and reports it sent, so the whole flow runs without real accounts.
import type { Channel } from '../../../shared/letter.js';
import type { ChannelAdapter } from '../adapter.js';
import type { Db } from '../../store/db.js';

export function createSandboxAdapter(channel: Channel, db: Db, routes: string[]): ChannelAdapter {
  return {
    channel,
    mode: 'sandbox',
    async planRoutes() {
      return routes;
    },
    async send(m) {
      const row = await db
        .insertInto('sandbox_messages')
        .values({
          delivery_id: m.deliveryId,
          channel,
          route: m.route,
          recipient: m.recipient,
          payload: JSON.stringify({ templateKey: m.templateKey, kind: m.kind, rendered: m.rendered }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { outcome: 'sent', providerMessageId: `sandbox-${row.id}` };
    },
  };
}
