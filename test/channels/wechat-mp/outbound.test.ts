import test from 'ava';
import nock from 'nock';
import { startMpGateway, stopNock, login, mp, passCheck, letterRequest, WX, APPID } from './_mp.js';
import { eventually, type TestGateway } from '../../_support/gateway.js';
import type { MpProfile, MpSubmitAnswer } from '../../../shared/mp-api.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway();
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

interface DeliveryView {
  kind: string;
  status: string;
  route: string | null;
  lastError: string | null;
  providerMessageId: string | null;
  channel: string;
}

async function citizenWithLetter(
  consents: Record<string, string>,
  title = '玉林路路灯不亮',
  phone?: string,
  creditsEach?: number,
) {
  const { token, openid } = await login(gw);
  const call = mp(gw, token);
  const posted = await call<{ credits: Record<string, number> }>('/mp/subscriptions', {
    json: { result: { errMsg: 'requestSubscribeMessage:ok', ...consents } },
  });
  if (posted.status !== 200) throw new Error(`consents: ${posted.status}`);
  if (creditsEach !== undefined)
    await gw.services.db
      .updateTable('mp_consents')
      .set({ credits: creditsEach })
      .where('openid', '=', openid)
      .execute();
  const phoneMasked = phone ? (await verifyPhone(call, phone)).body.phoneMasked : undefined;
  passCheck(openid);
  const letter = await call<MpSubmitAnswer>('/mp/letters', {
    json: letterRequest({ title, usePhone: phone !== undefined }),
  });
  return { token, openid, call, letterId: letter.body.letterId, code: letter.body.extractionCode, phoneMasked };
}

const deliveries = async (letterId: string) =>
  ((await (await gw.api(`/api/v1/letters/${letterId}`)).json()) as { deliveries: DeliveryView[] }).deliveries;

const settled = (letterId: string, count: number) =>
  eventually(
    async () => {
      const ds = await deliveries(letterId);
      return ds.length >= count && ds.every((d) => !['queued', 'sending'].includes(d.status)) ? ds : undefined;
    },
    30_000,
    'deliveries to settle',
  );

const credits = async (openid: string, templateId: string) =>
  (
    await gw.services.db
      .selectFrom('mp_consents')
      .select('credits')
      .where('openid', '=', openid)
      .where('template_id', '=', templateId)
      .executeTakeFirst()
  )?.credits ?? 0;

function verifyPhone(call: ReturnType<typeof mp>, phone: string) {
  const code = `phone-code-${phone}`;
  nock(WX)
    .post('/wxa/business/getuserphonenumber', { code })
    .query({ access_token: 'ACCESS_TOKEN_1' })
    .reply(200, {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: 86,
        watermark: { timestamp: 1700000000, appid: APPID },
      },
    });
  return call<{ phoneMasked: string }>('/mp/phone', { json: { code } });
}

test.serial(
  'when the app asks for its profile, then it gets the receipt, reply and survey templates to ask consent for',
  async (t) => {
    const call = mp(gw, (await login(gw)).token);
    const r = await call<MpProfile>('/mp/profile');
    t.deepEqual(r.body.subscribeTemplates, [
      { key: 'receipt', templateId: 'MP_SUBSCRIBE_RECEIPT' },
      { key: 'reply', templateId: 'MP_SUBSCRIBE_REPLY' },
      { key: 'survey', templateId: 'MP_SUBSCRIBE_SURVEY' },
    ]);
    t.false(r.body.phoneVerified);
  },
);

test.serial(
  'when consents are posted, then each accept is one credit, rejects and unknown templates count nothing, and a retried post counts once',
  async (t) => {
    const { token, openid } = await login(gw);
    const call = mp(gw, token);
    const result = {
      errMsg: 'requestSubscribeMessage:ok',
      MP_SUBSCRIBE_RECEIPT: 'accept',
      MP_SUBSCRIBE_REPLY: 'reject',
      SOMEONE_ELSES: 'accept',
    };
    const first = await call<{ results: Record<string, string> }>('/mp/subscriptions', {
      json: { result },
      headers: { 'idempotency-key': 'consent-1' },
    });
    t.is(first.status, 200);
    t.is(first.body.results.SOMEONE_ELSES, 'ignored');
    await call('/mp/subscriptions', { json: { result }, headers: { 'idempotency-key': 'consent-1' } });
    t.is(await credits(openid, 'MP_SUBSCRIBE_RECEIPT'), 1);
    t.is(await credits(openid, 'MP_SUBSCRIBE_REPLY'), 0);
    await call('/mp/subscriptions', { json: { result: { MP_SUBSCRIBE_RECEIPT: 'accept' } } });
    t.is(await credits(openid, 'MP_SUBSCRIBE_RECEIPT'), 2);
  },
);

