import test from 'ava';
import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { sharedSecret } from '../../../gateway/store/secrets.js';
import { checkToken, issueToken } from '../../../gateway/channels/wechat-common/simulator/rules.js';

// stable_token as WeChat documents it: normal mode hands back the valid token; force_refresh issues a new one and the
// previous one stops working at once (40001); a forced refresh less than 30 s after the last does not refresh. The
// 5-minute overlap belongs to normal-mode renewal: a token handed out has at least 300 s left, and the one it replaces
// still works until its own expiry.
// https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken.html
let gw: TestGateway;
let app: { appid: string; secret: string };
test.before(async () => {
  gw = await startTestGateway();
  app = {
    appid: await sharedSecret(gw.services.db, 'sandbox-wechat-mp-appid', () => `wx${randomBytes(8).toString('hex')}`),
    secret: await sharedSecret(gw.services.db, 'sandbox-wechat-mp-secret', () => randomBytes(16).toString('hex')),
  };
});
test.after.always(async () => {
  await gw?.stop();
});

const wx = (path: string) => `${gw.url}/sandbox/providers/wechat${path}`;
async function stableToken(force: boolean) {
  const r = await fetch(wx('/cgi-bin/stable_token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', ...app, force_refresh: force }),
  });
  return (await r.json()) as { access_token: string; expires_in: number };
}
/** The errcode a message call with `token` gets (the recipient never wrote: 45015 when the token is good). */
async function useToken(token: string) {
  const r = await fetch(wx(`/cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ touser: 'o_token_probe', msgtype: 'text', text: { content: '测试' } }),
  });
  return ((await r.json()) as { errcode: number }).errcode;
}

test.serial(
  'when stable_token is called with force_refresh: true, then a new token is issued, the previous one is refused with 40001 at once, and normal mode hands back the new one',
  async (t) => {
    const a = await stableToken(false);
    t.true(a.expires_in >= 300 && a.expires_in <= 7200, String(a.expires_in));
    t.is((await stableToken(false)).access_token, a.access_token, 'normal mode: the same token while it is valid');
    t.is(await useToken(a.access_token), 45015);

    const b = await stableToken(true);
    t.not(b.access_token, a.access_token);
    t.is(b.expires_in, 7200);
    t.is(await useToken(a.access_token), 40001);
    t.is(await useToken(b.access_token), 45015);
    t.is((await stableToken(false)).access_token, b.access_token);

    // Within 30 s of the last forced refresh, a forced call does not refresh: the current token, still valid.
    t.is((await stableToken(true)).access_token, b.access_token);
    t.is(await useToken(b.access_token), 45015);
  },
);

test('when normal mode renews a token five minutes before its expiry, then both tokens work during those five minutes and the old one expires with 42001 after', (t) => {
  const forcedAt = Date.UTC(2026, 10, 30, 0, 0, 0);
  const secretOf = (id: string) => (id === 'wxapp' ? 'secret' : undefined);
  const check = (token: string, now: number) => checkToken(token, secretOf, () => forcedAt, now);
  const old = issueToken('wxapp', 'secret', forcedAt + 6_000_000, forcedAt);
  t.is(old.expiresIn, 1200);
  const renewAt = forcedAt + 7200_000 - 300_000;
  const before = issueToken('wxapp', 'secret', renewAt - 1000, forcedAt);
  t.is(before.token, old.token);
  t.is(before.expiresIn, 301);
  const renewed = issueToken('wxapp', 'secret', renewAt, forcedAt);
  t.not(renewed.token, old.token);
  t.is(renewed.expiresIn, 7200);
  t.deepEqual(check(old.token, renewAt + 299_000), { appid: 'wxapp' });
  t.deepEqual(check(renewed.token, renewAt + 299_000), { appid: 'wxapp' });
  t.like(check(old.token, renewAt + 300_000), { errcode: 42001 });
  // A forced refresh later revokes both at once.
  t.like(
    checkToken(renewed.token, secretOf, () => renewAt + 1000, renewAt + 2000),
    { errcode: 40001 },
  );
});
