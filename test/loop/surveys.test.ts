import test from 'ava';
import { eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { postPush, textMessage } from '../_support/wechat-oa.js';
import { login, mp } from '../channels/wechat-mp/_mp.js';
import type { IntakeInput } from '../../gateway/letters/intake.js';
import { startLoop, settledDelivery, openWindow, SMS_PUSH_TOKEN, type Loop } from './_loop.js';

let loop: Loop;
test.before(async () => {
  loop = await startLoop({ SURVEY_DELAY_SECONDS: '0' });
});
test.after.always(async () => {
  await loop?.stop();
});

/** A letter accepted by the case store whose survey has been sent to the citizen. */
async function surveyed(citizen: IntakeInput['draft']['citizen'], channel: IntakeInput['draft']['channel']) {
  const { letterId } = await loop.gw.services.intake.submit(sampleIntake({ channel, citizen }));
  await settledDelivery(loop.gw, letterId, 'receipt');
  const r = await loop.gw.api(`/api/v1/letters/${letterId}/surveys`, {
    method: 'POST',
    headers: { 'idempotency-key': `survey-${letterId}` },
  });
  if (r.status >= 300) throw new Error(`starting the survey answered ${r.status}`);
  const survey = await settledDelivery(loop.gw, letterId, 'survey');
  return { letterId, survey };
}

const surveyOf = (letterId: string) =>
  loop.gw.services.db.selectFrom('surveys').selectAll().where('letter_id', '=', letterId).executeTakeFirstOrThrow();
const answered = (letterId: string) =>
  eventually(
    async () => {
      const s = await surveyOf(letterId);
      return s.state === 'answered' ? s : undefined;
    },
    30_000,
    'the answer to be recorded',
  );
const answerEvents = (letterId: string) =>
  loop.caseStore.received.filter(
    (r) => r.path === '/events' && r.body.type === 'survey.answered' && r.body.letterId === letterId,
  );
const thanksOf = (letterId: string) =>
  loop.gw.services.db
    .selectFrom('deliveries')
    .selectAll()
    .where('letter_id', '=', letterId)
    .where('template_key', '=', 'survey_thanks')
    .execute();
const quiet = () => new Promise((r) => setTimeout(r, 1500));

test('when a citizen answers １ on the official account, then the answer is recorded once, thanked and sent to the case store', async (t) => {
  const openid = 'oLoopSurvey1';
  // The citizen wrote on the official account: the customer-service window is open.
  await openWindow(loop.gw, openid);
  const { letterId, survey } = await surveyed({ channelUserId: openid, anonymous: false }, 'wechat-oa');
  t.is(survey.status, 'sent', survey.lastError ?? '');
  for (let i = 0; i < 2; i++) t.is((await postPush(loop.gw.url, textMessage(openid, '１'))).status, 200);
  const s = await answered(letterId);
  t.like(s, { score: 1, answer_channel: 'wechat-oa' });
  const thanks = await settledDelivery(loop.gw, letterId, 'service');
  t.is(thanks.status, 'sent');
  t.true(
    loop.wx.calls.some(
      (c) => c.body.touser === openid && c.path.endsWith('/custom/send') && JSON.stringify(c.body).includes('满意'),
    ),
  );
  await quiet();
  t.is((await thanksOf(letterId)).length, 1);
  const events = await eventually(async () => (answerEvents(letterId).length > 0 ? answerEvents(letterId) : undefined));
  t.is(events.length, 1, 'the repeated answer is not a second event');
  t.like(events[0]!.body.data, { score: 1, label: '满意', channel: 'wechat-oa' });
  t.true(events[0]!.signatureValid);
});

test('when a citizen answers 2 by SMS uplink, then the answer is recorded once, thanked by SMS and sent to the case store', async (t) => {
  const { letterId } = await surveyed(
    { channelUserId: '+8613500000011', phone: '+8613500000011', anonymous: false },
    'sms',
  );
  const push = (seq: number) =>
    fetch(`${loop.gw.url}/sms/aliyun/uplink?token=${SMS_PUSH_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          phone_number: '13500000011',
          send_time: '2026-11-26 10:00:00',
          content: '2',
          sign_name: '成都网络理政',
          dest_code: '1234',
          sequence_id: seq,
        },
      ]),
    });
  t.is((await push(900001)).status, 200);
  t.is((await push(900001)).status, 200, 'the same uplink pushed again');
  const s = await answered(letterId);
  t.like(s, { score: 2, answer_channel: 'sms' });
  const thanks = await settledDelivery(loop.gw, letterId, 'service');
  t.is(thanks.status, 'sent');
  t.is(loop.aliyun.callsFor('13500000011', 'SendSms').filter((c) => c.query.OutId === thanks.id).length, 1);
  await quiet();
  t.is((await thanksOf(letterId)).length, 1);
  t.is(answerEvents(letterId).length, 1);
  t.like(answerEvents(letterId)[0]!.body.data, { score: 2, label: '基本满意', channel: 'sms' });
});

test('when a citizen rates the letter in the mini-program, then the answer is recorded once, not thanked (template off) and sent to the case store', async (t) => {
  const { token, openid } = await login(loop.gw);
  const { letterId } = await surveyed({ channelUserId: openid, anonymous: false }, 'wechat-mp');
  const call = mp(loop.gw, token);
  const first = await call<{ outcome: string }>(`/mp/letters/${letterId}/satisfaction`, {
    json: { score: 3, reason: '路灯还是不亮' },
  });
  t.is(first.status, 200);
  t.is(first.body.outcome, 'recorded');
  const again = await call<{ outcome: string }>(`/mp/letters/${letterId}/satisfaction`, {
    json: { score: 3, reason: '路灯还是不亮' },
  });
  t.is(again.body.outcome, 'unchanged');
  t.like(await surveyOf(letterId), {
    state: 'answered',
    score: 3,
    reason: '路灯还是不亮',
    answer_channel: 'wechat-mp',
  });
  const events = await eventually(async () => (answerEvents(letterId).length > 0 ? answerEvents(letterId) : undefined));
  await quiet();
  t.is(answerEvents(letterId).length, 1);
  t.like(events[0]!.body.data, { score: 3, label: '不满意', channel: 'wechat-mp', reason: '路灯还是不亮' });
  t.deepEqual(await thanksOf(letterId), []);
});

test('when an official-account survey went out by SMS (window closed, template refused), then the citizen can answer it by SMS', async (t) => {
  // Outside the window the survey goes by template message; this citizen refused template messages.
  loop.wx.script('oLoopSurveyBySms', (path) =>
    path.endsWith('/template/send') ? { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 9' } : undefined,
  );
  const { letterId, survey } = await surveyed(
    { channelUserId: 'oLoopSurveyBySms', phone: '+8613500000012', anonymous: false },
    'wechat-oa',
  );
  t.deepEqual([survey.status, survey.attempts.at(-1)?.route], ['sent', 'sms'], survey.lastError ?? '');
  const r = await fetch(`${loop.gw.url}/sms/aliyun/uplink?token=${SMS_PUSH_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        phone_number: '13500000012',
        send_time: '2026-11-26 10:00:00',
        content: '1',
        sign_name: '成都网络理政',
        dest_code: '1234',
        sequence_id: 900002,
      },
    ]),
  });
  t.is(r.status, 200);
  t.like(await answered(letterId), { score: 1, answer_channel: 'sms' });
});

test('when the case store withdraws a mini-program survey already sent, then the citizen cannot rate it any more and the case store hears no answer', async (t) => {
  const { token, openid } = await login(loop.gw);
  const { letterId } = await surveyed({ channelUserId: openid, anonymous: false }, 'wechat-mp');
  const withdrawn = await loop.gw.api(`/api/v1/letters/${letterId}/survey/withdraw`, {
    method: 'POST',
    json: { reason: '案件重新办理' },
  });
  t.is(withdrawn.status, 200);
  const call = mp(loop.gw, token);
  const rated = await call<{ code: string; detail: string }>(`/mp/letters/${letterId}/satisfaction`, {
    json: { score: 1 },
  });
  t.is(rated.status, 409);
  t.is(rated.body.detail, '评价已过期');
  const detail = await call<{ survey: { state: string } }>(`/mp/letters/${letterId}`, { method: 'GET' });
  t.is(detail.body.survey.state, 'expired', 'to the citizen a withdrawn survey has ended');
  t.like(await surveyOf(letterId), { state: 'withdrawn', score: null });
  await quiet();
  t.is(answerEvents(letterId).length, 0);
});
