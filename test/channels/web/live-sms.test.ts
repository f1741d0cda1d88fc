import test from 'ava';
import nock from 'nock';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { business, fakeAliyun, ok, smsLiveEnv } from '../sms/fake-aliyun.js';
import { Citizen, letterForm, MAILBOX, newPhone } from './_web.js';

const OA_APPID = 'wx00000000000000aa';
const WX = 'https://api.weixin.qq.com';

let gw: TestGateway;
let aliyun: ReturnType<typeof fakeAliyun>;
test.before(async () => {
  aliyun = fakeAliyun();
  // The official account's AppID and secret serve the web page's OAuth; the account's own channel is not served here.
  gw = await startTestGateway({
    ...smsLiveEnv(),
    CHANNELS: 'sms,web',
    WECHAT_OA_APPID: OA_APPID,
    WECHAT_OA_SECRET: 'oa-secret-0123456789',
    WECHAT_API_BASE: WX,
  });
});
test.after.always(async () => {
  await gw?.stop();
  aliyun?.stop();
});

/** The code in the SendSms call for `phone`, as the provider received it. */
const codeOf = (phone: string) =>
  eventually(
    async () => {
      const call = aliyun.callsFor(phone, 'SendSms').find((c) => c.query.TemplateCode === 'SMS_486215100');
      return call ? (JSON.parse(call.query.TemplateParam!) as { code: string }).code : undefined;
    },
    30_000,
    'code SMS',
  );

test('when SMS is live, then the code and the receipt go out through Aliyun SendSms with the approved templates', async (t) => {
  t.false(gw.services.config.sandbox.channels.includes('web'));
  const phone = newPhone();
  const c = new Citizen(gw);
  await c.get(`/web/write?mailbox=${MAILBOX}`);
  const draft = await c.post('/web/drafts', letterForm());
  await c.get(draft.location!);
  t.is((await c.post('/web/verify/send', { phone, next: draft.location! })).status, 200);
  const code = await codeOf(phone);
  t.regex(code, /^\d{6}$/);
  t.is(aliyun.callsFor(phone, 'SendSms')[0]!.query.SignName, '成都网络理政');
  t.is((await c.post('/web/verify', { phone, code, next: draft.location! })).status, 303);
  await c.get(draft.location!);
  const submitted = await c.post(`${draft.location}/submit`, {});
  const id = /letters\/([0-9a-f-]{36})/.exec(submitted.location!)![1]!;
  const receipt = await eventually(
    async () => aliyun.callsFor(phone, 'SendSms').find((x) => x.query.TemplateCode === 'SMS_486215101'),
    30_000,
    'receipt SMS',
  );
  const letter = await gw.services.db
    .selectFrom('letters')
    .select(['serial', 'extraction_code'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  t.deepEqual(JSON.parse(receipt.query.TemplateParam!), { serial: letter.serial, code: letter.extraction_code, id });
});

test('when Aliyun refuses the code SMS, then the citizen is told and may ask again at once', async (t) => {
  const phone = newPhone();
  aliyun.script(phone, (_call, calls) =>
    calls.length === 1 ? business('isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控') : ok(),
  );
  const c = new Citizen(gw);
  await c.get('/web/');
  const first = await c.post('/web/verify/send', { phone, next: '/web/' });
  t.is(first.status, 503);
  t.regex(first.html, /验证码短信发送失败，请稍后重试/);
  const second = await c.post('/web/verify/send', { phone, next: '/web/' });
  t.is(second.status, 200);
  t.is(aliyun.callsFor(phone, 'SendSms').length, 2);
});

test('when the page is opened in WeChat from the official account menu, then the openid is fetched silently and recorded with the letter', async (t) => {
  const wechat = { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50' };
  const c = new Citizen(gw);
  const first = await c.get('/web/', wechat);
  t.is(first.status, 302);
  const to = new URL(first.location!);
  t.is(to.origin + to.pathname, 'https://open.weixin.qq.com/connect/oauth2/authorize');
  t.is(to.searchParams.get('scope'), 'snsapi_base');
  t.is(to.searchParams.get('appid'), OA_APPID);
  t.is(to.hash, '#wechat_redirect');
  const back = new URL(to.searchParams.get('redirect_uri')!);
  nock(WX)
    .get('/sns/oauth2/access_token')
    .query({ appid: OA_APPID, secret: 'oa-secret-0123456789', code: 'CODE123', grant_type: 'authorization_code' })
    .reply(200, {
      access_token: 'ACCESS',
      expires_in: 7200,
      refresh_token: 'R',
      openid: 'oOpenid-web-1',
      scope: 'snsapi_base',
    });
  const returned = await c.get(`${back.pathname}${back.search}&code=CODE123&state=web`, wechat);
  t.is(returned.location, '/web/');
  t.is((await c.get('/web/', wechat)).status, 200, 'no second round trip once the openid is known');
  await c.get(`/web/write?mailbox=${MAILBOX}`, wechat);
  const draft = await c.post('/web/drafts', letterForm());
  const id = draft.location!.split('/').pop()!;
  const row = await sql<{ oa_openid: string | null }>`select oa_openid from web_drafts where id = ${id}`.execute(
    gw.services.db,
  );
  t.is(row.rows[0]?.oa_openid, 'oOpenid-web-1');
});

test('when WeChat answers the OAuth code with an error, then the page goes on without an openid and does not loop', async (t) => {
  const wechat = { 'user-agent': 'MicroMessenger/8.0.50' };
  const c = new Citizen(gw);
  const first = await c.get('/web/write?mailbox=' + MAILBOX, wechat);
  const back = new URL(new URL(first.location!).searchParams.get('redirect_uri')!);
  nock(WX).get('/sns/oauth2/access_token').query(true).reply(200, { errcode: 40029, errmsg: 'invalid code' });
  const returned = await c.get(`${back.pathname}${back.search}&code=BAD&state=web`, wechat);
  t.is(returned.location, `/web/write?mailbox=${MAILBOX}`);
  const page = await c.get(returned.location!, wechat);
  t.is(page.status, 200);
  t.regex(page.html, /写信/);
});
