import test from 'ava';
import nock from 'nock';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { sampleIntake } from '../../_support/letters.js';
import { oaEnv, postPush, textMessage } from '../../_support/wechat-oa.js';
import { fakeWechatApi, type WechatApiFake } from '../../_support/wechat-api-fake.js';
import { queueDeliveries } from '../../../gateway/outbox/deliveries.js';
import { reserveCustom, reserveCustoms } from '../../../gateway/channels/wechat-oa/followers.js';

let gw: TestGateway;
let wx: WechatApiFake;
test.before(async () => {
  wx = fakeWechatApi('TOKEN-OUT');
  gw = await startTestGateway(oaEnv());
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function letterFrom(openid: string): Promise<{ letterId: string; serial: string }> {
  const r = await gw.services.intake.submit(
    sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: openid, anonymous: false } }),
  );
  const serial = await eventually(async () => {
    const l = await gw.services.db
      .selectFrom('letters')
      .select('serial')
      .where('id', '=', r.letterId)
      .executeTakeFirstOrThrow();
    return l.serial ?? undefined;
  });
  return { letterId: r.letterId, serial };
}

const settled = (letterId: string, count: number) =>
  eventually(async () => {
    const rows = await gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('letter_id', '=', letterId)
      .orderBy('seq')
      .execute();
    return rows.length === count && rows.every((d) => d.status !== 'queued' && d.status !== 'sending')
      ? rows
      : undefined;
  });

const reply = (letterId: string, text: string) =>
  gw.api(`/api/v1/letters/${letterId}/replies`, {
    method: 'POST',
    json: { text },
    headers: { 'idempotency-key': `reply-${letterId}-${text.length}` },
  });

test('when the citizen wrote within 48 hours, then receipt and reply go out as customer-service messages', async (t) => {
  await postPush(gw.url, textMessage('oInside1', '我要反映问题'));
  const { letterId, serial } = await letterFrom('oInside1');
  t.is((await reply(letterId, '已安排维修，三天内修复。')).status, 202);
  const rows = await settled(letterId, 2);
  t.deepEqual(
    rows.map((d) => [d.kind, d.status, d.route]),
    [
      ['receipt', 'sent', 'custom'],
      ['reply', 'sent', 'custom'],
    ],
  );
  // The conversation module's own answers (draft started…) go the same way; the receipt comes before the reply.
  const texts = wx.calls
    .filter((c) => c.body.touser === 'oInside1')
    .map((c) => (c.body.text as { content: string }).content);
  const receiptAt = texts.findIndex((x) => x.includes(`受理流水号：${serial}`));
  const replyAt = texts.findIndex((x) => x.includes('已安排维修，三天内修复。'));
  t.true(receiptAt >= 0 && replyAt > receiptAt);
});

test('when the window is closed, then the receipt goes out as a template message with its 64-bit msgid kept', async (t) => {
  const { letterId, serial } = await letterFrom('oOutside1');
  const [receipt] = await settled(letterId, 1);
  t.is(receipt!.route, 'template');
  t.regex(receipt!.provider_message_id ?? '', /^\d{19}$/);
  const call = wx.calls.find((c) => c.body.touser === 'oOutside1');
  t.is(call?.path, '/cgi-bin/message/template/send');
  t.like(call?.body ?? {}, {
    template_id: 'OA_TEMPLATE_RECEIPT',
    client_msg_id: receipt!.id,
    data: { character_string1: { value: serial } },
  });
  t.false(wx.calls.some((c) => c.body.touser === 'oOutside1' && c.path.endsWith('/custom/send')));
});

