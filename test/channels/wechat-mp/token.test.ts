import test from 'ava';
import nock from 'nock';
import {
  startMpGateway,
  stopNock,
  login,
  mp,
  letterRequest,
  passCheck,
  tokenFetches,
  issueToken,
  mpEnv,
  WX,
  APPID,
} from './_mp.js';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import type { MpSubmitAnswer } from '../../../shared/mp-api.js';

// Two instances on one database, each with its own token cache, as in a scaled-out deployment.
let a: TestGateway;
let b: TestGateway;
test.before(async () => {
  a = await startMpGateway();
  b = await startTestGateway(mpEnv, a.databaseUrl);
});
test.after.always(async () => {
  await b?.stop();
  await a?.stop();
  stopNock();
});

const submit = async (gw: TestGateway) => {
  const { token } = await login(gw);
  return mp(gw, token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() });
};
const storedToken = async () =>
  (
    await a.services.db
      .selectFrom('wechat_access_tokens')
      .select('access_token')
      .where('appid', '=', APPID)
      .executeTakeFirstOrThrow()
  ).access_token;

test.serial(
  'when two instances need the first access token at once, then stable_token is asked once and both use it',
  async (t) => {
    const logins = await Promise.all([login(a), login(b)]);
    const checks = logins.map(({ openid }) => passCheck(openid));
    const before = tokenFetches();
    const answers = await Promise.all([
      mp(a, logins[0].token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() }),
      mp(b, logins[1].token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() }),
    ]);
    t.deepEqual(
      answers.map((r) => r.status),
      [201, 201],
    );
    t.true(checks.every((c) => c.isDone()));
    t.is(tokenFetches() - before, 1);
    t.is(await storedToken(), 'ACCESS_TOKEN_1');
  },
);

test.serial(
  'when WeChat rejects the shared access token with 40001 on both instances, then one refresh replaces it and each call is retried once',
  async (t) => {
    issueToken('ACCESS_TOKEN_2');
    const stale = nock(WX)
      .post('/wxa/msg_sec_check')
      .query({ access_token: 'ACCESS_TOKEN_1' })
      .times(2)
      .reply(200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    const fresh = nock(WX)
      .post('/wxa/msg_sec_check')
      .query({ access_token: 'ACCESS_TOKEN_2' })
      .times(2)
      .reply(200, { errcode: 0, errmsg: 'ok', result: { suggest: 'pass', label: 100 }, trace_id: 't' });
    const before = tokenFetches();
    const answers = await Promise.all([submit(a), submit(b)]);
    t.deepEqual(
      answers.map((r) => r.status),
      [201, 201],
    );
    t.true(stale.isDone());
    t.true(fresh.isDone());
    t.is(tokenFetches() - before, 1);
    const letter = await a.services.db
      .selectFrom('letters')
      .select('body')
      .where('id', '=', answers[0].body.letterId)
      .executeTakeFirstOrThrow();
    t.is(letter.body.contentCheck?.suggest, 'pass');
    t.is(await storedToken(), 'ACCESS_TOKEN_2');
  },
);
