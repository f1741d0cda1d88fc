import test from 'ava';
import nock from 'nock';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { OA, oaEnv } from '../_support/wechat-oa.js';
import { createAccessTokenStore } from '../../gateway/channels/wechat-common/token-store.js';
import { ADMIN_PASSWORD, staffClient, type StaffClient } from './_staff.js';

const WX = 'https://api.weixin.qq.com';
const MP = { appId: 'wx0123456789abcdef', secret: 'mp-secret-0123456789' };

interface ChannelRow {
  channel: string;
  status: string;
  token: { ok: boolean; expiresAt?: string; lastError?: string } | null;
}

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  gw = await startTestGateway({
    ...oaEnv({ CHANNELS: 'wechat-oa,wechat-mp,sms' }),
    WECHAT_MP_APPID: MP.appId,
    WECHAT_MP_SECRET: MP.secret,
    ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
  });
  admin = staffClient(gw);
  await admin.login('admin', ADMIN_PASSWORD);
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const channels = async (): Promise<Record<string, ChannelRow>> => {
  const r = await admin.call('GET', '/channels');
  if (r.status !== 200) throw new Error(`GET /channels answered ${r.status}`);
  const body = (await r.json()) as { channels: ChannelRow[] };
  return Object.fromEntries(body.channels.map((c) => [c.channel, c]));
};
const storeOf = (app: { appId: string; secret: string }) =>
  createAccessTokenStore({
    db: gw.services.db,
    appId: app.appId,
    secret: app.secret,
    apiBase: WX,
    log: gw.services.log,
  });

test.serial(
  'when no WeChat token has been needed yet, then the channels API shows both tokens as not held, without calling them failing',
  async (t) => {
    const c = await channels();
    t.deepEqual(c['wechat-oa']?.token, { ok: false });
    t.deepEqual(c['wechat-mp']?.token, { ok: false });
    t.is(c['wechat-oa']?.status, 'ok');
    t.is(c.sms?.token, null);
    t.is(c.sms?.status, 'sandbox');
  },
);

test.serial(
  'when one account fetched its token and the other was refused, then the channels API shows the expiry of one and the error of the other',
  async (t) => {
    nock(WX)
      .post('/cgi-bin/stable_token', (b: { appid?: string }) => b.appid === MP.appId)
      .reply(200, { access_token: 'MP-TOKEN', expires_in: 7200 });
    nock(WX)
      .post('/cgi-bin/stable_token', (b: { appid?: string }) => b.appid === OA.appId)
      .reply(200, { errcode: 40164, errmsg: 'invalid ip 203.0.113.9, not in whitelist' });
    await storeOf(MP).refresh();
    await t.throwsAsync(() => storeOf(OA).refresh());

    const c = await channels();
    const mp = c['wechat-mp']!;
    t.true(mp.token?.ok);
    t.true(Math.abs(new Date(mp.token!.expiresAt!).getTime() - (Date.now() + 7200_000)) < 60_000);
    t.is(mp.token?.lastError, undefined);
    t.is(mp.status, 'ok');
    const oa = c['wechat-oa']!;
    t.false(oa.token?.ok);
    t.regex(oa.token?.lastError ?? '', /40164/);
    t.false((oa.token?.lastError ?? '').includes(OA.secret));
    t.is(oa.status, 'failing');
  },
);

test.serial(
  'when the refused account later fetches a token, then its error is cleared and it shows healthy',
  async (t) => {
    nock(WX)
      .post('/cgi-bin/stable_token', (b: { appid?: string }) => b.appid === OA.appId)
      .reply(200, { access_token: 'OA-TOKEN', expires_in: 7200 });
    await storeOf(OA).refresh();
    const oa = (await channels())['wechat-oa']!;
    t.true(oa.token?.ok);
    t.is(oa.token?.lastError, undefined);
    t.is(oa.status, 'ok');
  },
);
