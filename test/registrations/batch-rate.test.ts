// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { phoneOf } from '../_support/pii.js';
import nock from 'nock';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { fakeCaseStore, CASE_STORE_SECRET, type FakeCaseStore } from '../_support/case-store.js';
import { mapLimited } from '../../gateway/casestore/forwarder.js';
import { registerLetter } from '../../gateway/registrations/register.js';
import { fakeAliyun, smsLiveEnv, SMS_PUSH_TOKEN } from '../channels/sms/fake-aliyun.js';

const RATE = 50;
// Enough sends for several seconds at the configured rate: the limiter is judged per second of the database clock.
const N = 300;
const OPTED_OUT = 5;

let gw: TestGateway;
let caseStore: FakeCaseStore;
let aliyun: ReturnType<typeof fakeAliyun>;
test.before(async () => {
  caseStore = await fakeCaseStore();
  await caseStore.start();
  aliyun = fakeAliyun();
  gw = await startTestGateway({
    CHANNELS: 'sms',
    ...smsLiveEnv(),
    SMS_SEND_RATE_PER_SECOND: String(RATE),
    CASE_STORE_URL: caseStore.url,
    CASE_STORE_SECRET,
    SURVEY_DELAY_SECONDS: '0',
  });
});
test.after.always(async () => {
  await gw?.stop();
  await caseStore?.close();
  aliyun?.stop();
  nock.enableNetConnect();
});

const run = String(Date.now() % 100_000).padStart(5, '0');
const phones = Array.from({ length: N }, (_, i) => `1360${run.slice(-3)}${String(i).padStart(4, '0')}`);
let letterIds: string[] = [];

/** Between two looks at hundreds of rows, so that looking does not slow the sending down. */
const pause = () => new Promise((r) => setTimeout(r, 500));
/** Sends per second of the database clock, as the shared limiter counted them. */
const buckets = () => gw.services.db.selectFrom('sms_rate_buckets').select(['second', 'sends']).execute();
const sendsTo = (ids: Set<string>) =>
  aliyun.calls.filter((c) => c.action === 'SendSms' && ids.has(c.query.OutId ?? ''));

test.serial(
  'when 300 hotline cases are registered, then each citizen gets one receipt and the sends keep to the configured rate',
  async (t) => {
    t.timeout(300_000, 'hundreds of sends at the configured rate on a busy machine');
    // Registered through the endpoint's own code, 50 to a transaction: the endpoint itself is tested case by case in
    // follow-up.test.ts, and hundreds of HTTP round trips would only measure the machine.
    const { keyId } = await gw.services.db.selectFrom('api_keys').select('id as keyId').executeTakeFirstOrThrow();
    const chunks = Array.from({ length: N / 50 }, (_, i) => phones.slice(i * 50, i * 50 + 50));
    const registered = await mapLimited(chunks, 4, (chunk) =>
      gw.services.db.transaction().execute(async (tx) => {
        const ids: string[] = [];
        for (const phone of chunk) {
          const r = await registerLetter(
            tx,
            gw.services.config,
            keyId,
            {
              origin: 'phone',
              serial: `HL${run}${phone.slice(-4)}`,
              phone,
              summary: '来电反映小区供暖不热。',
              receivedAt: new Date().toISOString(),
              smsConsent: true,
            },
            gw.services.pii,
          );
          ids.push(r.letterId);
        }
        return ids;
      }),
    );
    letterIds = registered.flat();
    gw.services.wakeup.wake('deliveries');
    const receipts = await eventually(
      async () => {
        await pause();
        const rows = await gw.services.db
          .selectFrom('deliveries')
          .select(['id', 'status'])
          .where('kind', '=', 'receipt')
          .where('letter_id', 'in', letterIds)
          .execute();
        return rows.length === N && rows.every((d) => d.status === 'sent') ? rows : undefined;
      },
      240_000,
      'every receipt sent',
    );
    const calls = sendsTo(new Set(receipts.map((d) => d.id)));
    t.is(calls.length, N, 'one SendSms per receipt');
    t.true((await buckets()).every((b) => b.sends <= RATE));
    const span = (calls.at(-1)!.at - calls[0]!.at) / 1000;
    t.true(span >= N / RATE - 2, `${N} sends took ${span}s at ${RATE}/s`);
  },
);

