import test from 'ava';
import { sql } from 'kysely';
import { createTestDatabase } from '../_support/database.js';
import { eventually } from '../_support/gateway.js';
import { openStore, type Store } from '../../gateway/store/db.js';
import { createDispatcher } from '../../gateway/outbound/dispatcher.js';
import { queueDeliveries } from '../../gateway/outbox/deliveries.js';
import { createTemplateStore, type TemplateStore } from '../../gateway/templates/store.js';
import { createMetrics } from '../../gateway/observability/metrics.js';
import { createLogger } from '../../gateway/observability/logger.js';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../../gateway/channels/adapter.js';
import type { BatchLoop } from '../../gateway/jobs/batch-loop.js';

let store: Store;
let templates: TemplateStore;
let loop: BatchLoop | undefined;
const sent: OutboundMessage[] = [];
// What the scripted adapter answers, per recipient, one answer per call.
const script = new Map<string, SendResult[]>();

const adapter: ChannelAdapter = {
  channel: 'sms',
  mode: 'live',
  async planRoutes() {
    return ['primary', 'backup'];
  },
  async send(m) {
    sent.push(m);
    return script.get(m.recipient)?.shift() ?? { outcome: 'sent', providerMessageId: `p-${sent.length}` };
  },
};

test.before(async () => {
  store = openStore(await createTestDatabase(), 5);
  templates = createTemplateStore(store.db, 0);
  for (const route of ['primary', 'backup']) {
    await templates.save(
      { channel: 'sms', key: 'help', route, enabled: true, content: { text: `${route}: {{helpText}}` } },
      'staff',
    );
  }
  await templates.save(
    { channel: 'sms', key: 'broken', route: 'primary', enabled: true, content: { text: '{{noSuchVariable}}' } },
    'staff',
  );
  loop = createDispatcher({
    db: store.db,
    channels: new Map([['sms', adapter]]),
    templates,
    metrics: createMetrics(),
    log: createLogger('silent'),
    concurrency: 4,
    batchSize: 10,
    pollMs: 50,
    retryDeadlineSeconds: 2,
    retryMaxSeconds: 1,
    leaseSeconds: 120,
  });
  loop.start();
});
test.after.always(async () => {
  await loop?.stop();
  await store?.close();
});

const queue = (recipient: string, templateKey = 'help') =>
  queueDeliveries(store.db, [
    { letterId: null, channel: 'sms', recipient, kind: 'service', templateKey, variables: { helpText: '发送“帮助”' } },
  ]).then((ids) => ids[0]!);

const settled = (id: string) =>
  eventually(async () => {
    const d = await store.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return d.status === 'queued' || d.status === 'sending' ? undefined : d;
  });

const attempts = (id: string) =>
  store.db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('id').execute();

test('when the first route cannot reach the citizen, then the next route is tried at once', async (t) => {
  script.set('+8613700000001', [{ outcome: 'fallback', errorCode: '45015', error: 'window closed' }]);
  const id = await queue('+8613700000001');
  const d = await settled(id);
  t.is(d.status, 'sent');
  t.is(d.route, 'backup');
  t.deepEqual((d.rendered as { text: string }).text, 'backup: 发送“帮助”');
  t.deepEqual(
    (await attempts(id)).map((a) => [a.route, a.outcome, a.error_code]),
    [
      ['primary', 'fallback', '45015'],
      ['backup', 'sent', null],
    ],
  );
});

test('when a route fails transiently, then the same route is retried later', async (t) => {
  script.set('+8613700000002', [{ outcome: 'retry', errorCode: '-1', error: 'system busy', retryAfterMs: 100 }]);
  const id = await queue('+8613700000002');
  const d = await settled(id);
  t.is(d.status, 'sent');
  t.is(d.attempts, 2);
  t.deepEqual(
    (await attempts(id)).map((a) => [a.route, a.outcome]),
    [
      ['primary', 'retry'],
      ['primary', 'sent'],
    ],
  );
});

