import test from 'ava';
import nock from 'nock';
import { sql } from 'kysely';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { OA, oaEnv } from '../../_support/wechat-oa.js';
import { fakeWechatApi, WECHAT_API, type WechatApiFake } from '../../_support/wechat-api-fake.js';
import { createAccessTokenStore } from '../../../gateway/channels/wechat-common/token-store.js';
import { createWechatApiClient, type WechatApiClient } from '../../../gateway/channels/wechat-common/api-client.js';
import { openStore } from '../../../gateway/store/db.js';

// Two gateway instances on one database, each with its own token cache, as in a scaled-out deployment.
let a: TestGateway;
let b: TestGateway;
let wx: WechatApiFake;
test.before(async () => {
  wx = fakeWechatApi('TOKEN-1');
  a = await startTestGateway(oaEnv());
  b = await startTestGateway(oaEnv(), a.databaseUrl);
});
test.after.always(async () => {
  await b?.stop();
  await a?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

function clientOf(gw: TestGateway, db = gw.services.db): WechatApiClient {
  const tokens = createAccessTokenStore({
    db,
    appId: OA.appId,
    secret: OA.secret,
    apiBase: WECHAT_API,
    log: gw.services.log,
  });
  return createWechatApiClient({ appId: OA.appId, secret: OA.secret, apiBase: WECHAT_API, tokens });
}

const send = (c: WechatApiClient, i: number) =>
  c.postJson('/cgi-bin/message/custom/send', { touser: `oTok${i}`, msgtype: 'text', text: { content: 'hi' } });

test.serial('when two instances need the first token at once, then WeChat is asked once and both use it', async (t) => {
  const [ca, cb] = [clientOf(a), clientOf(b)];
  const before = wx.tokenFetches();
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? ca : cb, i)));
  t.is(wx.tokenFetches() - before, 1);
  t.true(answers.every((r) => r.errcode === 0));
  const row = await a.services.db
    .selectFrom('wechat_access_tokens')
    .selectAll()
    .where('appid', '=', OA.appId)
    .executeTakeFirstOrThrow();
  t.is(row.access_token, 'TOKEN-1');
});

test.serial(
  'when WeChat answers 40001 to both instances, then one refresh replaces the token and each call is retried once',
  async (t) => {
    const [ca, cb] = [clientOf(a), clientOf(b)];
    await Promise.all([send(ca, 100), send(cb, 101)]); // both caches now hold TOKEN-1
    wx.issue('TOKEN-2'); // the platform revoked TOKEN-1
    const before = wx.tokenFetches();
    const callsBefore = wx.calls.length;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i % 2 ? ca : cb, 200 + i)));
    t.true(answers.every((r) => r.errcode === 0));
    t.is(wx.tokenFetches() - before, 1);
    const calls = wx.calls.slice(callsBefore);
    t.is(calls.filter((c) => c.token === 'TOKEN-2').length, 10);
    t.true(calls.length <= 20);
  },
);

test.serial(
  'when the stored token is still refused after the refresh, then the call fails with the errcode instead of looping',
  async (t) => {
    const c = clientOf(a);
    wx.script('oRefused', () => ({ errcode: 40001, errmsg: 'invalid credential' }));
    const before = wx.tokenFetches();
    const err = await t.throwsAsync(() =>
      c.postJson('/cgi-bin/message/custom/send', { touser: 'oRefused', msgtype: 'text', text: { content: 'x' } }),
    );
    t.is((err as { errcode?: number }).errcode, 40001);
    t.is(wx.tokenFetches() - before, 1);
  },
);

test.serial('when the shared token has expired, then the two instances fetch its successor once', async (t) => {
  const [ca, cb] = [clientOf(a), clientOf(b)];
  wx.issue('TOKEN-3');
  await a.services.db
    .updateTable('wechat_access_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('appid', '=', OA.appId)
    .execute();
  const before = wx.tokenFetches();
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => send(i % 2 ? ca : cb, 300 + i)));
  t.true(answers.every((r) => r.errcode === 0));
  t.is(wx.tokenFetches() - before, 1);
  const row = await a.services.db
    .selectFrom('wechat_access_tokens')
    .selectAll()
    .where('appid', '=', OA.appId)
    .executeTakeFirstOrThrow();
  t.is(row.access_token, 'TOKEN-3');
  t.true((row.expires_at?.getTime() ?? 0) > Date.now() + 7000_000);
});

test.serial(
  'when WeChat refuses a token that stable_token would still hand back, then the refresh forces a new one and the call goes through',
  async (t) => {
    const c = clientOf(a);
    await send(c, 400);
    wx.revoke('TOKEN-4');
    const forcedBefore = wx.forcedFetches();
    const answer = await send(c, 401);
    t.is(answer.errcode, 0);
    t.is(wx.forcedFetches() - forcedBefore, 1, 'one stable_token call with force_refresh: true');
    t.is(wx.calls.at(-1)?.token, 'TOKEN-4');
    const row = await a.services.db
      .selectFrom('wechat_access_tokens')
      .selectAll()
      .where('appid', '=', OA.appId)
      .executeTakeFirstOrThrow();
    t.is(row.access_token, 'TOKEN-4');
  },
);

test.serial(
  'when a burst of sends finds the token expired while WeChat is slow to issue one, then one connection waits for it and the others stay free',
  async (t) => {
    // A pool of four, as a small instance has: each refresh holds a connection for as long as WeChat takes.
    const store = openStore(a.databaseUrl, 4);
    t.teardown(() => store.close());
    const c = clientOf(a, store.db);
    wx.issue('TOKEN-5');
    await a.services.db
      .updateTable('wechat_access_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('appid', '=', OA.appId)
      .execute();
    wx.slowTokens(1500);
    t.teardown(() => wx.slowTokens(0));
    const before = wx.tokenFetches();
    const sends = Promise.all(Array.from({ length: 30 }, (_, i) => send(c, 500 + i)));
    await new Promise((r) => setTimeout(r, 300));
    // While the token is on its way, the same pool still serves other work at once.
    const started = Date.now();
    await sql`select 1`.execute(store.db);
    t.true(Date.now() - started < 500, `a query waited ${Date.now() - started} ms for a connection`);
    const answers = await sends;
    t.true(answers.every((r) => r.errcode === 0));
    t.is(wx.tokenFetches() - before, 1);
  },
);
