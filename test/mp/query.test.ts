import test from 'ava';
import { startMpGateway, stopNock, login, mp } from '../channels/wechat-mp/_mp.js';
import { type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import type { MpQueryAnswer } from '../../shared/mp-api.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway({ QUERY_FAILURES_PER_SERIAL: '3', QUERY_FAILURES_PER_SENDER: '8' });
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

/** A letter that came by SMS, accepted by the case store: progress can be checked from the app too. */
async function acceptedSmsLetter(): Promise<{ serial: string; code: string; id: string }> {
  const r = await gw.services.intake.submit(sampleIntake());
  const serial = await serialOf(gw.services.db, r.letterId);
  return { serial, code: r.extractionCode, id: r.letterId };
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

test('when serial and code match, then the progress with the replies is shown', async (t) => {
  const l = await acceptedSmsLetter();
  const reply = await gw.api(`/api/v1/letters/${l.id}/replies`, {
    method: 'POST',
    json: { text: '路灯已于今日修复，感谢您的反映。' },
  });
  t.is(reply.status, 202);
  const call = mp(gw, (await login(gw)).token);
  const r = await call<MpQueryAnswer>('/mp/query', { json: { serial: l.serial, code: l.code } });
  t.is(r.status, 200);
  t.is(r.body.serial, l.serial);
  t.is(r.body.status, 'replied');
  t.deepEqual(
    r.body.timeline.map((e) => e.type),
    ['received', 'accepted', 'reply'],
  );
  const last = r.body.timeline[2];
  t.is(last?.type === 'reply' ? last.text : '', '路灯已于今日修复，感谢您的反映。');
  t.false(JSON.stringify(r.body).includes('+8613800138000'));
});

test('when the serial is unknown or the code is wrong, then both answers are the same', async (t) => {
  const l = await acceptedSmsLetter();
  const call = mp(gw, (await login(gw)).token);
  const badCode = await call('/mp/query', { json: { serial: l.serial, code: wrong(l.code) } });
  const badSerial = await call('/mp/query', { json: { serial: 'CD20990101999999', code: l.code } });
  t.is(badCode.status, 404);
  t.is(badSerial.status, 404);
  const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
  t.deepEqual(strip(badCode.body), strip(badSerial.body));
  t.is(badCode.body.code, 'query_not_found');
});

test('when codes are guessed for one serial, then the serial locks even for the right code, across sessions', async (t) => {
  const l = await acceptedSmsLetter();
  for (let i = 0; i < 3; i++) {
    const s = mp(gw, (await login(gw)).token);
    t.is((await s('/mp/query', { json: { serial: l.serial, code: wrong(l.code) } })).status, 404);
  }
  const fresh = mp(gw, (await login(gw)).token);
  const r = await fresh<{ code: string }>('/mp/query', { json: { serial: l.serial, code: l.code } });
  t.is(r.status, 429);
  t.is(r.body.code, 'rate_limited');
  // Unknown serials lock the same way, so a lock says nothing about whether a serial exists.
  const unknown = 'CD20990101888888';
  for (let i = 0; i < 3; i++) await fresh('/mp/query', { json: { serial: unknown, code: '123456' } });
  t.is((await fresh('/mp/query', { json: { serial: unknown, code: '123456' } })).status, 429);
});

test('when one citizen makes too many queries, then further ones are refused with 429, even after logging in again', async (t) => {
  const { token, openid } = await login(gw);
  const call = mp(gw, token);
  const statuses: number[] = [];
  for (let i = 0; i < 9; i++)
    statuses.push(
      (await call('/mp/query', { json: { serial: `CD2099010177${String(i).padStart(4, '0')}`, code: '123456' } }))
        .status,
    );
  t.deepEqual(statuses, [404, 404, 404, 404, 404, 404, 404, 404, 429]);
  const again = mp(gw, (await login(gw, openid)).token);
  t.is((await again('/mp/query', { json: { serial: 'CD20990101779999', code: '123456' } })).status, 429);
});

test('when the query is malformed, then the fields are named', async (t) => {
  const call = mp(gw, (await login(gw)).token);
  const r = await call<{ problems: { field: string }[] }>('/mp/query', { json: { serial: '流水号', code: '12' } });
  t.is(r.status, 422);
  t.deepEqual(r.body.problems.map((p) => p.field).sort(), ['code', 'serial']);
});
