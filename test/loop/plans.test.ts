import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { business } from '../channels/sms/fake-aliyun.js';
import {
  startLoop,
  settledDelivery,
  deliveryEvents,
  openWindow as openWindowOf,
  SMS_PUSH_TOKEN,
  type Loop,
} from './_loop.js';
import { ADMIN_PASSWORD, staffClient } from '../admin/_staff.js';

let loop: Loop;
test.before(async () => {
  // A short retry deadline, so a route failing transiently for good gives way within the test; long enough that a
  // first try and a retry always fall inside it, even on a busy machine.
  loop = await startLoop({ DELIVERY_RETRY_DEADLINE_SECONDS: '8', ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD });
});
test.after.always(async () => {
  await loop?.stop();
});

const openWindow = (openid: string) => openWindowOf(loop.gw, openid);

const attemptsOf = (d: { attempts: { channel: string; route: string; outcome: string; errorCode: string | null }[] }) =>
  d.attempts.map((a) => [a.channel, a.route, a.outcome, a.errorCode]);

test('when WeChat refuses the customer-service and the template message, then the receipt goes out by SMS and every step is visible', async (t) => {
  await openWindow('oLoopPlan1');
  loop.wx.script('oLoopPlan1', (path) =>
    path.endsWith('/custom/send')
      ? { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled rid: 1' }
      : { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 2' },
  );
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({
      channel: 'wechat-oa',
      citizen: { channelUserId: 'oLoopPlan1', phone: '+8613500000001', anonymous: false },
    }),
  );
  const d = await settledDelivery(loop.gw, letterId, 'receipt');
  t.is(d.status, 'sent');
  t.deepEqual(d.plan, [
    { channel: 'wechat-oa', route: 'custom', recipient: 'oLoopPlan1' },
    { channel: 'wechat-oa', route: 'template', recipient: 'oLoopPlan1' },
    // The phone route names the citizen by the phone's token (gateway/privacy/pii-ids.ts).
    { channel: 'sms', route: 'sms', recipient: await phoneToken(loop.gw, '+8613500000001') },
  ]);
  t.deepEqual(attemptsOf(d), [
    ['wechat-oa', 'custom', 'fallback', '45015'],
    ['wechat-oa', 'template', 'fallback', '43101'],
    ['sms', 'sms', 'sent', null],
  ]);
  const [sms] = loop.aliyun.callsFor('13500000001', 'SendSms');
  t.is(sms?.query.OutId, d.id);
  t.truthy(d.attempts[2]!.providerMessageId);
  const events = await eventually(async () => {
    const e = deliveryEvents(loop.caseStore, d.id);
    return e.length > 0 ? e : undefined;
  });
  t.true(events.every((e) => e.signed));
  t.like(events.at(-1)!.data, { channel: 'sms', route: 'sms', status: 'sent', error: null });
});

test('when the template message fails for good (47003), then the plan moves on to SMS at once without retrying it', async (t) => {
  loop.wx.script('oLoopPlan2', (path) =>
    path.endsWith('/template/send')
      ? { errcode: 47003, errmsg: 'argument invalid! data.thing2.value invalid rid: 3' }
      : undefined,
  );
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({
      channel: 'wechat-oa',
      citizen: { channelUserId: 'oLoopPlan2', phone: '+8613500000002', anonymous: false },
    }),
  );
  const d = await settledDelivery(loop.gw, letterId, 'receipt');
  t.is(d.status, 'sent');
  t.deepEqual(attemptsOf(d), [
    ['wechat-oa', 'template', 'failed', '47003'],
    ['sms', 'sms', 'sent', null],
  ]);
  t.is(loop.wx.calls.filter((c) => c.body.touser === 'oLoopPlan2').length, 1);
});

test('when WeChat answers -1 (system busy) once, then the same route is retried after a back-off and succeeds', async (t) => {
  await openWindow('oLoopBusy');
  let tries = 0;
  loop.wx.script('oLoopBusy', (path) =>
    path.endsWith('/custom/send') && tries++ === 0 ? { errcode: -1, errmsg: 'system error' } : undefined,
  );
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({
      channel: 'wechat-oa',
      citizen: { channelUserId: 'oLoopBusy', phone: '+8613500000003', anonymous: false },
    }),
  );
  const d = await settledDelivery(loop.gw, letterId, 'receipt');
  t.is(d.status, 'sent');
  t.is(d.route, 'custom');
  t.deepEqual(attemptsOf(d), [
    ['wechat-oa', 'custom', 'retry', '-1'],
    ['wechat-oa', 'custom', 'sent', null],
  ]);
  t.deepEqual(loop.aliyun.callsFor('13500000003'), [], 'a transient error never reaches the next route');
  const events = await eventually(async () => {
    const e = deliveryEvents(loop.caseStore, d.id);
    return e.length > 0 ? e : undefined;
  });
  t.deepEqual(
    events.map((e) => e.data.status),
    ['sent'],
    'a retry still on its way is not reported',
  );
});