test.serial(
  'when the letter is accepted and the citizen consented, then the receipt goes out as a subscribe message with data that fits',
  async (t) => {
    let sent:
      | {
          touser: string;
          template_id: string;
          page: string;
          miniprogram_state: string;
          data: Record<string, { value: string }>;
        }
      | undefined;
    const longTitle = '玉林路小区门口的路灯坏了一个多月晚上很黑老人出门不方便😀';
    const send = nock(WX)
      .post('/cgi-bin/message/subscribe/send', (b: typeof sent) => {
        sent = b;
        return true;
      })
      .query({ access_token: 'ACCESS_TOKEN_1' })
      .reply(200, '{"errcode":0,"errmsg":"ok","msgid":3248682510344192008}', { 'content-type': 'application/json' });
    const c = await citizenWithLetter({ MP_SUBSCRIBE_RECEIPT: 'accept' }, longTitle);
    const [receipt] = await settled(c.letterId, 1);
    t.is(receipt?.status, 'sent');
    t.true(send.isDone());
    // The 64-bit msgid survives intact.
    t.is(receipt?.providerMessageId, '3248682510344192008');
    t.is(sent?.touser, c.openid);
    t.is(sent?.template_id, 'MP_SUBSCRIBE_RECEIPT');
    t.is(sent?.page, `pages/letter-detail/index?id=${c.letterId}`);
    t.is(sent?.miniprogram_state, 'formal');
    const data = sent!.data;
    t.regex(data.character_string1!.value, /^CD\d{14}$/);
    t.is([...data.thing2!.value].length, 20);
    t.true(data.thing2!.value.endsWith('…'));
    t.regex(data.time3!.value, /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    t.is(data.thing4!.value, `提取码${c.code}`);
    t.is(await credits(c.openid, 'MP_SUBSCRIBE_RECEIPT'), 0);
  },
);

test.serial(
  'when no consent is left and the letter carries a verified phone, then the message falls back to SMS',
  async (t) => {
    const c = await citizenWithLetter({}, undefined, '13912345678');
    t.is(c.phoneMasked, '+86139****5678');
    const [receipt] = await settled(c.letterId, 1);
    t.is(receipt?.status, 'sent');
    const sms = await eventually(async () => {
      const rows = await gw.services.db
        .selectFrom('sandbox_messages')
        .selectAll()
        .where('channel', '=', 'sms')
        .where('recipient', '=', '+8613912345678')
        .execute();
      return rows.length > 0 ? rows : undefined;
    });
    t.is(sms.length, 1);
    const attempts = (
      (await (await gw.api(`/api/v1/letters/${c.letterId}`)).json()) as {
        deliveries: { attempts: { channel: string; route: string; outcome: string; errorCode: string | null }[] }[];
      }
    ).deliveries[0]!.attempts;
    t.deepEqual(
      attempts.map((a) => [a.channel, a.route, a.outcome, a.errorCode]),
      [
        ['wechat-mp', 'subscribe', 'fallback', 'no_consent'],
        ['sms', 'sms', 'sent', null],
      ],
    );
  },
);

test.serial(
  'when WeChat answers 43101, then the credit is gone and without a phone the delivery is recorded as in-app only',
  async (t) => {
    const send = nock(WX)
      .post('/cgi-bin/message/subscribe/send')
      .query(true)
      .reply(200, { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 1' });
    const c = await citizenWithLetter({ MP_SUBSCRIBE_RECEIPT: 'accept' }, undefined, undefined, 3);
    const [receipt] = await settled(c.letterId, 1);
    t.true(send.isDone());
    t.is(receipt?.status, 'fallback');
    t.regex(receipt?.lastError ?? '', /^in-app only: 43101/);
    t.is(await credits(c.openid, 'MP_SUBSCRIBE_RECEIPT'), 0);
  },
);

test.serial(
  'when WeChat answers 47003, then the delivery records the template error naming the field and the credit is kept',
  async (t) => {
    nock(WX)
      .post('/cgi-bin/message/subscribe/send')
      .query(true)
      .reply(200, { errcode: 47003, errmsg: 'argument invalid! data.thing2.value invalid rid: 2' });
    const c = await citizenWithLetter({ MP_SUBSCRIBE_RECEIPT: 'accept' });
    const [receipt] = await settled(c.letterId, 1);
    t.is(receipt?.status, 'fallback');
    t.regex(
      receipt?.lastError ?? '',
      /47003: WeChat refused the message: argument invalid! data\.thing2\.value invalid/,
    );
    t.is(await credits(c.openid, 'MP_SUBSCRIBE_RECEIPT'), 1);
  },
);

test.serial(
  'when a reply is posted and a reply consent is left, then the reply summary goes out as a subscribe message',
  async (t) => {
    const bodies: { template_id: string; data: Record<string, { value: string }> }[] = [];
    nock(WX)
      .post('/cgi-bin/message/subscribe/send', (b: (typeof bodies)[number]) => {
        bodies.push(b);
        return true;
      })
      .query(true)
      .times(2)
      .reply(200, { errcode: 0, errmsg: 'ok', msgid: 1 });
    const c = await citizenWithLetter({ MP_SUBSCRIBE_RECEIPT: 'accept', MP_SUBSCRIBE_REPLY: 'accept' });
    await settled(c.letterId, 1);
    const reply = await gw.api(`/api/v1/letters/${c.letterId}/replies`, {
      method: 'POST',
      json: { text: '经核实，路灯线路老化，已安排维修，预计本周内修复。' },
    });
    t.is(reply.status, 202);
    const ds = await settled(c.letterId, 2);
    t.deepEqual(
      ds.map((d) => [d.kind, d.status]),
      [
        ['receipt', 'sent'],
        ['reply', 'sent'],
      ],
    );
    t.deepEqual(
      bodies.map((b) => b.template_id),
      ['MP_SUBSCRIBE_RECEIPT', 'MP_SUBSCRIBE_REPLY'],
    );
    t.is(bodies[1]!.data.phrase3!.value, '已答复');
    t.true([...bodies[1]!.data.thing2!.value].length <= 20);
  },
);
