import test from 'ava';
import nock from 'nock';
import { startMpGateway, stopNock, login, mp, letterRequest, WX, APPID } from './_mp.js';
import type { TestGateway } from '../../_support/gateway.js';
import type { MpSubmitAnswer } from '../../../shared/mp-api.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway();
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

test.serial('when WeChat rejects the shared access token with 40001, then it is replaced from stable_token and the call is retried once', async (t) => {
  const { token, openid } = await login(gw);
  await gw.services.db.insertInto('mp_access_tokens')
    .values({ appid: APPID, access_token: 'STALE_TOKEN', expires_at: new Date(Date.now() + 3_600_000) })
    .onConflict((oc) => oc.column('appid').doUpdateSet({ access_token: 'STALE_TOKEN', expires_at: new Date(Date.now() + 3_600_000) }))
    .execute();
  const stale = nock(WX).post('/wxa/msg_sec_check').query({ access_token: 'STALE_TOKEN' })
    .reply(200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
  const fresh = nock(WX).post('/wxa/msg_sec_check', (b: { openid?: string }) => b.openid === openid).query({ access_token: 'ACCESS_TOKEN_1' })
    .reply(200, { errcode: 0, errmsg: 'ok', result: { suggest: 'pass', label: 100 }, trace_id: 't' });
  const r = await mp(gw, token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() });
  t.is(r.status, 201);
  t.true(stale.isDone());
  t.true(fresh.isDone());
  const letter = await gw.services.db.selectFrom('letters').select('body').where('id', '=', r.body.letterId).executeTakeFirstOrThrow();
  t.is(letter.body.contentCheck?.suggest, 'pass');
  const stored = await gw.services.db.selectFrom('mp_access_tokens').select('access_token').where('appid', '=', APPID).executeTakeFirstOrThrow();
  t.is(stored.access_token, 'ACCESS_TOKEN_1');
});