test('when WeChat answers 45015 to a customer-service message, then the template message is sent instead', async (t) => {
  // Our records say the window is open (as after a message); WeChat knows better.
  await gw.services.db
    .insertInto('wechat_oa_followers')
    .values({
      openid: 'oExpired1',
      window_until: new Date(Date.now() + 3600_000),
      quota_left: 5,
      last_message_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  wx.script('oExpired1', (path) =>
    path.endsWith('/custom/send')
      ? { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' }
      : undefined,
  );
  const { letterId } = await letterFrom('oExpired1');
  const [receipt] = await settled(letterId, 1);
  t.is(receipt!.status, 'sent');
  t.is(receipt!.route, 'template');
  const attempts = await gw.services.db
    .selectFrom('delivery_attempts')
    .select(['route', 'outcome', 'error_code'])
    .where('delivery_id', '=', receipt!.id)
    .orderBy('id')
    .execute();
  t.deepEqual(attempts, [
    { route: 'custom', outcome: 'fallback', error_code: '45015' },
    { route: 'template', outcome: 'sent', error_code: null },
  ]);
});

test('when WeChat answers 47003 (template bug), then the delivery fails for staff and is not retried', async (t) => {
  wx.script('oBadTpl1', () => ({ errcode: 47003, errmsg: 'argument invalid! data.thing2.value invalid' }));
  const { letterId } = await letterFrom('oBadTpl1');
  const [receipt] = await settled(letterId, 1);
  t.is(receipt!.status, 'failed');
  t.regex(receipt!.last_error ?? '', /47003/);
  t.is(wx.calls.filter((c) => c.body.touser === 'oBadTpl1').length, 1);
});

test("when WeChat's errmsg holds a NUL and a lone surrogate, then the outcome is still recorded, with the text cleaned", async (t) => {
  wx.script('oOddErr1', () => ({ errcode: 47003, errmsg: 'argument invalid!\u0000 data.\ud800 invalid' }));
  const { letterId } = await letterFrom('oOddErr1');
  const [receipt] = await settled(letterId, 1);
  t.is(receipt!.status, 'failed');
  t.regex(receipt!.last_error ?? '', /^47003: argument invalid! data\.\uFFFD invalid/);
  // Recorded once: the outcome did not fail its batch and get the message sent again.
  t.is(wx.calls.filter((c) => c.body.touser === 'oOddErr1').length, 1);
});

test('when WeChat is busy (-1), then the same message is tried again and sent', async (t) => {
  let busy = 1;
  wx.script('oBusy1', () => (busy-- > 0 ? { errcode: -1, errmsg: 'system error' } : undefined));
  const { letterId } = await letterFrom('oBusy1');
  const [receipt] = await eventually(async () => {
    const rows = await gw.services.db.selectFrom('deliveries').selectAll().where('letter_id', '=', letterId).execute();
    return rows[0]?.status === 'sent' ? rows : undefined;
  }, 15_000);
  t.is(receipt!.attempts, 2);
  t.is(wx.calls.filter((c) => c.body.touser === 'oBusy1').length, 2);
});

test('when a long reply is posted inside the window, then it is split at sentence ends into one delivery per part', async (t) => {
  await postPush(gw.url, textMessage('oLong1', '请问办理进度'));
  const { letterId } = await letterFrom('oLong1');
  const sentence = '经核查，该路段路灯线路老化，已列入本月维修计划。';
  const text = sentence.repeat(50);
  t.is((await reply(letterId, text)).status, 202);
  const rows = await settled(letterId, 1 + Math.ceil([...text].length / 600));
  const parts = rows.filter((d) => d.kind === 'reply');
  t.true(parts.length >= 2);
  t.true(parts.every((d) => d.status === 'sent' && d.route === 'custom'));
  const sent = wx.calls.filter(
    (c) => c.body.touser === 'oLong1' && (c.body.text as { content: string }).content.includes('已答复'),
  );
  t.is(sent.length, parts.length);
  t.true(parts.every((d) => (d.variables.replyText ?? '').endsWith('。')));
  t.is(parts.map((d) => d.variables.replyText).join(''), text);
});

test('when more messages are due than the window allows, then the rest go by template message', async (t) => {
  await postPush(gw.url, textMessage('oQuota1', '在吗'));
  // The conversation module answers the message itself (draft started): one of the five.
  await eventually(async () => {
    const r = await gw.services.db
      .selectFrom('deliveries')
      .select('status')
      .where('recipient', '=', 'oQuota1')
      .where('status', '=', 'sent')
      .executeTakeFirst();
    return r;
  });
  await queueDeliveries(
    gw.services.db,
    Array.from({ length: 6 }, () => ({
      letterId: null,
      channel: 'wechat-oa',
      recipient: 'oQuota1',
      kind: 'notice' as const,
      templateKey: 'reply',
      variables: { replyText: '进展', replySummary: '进展' },
    })),
  );
  gw.services.wakeup.wake('deliveries');
  const rows = await eventually(async () => {
    const r = await gw.services.db
      .selectFrom('deliveries')
      .select(['status', 'route'])
      .where('recipient', '=', 'oQuota1')
      .execute();
    return r.length === 7 && r.every((d) => d.status === 'sent') ? r : undefined;
  });
  t.is(rows.filter((d) => d.route === 'custom').length, 5);
  t.is(rows.filter((d) => d.route === 'template').length, 2);
  t.is(wx.calls.filter((c) => c.body.touser === 'oQuota1' && c.path.endsWith('/custom/send')).length, 5);
});

test('when a long reply goes out by template message, then only its first part is sent and the others are covered', async (t) => {
  const { letterId } = await letterFrom('oLongTpl1');
  t.is((await reply(letterId, '经核查，该问题已转交属地街道办理。'.repeat(60))).status, 202);
  const rows = await eventually(async () => {
    const r = await gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('letter_id', '=', letterId)
      .where('kind', '=', 'reply')
      .orderBy('seq')
      .execute();
    return r.length >= 2 && r.every((d) => d.status === 'sent') ? r : undefined;
  });
  t.true(rows.every((d) => d.route === 'template'));
  t.deepEqual(
    rows.slice(1).map((d) => d.provider_message_id),
    rows.slice(1).map(() => 'covered-by-part-1'),
  );
  const templateCalls = wx.calls.filter(
    (c) => c.body.touser === 'oLongTpl1' && c.body.template_id === 'OA_TEMPLATE_REPLY',
  );
  t.is(templateCalls.length, 1);
});

test('when the template message is refused and the citizen accepted a subscription notification, then the notification is sent once', async (t) => {
  await gw.services.templates.save(
    {
      channel: 'wechat-oa',
      key: 'reply',
      route: 'subscribe',
      enabled: true,
      content: {
        templateId: 'tpl-reply-notice',
        page: 'https://example.org/letters',
        data: { thing1: '{{replySummary}}' },
      },
    },
    'staff',
  );
  await gw.services.db
    .insertInto('wechat_oa_consents')
    .values({ openid: 'oConsent1', template_id: 'tpl-reply-notice', status: 'accept', updated_at: new Date() })
    .execute();
  wx.script('oConsent1', (path) =>
    path.endsWith('/template/send') ? { errcode: 43101, errmsg: 'user refuse to accept the msg' } : undefined,
  );
  const { letterId } = await letterFrom('oConsent1');
  await settled(letterId, 1);
  t.is((await reply(letterId, '问题已解决。')).status, 202);
  const rows = await settled(letterId, 2);
  t.like(rows[1], { kind: 'reply', status: 'sent', route: 'subscribe' });
  const call = wx.calls.find((c) => c.body.touser === 'oConsent1' && c.path.endsWith('/subscribe/bizsend'));
  t.like(call?.body ?? {}, {
    template_id: 'tpl-reply-notice',
    page: 'https://example.org/letters',
    data: { thing1: { value: '问题已解决。' } },
  });
  // One-time consent: used up.
  t.deepEqual(
    await gw.services.db.selectFrom('wechat_oa_consents').selectAll().where('openid', '=', 'oConsent1').execute(),
    [],
  );
});

test('when dozens of window reservations for two citizens come at once, in batches and alone, then no more than each quota is granted', async (t) => {
  const window = { window_until: new Date(Date.now() + 3600_000), last_message_at: new Date(), updated_at: new Date() };
  await gw.services.db
    .insertInto('wechat_oa_followers')
    .values([
      { openid: 'oRace1', quota_left: 5, ...window },
      { openid: 'oRace2', quota_left: 3, ...window },
    ])
    .execute();
  const db = gw.services.db;
  const answers = await Promise.all([
    ...Array.from({ length: 20 }, () => reserveCustoms(db, ['oRace1', 'oRace2', 'oRace1', 'oUnknown'])),
    ...Array.from({ length: 10 }, () => reserveCustom(db, 'oRace1').then((ok) => [ok])),
  ]);
  const granted = answers.flat().filter(Boolean).length;
  t.is(granted, 8);
  const batches = answers.slice(0, 20);
  t.is(batches.filter((b) => b[1]).length, 3, 'oRace2 granted exactly its quota');
  t.true(
    batches.every((b) => !b[3]),
    'a citizen without an open window is never granted',
  );
  // Within one batch, a citizen's earlier message takes what is left first.
  t.true(batches.every((b) => b[0] || !b[2]));
  const rows = await db
    .selectFrom('wechat_oa_followers')
    .select(['openid', 'quota_left'])
    .where('openid', 'in', ['oRace1', 'oRace2'])
    .orderBy('openid')
    .execute();
  t.deepEqual(
    rows.map((r) => r.quota_left),
    [0, 0],
  );
});
