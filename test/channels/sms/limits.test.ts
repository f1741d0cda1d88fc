import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { queueDeliveries } from '../../../gateway/outbox/deliveries.js';
import { fakeAliyun, smsLiveEnv } from './fake-aliyun.js';

const RATE = 4;
const env = (sign: string) => ({
  ...smsLiveEnv(sign),
  SMS_SEND_RATE_PER_SECOND: String(RATE),
  SMS_DAILY_CAP_PER_NUMBER: '2',
});

let a: TestGateway;
let b: TestGateway;
let aliyun: ReturnType<typeof fakeAliyun>;
test.before(async () => {
  aliyun = fakeAliyun();
  a = await startTestGateway(env('实例甲'));
  b = await startTestGateway(env('实例乙'), a.databaseUrl);
});
test.after.always(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  aliyun?.stop();
});

const survey = (phone: string) => ({
  letterId: null,
  channel: 'sms',
  recipient: phone,
  kind: 'service' as const,
  templateKey: 'survey',
  variables: { serial: 'CD20261126000001' },
});

test.serial(
  'when two instances share one database, then together they never send faster than the configured rate',
  async (t) => {
    const n = 20;
    const phones = Array.from({ length: n }, (_, i) => `+861360000${String(i).padStart(4, '0')}`);
    // Queued a few at a time so that both instances claim work.
    for (let i = 0; i < n; i += 2) {
      await queueDeliveries(i % 4 === 0 ? a.services.db : b.services.db, phones.slice(i, i + 2).map(survey));
      a.services.wakeup.wake('deliveries');
      await new Promise((r) => setTimeout(r, 60));
    }
    const calls = await eventually(
      async () => {
        const c = aliyun.calls.filter((x) => x.action === 'SendSms' && x.query.PhoneNumbers?.startsWith('1360000'));
        return c.length >= n ? c : undefined;
      },
      30_000,
      'all sends',
    );
    // Slots are counted per second of the database clock, shared by both instances; a slot taken at the end of one
    // second may reach the provider in the next, so arrivals are checked by their overall pace below, not per second.
    const buckets = await a.services.db.selectFrom('sms_rate_buckets').select(['second', 'sends']).execute();
    t.true(
      buckets.every((b) => b.sends <= RATE),
      `slots per second: ${buckets.map((b) => b.sends).join(',')}`,
    );
    t.true(buckets.reduce((sum, b) => sum + b.sends, 0) >= n);
    const span = (calls.at(-1)!.at - calls[0]!.at) / 1000;
    // n sends at RATE per second fill n / RATE consecutive seconds; the first may start late in its second, and on a
    // busy machine reach the provider a little later after its slot than the last one does.
    t.true(span >= n / RATE - 2.5, `span ${span}s`);
    t.deepEqual([...new Set(calls.map((c) => c.query.SignName))].sort(), ['实例乙', '实例甲'].sort());
    t.is(calls.length, n);
  },
);

test.serial('when a number has had its daily cap, then further messages wait for the next day', async (t) => {
  const phone = '+8613500009999';
  const ids = await queueDeliveries(a.services.db, [survey(phone), survey(phone), survey(phone)]);
  a.services.wakeup.wake('deliveries');
  // The three are not ordered (no letter), so any one of them may be the one held back.
  const third = await eventually(
    async () => {
      const rows = await a.services.db.selectFrom('deliveries').selectAll().where('id', 'in', ids).execute();
      return rows.find((d) => d.last_error?.startsWith('daily_cap'));
    },
    30_000,
    'daily cap',
  );
  t.is(third.status, 'queued');
  t.true(new Date(third.next_attempt_at).getTime() - Date.now() > 60_000);
  await eventually(
    async () => {
      const sent = await a.services.db
        .selectFrom('deliveries')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'sent')
        .execute();
      return sent.length === 2 ? true : undefined;
    },
    30_000,
    'the first two sent',
  );
  t.is(aliyun.callsFor('13500009999', 'SendSms').length, 2);
});
