import test from 'ava';
import nock from 'nock';
import { sql } from 'kysely';
import { eventually } from '../_support/gateway.js';
import { login, mp, letterRequest, WX, APPID } from '../channels/wechat-mp/_mp.js';
import { startLoop, settledDelivery, SMS_PUSH_TOKEN, type Loop } from '../loop/_loop.js';
import type { MpSubmitAnswer } from '../../shared/mp-api.js';
import { clearPhoneHits } from '../_support/pii.js';
import { postSmsUplink } from '../_support/sms-uplink.js';
import { Citizen, letterForm, MAILBOX } from '../channels/web/_web.js';

// Every phone number this test hands to the gateway; none may be found in clear in any column afterwards.
const SMS_PHONE = '13766610001';
const MP_PHONE = '13766610002';
const WEB_PHONE = '13766610003';
const HOTLINE_PHONE = '13766610004';
const PHONES = [SMS_PHONE, MP_PHONE, WEB_PHONE, HOTLINE_PHONE];
// The name the mini-program citizen types in the letter form: as personal as the phone, found in clear nowhere either.
const MP_NAME = '欧阳清澜';

/**
 * Columns allowed to hold a phone in clear, and why. Only the sandbox's own records are here: they stand in for the
 * provider's side of the wire (what Aliyun would have been sent), exist only without provider credentials and are
 * never written in production (sandbox mode is refused there). This test runs live adapters, so they stay empty.
 */
const ALLOWED = ['sandbox_messages.recipient', 'sandbox_messages.payload'];

let loop: Loop;
test.before(async () => {
  loop = await startLoop({
    CHANNELS: 'wechat-oa,wechat-mp,sms,web',
    SURVEY_DELAY_SECONDS: '0',
    CONVERSATION_QUIET_SECONDS: '2',
  });
});
test.after.always(async () => {
  await loop?.stop();
});

async function uplink(phone: string, content: string): Promise<void> {
  const r = await postSmsUplink(loop.gw.url, SMS_PUSH_TOKEN, phone, content);
  if (r.status !== 200) throw new Error(`uplink answered ${r.status}`);
}