test.serial(
  'when a batch of 300 callbacks is started, then every survey goes out within the rate, opted-out citizens are skipped, and every outcome is recorded',
  async (t) => {
    t.timeout(300_000, 'hundreds of sends at the configured rate on a busy machine');
    t.is(letterIds.length, N, 'the registrations of the previous test');
    // A few citizens unsubscribed (TD) after their receipt: surveys must not reach them.
    const push = await fetch(`${gw.url}/sms/aliyun/uplink?token=${SMS_PUSH_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        phones.slice(0, OPTED_OUT).map((p, i) => ({
          phone_number: p,
          send_time: '2026-11-29 19:00:00',
          content: 'TD',
          sign_name: '成都网络理政',
          dest_code: '1234',
          sequence_id: 880000 + i,
        })),
      ),
    });
    t.is(push.status, 200);
    await eventually(
      async () => {
        const rows = await gw.services.db
          .selectFrom('citizen_preferences')
          .select('citizen_id')
          .where('opted_out_at', 'is not', null)
          .execute();
        return rows.length >= OPTED_OUT ? rows : undefined;
      },
      30_000,
      'the opt-outs',
    );

    const r = await gw.api('/api/v1/surveys/batch', {
      method: 'POST',
      json: { letterIds },
      headers: { 'idempotency-key': `batch-${run}` },
    });
    t.is(r.status, 202);
    const batch = (await r.json()) as {
      batchId: string;
      queued: number;
      results: { letterId: string; outcome: string; surveyId: string }[];
    };
    t.is(batch.results.length, N);
    t.deepEqual(
      batch.results.map((x) => x.letterId),
      letterIds,
      'one result per id, in order',
    );
    t.true(batch.results.every((x) => x.outcome === 'queued'));

    const progress = await eventually(
      async () => {
        await pause();
        const p = (await (await gw.api(`/api/v1/surveys/batches/${batch.batchId}`)).json()) as {
          letters: number;
          waiting: number;
          sent: number;
          failed: number;
        };
        return p.waiting === 0 ? p : undefined;
      },
      240_000,
      'every survey settled',
    );
    t.like(progress, { letters: N, sent: N - OPTED_OUT, failed: OPTED_OUT });

    const surveys = await gw.services.db
      .selectFrom('deliveries')
      .select(['id', 'status', 'recipient', 'last_error'])
      .where('kind', '=', 'survey')
      .where('letter_id', 'in', letterIds)
      .execute();
    t.is(surveys.length, N, 'one survey per letter');
    const failed = surveys.filter((d) => d.status === 'failed');
    t.deepEqual(
      // Recipients are the phones' tokens (gateway/privacy/pii-ids.ts).
      (await Promise.all(failed.map((d) => phoneOf(gw, d.recipient)))).sort(),
      phones
        .slice(0, OPTED_OUT)
        .map((p) => `+86${p}`)
        .sort(),
    );
    t.true(failed.every((d) => d.last_error?.startsWith('opted_out')));
    const attempts = await gw.services.db
      .selectFrom('delivery_attempts')
      .select('delivery_id')
      .where(
        'delivery_id',
        'in',
        surveys.map((d) => d.id),
      )
      .execute();
    t.is(new Set(attempts.map((a) => a.delivery_id)).size, N, 'every outcome recorded as an attempt');
    const calls = sendsTo(new Set(surveys.filter((d) => d.status === 'sent').map((d) => d.id)));
    t.is(calls.length, N - OPTED_OUT);
    t.true((await buckets()).every((b) => b.sends <= RATE));
    const span = (calls.at(-1)!.at - calls[0]!.at) / 1000;
    t.true(span >= (N - OPTED_OUT) / RATE - 2, `${calls.length} sends took ${span}s at ${RATE}/s`);

    // Each outcome is queued for the case store in the transaction that recorded it.
    const events = await gw.services.db
      .selectFrom('case_events')
      .select('payload')
      .where('type', '=', 'delivery.updated')
      .where('letter_id', 'in', letterIds)
      .execute();
    const surveyEvents = events.filter((e) => (e.payload as { data: { kind: string } }).data.kind === 'survey');
    t.is(surveyEvents.length, N);
  },
);
