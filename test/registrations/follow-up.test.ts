import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { randomUUID } from 'node:crypto';
import { eventually, serialOf } from '../_support/gateway.js';
import { ensureApiKey } from '../../gateway/http/api-auth.js';
import { sampleIntake } from '../_support/letters.js';
import { ADMIN_PASSWORD, staffClient } from '../admin/_staff.js';
import { postPush, textMessage } from '../_support/wechat-oa.js';
import { login, mp } from '../channels/wechat-mp/_mp.js';
import { startLoop, settledDelivery, openWindow, SMS_PUSH_TOKEN, type Loop } from '../loop/_loop.js';
import { openLetter } from '../../gateway/privacy/pii-service.js';

let loop: Loop;
test.before(async () => {
  loop = await startLoop({ SURVEY_DELAY_SECONDS: '0', ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD });
});
test.after.always(async () => {
  await loop?.stop();
});

let n = 0;
/** A phone case as the case store registers it; a fresh serial and number per call. */
function phoneCase(fields: Record<string, unknown> = {}) {
  n++;
  const tail = String((Date.now() % 10_000) * 100 + n)
    .padStart(8, '0')
    .slice(-8);
  return {
    origin: 'phone',
    serial: `CD2026112900${tail}`,
    phone: `137${tail}`,
    kind: 'complaint',
    topic: '城市管理',
    region: { code: '510104', name: '锦江区' },
    summary: '市民来电反映春熙路附近夜间施工噪音扰民，希望尽快处理。',
    receivedAt: new Date(Date.now() - 3600_000).toISOString(),
    smsConsent: true,
    ...fields,
  };
}

const register = (body: unknown, headers: Record<string, string> = {}) =>
  loop.gw.api('/api/v1/letters', { method: 'POST', json: body, headers });
