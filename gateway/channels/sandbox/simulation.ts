// What the live adapters and the provider simulators share in sandbox mode: which delivery a provider call carries
// (so the outbox shows, per delivery, the exact request the simulated provider got and its answer), the calls'
// record, and the refusals staff switch on. The simulators themselves live with their channel.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboundMessage, SendResult } from '../adapter.js';
import type { Db } from '../../store/db.js';

/** What staff can make a simulator refuse; each channel lists the ones its provider knows (`sandboxRefusals`). */
export const refusalKinds = ['window', 'consent', 'quota', 'carrier'] as const;
export type RefusalKind = (typeof refusalKinds)[number];

/** Where the simulators are mounted, under the gateway's own address. */
export const SIMULATOR_PATH = '/sandbox/providers';

const current = new AsyncLocalStorage<string>();

/** The delivery being sent in this async context, if any. */
export const deliveryInContext = (): string | undefined => current.getStore();

/**
 * A provider base URL that points at this gateway's simulator and names the delivery being sent (`/via/<id>`), so
 * the simulator can file the call under it. Read on every call: the port is known only once the server listens.
 */
export function simulatorBase(selfUrl: () => string, provider: string): () => string {
  return () => {
    const d = deliveryInContext();
    return `${selfUrl()}${SIMULATOR_PATH}/${provider}${d ? `/via/${d}` : ''}`;
  };
}

/** A live send that runs inside its delivery's context, and records what the citizen got in the sandbox outbox. */
export function recordingSend(
  db: Db,
  channel: string,
  send: (m: OutboundMessage) => Promise<SendResult>,
  recipientOf: (m: OutboundMessage) => Promise<string> = async (m) => m.recipient,
): (m: OutboundMessage) => Promise<SendResult> {
  return async (m) => {
    const result = await current.run(m.deliveryId, () => send(m));
    if (result.outcome === 'sent' || result.outcome === 'delivered') {
      await db
        .insertInto('sandbox_messages')
        .values({
          delivery_id: m.deliveryId,
          channel,
          route: m.route,
          recipient: await recipientOf(m),
          payload: JSON.stringify({ templateKey: m.templateKey, kind: m.kind, rendered: m.rendered }),
        })
        .execute();
    }
    return result;
  };
}

export interface ProviderCall {
  deliveryId: string | undefined;
  channel: string;
  provider: string;
  action: string;
  recipient?: string | null;
  template?: string | null;
  request: unknown;
  answer: unknown;
  code: string;
  shown?: string | null;
}

export async function recordCall(db: Db, c: ProviderCall): Promise<string> {
  const row = await db
    .insertInto('sandbox_provider_calls')
    .values({
      delivery_id: c.deliveryId ?? null,
      channel: c.channel,
      provider: c.provider,
      action: c.action,
      recipient: c.recipient ?? null,
      template: c.template ?? null,
      request: JSON.stringify(c.request ?? null),
      answer: JSON.stringify(c.answer ?? null),
      code: c.code,
      shown: c.shown ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether staff switched on this refusal for the channel. */
export async function refusing(db: Db, channel: string, kind: RefusalKind): Promise<boolean> {
  const r = await db
    .selectFrom('sandbox_refusals')
    .select('kind')
    .where('channel', '=', channel)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return r !== undefined;
}

/** A uuid from a `/via/<id>` path segment, or undefined for anything else (the segment comes from outside). */
export function deliveryIdOf(raw: string | undefined): string | undefined {
  return raw && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw) ? raw : undefined;
}
