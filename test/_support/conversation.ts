// Helpers for conversation tests: inbound messages as a channel would hand them over, and what the citizen received
// (the sandboxed channels record every outbound message in sandbox_messages).
import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../../gateway/conversation/types.js';
import { eventually, type TestGateway } from './gateway.js';
import { phoneToken } from './pii.js';

let n = 0;

export function newSender(channel: InboundMessage['channel'] = 'wechat-oa'): string {
  n++;
  return channel === 'sms'
    ? `+86139${String(Date.now() % 1e5).padStart(5, '0')}${String(n).padStart(3, '0')}`
    : `o_test_${randomUUID()}`;
}

export function inbound(senderId: string, fields: Partial<InboundMessage> = {}): InboundMessage {
  const type = fields.type ?? 'text';
  return {
    channel: 'wechat-oa',
    senderId,
    providerMessageId: randomUUID(),
    receivedAt: new Date(),
    type,
    payload: { MsgType: type, Content: fields.text },
    ...fields,
  };
}

export interface Received {
  templateKey: string;
  route: string;
  rendered: Record<string, unknown>;
}

export async function receivedBy(gw: TestGateway, recipient: string): Promise<Received[]> {
  const rows = await gw.services.db
    .selectFrom('sandbox_messages')
    .select(['route', 'payload'])
    .where('recipient', '=', recipient)
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const p = r.payload as { templateKey: string; rendered: Record<string, unknown> };
    return { templateKey: p.templateKey, route: r.route, rendered: p.rendered };
  });
}

/** Resolves once the citizen received a message with `templateKey` (and `count` of them). */
export async function waitForMessage(
  gw: TestGateway,
  recipient: string,
  templateKey: string,
  count = 1,
  // Generous: in the sandbox each message goes through the live adapter and the simulated provider over HTTP.
  timeoutMs = 30_000,
): Promise<Received[]> {
  return eventually(
    async () => {
      const all = await receivedBy(gw, recipient);
      return all.filter((m) => m.templateKey === templateKey).length >= count ? all : undefined;
    },
    timeoutMs,
    `${count} × ${templateKey} to ${recipient}`,
  );
}

/** The citizen's letters; a phone is looked up by its token, as letters store it. */
export async function lettersOf(gw: TestGateway, citizenId: string) {
  return gw.services.db
    .selectFrom('letters')
    .selectAll()
    .where('citizen_id', '=', await phoneToken(gw, citizenId))
    .orderBy('created_at')
    .execute();
}
