import test from 'ava';
import { sql } from 'kysely';
import { eventually } from '../../_support/gateway.js';
import { sampleIntake } from '../../_support/letters.js';
import { inbound } from '../../_support/conversation.js';
import { startConsoleGateway, type StaffClient } from '../../admin/_staff.js';
import type { TestGateway } from '../../_support/gateway.js';
import { developmentAccessKey } from '../../../gateway/channels/sms/providers/aliyun/simulator/index.js';
import { acs3Signature } from '../../../gateway/channels/sms/providers/aliyun/simulator/signature.js';
import { mpCitizen as devMpCitizen, readOutbox, SMS_PUSH_TOKEN } from './_sandbox.js';

// One sandboxed gateway for the file: every channel sends with its live code to the simulators mounted in it.
let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway({ SMS_PUSH_TOKEN }));
});
test.after.always(async () => {
  await gw?.stop();
});

const outbox = (recipient: string) => readOutbox(admin, recipient);

const delivery = (id: string) =>
  gw.services.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attempts = (id: string) =>
  gw.services.db
    .selectFrom('delivery_attempts')
    .select(['route', 'outcome', 'error_code'])
    .where('delivery_id', '=', id)
    .orderBy('id')
    .execute();

async function receiptOf(letterId: string) {
  return eventually(async () => {
    const d = await gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('letter_id', '=', letterId)
      .where('kind', '=', 'receipt')
      .where('status', 'not in', ['queued', 'sending'])
      .executeTakeFirst();
    return d;
  }, 20_000);
}

const refuse = (channel: string, kind: string, on: boolean) =>
  admin.call(on ? 'PUT' : 'DELETE', `/sandbox/refusals/${channel}/${kind}`);

test.serial(
  'when an SMS letter is received, then the receipt goes through SendSms of the simulator, the outbox shows the request, the answer and the SMS as the citizen reads it, and the delivery report comes back',
  async (t) => {
    const phone = '+8613900000011';
    const r = await gw.services.intake.submit(
      sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
    );
    const d = await receiptOf(r.letterId);
    t.is(d.route, 'sms');
    const box = await eventually(async () => {
      const b = await outbox(phone);
      return b.messages[0]?.calls[0] ? b : undefined;
    });
    const m = box.messages[0]!;
    t.is(m.delivery_id, d.id);
    const call = m.calls[0]!;
    t.is(call.action, 'SendSms');
    t.is(call.code, 'OK');
    // The exact request: the number as Aliyun writes it, our delivery id as OutId, the variables as JSON text.
    // Staff see the number masked; the simulator's record keeps it as Aliyun received it.
    t.like(call.request, { PhoneNumbers: '139****0011', OutId: d.id });
    const raw = await gw.services.db
      .selectFrom('sandbox_provider_calls')
      .select('request')
      .where('delivery_id', '=', d.id)
      .executeTakeFirstOrThrow();
    t.is((raw.request as { PhoneNumbers: string }).PhoneNumbers, '13900000011');
    const params = JSON.parse(String(call.request.TemplateParam)) as Record<string, string>;
    t.deepEqual(params, (d.rendered as { params: Record<string, string> }).params);
    t.regex(String(call.answer.BizId), /^\d+\^0$/);
    t.true(call.shown!.startsWith('【'));
    t.true(call.shown!.includes(Object.values(params)[0]!));
    const delivered = await eventually(async () => ((await delivery(d.id)).status === 'delivered' ? true : undefined));
    t.true(delivered);
  },
);

test.serial(
  'when staff make the carrier fail, then the simulator accepts the SMS and its delivery report fails the delivery; the switch is audited and needs the CSRF token',
  async (t) => {
    t.is(
      (await admin.call('PUT', '/sandbox/refusals/sms/carrier', undefined, { 'x-csrf-token': 'wrong' })).status,
      403,
    );
    t.is((await refuse('sms', 'carrier', true)).status, 204);
    t.teardown(async () => {
      await refuse('sms', 'carrier', false);
    });
    const phone = '+8613900000012';
    const r = await gw.services.intake.submit(
      sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
    );
    const d = await receiptOf(r.letterId);
    const failed = await eventually(async () => {
      const x = await delivery(d.id);
      return x.status === 'failed' ? x : undefined;
    });
    t.regex(failed.last_error ?? '', /MK:0001|failed/);
    const call = (await outbox(phone)).calls.find((c) => c.action === 'SendSms')!;
    t.is(call.code, 'OK');
    t.is(call.report?.err_code, 'MK:0001');
    const audited = await gw.services.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'sandbox.refusal.on')
      .execute();
    t.true(audited.length >= 1);
  },
);

/**
 * An official-account citizen who wrote, as a push tells the gateway (its window record) and WeChat (the message, which
 * the simulator learns from the conversation's store); without `message` only the gateway's record is there.
 */
