// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { phoneOf, phoneToken } from '../../_support/pii.js';
import { readMetrics, startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { sql } from 'kysely';
import { queueDeliveries } from '../../../gateway/outbox/deliveries.js';

const TOKEN = 'push-token-0123456789abcdef';
let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway({ SMS_PUSH_TOKEN: TOKEN });
});
test.after.always(async () => {
  await gw?.stop();
});

const push = (
  kind: 'uplink' | 'report',
  body: string,
  token = TOKEN,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => fetch(`${gw.url}/sms/aliyun/${kind}?token=${encodeURIComponent(token)}`, { method: 'POST', headers, body });

// Stored under the citizen's token, never the phone (gateway/privacy/pii-ids.ts).
const uplinksOf = async (phone: string) =>
  gw.services.db
    .selectFrom('sms_uplinks')
    .selectAll()
    .where('phone', '=', await phoneToken(gw, phone))
    .orderBy('id')
    .execute();
const tokens = (phones: string[]) => Promise.all(phones.map((p) => phoneToken(gw, p)));

test('when Aliyun pushes several uplinks with both sequence_id types and both time formats, then each is stored once and acknowledged', async (t) => {
  const body = JSON.stringify([
    {
      phone_number: '13900001111',
      send_time: '2026-11-26 09:30:00',
      content: '我要反映',
      sign_name: '成都12345',
      dest_code: '1234',
      sequence_id: 1234567890,
    },
    {
      phone_number: '13900001111',
      send_time: '20261126093005',
      content: '小区路灯坏了',
      dest_code: '1234',
      sequence_id: '1234567891',
      extra: { ignored: true },
    },
  ]);
  const res = await push('uplink', body);
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { code: 0, msg: '接收成功' });
  const rows = await uplinksOf('+8613900001111');
  const token = await phoneToken(gw, '+8613900001111');
  t.deepEqual(
    rows.map((r) => [r.dedup_key, r.status, r.sent_at_raw]),
    [
      [`${token}:1234567890`, 'accepted', '2026-11-26 09:30:00'],
      [`${token}:1234567891`, 'accepted', '20261126093005'],
    ],
  );
  // The raw item keeps every field but the number, which is the token there too.
  t.is((rows[0]!.payload as { phone_number: string }).phone_number, token);
  t.is(new Date(rows[1]!.sent_at!).toISOString(), '2026-11-26T01:30:05.000Z');

  const again = await push('uplink', body);
  t.is(again.status, 200);
  t.is((await uplinksOf('+8613900001111')).length, 2);
  const metrics = await readMetrics(gw);
  t.regex(metrics, /gateway_sms_push_items_total\{push="uplink",result="duplicate"\} [1-9]/);
});

test('when one item of a push has no phone or no content, then it is recorded as rejected and the others are stored', async (t) => {
  const res = await push(
    'uplink',
    JSON.stringify([
      { phone_number: '13900002222', content: '好的内容', sequence_id: 1, send_time: '2026-11-26 10:00:00' },
      { content: '没有号码', sequence_id: 2 },
      { phone_number: '13900002222', content: '   ', sequence_id: 3 },
      { phone_number: '13900002222', content: '同一推送里的重复', sequence_id: 1 },
    ]),
  );
  t.is(res.status, 200);
  const rows = await uplinksOf('+8613900002222');
  t.deepEqual(
    rows.map((r) => [r.status, r.reason]),
    [
      ['accepted', null],
      ['rejected', 'no content'],
    ],
  );
  const noPhone = await gw.services.db
    .selectFrom('sms_uplinks')
    .select('reason')
    .where('content', '=', '没有号码')
    .executeTakeFirstOrThrow();
  t.is(noPhone.reason, 'no valid phone_number');
});

test('when the token is wrong or missing, then the push gets 401 and nothing is stored', async (t) => {
  const body = JSON.stringify([{ phone_number: '13900003333', content: '伪造', sequence_id: 9 }]);
  t.is((await push('uplink', body, 'wrong-token-0123456789abcdef')).status, 401);
  t.is((await fetch(`${gw.url}/sms/aliyun/uplink`, { method: 'POST', body })).status, 401);
  t.is((await push('report', '[]', TOKEN.slice(0, -1))).status, 401);
  t.is((await uplinksOf('+8613900003333')).length, 0);
});

test('when the body is not JSON or too large, then the push is refused with 400 or 413 and nothing is stored', async (t) => {
  const bad = await push('uplink', '[{"phone_number":"13900004444",');
  t.is(bad.status, 400);
  t.is(((await bad.json()) as { code: string }).code, 'body_invalid_json');
  const big = JSON.stringify(
    Array.from({ length: 20_000 }, (_, i) => ({
      phone_number: '13900004444',
      content: '长'.repeat(60),
      sequence_id: i,
    })),
  );
  const tooLarge = await push('uplink', big);
  t.is(tooLarge.status, 413);
  t.is((await uplinksOf('+8613900004444')).length, 0);
});

