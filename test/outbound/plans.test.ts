import test from 'ava';
import { createTestDatabase } from '../_support/database.js';
import { eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { openStore, type Store } from '../../gateway/store/db.js';
import { createDispatcher } from '../../gateway/outbound/dispatcher.js';
import { queueDeliveries } from '../../gateway/outbox/deliveries.js';
import { createTemplateStore } from '../../gateway/templates/store.js';
import { createIntake } from '../../gateway/letters/intake.js';
import { createMetrics } from '../../gateway/observability/metrics.js';
import { createLogger } from '../../gateway/observability/logger.js';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../../gateway/channels/adapter.js';
import type { BatchLoop } from '../../gateway/jobs/batch-loop.js';
import type { Channel } from '../../shared/letter.js';

let store: Store;
let loop: BatchLoop | undefined;
const sent: OutboundMessage[] = [];
const unreachable = (channel: Channel, routes: string[], traits: Partial<ChannelAdapter> = {}): ChannelAdapter => ({
  channel,
  mode: 'live',
  ...traits,
  planRoutes: async () => routes,
  send: async (m): Promise<SendResult> => {
    sent.push(m);
    return { outcome: 'fallback', errorCode: '43101', error: 'user refuse to accept the msg' };
  },
});
const smsAdapter: ChannelAdapter = {
  channel: 'sms',
  mode: 'live',
  phoneRoute: 'sms',
  planRoutes: async () => ['sms'],
  send: async (m) => {
    sent.push(m);
    return { outcome: 'sent', providerMessageId: `sms-${sent.length}` };
  },
};

test.before(async () => {
  store = openStore(await createTestDatabase(), 5);
  const templates = createTemplateStore(store.db, 0);
  for (const [channel, route] of [
    ['wechat-oa', 'custom'],
    ['wechat-oa', 'template'],
    ['wechat-mp', 'subscribe'],
    ['sms', 'sms'],
  ] as const) {
    await templates.save(
      { channel, key: 'reply', route, enabled: true, content: { text: `${channel}/${route}: {{replyText}}` } },
      'staff',
    );
  }
  loop = createDispatcher({
    db: store.db,
    channels: new Map<Channel, ChannelAdapter>([
      ['wechat-oa', unreachable('wechat-oa', ['custom', 'template'])],
      ['wechat-mp', unreachable('wechat-mp', ['subscribe'], { showsMessagesInApp: true, requiresVerifiedPhone: true })],
      ['sms', smsAdapter],
    ]),
    templates,
    metrics: createMetrics(),
    log: createLogger('silent'),
    concurrency: 2,
    batchSize: 10,
    pollMs: 50,
    retryDeadlineSeconds: 60,
    retryMaxSeconds: 1,
    leaseSeconds: 120,
  });
  loop.start();
});
test.after.always(async () => {
  await loop?.stop();
  await store?.close();
});

async function replyTo(channel: Channel, citizen: { channelUserId: string; phone?: string; phoneVerified?: boolean }) {
  const { letterId } = await createIntake(store.db, () => {}).submit(
    sampleIntake({ channel, citizen: { ...citizen, anonymous: false } }),
  );
  // Accepted by the case store, receipt already out: only the reply is left to send.
  await store.db
    .updateTable('letters')
    .set({ serial: `S-${letterId}`, forward_state: 'forwarded', status: 'accepted' })
    .where('id', '=', letterId)
    .execute();
  const [id] = await queueDeliveries(store.db, [
    {
      letterId,
      channel,
      recipient: citizen.channelUserId,
      kind: 'reply',
      templateKey: 'reply',
      variables: { replyText: '已处理' },
    },
  ]);
  return eventually(async () => {
    const d = await store.db.selectFrom('deliveries').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    return d.status === 'queued' || d.status === 'sending' ? undefined : d;
  });
}

test('when the official account cannot reach a citizen with a known phone, then the reply falls back to SMS', async (t) => {
  const d = await replyTo('wechat-oa', { channelUserId: 'o-openid-1', phone: '+8613400000001' });
  t.is(d.status, 'sent');
  t.deepEqual(d.plan, [
    { channel: 'wechat-oa', route: 'custom', recipient: 'o-openid-1' },
    { channel: 'wechat-oa', route: 'template', recipient: 'o-openid-1' },
    { channel: 'sms', route: 'sms', recipient: '+8613400000001' },
  ]);
  t.is(d.plan_step, 2);
  const last = sent.filter((m) => m.deliveryId === d.id).at(-1)!;
  t.is(last.channel, 'sms');
  t.is(last.recipient, '+8613400000001');
  t.deepEqual(last.rendered, { text: 'sms/sms: 已处理' });
});

test('when the mini-program has no consent left and no verified phone, then the reply is recorded as in-app only', async (t) => {
  const d = await replyTo('wechat-mp', { channelUserId: 'o-mp-2', phone: '+8613400000002', phoneVerified: false });
  t.is(d.status, 'fallback');
  t.regex(d.last_error ?? '', /^in-app only: 43101/);
  t.deepEqual(
    d.plan,
    [{ channel: 'wechat-mp', route: 'subscribe', recipient: 'o-mp-2' }],
    'an unverified phone is not used',
  );
});

test('when the mini-program citizen verified a phone, then the reply falls back to SMS', async (t) => {
  const d = await replyTo('wechat-mp', { channelUserId: 'o-mp-3', phone: '+8613400000003', phoneVerified: true });
  t.is(d.status, 'sent');
  const viaSms = sent.filter((m) => m.deliveryId === d.id && m.channel === 'sms');
  t.deepEqual(
    viaSms.map((m) => m.recipient),
    ['+8613400000003'],
  );
});