let bizId = 930_000;
async function report(phone: string, deliveryId: string): Promise<void> {
  const r = await fetch(`${loop.gw.url}/sms/aliyun/report?token=${SMS_PUSH_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        phone_number: phone,
        send_time: '2026-11-26 10:00:00',
        report_time: '2026-11-26 10:00:05',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: `${bizId++}^0`,
        out_id: deliveryId,
      },
    ]),
  });
  if (r.status !== 200) throw new Error(`report answered ${r.status}`);
}

/** The verification code Aliyun was asked to send to `phone` (local digits), the newest first. */
const codeSentTo = (phone: string) =>
  eventually(
    async () => {
      const calls = loop.aliyun.callsFor(phone, 'SendSms').map((c) => {
        const params = JSON.parse(c.query.TemplateParam ?? '{}') as { code?: string };
        return params.code;
      });
      return calls.reverse().find((c) => c !== undefined && /^\d{6}$/.test(c));
    },
    30_000,
    'the verification code SMS',
  );

/** Every cookie value a browser holds, and every base64url part of it decoded, as one text to search. */
const cookieText = (c: Citizen) =>
  [...c.cookies.values()]
    .flatMap((v) => [v, ...v.split(/[.|]/).map((part) => Buffer.from(part, 'base64url').toString('latin1'))])
    .join('\n');

/** Replies finally, starts the survey and waits until both went out. */
async function replyAndSurvey(letterId: string): Promise<void> {
  const r = await loop.gw.api(`/api/v1/letters/${letterId}/replies`, {
    method: 'POST',
    headers: { 'idempotency-key': `reply-${letterId}` },
    json: { text: '您反映的路灯问题已安排维修。', final: true },
  });
  if (r.status !== 202) throw new Error(`reply answered ${r.status}`);
  await settledDelivery(loop.gw, letterId, 'reply');
  const s = await loop.gw.api(`/api/v1/letters/${letterId}/surveys`, {
    method: 'POST',
    headers: { 'idempotency-key': `survey-${letterId}` },
  });
  if (s.status >= 300) throw new Error(`survey answered ${s.status}`);
  await settledDelivery(loop.gw, letterId, 'survey');
}

test('when letters, deliveries, surveys and conversations went through SMS, the mini-program, the web mailbox and a hotline registration, then no column of any table and no web cookie holds a phone or the typed name in clear', async (t) => {
  const { gw } = loop;
  // SMS: a letter in two messages, the submit word, a progress query, a survey answer and an opt-out.
  await uplink(SMS_PHONE, '小区门口的路灯坏了一个月，晚上很黑，');
  await uplink(SMS_PHONE, '提交');
  const smsLetter = await eventually(
    async () => {
      const l = await sql<{ id: string; serial: string | null; extraction_code: string }>`
        select id, serial, extraction_code from letters where channel = 'sms' and serial is not null
        order by received_at desc limit 1`.execute(gw.services.db);
      return l.rows[0];
    },
    30_000,
    'the SMS letter at the case store',
  );
  const receipt = await settledDelivery(gw, smsLetter.id, 'receipt');
  t.is(receipt.status, 'sent', receipt.lastError ?? '');
  await report(SMS_PHONE, receipt.id);
  await uplink(SMS_PHONE, `查询 ${smsLetter.serial} ${smsLetter.extraction_code}`);
  await replyAndSurvey(smsLetter.id);
  await uplink(SMS_PHONE, '1');
  await eventually(async () => {
    const s = await gw.services.db
      .selectFrom('surveys')
      .select('state')
      .where('letter_id', '=', smsLetter.id)
      .executeTakeFirst();
    return s?.state === 'answered' ? true : undefined;
  });
  await uplink(SMS_PHONE, '退订');
  await eventually(async () =>
    (await gw.services.db.selectFrom('citizen_preferences').select('channel').executeTakeFirst()) ? true : undefined,
  );

  // Mini-program: a verified phone, a letter using it, then the reply and the survey (by SMS: no consent given).
  const { token } = await login(gw);
  const call = mp(gw, token);
  const code = `phone-code-${MP_PHONE}`;
  nock(WX)
    .post('/wxa/business/getuserphonenumber', { code })
    .query(true)
    .reply(200, {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: MP_PHONE,
        purePhoneNumber: MP_PHONE,
        countryCode: 86,
        watermark: { timestamp: 1700000000, appid: APPID },
      },
    });
  t.is((await call('/mp/phone', { json: { code } })).status, 200);
  const submitted = await call<MpSubmitAnswer>('/mp/letters', {
    json: letterRequest({ usePhone: true, name: MP_NAME }),
  });
  t.is(submitted.status, 201);
  const mpLetter = submitted.body.letterId;
  await settledDelivery(gw, mpLetter, 'receipt');
  await replyAndSurvey(mpLetter);

  // Web mailbox: a draft, the phone verified by SMS code, the letter submitted and read back by the signed-in browser.
  const citizen = new Citizen(gw);
  await citizen.get(`/web/write?mailbox=${MAILBOX}`);
  const draft = await citizen.post('/web/drafts', letterForm());
  t.is(draft.status, 303);
  await citizen.get(draft.location!);
  t.is((await citizen.post('/web/verify/send', { phone: WEB_PHONE, next: draft.location! })).status, 200);
  const webCode = await codeSentTo(WEB_PHONE);
  t.is((await citizen.post('/web/verify', { phone: WEB_PHONE, code: webCode, next: draft.location! })).status, 303);
  await citizen.get(draft.location!);
  const webSubmit = await citizen.post(`${draft.location!}/submit`, {});
  const webLetter = /\/web\/letters\/([0-9a-f-]{36})/.exec(webSubmit.location ?? '')?.[1];
  if (!webLetter) throw new Error(`web letter not submitted: ${webSubmit.status}`);
  await settledDelivery(gw, webLetter, 'receipt');
  await replyAndSurvey(webLetter);
  const own = await citizen.get(`/web/letters/${webLetter}`);
  t.is(own.status, 200, 'the signed-in browser still reads its letter');
  // The browser's session names the phone only encrypted: a copied or logged cookie does not reveal it.
  t.false(cookieText(citizen).includes(WEB_PHONE), 'no cookie holds the phone in clear');

  // A hotline case the case store registers (with an idempotency key: the stored answer is kept too), answered by SMS.
  const registered = await gw.api('/api/v1/letters', {
    method: 'POST',
    headers: { 'idempotency-key': 'reg-no-clear-phones' },
    json: {
      origin: 'phone',
      serial: 'CD202611290099001',
      phone: HOTLINE_PHONE,
      kind: 'complaint',
      topic: '城市管理',
      region: { code: '510104', name: '锦江区' },
      summary: '市民来电反映春熙路附近夜间施工噪音扰民，希望尽快处理。',
      receivedAt: new Date(Date.now() - 3600_000).toISOString(),
      smsConsent: true,
    },
  });
  t.is(registered.status, 201);
  const hotlineLetter = ((await registered.json()) as { letterId: string }).letterId;
  await settledDelivery(gw, hotlineLetter, 'receipt');
  await replyAndSurvey(hotlineLetter);

  // Wait for the conversation layer and the outbound side to have settled what they write afterwards.
  await eventually(async () => {
    const busy = await sql<{
      n: string;
    }>`select count(*) as n from deliveries where status in ('queued', 'sending')`.execute(gw.services.db);
    return Number(busy.rows[0]?.n) === 0 ? true : undefined;
  });

  const found = await clearPhoneHits(gw.services.db, [...PHONES, MP_NAME], ALLOWED);
  t.deepEqual(found, []);
  // The scan is not vacuous: the mini-program form as received is kept, its name sealed, and staff read it masked.
  const form = await gw.services.db
    .selectFrom('source_messages')
    .select('payload')
    .where('letter_id', '=', mpLetter)
    .executeTakeFirstOrThrow();
  t.regex((form.payload as { name: string }).name, /^pii1\./);
  t.is(gw.services.pii.decrypt((form.payload as { name: string }).name), MP_NAME);
  // The scan is not vacuous: the SMS letter's rows exist.
  t.truthy(await gw.services.db.selectFrom('sms_uplinks').select('id').executeTakeFirst());
});