test('when a delivery report comes back for our OutId, then the delivery is delivered or failed with the carrier code', async (t) => {
  const [ok, bad] = await queueDeliveries(gw.services.db, [
    {
      letterId: null,
      channel: 'sms',
      recipient: '+8613900005555',
      kind: 'service',
      templateKey: 'survey',
      variables: { serial: 'CD20261126000001' },
    },
    {
      letterId: null,
      channel: 'sms',
      recipient: '+8613900005555',
      kind: 'service',
      templateKey: 'survey',
      variables: { serial: 'CD20261126000001' },
    },
  ]);
  // Stand in for "sent": the sandbox may or may not have sent them yet.
  await gw.services.db.updateTable('deliveries').set({ status: 'sent' }).where('id', 'in', [ok!, bad!]).execute();
  const items = [
    {
      phone_number: '13900005555',
      send_time: '2026-11-26 10:00:00',
      report_time: '2026-11-26 10:00:05',
      success: true,
      err_code: 'DELIVERED',
      err_msg: '用户接收成功',
      sms_size: '1',
      biz_id: '900^1',
      out_id: ok,
    },
    {
      phone_number: '13900005555',
      send_time: '2026-11-26 10:00:00',
      report_time: '20261126100007',
      success: false,
      err_code: 'MK:0001',
      err_msg: '用户关机',
      sms_size: '1',
      biz_id: '900^2',
      out_id: bad,
    },
    { phone_number: '13900005555', success: true, err_code: 'DELIVERED', biz_id: '900^3', out_id: 'not-ours' },
  ];
  const res = await push('report', JSON.stringify(items));
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { code: 0, msg: '接收成功' });
  const rows = await gw.services.db
    .selectFrom('deliveries')
    .select(['id', 'status', 'last_error'])
    .where('id', 'in', [ok!, bad!])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  t.is(byId.get(ok!)?.status, 'delivered');
  t.is(byId.get(bad!)?.status, 'failed');
  t.regex(byId.get(bad!)?.last_error ?? '', /MK:0001/);
  // The same push again changes nothing and records nothing twice.
  t.is((await push('report', JSON.stringify(items))).status, 200);
  const attempts = await gw.services.db
    .selectFrom('delivery_attempts')
    .select('outcome')
    .where('delivery_id', '=', ok!)
    .where('outcome', 'like', 'report:%')
    .execute();
  t.is(attempts.length, 1);
  const stored = await gw.services.db
    .selectFrom('sms_reports')
    .select('id')
    .where('phone', '=', await phoneToken(gw, '+8613900005555'))
    .execute();
  t.is(stored.length, 3);
});

// Speed is the benchmark's business (`npm run bench:sms`); here: one answer for the whole push, every item kept.
test('when a 1,000-item push arrives, then one acknowledgement covers every item, each stored once', async (t) => {
  const items = Array.from({ length: 1000 }, (_, i) => ({
    phone_number: `1390001${String(i).padStart(4, '0')}`,
    send_time: '2026-11-26 11:00:00',
    content: `第${i}条`,
    sequence_id: String(5_000_000 + i),
  }));
  const res = await push('uplink', JSON.stringify(items));
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { code: 0, msg: '接收成功' });
  const stored = await gw.services.db
    .selectFrom('sms_uplinks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('phone', 'in', await tokens(items.map((i) => `+86${i.phone_number}`)))
    .executeTakeFirstOrThrow();
  t.is(Number(stored.n), 1000);
});

test('when the allowlist is set, then a push from another address gets 403, and one the nearest proxy saw as listed passes', async (t) => {
  // The test connects from 127.0.0.1, as the proxy in front of the gateway would.
  const guarded = await startTestGateway(
    { SMS_PUSH_TOKEN: TOKEN, SMS_PUSH_ALLOWED_IPS: '106.11.0.0/16', TRUSTED_PROXIES: '127.0.0.1' },
    gw.databaseUrl,
  );
  try {
    const body = JSON.stringify([{ phone_number: '13900006666', content: '白名单', sequence_id: 61 }]);
    const url = `${guarded.url}/sms/aliyun/uplink?token=${TOKEN}`;
    const headers = (xff?: string): Record<string, string> => ({
      'content-type': 'application/json',
      ...(xff ? { 'x-forwarded-for': xff } : {}),
    });
    t.is((await fetch(url, { method: 'POST', headers: headers(), body })).status, 403);
    // A client-written entry before the proxy's own does not count.
    t.is((await fetch(url, { method: 'POST', headers: headers('106.11.1.1, 203.0.113.9'), body })).status, 403);
    t.is((await uplinksOf('+8613900006666')).length, 0);
    t.is((await fetch(url, { method: 'POST', headers: headers('203.0.113.9, 106.11.1.1'), body })).status, 200);
    t.is((await uplinksOf('+8613900006666')).length, 1);
  } finally {
    await guarded.stop();
  }
});

// Serial: it takes the uplink table away for a moment, which no other test may see.
test.serial(
  'when storing fails, then the push gets a 5xx without the success body, and the repeated push is stored',
  async (t) => {
    const body = JSON.stringify([{ phone_number: '13900007777', content: '重试', sequence_id: 71 }]);
    await sql`alter table sms_uplinks rename to sms_uplinks_away`.execute(gw.services.db);
    try {
      const res = await push('uplink', body);
      t.true(res.status >= 500);
      t.not(((await res.json()) as { code?: unknown }).code, 0);
    } finally {
      await sql`alter table sms_uplinks_away rename to sms_uplinks`.execute(gw.services.db);
    }
    t.is((await push('uplink', body)).status, 200);
    t.is((await uplinksOf('+8613900007777')).length, 1);
  },
);

