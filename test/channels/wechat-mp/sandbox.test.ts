import test from 'ava';
import { startTestGateway, eventually, type TestGateway, serialOf } from '../../_support/gateway.js';
import { mp, letterRequest } from './_mp.js';
import type { MpLetterDetail, MpSubmitAnswer } from '../../../shared/mp-api.js';

let gw: TestGateway;
test.before(async () => {
  // No WECHAT_MP_APPID/SECRET: the mini-program channel runs in sandbox mode.
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

const session = (code: string) =>
  fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });

test('when a sandbox gateway gets a development code, then it logs in as dev-<name>; a WeChat code is refused', async (t) => {
  const r = await session('dev:alice');
  t.is(r.status, 201);
  const { token } = (await r.json()) as { token: string };
  const rows = await gw.services.db
    .selectFrom('mp_sessions')
    .select('openid')
    .where('openid', '=', 'dev-alice')
    .execute();
  t.is(rows.length, 1);
  t.is((await mp(gw, token)('/mp/profile')).status, 200);
  const wechatCode = await session('081Kq4Ga1Mx3vH0Hq1Ia1');
  t.is(wechatCode.status, 400);
  t.is(((await wechatCode.json()) as { code: string }).code, 'wechat_code_invalid');
});

test('when a sandbox citizen writes with a development phone and gave no notification consent, then the letter carries the phone verified and the receipt goes by SMS', async (t) => {
  const { token } = (await (await session('dev:bob')).json()) as { token: string };
  const call = mp(gw, token);
  t.is(
    (await call<{ phoneMasked: string }>('/mp/phone', { json: { code: 'dev:13800138000' } })).body.phoneMasked,
    '+86138****8000',
  );
  t.is((await call('/mp/phone', { json: { code: 'not-a-dev-code' } })).status, 400);
  const r = await call<MpSubmitAnswer>('/mp/letters', { json: letterRequest({ usePhone: true }) });
  t.is(r.status, 201);
  const letter = await gw.services.db
    .selectFrom('letters')
    .select('body')
    .where('id', '=', r.body.letterId)
    .executeTakeFirstOrThrow();
  t.deepEqual(
    [
      gw.services.pii.decrypt(letter.body.citizen.phone!),
      letter.body.citizen.phoneVerified,
      letter.body.citizen.anonymous,
    ],
    ['+8613800138000', true, false],
  );
  // Without a consent the live subscribe code cannot reach the citizen: the plan moves on to the verified phone.
  const recorded = await eventually(async () =>
    gw.services.db
      .selectFrom('sandbox_messages')
      .selectAll()
      .where('recipient', '=', '+8613800138000')
      .executeTakeFirst(),
  );
  t.deepEqual([recorded.channel, recorded.route], ['sms', 'sms']);
  const mpSends = await gw.services.db
    .selectFrom('sandbox_messages')
    .select('id')
    .where('channel', '=', 'wechat-mp')
    .where('recipient', '=', 'dev-bob')
    .execute();
  t.is(mpSends.length, 0);
});

test('when the survey of a letter is open, then its writer rates it from the app and the case store hears of it', async (t) => {
  const { token } = (await (await session('dev:carol')).json()) as { token: string };
  const call = mp(gw, token);
  const r = await call<MpSubmitAnswer>('/mp/letters', { json: letterRequest() });
  const early = await call<{ code: string }>(`/mp/letters/${r.body.letterId}/satisfaction`, { json: { score: 1 } });
  t.is(early.status, 409, 'no survey yet');
  await serialOf(gw.services.db, r.body.letterId);
  t.is((await gw.api(`/api/v1/letters/${r.body.letterId}/surveys`, { method: 'POST', json: {} })).status < 300, true);
  t.deepEqual((await call<MpLetterDetail>(`/mp/letters/${r.body.letterId}`)).body.survey, {
    state: 'open',
    score: null,
  });

  const { token: other } = (await (await session('dev:mallory')).json()) as { token: string };
  t.is((await mp(gw, other)(`/mp/letters/${r.body.letterId}/satisfaction`, { json: { score: 1 } })).status, 404);
  t.is((await call(`/mp/letters/${r.body.letterId}/satisfaction`, { json: { score: 5 } })).status, 422);

  const answered = await call<{ outcome: string }>(`/mp/letters/${r.body.letterId}/satisfaction`, {
    json: { score: 3, reason: '路灯还是不亮', reopen: true },
  });
  t.is(answered.status, 200);
  t.is(answered.body.outcome, 'recorded');
  t.deepEqual((await call<MpLetterDetail>(`/mp/letters/${r.body.letterId}`)).body.survey, {
    state: 'answered',
    score: 3,
  });
  const event = await gw.services.db
    .selectFrom('case_events')
    .select(['type', 'payload'])
    .where('letter_id', '=', r.body.letterId)
    .where('type', '=', 'survey.answered')
    .executeTakeFirstOrThrow();
  t.like(event.payload, { data: { score: 3, reason: '路灯还是不亮', reopenRequested: true, channel: 'wechat-mp' } });
});
