import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { postPush, pushXml, textMessage } from '../_support/wechat-oa.js';
import { isOptedOut } from '../../gateway/conversation/preferences.js';
import { startLoop, settledDelivery, SMS_PUSH_TOKEN, type Loop } from './_loop.js';
import { postSmsUplink } from '../_support/sms-uplink.js';

let loop: Loop;
test.before(async () => {
  loop = await startLoop({ SURVEY_DELAY_SECONDS: '0' });
});
test.after.always(async () => {
  await loop?.stop();
});

const uplink = (phone: string, content: string) => postSmsUplink(loop.gw.url, SMS_PUSH_TOKEN, phone, content);
const answerSent = (recipient: string, templateKey: string) =>
  eventually(
    async () => {
      const d = await loop.gw.services.db
        .selectFrom('deliveries')
        .select(['id', 'status'])
        .where('recipient', '=', await phoneToken(loop.gw, recipient))
        .where('template_key', '=', templateKey)
        .executeTakeFirst();
      return d && d.status !== 'queued' && d.status !== 'sending' ? d : undefined;
    },
    30_000,
    `${templateKey} to ${recipient}`,
  );
const event = (openid: string, name: string) =>
  pushXml({ FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: name });

/** An official-account letter whose messages all go out by SMS (WeChat refuses both routes). */
async function oaLetterBySms(openid: string, phone: string) {
  loop.wx.script(openid, (path) =>
    path.endsWith('/custom/send')
      ? { errcode: 45015, errmsg: 'response out of time limit rid: 8' }
      : { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 9' },
  );
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: openid, phone, anonymous: false } }),
  );
  const receipt = await settledDelivery(loop.gw, letterId, 'receipt');
  if (receipt.plan?.[receipt.plan.length - 1]?.channel !== 'sms' || receipt.status !== 'sent')
    throw new Error('the receipt did not go by SMS');
  return letterId;
}

async function survey(letterId: string) {
  const r = await loop.gw.api(`/api/v1/letters/${letterId}/surveys`, {
    method: 'POST',
    headers: { 'idempotency-key': `survey-${letterId}` },
  });
  if (r.status >= 300) throw new Error(`starting the survey answered ${r.status}`);
  return settledDelivery(loop.gw, letterId, 'survey');
}

test('when a citizen sends TD by SMS, then surveys of their official-account letters stop reaching that phone, until they send 订阅', async (t) => {
  const openid = 'oLoopOptSms';
  const phone = '+8613500000031';
  const first = await oaLetterBySms(openid, phone);
  t.is((await uplink('13500000031', 'TD')).status, 200);
  t.is((await answerSent(phone, 'optout_confirm')).status, 'sent');

  const stopped = await survey(first);
  t.is(stopped.status, 'failed');
  t.deepEqual(stopped.attempts.map((a) => [a.channel, a.outcome, a.errorCode]).at(-1), ['sms', 'failed', 'opted_out']);
  t.false(
    loop.aliyun.callsFor('13500000031', 'SendSms').some((c) => c.query.OutId === stopped.id),
    'no survey SMS to the phone that opted out',
  );

  t.is((await uplink('13500000031', '订阅')).status, 200);
  const confirm = await answerSent(phone, 'resubscribe_confirm');
  t.is(confirm.status, 'sent');
  t.false(await isOptedOut(loop.gw.services.db, 'sms', await phoneToken(loop.gw, phone)));
  const second = await oaLetterBySms(openid, phone);
  const resumed = await survey(second);
  t.is(resumed.status, 'sent');
  t.true(loop.aliyun.callsFor('13500000031', 'SendSms').some((c) => c.query.OutId === resumed.id));
});

test('when a citizen unfollows and follows again, then surveys resume; an explicit 退订 stays through a re-follow until 订阅', async (t) => {
  const openid = 'oLoopOptFollow';
  const optedOut = () => isOptedOut(loop.gw.services.db, 'wechat-oa', openid);
  const push = async (xml: string) => t.is(await (await postPush(loop.gw.url, xml)).text(), 'success');

  await push(event(openid, 'unsubscribe'));
  t.true(await optedOut(), 'an unfollow stops surveys');
  await push(event(openid, 'subscribe'));
  t.false(await optedOut(), 'following again lifts what the unfollow set');

  await push(textMessage(openid, '退订'));
  await answerSent(openid, 'optout_confirm');
  t.true(await optedOut());
  await push(event(openid, 'unsubscribe'));
  await push(event(openid, 'subscribe'));
  t.true(await optedOut(), "the citizen's own 退订 outlives a re-follow");

  await push(textMessage(openid, '订阅'));
  // The confirmation is answered (which route carries it depends on the reply window, tested with the channel).
  await answerSent(openid, 'resubscribe_confirm');
  t.false(await optedOut());
});