// Serial, like the other heavy tests: they must not share the cores with the timed 1,000-item push.
test.serial(
  'when the middle item of a push holds U+0000 and an unpaired surrogate, then all three are stored, the middle one cleaned with its original kept, and the push acknowledged',
  async (t) => {
    const body = JSON.stringify([
      { phone_number: '13900008881', content: '第一条正常', sequence_id: 881, send_time: '2026-11-26 10:00:00' },
      {
        phone_number: '13900008882',
        content: '路灯\u0000坏了\ud800请修',
        sequence_id: 882,
        send_time: '2026-11-26 10:00:01',
        sign_name: 'x\u0000',
      },
      { phone_number: '13900008883', content: '第三条正常', sequence_id: 883, send_time: '2026-11-26 10:00:02' },
    ]);
    t.true(body.includes('\\u0000') && body.includes('\\ud800'));
    const res = await push('uplink', body);
    t.is(res.status, 200);
    t.deepEqual(await res.json(), { code: 0, msg: '接收成功' });
    const rows = await gw.services.db
      .selectFrom('sms_uplinks')
      .selectAll()
      .where('phone', 'in', await tokens(['+8613900008881', '+8613900008882', '+8613900008883']))
      .orderBy('id')
      .execute();
    t.deepEqual(
      rows.map((r) => [r.status, r.content]),
      [
        ['accepted', '第一条正常'],
        ['accepted', '路灯坏了\ufffd请修'],
        ['accepted', '第三条正常'],
      ],
    );
    t.is(rows[0]!.raw_text, null);
    t.is((JSON.parse(rows[1]!.raw_text!) as { content: string }).content, '路灯\u0000坏了\ud800请修');
    // All three went on to the conversation module, the middle one as cleaned text.
    const messages = await gw.services.db
      .selectFrom('conversation_messages')
      .select(['sender_id', 'message'])
      .where('sender_id', 'in', await tokens(['+8613900008881', '+8613900008882', '+8613900008883']))
      .orderBy('id')
      .execute();
    t.deepEqual(
      messages.map((m) => (m.message as { text: string }).text),
      ['第一条正常', '路灯坏了\ufffd请修', '第三条正常'],
    );
  },
);

test.serial(
  'when a push is nested 100,000 levels deep, then it is refused with 400 body_too_deep, and a report push too',
  async (t) => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const kind of ['uplink', 'report'] as const) {
      const res = await push(kind, deep);
      t.is(res.status, 400);
      t.is(res.headers.get('content-type'), 'application/problem+json');
      t.is(((await res.json()) as { code: string }).code, 'body_too_deep');
    }
    const objects = await push(
      'uplink',
      JSON.stringify([
        {
          phone_number: '13900008884',
          content: 'x',
          sequence_id: 884,
          extra: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) as unknown,
        },
      ]),
    );
    t.is(objects.status, 400);
    t.is((await uplinksOf('+8613900008884')).length, 0);
  },
);

test.serial(
  'when one item of a push is 300,000 characters long, then it is held as rejected for staff before the acknowledgement and the others of its push are stored',
  async (t) => {
    const huge = '长'.repeat(300_000);
    const res = await push(
      'uplink',
      JSON.stringify([
        { phone_number: '13900008885', content: '同一推送的第一条', sequence_id: 885 },
        { phone_number: '13900008886', content: huge, sequence_id: 886 },
        { phone_number: '13900008887', content: '同一推送的第三条', sequence_id: 887 },
      ]),
    );
    t.is(res.status, 200);
    t.deepEqual(await res.json(), { code: 0, msg: '接收成功' });
    const rows = await gw.services.db
      .selectFrom('sms_uplinks')
      .select(['phone', 'status', 'reason', 'content'])
      .where('phone', 'in', await tokens(['+8613900008885', '+8613900008886', '+8613900008887']))
      .orderBy('id')
      .execute();
    t.deepEqual(await Promise.all(rows.map(async (r) => [await phoneOf(gw, r.phone!), r.status])), [
      ['+8613900008885', 'accepted'],
      ['+8613900008886', 'rejected'],
      ['+8613900008887', 'accepted'],
    ]);
    t.is(rows[1]!.reason, 'content too long (300000 characters, limit 10000)');
    t.is(rows[1]!.content, huge);
    // The long item never enters a draft, so no letter is built from it (and none is cut or lost later).
    const senders = await gw.services.db
      .selectFrom('conversation_messages')
      .select('sender_id')
      .where('sender_id', 'in', await tokens(['+8613900008885', '+8613900008886', '+8613900008887']))
      .orderBy('id')
      .execute();
    t.deepEqual(await Promise.all(senders.map((s) => phoneOf(gw, s.sender_id))), ['+8613900008885', '+8613900008887']);
  },
);