test('when a route fails permanently, then the next route is tried at once and the failed one never again', async (t) => {
  script.set('+8613700000003', [{ outcome: 'failed', errorCode: '47003', error: 'argument invalid' }]);
  const id = await queue('+8613700000003');
  const d = await settled(id);
  t.is(d.status, 'sent');
  t.is(d.route, 'backup');
  t.deepEqual(
    (await attempts(id)).map((a) => [a.route, a.outcome]),
    [
      ['primary', 'failed'],
      ['backup', 'sent'],
    ],
  );
});

test('when every route fails permanently, then the delivery fails with the last error and is not retried', async (t) => {
  script.set('+8613700000007', [
    { outcome: 'failed', errorCode: 'isv.MOBILE_NUMBER_ILLEGAL', error: 'bad number' },
    { outcome: 'failed', errorCode: 'isv.MOBILE_NUMBER_ILLEGAL', error: 'bad number' },
  ]);
  const id = await queue('+8613700000007');
  const d = await settled(id);
  t.is(d.status, 'failed');
  t.regex(d.last_error ?? '', /MOBILE_NUMBER_ILLEGAL/);
  await new Promise((r) => setTimeout(r, 300));
  t.is((await attempts(id)).length, 2);
});

test('when the template is broken, then the delivery fails as a template error and nothing is sent', async (t) => {
  const id = await queue('+8613700000004', 'broken');
  const d = await settled(id);
  t.is(d.status, 'failed');
  t.regex(d.last_error ?? '', /template error: unknown template variables: noSuchVariable/);
  t.is(sent.filter((m) => m.recipient === '+8613700000004').length, 0);
});

test('when no template exists for any route, then the delivery fails naming the template', async (t) => {
  const id = await queue('+8613700000005', 'nothing_here');
  const d = await settled(id);
  t.is(d.status, 'failed');
  t.regex(d.last_error ?? '', /no enabled template "nothing_here"/);
});

test('when every try keeps failing past the deadline, then the delivery gives up', async (t) => {
  script.set(
    '+8613700000006',
    Array.from({ length: 50 }, () => ({ outcome: 'retry' as const, error: 'busy', retryAfterMs: 200 })),
  );
  const id = await queue('+8613700000006');
  const d = await eventually(async () => {
    const row = await store.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return row.status === 'failed' ? row : undefined;
  }, 15_000);
  t.regex(d.last_error ?? '', /gave up after \d+ tries/);
});

test('when several messages go to one citizen, then they are sent in the order queued, even while the first is retried', async (t) => {
  const phone = '+8613700000008';
  script.set(phone, [{ outcome: 'retry', errorCode: '-1', error: 'system busy', retryAfterMs: 300 }]);
  const ids = await queueDeliveries(
    store.db,
    ['一', '二', '三'].map((n) => ({
      letterId: null,
      channel: 'sms',
      recipient: phone,
      kind: 'service' as const,
      templateKey: 'help',
      variables: { helpText: n },
    })),
  );
  for (const id of ids) await settled(id);
  t.deepEqual(
    sent.filter((m) => m.recipient === phone).map((m) => [ids.indexOf(m.deliveryId), m.variables.helpText]),
    [
      [0, '一'],
      [0, '一'],
      [1, '二'],
      [2, '三'],
    ],
  );
});

test('when recording a batch of sent messages hits a deadlock once, then it is recorded again at once and nothing is sent twice', async (t) => {
  const recipient = '+8613700000099';
  // The first insert of this citizen's attempts fails as a deadlock with another instance's transaction would (a
  // sequence counts them: unlike a row, its value survives the rollback).
  await sql`create sequence deadlocked_attempts`.execute(store.db);
  await sql`
    create function deadlock_once() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from deliveries where id = new.delivery_id and recipient = ${sql.lit(recipient)})
         and nextval('deadlocked_attempts') = 1 then
        raise exception 'deadlock detected' using errcode = '40P01';
      end if;
      return new;
    end $$`.execute(store.db);
  await sql`create trigger deadlock_once before insert on delivery_attempts for each row execute function deadlock_once()`.execute(
    store.db,
  );
  const id = await queue(recipient);
  const d = await settled(id);
  t.is(d.status, 'sent');
  t.is(sent.filter((m) => m.recipient === recipient).length, 1, 'sent once');
  t.deepEqual(
    (await attempts(id)).map((a) => a.outcome),
    ['sent'],
  );
});
