import test from 'ava';
import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { fakeWechatApi, WECHAT_API, type WechatApiFake } from '../../_support/wechat-api-fake.js';
import { sharedSecret } from '../../../gateway/store/secrets.js';

// The live-mode tests' fake of WeChat and the sandbox's simulator are one model of WeChat: the same request gets the
// same answer from both.
let gw: TestGateway;
let wx: WechatApiFake;
let simToken: string;
test.before(async () => {
  gw = await startTestGateway();
  wx = fakeWechatApi('TOKEN-MODEL');
  // The mini-program's development app, as the simulator knows it (created here first, read by the channel later).
  const appid = await sharedSecret(
    gw.services.db,
    'sandbox-wechat-mp-appid',
    () => `wx${randomBytes(8).toString('hex')}`,
  );
  const secret = await sharedSecret(gw.services.db, 'sandbox-wechat-mp-secret', () => randomBytes(16).toString('hex'));
  const r = await post(`${gw.url}/sandbox/providers/wechat/cgi-bin/stable_token`, {
    grant_type: 'client_credential',
    appid,
    secret,
  });
  simToken = (r as { access_token: string }).access_token;
});
test.after.always(async () => {
  await gw?.stop();
});

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await r.json()) as Record<string, unknown>;
}
/** The errcode and errmsg the fake and the simulator answer to one message call. */
async function both(path: string, body: Record<string, unknown>, token?: string) {
  const q = (t: string) => (token === '' ? '' : `?access_token=${token ?? t}`);
  const fake = await post(`${WECHAT_API}${path}${q('TOKEN-MODEL')}`, body);
  const sim = await post(`${gw.url}/sandbox/providers/wechat${path}${q(simToken)}`, body);
  return { fake: [fake.errcode, fake.errmsg], sim: [sim.errcode, sim.errmsg] };
}

const long = (n: number) => '字'.repeat(n);

test('when a message call breaks a rule of the request itself, then the fake and the simulator refuse it with the same errcode and errmsg', async (t) => {
  const cases: [string, Record<string, unknown>, number][] = [
    ['/cgi-bin/message/custom/send', { msgtype: 'text', text: { content: 'x' } }, 40003],
    ['/cgi-bin/message/custom/send', { touser: 'o1', msgtype: 'text', text: { content: '' } }, 47001],
    ['/cgi-bin/message/custom/send', { touser: 'o1', msgtype: 'text', text: { content: long(683) } }, 45002],
    ['/cgi-bin/message/template/send', { touser: 'o1', data: {} }, 40037],
    ['/cgi-bin/message/template/send', { touser: 'o1', template_id: 'T', data: { thing1: { value: 1 } } }, 47001],
    [
      '/cgi-bin/message/subscribe/send',
      { touser: 'o1', template_id: 'T', data: { thing1: { value: long(21) } } },
      47003,
    ],
    [
      '/cgi-bin/message/subscribe/send',
      { touser: 'o1', template_id: 'T', data: { phrase2: { value: '已经答复了' + '吗' } } },
      47003,
    ],
  ];
  for (const [path, body, errcode] of cases) {
    const r = await both(path, body);
    t.deepEqual(r.fake, r.sim, `${path} ${JSON.stringify(body)}`);
    t.is(r.fake[0], errcode, `${path} ${JSON.stringify(body)}`);
  }
  const bad = await both('/cgi-bin/message/subscribe/send', {
    touser: 'o1',
    template_id: 'T',
    data: { thing1: { value: long(21) } },
  });
  t.is(bad.fake[1], 'argument invalid! data.thing1.value invalid');
});

test('when a message call has no token, then both answer 41001', async (t) => {
  const r = await both('/cgi-bin/message/custom/send', { touser: 'o1', msgtype: 'text', text: { content: 'x' } }, '');
  t.deepEqual(r.fake, r.sim);
  t.is(r.fake[0], 41001);
});

test('when a citizen last wrote more than 48 hours ago or never, then both refuse a customer-service message with 45015', async (t) => {
  wx.wrote('o_model_old', Date.now() - 49 * 3600_000);
  const body = { touser: 'o_model_old', msgtype: 'text', text: { content: '您好' } };
  const r = await both('/cgi-bin/message/custom/send', body);
  t.deepEqual(r.fake, r.sim);
  t.is(r.fake[0], 45015);
});

test('when a citizen wrote, then the fake accepts five customer-service messages and refuses the sixth with 45047', async (t) => {
  wx.wrote('o_model_five');
  const codes: unknown[] = [];
  for (let i = 0; i < 6; i++)
    codes.push(
      (
        await post(`${WECHAT_API}/cgi-bin/message/custom/send?access_token=TOKEN-MODEL`, {
          touser: 'o_model_five',
          msgtype: 'text',
          text: { content: `第${i + 1}条` },
        })
      ).errcode,
    );
  t.deepEqual(codes, [0, 0, 0, 0, 0, 45047]);
});

test('when a mini-program citizen has no consent left, then both refuse the subscribe message with 43101, and the fake spends one consent per message', async (t) => {
  const body = { touser: 'o_model_consent', template_id: 'T', data: { thing1: { value: '已受理' } } };
  wx.consented('o_model_consent', 'T', 1);
  t.is((await post(`${WECHAT_API}/cgi-bin/message/subscribe/send?access_token=TOKEN-MODEL`, body)).errcode, 0);
  const r = await both('/cgi-bin/message/subscribe/send', body);
  t.deepEqual(r.fake, r.sim);
  t.is(r.fake[0], 43101);
});

test('when a template message carries a value over 20 characters, then the simulator accepts it and the outbox shows it cut with an ellipsis, as WeChat shows it', async (t) => {
  const value = '关于小区门口路灯长期不亮影响夜间出行安全的问题';
  const sim = await post(`${gw.url}/sandbox/providers/wechat/cgi-bin/message/template/send?access_token=${simToken}`, {
    touser: 'o_model_long',
    template_id: 'T',
    data: { thing2: { value } },
  });
  t.is(sim.errcode, 0);
  const row = await gw.services.db
    .selectFrom('sandbox_provider_calls')
    .select('shown')
    .where('recipient', '=', 'o_model_long')
    .executeTakeFirstOrThrow();
  t.is(row.shown, `thing2: ${[...value].slice(0, 20).join('')}…`);
});
