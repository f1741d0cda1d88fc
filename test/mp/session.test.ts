import test from 'ava';
import nock from 'nock';
import { createHash } from 'node:crypto';
import { startMpGateway, stopNock, login, mp, WX } from '../channels/wechat-mp/_mp.js';
import type { TestGateway } from '../_support/gateway.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway();
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

const postSession = (code: string) =>
  fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });

test.serial(
  'when a login code is good, then a session token is issued, stored hashed, and session_key never leaves',
  async (t) => {
    const code = 'good-code-1';
    nock(WX)
      .get('/sns/jscode2session')
      .query({ appid: /.+/, secret: /.+/, js_code: code, grant_type: 'authorization_code' })
      .reply(200, { openid: 'o-session-1', session_key: 'SECRET_SESSION_KEY==', unionid: 'u-1' });
    const r = await postSession(code);
    t.is(r.status, 201);
    const text = await r.text();
    t.false(text.includes('SECRET_SESSION_KEY'));
    const { token } = JSON.parse(text) as { token: string };
    const rows = await gw.services.db
      .selectFrom('mp_sessions')
      .selectAll()
      .where('openid', '=', 'o-session-1')
      .execute();
    t.is(rows.length, 1);
    t.is(rows[0]!.token_hash, createHash('sha256').update(token).digest('hex'));
    t.is(rows[0]!.unionid, 'u-1');
    const me = await mp(gw, token)('/mp/profile');
    t.is(me.status, 200);
  },
);

for (const [errcode, errmsg, status, code] of [
  [40029, 'invalid code', 400, 'wechat_code_invalid'],
  [45011, 'api minute-quota reach limit  mustslower  retry next minute', 429, 'wechat_rate_limited'],
  [40226, 'code blocked', 403, 'wechat_user_blocked'],
  [-1, 'system error', 502, 'wechat_unavailable'],
] as const) {
  test.serial(`when WeChat answers ${errcode} to code2Session, then the app gets ${status} ${code}`, async (t) => {
    const wx = nock(WX).get('/sns/jscode2session').query(true).reply(200, { errcode, errmsg });
    const r = await postSession(`code-${errcode}`);
    t.is(r.status, status);
    const body = (await r.json()) as { code: string };
    t.is(body.code, code);
    t.true(wx.isDone());
  });
}

test.serial('when the session has expired, then the API answers 401 session_invalid', async (t) => {
  const { token, openid } = await login(gw);
  await gw.services.db
    .updateTable('mp_sessions')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('openid', '=', openid)
    .execute();
  const r = await mp(gw, token)<{ code: string }>('/mp/letters');
  t.is(r.status, 401);
  t.is(r.body.code, 'session_invalid');
});

test.serial('when no or a made-up token is sent, then the API answers 401', async (t) => {
  t.is((await fetch(`${gw.url}/mp/letters`)).status, 401);
  t.is((await mp(gw, 'x'.repeat(43))('/mp/letters')).status, 401);
});

test.serial('when a development code is used on a live gateway, then it goes to WeChat like any code', async (t) => {
  const wx = nock(WX)
    .get('/sns/jscode2session')
    .query((q) => q.js_code === 'dev:alice')
    .reply(200, { errcode: 40029, errmsg: 'invalid code' });
  const r = await postSession('dev:alice');
  t.is(r.status, 400);
  t.true(wx.isDone());
});