const uplink = (phone: string, content: string, seq: number) =>
  fetch(`${loop.gw.url}/sms/aliyun/uplink?token=${SMS_PUSH_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        phone_number: phone,
        send_time: '2026-11-29 20:00:00',
        content,
        sign_name: '成都网络理政',
        dest_code: '1234',
        sequence_id: seq,
      },
    ]),
  });
const lettersWithSerial = (serial: string) =>
  loop.gw.services.db
    .selectFrom('letters')
    .select(['id', 'channel', 'forward_state', 'status', 'body'])
    .where('serial', '=', serial)
    .execute();
const params = (c: { query: Record<string, string> }) =>
  JSON.parse(c.query.TemplateParam ?? '{}') as Record<string, string>;

test('when a hotline case is registered, then the citizen gets the serial and code by SMS, the reply, the survey, and the answer reaches the case store', async (t) => {
  const c = phoneCase();
  const r = await register(c, { 'idempotency-key': `reg-${c.serial}` });
  t.is(r.status, 201);
  const reg = (await r.json()) as {
    letterId: string;
    extractionCode: string;
    serial: string;
    origin: string;
    channel: string;
    created: boolean;
  };
  t.like(reg, { serial: c.serial, origin: 'phone', channel: 'sms', created: true });
  t.regex(reg.extractionCode, /^\d{6}$/);

  // Stored as an SMS letter of origin phone, already at the case store: never forwarded back.
  const [stored] = await lettersWithSerial(c.serial);
  t.like(stored, { id: reg.letterId, channel: 'sms', forward_state: 'external', status: 'accepted' });
  t.like(openLetter(loop.gw.services.pii, stored!.body), {
    origin: 'phone',
    category: '城市管理',
    kind: 'complaint',
    citizen: { phone: `+86${c.phone}` },
  });

  const receipt = await settledDelivery(loop.gw, reg.letterId, 'receipt');
  t.is(receipt.status, 'sent', receipt.lastError ?? '');
  const sent = loop.aliyun.callsFor(c.phone, 'SendSms');
  t.like(params(sent[0]!), { serial: c.serial, code: reg.extractionCode });

  const reply = await loop.gw.api(`/api/v1/letters/${reg.letterId}/replies`, {
    method: 'POST',
    json: {
      text: '经核查，施工单位已调整作业时间，夜间22点后停止高噪音作业。城管执法大队将持续巡查，如仍有扰民请再次来电。',
      final: true,
    },
  });
  t.is(reply.status, 202);
  const replied = await settledDelivery(loop.gw, reg.letterId, 'reply');
  t.is(replied.status, 'sent', replied.lastError ?? '');
  const survey = await settledDelivery(loop.gw, reg.letterId, 'survey');
  t.is(survey.status, 'sent', survey.lastError ?? '');
  t.is(loop.aliyun.callsFor(c.phone, 'SendSms').length, 3, 'receipt, reply and survey by SMS');

  t.is((await uplink(c.phone, '1 满意', 770001)).status, 200);
  const events = await eventually(
    async () => {
      const e = loop.caseStore.received.filter(
        (x) => x.path === '/events' && x.body.type === 'survey.answered' && x.body.letterId === reg.letterId,
      );
      return e.length > 0 ? e : undefined;
    },
    30_000,
    'survey.answered',
  );
  t.like(events[0]!.body.data, { score: 1, label: '满意', channel: 'sms' });
  t.true(events[0]!.signatureValid);
  t.false(
    loop.caseStore.received.some((x) => x.path === '/letters' && x.body.id === reg.letterId),
    'the case store is never sent its own case',
  );
});

test('when a citizen of a registered case sends 查询 with serial and code, then the progress comes back by SMS', async (t) => {
  const c = phoneCase({ origin: 'counter' });
  const reg = (await (await register(c)).json()) as { letterId: string; extractionCode: string };
  await settledDelivery(loop.gw, reg.letterId, 'receipt');
  t.is((await uplink(c.phone, `查询 ${c.serial} ${reg.extractionCode}`, 770101)).status, 200);
  const answer = await eventually(
    async () => {
      const rows = await loop.gw.services.db
        .selectFrom('deliveries')
        .select(['id', 'status'])
        .where('recipient', '=', await phoneToken(loop.gw, `+86${c.phone}`))
        .where('template_key', '=', 'query_result')
        .execute();
      return rows.length > 0 && rows.every((x) => x.status === 'sent') ? rows : undefined;
    },
    30_000,
    'the query answer',
  );
  const sent = loop.aliyun.callsFor(c.phone, 'SendSms').find((x) => x.query.OutId === answer[0]!.id);
  t.like(params(sent!), { serial: c.serial, status: '已受理' });
});

test('when the progress of a registered case is asked in the mini-program or on the official account, then it is answered there too', async (t) => {
  const c = phoneCase();
  const reg = (await (await register(c)).json()) as { letterId: string; extractionCode: string };
  const { token } = await login(loop.gw);
  const q = await mp(loop.gw, token)('/mp/query', { json: { serial: c.serial, code: reg.extractionCode } });
  t.is(q.status, 200, JSON.stringify(q.body));
  t.like(q.body, { serial: c.serial });
  const openid = `oQuery${n}`;
  await openWindow(loop.gw, openid);
  t.is((await postPush(loop.gw.url, textMessage(openid, `查询 ${c.serial} ${reg.extractionCode}`))).status, 200);
  await eventually(
    async () =>
      loop.wx.calls.some((x) => x.body.touser === openid && JSON.stringify(x.body).includes(c.serial))
        ? true
        : undefined,
    30_000,
    'the answer on the official account',
  );
  t.pass();
});

test('when the same serial is registered again with the same content, then the same letter is answered; with other content, a 409 problem', async (t) => {
  const c = phoneCase({ origin: 'mail' });
  const first = (await (await register(c)).json()) as { letterId: string; extractionCode: string };
  const again = await register(c);
  t.is(again.status, 200);
  t.like(await again.json(), { letterId: first.letterId, extractionCode: first.extractionCode, created: false });
  const other = await register({ ...c, summary: '另一件事' });
  t.is(other.status, 409);
  t.is(other.headers.get('content-type'), 'application/problem+json');
  t.like(await other.json(), { code: 'serial_conflict', status: 409 });
  t.is((await lettersWithSerial(c.serial)).length, 1);
  t.is(
    await loop.gw.services.db
      .selectFrom('deliveries')
      .select('id')
      .where('letter_id', '=', first.letterId)
      .where('kind', '=', 'receipt')
      .execute()
      .then((x) => x.length),
    1,
  );
});

test('when one serial is registered by 20 requests at once, then one letter exists and every answer names it', async (t) => {
  const c = phoneCase({ origin: 'other' });
  const answers = await Promise.all(Array.from({ length: 20 }, () => register(c)));
  const bodies = (await Promise.all(answers.map((a) => a.json()))) as { letterId: string }[];
  t.deepEqual(answers.map((a) => a.status).filter((s) => s === 201).length, 1, JSON.stringify(bodies[0]));
  t.true(
    answers.every((a) => a.status === 201 || a.status === 200),
    JSON.stringify(bodies.filter((_, i) => answers[i]!.status >= 300)[0]),
  );
  t.is(new Set(bodies.map((b) => b.letterId)).size, 1);
  t.is((await lettersWithSerial(c.serial)).length, 1);
});

test('when the Idempotency-Key is replayed, then the first answer comes back marked as a replay', async (t) => {
  const c = phoneCase();
  const key = `idem-${randomUUID()}`;
  const first = await register(c, { 'idempotency-key': key });
  const second = await register(c, { 'idempotency-key': key });
  t.is(first.status, 201);
  t.is(second.status, 201);
  t.is(second.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(await second.json(), await first.json());
});

for (const [title, fields, code] of [
  ['a malformed phone number', { phone: '1380013' }, 'phone_invalid'],
  ['a number no SMS reaches (not a mobile prefix)', { phone: '+8612012345678' }, 'phone_invalid'],
  ['a landline number', { phone: '028-86612345' }, 'phone_invalid'],
  ['consent missing', { smsConsent: undefined }, 'sms_consent_required'],
  ['consent refused', { smsConsent: false }, 'sms_consent_required'],
  ['an unknown origin', { origin: 'fax' }, 'request_invalid'],
  ['a received time in the future', { receivedAt: new Date(Date.now() + 86_400_000).toISOString() }, 'request_invalid'],
] as const) {
  test(`when a registration has ${title}, then it is refused with ${code} and nothing is stored`, async (t) => {
    const c = phoneCase(fields);
    const r = await register(c);
    t.is(r.headers.get('content-type'), 'application/problem+json');
    const p = (await r.json()) as { code: string; status: number };
    t.is(p.code, code);
    t.is(r.status, p.status);
    t.true(r.status >= 400 && r.status < 500);
    t.is((await lettersWithSerial(c.serial)).length, 0);
    t.is(
      (
        await loop.gw.services.db
          .selectFrom('source_messages')
          .select('id')
          .where('provider_message_id', '=', `registered:${c.serial}`)
          .execute()
      ).length,
      0,
    );
  });
}

test('when a serial belongs to a letter that came through a channel, then registering it is a 409 problem', async (t) => {
  const { letterId } = await loop.gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: '+8613900001111', phone: '+8613900001111', anonymous: false } }),
  );
  const serial = await serialOf(loop.gw.services.db, letterId);
  const r = await register(phoneCase({ serial }));
  t.is(r.status, 409);
  t.like(await r.json(), { code: 'serial_conflict' });
  t.is((await lettersWithSerial(serial)).length, 1);
});

test('when a batch is started, then each owned letter gets one survey and the answer lists one result per id', async (t) => {
  const cases = [phoneCase(), phoneCase(), phoneCase()];
  const ids: string[] = [];
  for (const c of cases) ids.push(((await (await register(c)).json()) as { letterId: string }).letterId);
  await loop.gw.api(`/api/v1/letters/${ids[0]}/surveys`, { method: 'POST' });
  const r = await loop.gw.api('/api/v1/surveys/batch', { method: 'POST', json: { letterIds: ids } });
  t.is(r.status, 202);
  const b = (await r.json()) as {
    batchId: string;
    queued: number;
    existing: number;
    results: { letterId: string; outcome: string }[];
  };
  t.deepEqual(
    b.results.map((x) => [x.letterId, x.outcome]),
    [
      [ids[0], 'exists'],
      [ids[1], 'queued'],
      [ids[2], 'queued'],
    ],
  );
  t.like(b, { queued: 2, existing: 1 });
  for (const id of ids) await settledDelivery(loop.gw, id, 'survey');
  const progress = await eventually(
    async () => {
      const p = (await (await loop.gw.api(`/api/v1/surveys/batches/${b.batchId}`)).json()) as {
        letters: number;
        sent: number;
        waiting: number;
      };
      return p.sent === 3 ? p : undefined;
    },
    30_000,
    'batch progress',
  );
  t.like(progress, { letters: 3, waiting: 0, sent: 3 });
  t.is(
    (await loop.gw.services.db.selectFrom('surveys').select('id').where('letter_id', 'in', ids).execute()).length,
    3,
  );
});

test('when a batch holds a letter another API key registered, or one that was never registered, then nothing starts and a 403 problem lists them', async (t) => {
  const otherKey = 'other-core-api-key-0123456789abcdef';
  await ensureApiKey(loop.gw.services.db, otherKey, 'another case store office');
  const theirs = (
    (await (await register(phoneCase(), { authorization: `Bearer ${otherKey}` })).json()) as { letterId: string }
  ).letterId;
  const mine = ((await (await register(phoneCase())).json()) as { letterId: string }).letterId;
  const stranger = randomUUID();
  const r = await loop.gw.api('/api/v1/surveys/batch', {
    method: 'POST',
    json: { letterIds: [mine, theirs, stranger] },
  });
  t.is(r.status, 403);
  const p = (await r.json()) as { code: string; letterIds: string[] };
  t.is(p.code, 'letter_not_owned');
  t.deepEqual(p.letterIds.sort(), [theirs, stranger].sort());
  t.is(
    (await loop.gw.services.db.selectFrom('surveys').select('id').where('letter_id', 'in', [mine, theirs]).execute())
      .length,
    0,
    'nothing half-started',
  );
  const again = await loop.gw.api('/api/v1/surveys/batch', {
    method: 'POST',
    json: { letterIds: [theirs] },
    headers: { authorization: `Bearer ${otherKey}` },
  });
  t.is(again.status, 202, 'the key that registered it may');
});

test('when a batch is over 1,000 letters, malformed or repeats an id, then it is refused with a problem', async (t) => {
  const many = Array.from({ length: 1001 }, () => randomUUID());
  const over = await loop.gw.api('/api/v1/surveys/batch', { method: 'POST', json: { letterIds: many } });
  t.is(over.status, 422);
  t.like(await over.json(), { code: 'batch_too_large', limit: 1000, given: 1001 });
  const malformed = await loop.gw.api('/api/v1/surveys/batch', { method: 'POST', json: { letterIds: ['not-an-id'] } });
  t.like(await malformed.json(), { code: 'request_invalid', status: 422 });
  const id = randomUUID();
  const twice = await loop.gw.api('/api/v1/surveys/batch', { method: 'POST', json: { letterIds: [id, id] } });
  t.like(await twice.json(), { code: 'request_invalid' });
  const empty = await loop.gw.api('/api/v1/surveys/batch', { method: 'POST', json: { letterIds: [] } });
  t.like(await empty.json(), { code: 'request_invalid' });
});

test('when staff look at letters and statistics by origin, then registered cases show their origin and the survey response rate', async (t) => {
  const c = phoneCase();
  const { letterId } = (await (await register(c)).json()) as { letterId: string };
  await loop.gw.api(`/api/v1/letters/${letterId}/surveys`, { method: 'POST' });
  t.is((await settledDelivery(loop.gw, letterId, 'survey')).status, 'sent');
  await uplink(c.phone, '２', 770301);
  await eventually(
    async () =>
      (
        await loop.gw.services.db
          .selectFrom('surveys')
          .select('state')
          .where('letter_id', '=', letterId)
          .executeTakeFirst()
      )?.state === 'answered'
        ? true
        : undefined,
    30_000,
    'the answer',
  );

  const staff = staffClient(loop.gw);
  t.is((await staff.login('admin', ADMIN_PASSWORD)).status, 200);
  const list = (await (await staff.call('GET', '/letters?origin=phone')).json()) as {
    letters: { id: string; origin: string; citizen_id: string }[];
  };
  const row = list.letters.find((l) => l.id === letterId);
  t.like(row, { origin: 'phone' });
  t.false(row!.citizen_id.includes(c.phone), 'the number is masked');
  t.true(list.letters.every((l) => l.origin === 'phone'));
  const sms = (await (await staff.call('GET', '/letters?origin=sms')).json()) as { letters: { id: string }[] };
  t.false(
    sms.letters.some((l) => l.id === letterId),
    'a phone case is not an SMS letter by origin',
  );

  const stats = (await (await staff.call('GET', '/stats?groupBy=origin')).json()) as {
    groups: {
      key: string;
      satisfaction: { surveyed: number | string; answered: number | string; responseRate: number | null };
    }[];
  };
  const phone = stats.groups.find((g) => g.key === 'phone');
  t.truthy(phone, JSON.stringify(stats.groups.map((g) => g.key)));
  t.true(phone!.satisfaction.responseRate !== null && phone!.satisfaction.responseRate > 0);
  const batches = await staff.call('GET', '/survey-batches');
  t.is(batches.status, 200);
  t.true(Array.isArray(((await batches.json()) as { batches: unknown[] }).batches));
});