test('when WeChat keeps answering -1 past the retry deadline, then the plan moves on to the template message', async (t) => {
  await openWindow('oLoopDown');
  loop.wx.script('oLoopDown', (path) =>
    path.endsWith('/custom/send') ? { errcode: -1, errmsg: 'system error' } : undefined,
  );
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: 'oLoopDown', anonymous: false } }),
  );
  const d = await settledDelivery(loop.gw, letterId, 'receipt');
  t.is(d.status, 'sent');
  t.is(d.route, 'template');
  const tries = attemptsOf(d);
  t.deepEqual(tries.at(-1), ['wechat-oa', 'template', 'sent', null]);
  t.true(tries.length >= 3, `${tries.length} attempts`);
  t.deepEqual(
    new Set(tries.slice(0, -1).map((a) => JSON.stringify(a))),
    new Set([JSON.stringify(['wechat-oa', 'custom', 'retry', '-1'])]),
  );
  const span = new Date(d.attempts.at(-1)!.at).getTime() - new Date(d.attempts[0]!.at).getTime();
  t.true(span >= 2000, `the route was retried with back-off for ${span} ms before moving on`);
});

async function mpLetter(openid: string, phone?: string) {
  await loop.gw.services.db
    .insertInto('mp_consents')
    .values({ openid, template_id: 'MP_SUBSCRIBE_RECEIPT', credits: 1, updated_at: new Date() })
    .execute();
  loop.wx.script(openid, (path) =>
    path.endsWith('/subscribe/send') ? { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 4' } : undefined,
  );
  const citizen = { channelUserId: openid, anonymous: false, ...(phone ? { phone, phoneVerified: true } : {}) };
  const { letterId } = await loop.gw.services.intake.submit(sampleIntake({ channel: 'wechat-mp', citizen }));
  return settledDelivery(loop.gw, letterId, 'receipt');
}

test('when the mini-program consent is used up (43101) and a verified phone is known, then the receipt goes by SMS', async (t) => {
  const d = await mpLetter('oLoopMp1', '+8613500000004');
  t.is(d.status, 'sent');
  t.deepEqual(d.plan, [
    { channel: 'wechat-mp', route: 'subscribe', recipient: 'oLoopMp1' },
    // The phone route names the citizen by the phone's token (gateway/privacy/pii-ids.ts).
    { channel: 'sms', route: 'sms', recipient: await phoneToken(loop.gw, '+8613500000004') },
  ]);
  t.deepEqual(attemptsOf(d), [
    ['wechat-mp', 'subscribe', 'fallback', '43101'],
    ['sms', 'sms', 'sent', null],
  ]);
  t.is(loop.aliyun.callsFor('13500000004', 'SendSms').length, 1);
});

test('when the mini-program consent is used up (43101) and no phone is known, then the receipt is in-app only and reported so', async (t) => {
  const d = await mpLetter('oLoopMp2');
  t.is(d.status, 'fallback');
  t.regex(d.lastError ?? '', /^in-app only: 43101/);
  t.deepEqual(attemptsOf(d), [['wechat-mp', 'subscribe', 'fallback', '43101']]);
  const events = await eventually(async () => {
    const e = deliveryEvents(loop.caseStore, d.id);
    return e.length > 0 ? e : undefined;
  });
  t.like(events.at(-1)!.data, { channel: 'wechat-mp', route: 'subscribe', status: 'fallback' });
});

test('when Aliyun answers isv.MOBILE_NUMBER_ILLEGAL, then the SMS receipt fails at once and is not retried', async (t) => {
  loop.aliyun.script('13500000005', () => business('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号'));
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: '+8613500000005', phone: '+8613500000005', anonymous: false } }),
  );
  const d = await settledDelivery(loop.gw, letterId, 'receipt');
  t.is(d.status, 'failed');
  t.deepEqual(d.plan, [{ channel: 'sms', route: 'sms', recipient: await phoneToken(loop.gw, '+8613500000005') }]);
  t.deepEqual(attemptsOf(d), [['sms', 'sms', 'failed', 'isv.MOBILE_NUMBER_ILLEGAL']]);
  const events = await eventually(async () => {
    const e = deliveryEvents(loop.caseStore, d.id);
    return e.length > 0 ? e : undefined;
  });
  t.like(events.at(-1)!.data, { status: 'failed' });
  t.regex(events.at(-1)!.data.error ?? '', /isv\.MOBILE_NUMBER_ILLEGAL/);
  await new Promise((r) => setTimeout(r, 1500));
  t.is(loop.aliyun.callsFor('13500000005', 'SendSms').length, 1, 'no second try');
});