async function oaCitizenWhoWrote(openid: string, message = true) {
  if (message) await gw.services.conversation.accept([inbound(openid, { text: '你好' })]);
  await sql`insert into wechat_oa_followers (openid, subscribed, window_until, quota_left, last_message_at)
            values (${openid}, true, now() + interval '48 hours', 5, now())`.execute(gw.services.db);
}

test.serial(
  'when an official-account citizen wrote, then the receipt goes as a customer-service text and the outbox shows what WeChat received',
  async (t) => {
    const openid = 'o_sim_window_open';
    await oaCitizenWhoWrote(openid);
    const r = await gw.services.intake.submit(
      sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: openid, anonymous: false } }),
    );
    const d = await receiptOf(r.letterId);
    t.is(d.status, 'sent');
    t.is(d.route, 'custom');
    const m = (await outbox(openid)).messages.find((x) => x.delivery_id === d.id)!;
    const call = m.calls.find((c) => c.action === '/cgi-bin/message/custom/send')!;
    t.is(call.code, '0');
    const text = (call.request.text as { content: string }).content;
    t.is(text, (d.rendered as { text: string }).text);
    t.is(call.shown, text);
  },
);

test.serial(
  'when staff close the window, then WeChat answers 45015 and the plan moves on to the template message',
  async (t) => {
    const openid = 'o_sim_window_closed';
    // The gateway believes the window open; WeChat refuses (and no reply to the citizen's message uses the window first).
    await oaCitizenWhoWrote(openid, false);
    t.is((await refuse('wechat-oa', 'window', true)).status, 204);
    t.teardown(async () => {
      await refuse('wechat-oa', 'window', false);
    });
    const r = await gw.services.intake.submit(
      sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: openid, anonymous: false } }),
    );
    const d = await receiptOf(r.letterId);
    t.is(d.route, 'template');
    t.deepEqual(
      (await attempts(d.id)).map((a) => [a.route, a.outcome, a.error_code]),
      [
        ['custom', 'fallback', '45015'],
        ['template', 'sent', null],
      ],
    );
    const m = (await outbox(openid)).messages.find((x) => x.delivery_id === d.id)!;
    t.deepEqual(
      m.calls.map((c) => [c.action, c.code]),
      [
        ['/cgi-bin/message/custom/send', '45015'],
        ['/cgi-bin/message/template/send', '0'],
      ],
    );
    t.is(m.calls[1]!.request.client_msg_id, d.id);
    t.regex(String(m.calls[1]!.answer.msgid), /^\d{18,}$/);
    t.is(d.provider_message_id, String(m.calls[1]!.answer.msgid));
  },
);

test.serial(
  "when the official account's API quota is spent, then WeChat answers 45009 and the message goes by SMS to the known phone",
  async (t) => {
    const openid = 'o_sim_quota';
    const phone = '+8613900000013';
    t.is((await refuse('wechat-oa', 'quota', true)).status, 204);
    t.teardown(async () => {
      await refuse('wechat-oa', 'quota', false);
    });
    const r = await gw.services.intake.submit(
      sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: openid, phone, anonymous: false } }),
    );
    const sms = await eventually(async () => (await outbox(phone)).messages.find((m) => m.channel === 'sms'));
    t.is(sms.payload.templateKey, 'receipt');
    const refused = (await outbox(openid)).calls.find((c) => c.action === '/cgi-bin/message/template/send')!;
    t.is(refused.code, '45009');
    t.truthy(r.letterId);
  },
);

const mpCitizen = (name: string) => devMpCitizen(gw.url, name);
const receiptTemplate = async () =>
  String((await gw.services.templates.current('wechat-mp', 'receipt', 'subscribe'))!.content.templateId);

test.serial(
  "when a mini-program citizen consented, then the receipt is a subscribe message the simulator accepts, its values within WeChat's field limits",
  async (t) => {
    const c = await mpCitizen('simconsent');
    const templateId = await receiptTemplate();
    t.is((await c.call('/mp/subscriptions', { result: { [templateId]: 'accept' } })).status, 200);
    const r = await gw.services.intake.submit(
      sampleIntake({ channel: 'wechat-mp', citizen: { channelUserId: c.openid, anonymous: false } }),
    );
    const d = await receiptOf(r.letterId);
    t.deepEqual([d.route, d.status], ['subscribe', 'sent']);
    const call = (await outbox(c.openid)).messages[0]!.calls[0]!;
    t.deepEqual(
      [call.action, call.code, call.request.template_id],
      ['/cgi-bin/message/subscribe/send', '0', templateId],
    );
    const data = call.request.data as Record<string, { value: string }>;
    // Each value as WeChat received it, within its field type's limit (thing: 20 characters).
    for (const [k, v] of Object.entries(data)) if (k.startsWith('thing')) t.true([...v.value].length <= 20);
    t.true(call.shown!.includes(Object.values(data)[0]!.value));
  },
);

