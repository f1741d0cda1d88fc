import test from 'ava';
import nock from 'nock';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { oaEnv, msgId, postPush, pushXml, textMessage } from '../../_support/wechat-oa.js';
import { fakeWechatApi, WECHAT_API, type WechatApiFake } from '../../_support/wechat-api-fake.js';
import type { Letter } from '../../../shared/letter.js';

// The whole path as WeChat drives it: pushes → draft → letter at the (reference) case store → receipt and reply back
// on the official account.
// The quiet period is long enough that a burst posted one push after another stays one letter on a busy machine.
const env = oaEnv({ CONVERSATION_QUIET_SECONDS: '4', CONVERSATION_MEDIA_WAIT_SECONDS: '10' });
let gw: TestGateway;
let wx: WechatApiFake;
test.before(async () => {
  wx = fakeWechatApi('TOKEN-E2E');
  gw = await startTestGateway(env);
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const now = () => Math.floor(Date.now() / 1000);

async function letterAtCaseStore(
  g: TestGateway,
  openid: string,
): Promise<{ id: string; serial: string; letter: Letter }> {
  return eventually(
    async () => {
      const row = await g.services.db
        .selectFrom('sandbox_case_letters as c')
        .innerJoin('letters as l', 'l.id', 'c.letter_id')
        .select(['l.id', 'c.serial', 'c.letter'])
        .where('l.citizen_id', '=', openid)
        .executeTakeFirst();
      return row ? { id: row.id, serial: row.serial, letter: row.letter as unknown as Letter } : undefined;
    },
    30_000,
    `a letter from ${openid} at the case store`,
  );
}

const textsTo = (openid: string) =>
  wx.calls
    .filter((c) => c.body.touser === openid && c.path.endsWith('/custom/send'))
    .map((c) => (c.body.text as { content: string }).content);

test('when a citizen sends a burst of messages, then the quiet period closes one letter, receipt and reply come back by customer-service message', async (t) => {
  const who = 'oE2eBurst';
  const image = 'media-e2e-photo';
  nock(WECHAT_API)
    .get('/cgi-bin/media/get')
    .query({ access_token: 'TOKEN-E2E', media_id: image })
    .reply(200, Buffer.from('jpeg-bytes'), { 'content-type': 'image/jpeg' });
  await postPush(gw.url, textMessage(who, '投诉：小区门口路灯坏了'));
  await postPush(gw.url, textMessage(who, '已经一个月了，晚上很黑'));
  await postPush(
    gw.url,
    pushXml({
      FromUserName: who,
      CreateTime: now(),
      MsgType: 'image',
      PicUrl: 'http://mmbiz.qpic.cn/x',
      MediaId: image,
      MsgId: msgId(),
    }),
  );
  await postPush(
    gw.url,
    pushXml({
      FromUserName: who,
      CreateTime: now(),
      MsgType: 'location',
      Location_X: '30.657420',
      Location_Y: '104.065840',
      Scale: '15',
      Label: '天府广场',
      MsgId: msgId(),
    }),
  );
  const { id, serial, letter } = await letterAtCaseStore(gw, who);
  t.is(letter.channel, 'wechat-oa');
  t.regex(letter.body, /路灯坏了[\s\S]*一个月了/);
  t.is(letter.sourceMessages.length, 4);
  t.like(letter.location ?? {}, { latitude: 30.65742, longitude: 104.06584 });
  t.like(letter.attachments[0] ?? {}, { kind: 'image', contentType: 'image/jpeg', bytes: 10 });
  const receipt = await eventually(async () => textsTo(who).find((x) => x.includes(serial)));
  t.regex(receipt, /提取码/);
  const r = await gw.api(`/api/v1/letters/${id}/replies`, {
    method: 'POST',
    json: { text: '已安排维修。' },
    headers: { 'idempotency-key': `e2e-${id}` },
  });
  t.is(r.status, 202);
  t.truthy(await eventually(async () => textsTo(who).find((x) => x.includes('已安排维修。'))));
});

test('when the photo can no longer be fetched, then the letter is still forwarded with the attachment marked missing', async (t) => {
  const who = 'oE2eMissing';
  const image = 'media-e2e-expired';
  nock(WECHAT_API)
    .get('/cgi-bin/media/get')
    .query({ access_token: 'TOKEN-E2E', media_id: image })
    .reply(200, { errcode: 40007, errmsg: 'invalid media_id' }, { 'content-type': 'text/plain' });
  await postPush(gw.url, textMessage(who, '路边垃圾没人清理'));
  await postPush(
    gw.url,
    pushXml({
      FromUserName: who,
      CreateTime: now(),
      MsgType: 'image',
      PicUrl: 'http://mmbiz.qpic.cn/y',
      MediaId: image,
      MsgId: msgId(),
    }),
  );
  await postPush(gw.url, textMessage(who, '提交'));
  const { letter } = await letterAtCaseStore(gw, who);
  t.regex(letter.body, /垃圾/);
  t.like(letter.attachments[0], { kind: 'image', missing: true });
});

test('when the reply window has closed by the time the case store answers, then the reply goes out as a template message', async (t) => {
  const who = 'oE2eLate';
  await postPush(gw.url, textMessage(who, '咨询：办证需要什么材料'));
  await postPush(gw.url, textMessage(who, '提交'));
  const { id, serial } = await letterAtCaseStore(gw, who);
  await eventually(async () => textsTo(who).find((x) => x.includes(serial)));
  // 48 hours later.
  await gw.services.db
    .updateTable('wechat_oa_followers')
    .set({ window_until: new Date(Date.now() - 1000) })
    .where('openid', '=', who)
    .execute();
  const r = await gw.api(`/api/v1/letters/${id}/replies`, {
    method: 'POST',
    json: { text: '请携带身份证原件办理。' },
    headers: { 'idempotency-key': `e2e-${id}` },
  });
  t.is(r.status, 202);
  const call = await eventually(async () =>
    wx.calls.find((c) => c.body.touser === who && c.path.endsWith('/template/send')),
  );
  t.like(call.body, {
    template_id: 'OA_TEMPLATE_REPLY',
    data: { character_string1: { value: serial }, thing2: { value: '请携带身份证原件办理。' } },
  });
});

test('when the gateway restarts with a draft open, then another instance closes it into a letter', async (t) => {
  const who = 'oE2eRestart';
  const first = await startTestGateway(env, gw.databaseUrl);
  t.is((await postPush(first.url, textMessage(who, '建议：公园增加座椅'))).status, 200);
  await first.stop();
  const { letter } = await letterAtCaseStore(gw, who);
  t.regex(letter.body, /公园增加座椅/);
});
