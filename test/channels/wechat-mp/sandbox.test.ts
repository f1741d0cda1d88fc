import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { mp, letterRequest } from './_mp.js';
import type { MpSubmitAnswer } from '../../../shared/mp-api.js';

let gw: TestGateway;
test.before(async () => {
  // No WECHAT_MP_APPID/SECRET: the mini-program channel runs in sandbox mode.
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

const session = (code: string) => fetch(`${gw.url}/mp/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });

test('when a sandbox gateway gets a development code, then it logs in as dev-<name>; a WeChat code is refused', async (t) => {
  const r = await session('dev:alice');
  t.is(r.status, 201);
  const { token } = (await r.json()) as { token: string };
  const rows = await gw.services.db.selectFrom('mp_sessions').select('openid').where('openid', '=', 'dev-alice').execute();
  t.is(rows.length, 1);
  t.is((await mp(gw, token)('/mp/profile')).status, 200);
  const wechatCode = await session('081Kq4Ga1Mx3vH0Hq1Ia1');
  t.is(wechatCode.status, 400);
  t.is(((await wechatCode.json()) as { code: string }).code, 'wechat_code_invalid');
});

test('when a sandbox citizen writes with a development phone, then the letter carries it verified and the receipt is recorded, not sent', async (t) => {
  const { token } = (await (await session('dev:bob')).json()) as { token: string };
  const call = mp(gw, token);
  t.is((await call<{ phoneMasked: string }>('/mp/phone', { json: { code: 'dev:13800138000' } })).body.phoneMasked, '+86138****8000');
  t.is((await call('/mp/phone', { json: { code: 'not-a-dev-code' } })).status, 400);
  const r = await call<MpSubmitAnswer>('/mp/letters', { json: letterRequest({ usePhone: true }) });
  t.is(r.status, 201);
  const letter = await gw.services.db.selectFrom('letters').select('body').where('id', '=', r.body.letterId).executeTakeFirstOrThrow();
  t.deepEqual([letter.body.citizen.phone, letter.body.citizen.phoneVerified, letter.body.citizen.anonymous], ['+8613800138000', true, false]);
  const recorded = await eventually(async () =>
    gw.services.db.selectFrom('sandbox_messages').selectAll().where('channel', '=', 'wechat-mp').where('recipient', '=', 'dev-bob').executeTakeFirst());
  t.is(recorded.route, 'subscribe');
});