test('when WeChat answers 45009 (daily API quota reached), then the message goes by SMS at once and the window is kept', async (t) => {
  await openWindow('oLoopQuota');
  loop.wx.script('oLoopQuota', () => ({ errcode: 45009, errmsg: 'reach max api daily quota limit rid: 5' }));
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({
      channel: 'wechat-oa',
      citizen: { channelUserId: 'oLoopQuota', phone: '+8613500000009', anonymous: false },
    }),
  );
  const d = await settledDelivery(loop.gw, letterId, 'receipt');
  t.is(d.status, 'sent');
  t.deepEqual(attemptsOf(d), [
    ['wechat-oa', 'custom', 'fallback', '45009'],
    ['wechat-oa', 'template', 'fallback', '45009'],
    ['sms', 'sms', 'sent', null],
  ]);
  const follower = await loop.gw.services.db
    .selectFrom('wechat_oa_followers')
    .select('quota_left')
    .where('openid', '=', 'oLoopQuota')
    .executeTakeFirstOrThrow();
  t.is(follower.quota_left, 5, "the citizen's own customer-service window is untouched");
});

test('when an SMS sent as fallback for a WeChat reply gets its Aliyun delivery report, then the delivery, the case store and the statistics see it delivered', async (t) => {
  loop.wx.script('oLoopReport', (path) =>
    path.endsWith('/custom/send')
      ? { errcode: 45015, errmsg: 'response out of time limit rid: 6' }
      : { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 7' },
  );
  const mailbox = { id: 'report-test', name: '回执统计测试信箱' };
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({
      channel: 'wechat-oa',
      mailbox,
      citizen: { channelUserId: 'oLoopReport', phone: '+8613500000010', anonymous: false },
    }),
  );
  await settledDelivery(loop.gw, letterId, 'receipt');
  const res = await loop.gw.api(`/api/v1/letters/${letterId}/replies`, {
    method: 'POST',
    json: { text: '路灯已修好。' },
  });
  t.is(res.status, 202);
  const reply = await settledDelivery(loop.gw, letterId, 'reply');
  t.is(reply.status, 'sent');
  t.is(reply.plan?.at(-1)?.channel, 'sms');
  const bizId = reply.attempts.at(-1)!.providerMessageId;
  const push = await fetch(`${loop.gw.url}/sms/aliyun/report?token=${SMS_PUSH_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        phone_number: '13500000010',
        send_time: '2026-11-26 10:00:00',
        report_time: '2026-11-26 10:00:05',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: bizId,
        out_id: reply.id,
      },
    ]),
  });
  t.is(push.status, 200);
  const delivered = await eventually(
    async () => {
      const r = await loop.gw.api(`/api/v1/letters/${letterId}`);
      const { deliveries } = (await r.json()) as {
        deliveries: { id: string; status: string; attempts: { channel: string; outcome: string }[] }[];
      };
      const d = deliveries.find((x) => x.id === reply.id);
      return d?.status === 'delivered' ? d : undefined;
    },
    30_000,
    'the reply delivered',
  );
  t.like(delivered.attempts.at(-1), { channel: 'sms', outcome: 'report:delivered' });
  const events = await eventually(
    async () => {
      const e = deliveryEvents(loop.caseStore, reply.id).filter((x) => x.data.status === 'delivered');
      return e.length > 0 ? e : undefined;
    },
    30_000,
    'the delivered event at the case store',
  );
  t.like(events[0]!.data, { channel: 'sms', status: 'delivered' });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const stats = (await (await loop.gw.api(`/api/v1/stats?from=${today}&to=${today}&groupBy=mailbox`)).json()) as {
    groups: { key: string; repliesDelivered: number | string }[];
  };
  t.is(stats.groups.find((g) => g.key === mailbox.name)?.repliesDelivered, '< 5');
});

test('when every channel has provider credentials, then no provider simulator, sandbox outbox or refusal route exists', async (t) => {
  const post = (path: string) =>
    fetch(loop.gw.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.is((await post('/sandbox/providers/wechat/cgi-bin/stable_token')).status, 404);
  t.is((await post('/sandbox/providers/wechat/cgi-bin/message/custom/send')).status, 404);
  t.is((await post('/sandbox/providers/aliyun/?Action=SendSms')).status, 404);
  t.is((await fetch(`${loop.gw.url}/sandbox/outbox`)).status, 404);
  const admin = staffClient(loop.gw);
  t.true((await admin.login('admin', ADMIN_PASSWORD)).ok);
  const refusals = (await (await admin.call('GET', '/sandbox/refusals')).json()) as { channels: unknown[] };
  t.deepEqual(refusals.channels, []);
  t.is((await admin.call('PUT', '/sandbox/refusals/wechat-oa/window')).status, 404);
  t.is((await admin.call('PUT', '/sandbox/refusals/sms/carrier')).status, 404);
});