test.serial(
  'when staff withdraw consent at WeChat, then the simulator answers 43101 and the subscribe route is given up',
  async (t) => {
    const c = await mpCitizen('simnoconsent');
    const templateId = await receiptTemplate();
    await c.call('/mp/subscriptions', { result: { [templateId]: 'accept' } });
    t.is((await refuse('wechat-mp', 'consent', true)).status, 204);
    t.teardown(async () => {
      await refuse('wechat-mp', 'consent', false);
    });
    const r = await gw.services.intake.submit(
      sampleIntake({ channel: 'wechat-mp', citizen: { channelUserId: c.openid, anonymous: false } }),
    );
    const d = await receiptOf(r.letterId);
    t.deepEqual((await attempts(d.id))[0], { route: 'subscribe', outcome: 'fallback', error_code: '43101' });
    const call = (await outbox(c.openid)).calls[0]!;
    t.is(call.code, '43101');
  },
);

test.serial(
  "when a refusal is asked for that the channel's provider does not know, then it is refused and only sandboxed channels offer refusals",
  async (t) => {
    t.is((await refuse('sms', 'window', true)).status, 404);
    t.is((await refuse('web', 'quota', true)).status, 404);
    const list = (await (await admin.call('GET', '/sandbox/refusals')).json()) as { channels: { channel: string }[] };
    t.deepEqual(list.channels.map((c) => c.channel).sort(), ['sms', 'wechat-mp', 'wechat-oa']);
  },
);

test("when the simulators get hostile input, then they answer 4xx or the provider's own error, never 500", async (t) => {
  const wx = `${gw.url}/sandbox/providers/wechat`;
  const post = (url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(url, { method: 'POST', headers, body });
  t.is((await post(`${wx}/cgi-bin/stable_token`, '{"grant_type":')).status, 400);
  t.is((await post(`${wx}/cgi-bin/stable_token`, '['.repeat(5000) + ']'.repeat(5000))).status, 400);
  t.is((await post(`${wx}/cgi-bin/stable_token`, 'x', { 'content-type': 'text/plain' })).status, 415);
  t.is((await post(`${wx}/via/not-a-uuid/cgi-bin/stable_token`, '{}')).status, 404);
  const wrong = await post(
    `${wx}/cgi-bin/stable_token`,
    JSON.stringify({ grant_type: 'client_credential', appid: 'wx-nobody', secret: 'x' }),
  );
  t.deepEqual([wrong.status, ((await wrong.json()) as { errcode: number }).errcode], [200, 40013]);
  const forged = await post(
    `${wx}/cgi-bin/message/custom/send?access_token=SIM.x.1.y`,
    JSON.stringify({ touser: 'o' }),
  );
  t.is(((await forged.json()) as { errcode: number }).errcode, 40001);
  const none = await post(`${wx}/cgi-bin/message/template/send`, JSON.stringify([1, 2]));
  t.is(((await none.json()) as { errcode: number }).errcode, 47001);
  const ali = `${gw.url}/sandbox/providers/aliyun/`;
  t.is((await post(`${ali}?Action=SendSms&PhoneNumbers=1`, '')).status, 404);
  const key = await developmentAccessKey(gw.services.db);
  // Signed as the SDK signs (ACS3-HMAC-SHA256 over the host and the query), so the checks after the signature answer.
  const signedPost = (query: string) => {
    const u = new URL(`${ali}?${query}`);
    const signature = acs3Signature(
      {
        method: 'POST',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers: { host: u.host },
        body: Buffer.alloc(0),
      },
      ['host'],
      key.secret,
    );
    return post(u.href, '', {
      authorization: `ACS3-HMAC-SHA256 Credential=${key.id},SignedHeaders=host,Signature=${signature}`,
    });
  };
  const forgedSms = await post(`${ali}?Action=SendSms`, '', {
    authorization: `ACS3-HMAC-SHA256 Credential=${key.id},SignedHeaders=host,Signature=00`,
  });
  t.deepEqual([forgedSms.status, ((await forgedSms.json()) as { Code: string }).Code], [400, 'SignatureDoesNotMatch']);
  t.is((await signedPost('Action=Bogus')).status, 404);
  t.is((await signedPost('Action=QuerySendDetails&SendDate=x')).status, 400);
  const bad = await signedPost('Action=SendSms&PhoneNumbers=12345&SignName=a&TemplateCode=b');
  t.deepEqual([bad.status, ((await bad.json()) as { Code: string }).Code], [200, 'isv.MOBILE_NUMBER_ILLEGAL']);
});
