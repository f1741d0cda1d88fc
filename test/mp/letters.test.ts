import test from 'ava';
import nock from 'nock';
import {
  startMpGateway,
  stopNock,
  login,
  mp,
  jpegBytes,
  photoForm,
  passCheck,
  letterRequest,
  WX,
} from '../channels/wechat-mp/_mp.js';
import { eventually, type TestGateway } from '../_support/gateway.js';
import type { Letter } from '../../shared/letter.js';
import type { MpLetterDetail, MpSubmitAnswer } from '../../shared/mp-api.js';
import { openLetter } from '../../gateway/privacy/pii-service.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway();
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

async function upload(call: ReturnType<typeof mp>): Promise<string> {
  const r = await call<{ uploadId: string }>('/mp/uploads', { body: photoForm(jpegBytes()) });
  if (r.status !== 201) throw new Error(`upload failed ${r.status}`);
  return r.body.uploadId;
}

test.serial(
  'when a citizen submits a letter with photos and a location, then it reaches the case store with both and the app sees its serial',
  async (t) => {
    const { token, openid } = await login(gw);
    const call = mp(gw, token);
    const check = passCheck(openid);
    const photos = [await upload(call), await upload(call)];
    const location = { latitude: 30.6428, longitude: 104.0432, name: '玉林小区', address: '成都市武侯区玉林路' };
    const r = await call<MpSubmitAnswer>('/mp/letters', {
      json: letterRequest({ uploadIds: photos, location, name: '张三' }),
    });
    t.is(r.status, 201);
    t.regex(r.body.extractionCode, /^\d{6}$/);
    t.is(r.body.status, 'received');
    t.true(check.isDone());

    const atCaseStore = await eventually(async () => {
      const row = await gw.services.db
        .selectFrom('sandbox_case_letters')
        .selectAll()
        .where('letter_id', '=', r.body.letterId)
        .executeTakeFirst();
      return row ? { serial: row.serial, letter: row.letter as unknown as Letter } : undefined;
    });
    const letter = atCaseStore.letter;
    t.is(letter.channel, 'wechat-mp');
    t.is(letter.citizen.channelUserId, openid);
    t.is(letter.citizen.name, '张三');
    t.deepEqual(letter.mailbox, { id: 'district-510107', name: '武侯区信箱' });
    t.deepEqual(letter.region, { code: '510107', name: '武侯区' });
    t.deepEqual(letter.location, {
      latitude: 30.6428,
      longitude: 104.0432,
      label: '玉林小区',
      address: '成都市武侯区玉林路',
    });
    t.is(letter.attachments.length, 2);
    t.is(letter.contentCheck?.suggest, 'pass');
    t.is(letter.contentCheck?.label, 100);
    // The photo URL works for whoever holds it, as the case store will fetch it.
    const first = letter.attachments[0]!;
    t.true('url' in first);
    if ('url' in first) {
      const photo = await fetch(first.url.replace(/^http:\/\/localhost:\d+/, gw.url));
      t.is(photo.status, 200);
      t.is(photo.headers.get('content-type'), 'image/jpeg');
    }

    const detail = await eventually(async () => {
      const d = await call<MpLetterDetail>(`/mp/letters/${r.body.letterId}`);
      return d.body.serial ? d.body : undefined;
    });
    t.is(detail.serial, atCaseStore.serial);
    t.is(detail.extractionCode, r.body.extractionCode);
    t.is(detail.photos.length, 2);
    t.deepEqual(
      detail.timeline.map((e) => e.type),
      ['received', 'accepted'],
    );
    const list = await call<{ letters: { id: string }[] }>('/mp/letters');
    t.deepEqual(
      list.body.letters.map((l) => l.id),
      [r.body.letterId],
    );
  },
);

test.serial(
  'when the same draft is submitted twice with one key, then one letter exists and both answers match',
  async (t) => {
    const { token, openid } = await login(gw);
    const call = mp(gw, token);
    passCheck(openid);
    const req = letterRequest();
    const [a, b] = [
      await call<MpSubmitAnswer>('/mp/letters', { json: req }),
      await call<MpSubmitAnswer>('/mp/letters', { json: req }),
    ];
    t.is(a.status, 201);
    t.is(b.status, 200);
    t.true(b.body.duplicate);
    t.is(b.body.letterId, a.body.letterId);
    t.is(b.body.extractionCode, a.body.extractionCode);
    const concurrent = await Promise.all([1, 2, 3].map(() => call<MpSubmitAnswer>('/mp/letters', { json: req })));
    t.true(concurrent.every((c) => c.body.letterId === a.body.letterId));
    const rows = await gw.services.db.selectFrom('letters').select('id').where('citizen_id', '=', openid).execute();
    t.is(rows.length, 1);
  },
);

test.serial(
  "when a citizen asks for someone else's letter, then it is 404 like a letter that does not exist",
  async (t) => {
    const owner = await login(gw);
    passCheck(owner.openid);
    const created = await mp(gw, owner.token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() });
    const other = mp(gw, (await login(gw)).token);
    const theirs = await other<{ code: string }>(`/mp/letters/${created.body.letterId}`);
    t.is(theirs.status, 404);
    t.is(theirs.body.code, 'letter_not_found');
    const missing = await other<{ code: string }>('/mp/letters/0190a6f0-0000-7000-8000-000000000000');
    t.is(missing.status, 404);
    t.deepEqual((await other<{ letters: unknown[] }>('/mp/letters')).body.letters, []);
  },
);

test.serial("when a letter names another citizen's upload, then it is refused naming the field", async (t) => {
  const a = await login(gw);
  const photo = await upload(mp(gw, a.token));
  const b = mp(gw, (await login(gw)).token);
  const r = await b<{ problems: { field: string }[] }>('/mp/letters', { json: letterRequest({ uploadIds: [photo] }) });
  t.is(r.status, 422);
  t.deepEqual(
    r.body.problems.map((p) => p.field),
    ['uploadIds'],
  );
});

test.serial(
  'when the letter is incomplete, then the answer names each field with a message for the citizen',
  async (t) => {
    const call = mp(gw, (await login(gw)).token);
    const r = await call<{ code: string; problems: { field: string; message: string }[] }>('/mp/letters', {
      json: letterRequest({
        body: '太短',
        kind: 'rant',
        uploadIds: Array.from({ length: 10 }, () => '0190a6f0-0000-7000-8000-000000000000'),
      }),
    });
    t.is(r.status, 422);
    t.deepEqual(r.body.problems.map((p) => p.field).sort(), ['body', 'kind', 'uploadIds']);
    t.true(r.body.problems.some((p) => p.message === '请把事情写清楚，内容至少10个字'));
  },
);

test.serial('when the text check fails at WeChat, then the letter is stored anyway without a verdict', async (t) => {
  const { token, openid } = await login(gw);
  const check = nock(WX)
    .post('/wxa/msg_sec_check', (b: { openid?: string }) => b.openid === openid)
    .query(true)
    .reply(200, { errcode: 43104, errmsg: 'appid not match openid' });
  const r = await mp(gw, token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() });
  t.is(r.status, 201);
  t.true(check.isDone());
  const row = await gw.services.db
    .selectFrom('letters')
    .select('body')
    .where('id', '=', r.body.letterId)
    .executeTakeFirstOrThrow();
  t.is(row.body.contentCheck, undefined);
});

test.serial(
  'when the text is judged risky, then the verdict is recorded and the letter still goes to the case store',
  async (t) => {
    const { token, openid } = await login(gw);
    nock(WX)
      .post('/wxa/msg_sec_check', (b: { openid?: string }) => b.openid === openid)
      .query(true)
      .reply(200, {
        errcode: 0,
        errmsg: 'ok',
        result: { suggest: 'risky', label: 20003 },
        detail: [],
        trace_id: 't-risky',
      });
    const r = await mp(gw, token)<MpSubmitAnswer>('/mp/letters', { json: letterRequest() });
    t.is(r.status, 201);
    const stored = await eventually(async () =>
      gw.services.db
        .selectFrom('sandbox_case_letters')
        .select('letter')
        .where('letter_id', '=', r.body.letterId)
        .executeTakeFirst(),
    );
    const letter = stored.letter as unknown as Letter;
    t.deepEqual(
      {
        suggest: letter.contentCheck?.suggest,
        label: letter.contentCheck?.label,
        traceId: letter.contentCheck?.traceId,
      },
      { suggest: 'risky', label: 20003, traceId: 't-risky' },
    );
  },
);

test.serial(
  'when the title and body hold U+0000 and an unpaired surrogate, then the letter is stored cleaned, and a body nested too deep or too large is a 4xx problem',
  async (t) => {
    const { token, openid } = await login(gw);
    const call = mp(gw, token);
    passCheck(openid);
    const r = await call<MpSubmitAnswer>('/mp/letters', {
      json: letterRequest({
        title: '路灯\u0000不亮',
        body: '玉林路小区门口的路灯坏了\ud800一个月，晚上很黑\u0000，请尽快修理。',
        name: '张\u0000三',
      }),
    });
    t.is(r.status, 201);
    const row = await gw.services.db
      .selectFrom('letters')
      .select('body')
      .where('id', '=', r.body.letterId)
      .executeTakeFirstOrThrow();
    const letter = openLetter(gw.services.pii, row.body);
    t.is(letter.title, '路灯不亮');
    t.is(letter.body, '玉林路小区门口的路灯坏了\ufffd一个月，晚上很黑，请尽快修理。');
    t.is(letter.citizen.name, '张三');

    const deep = await fetch(`${gw.url}/mp/letters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
    });
    t.is(deep.status, 413);
    const nested = await call<{ code: string }>('/mp/letters', {
      json: letterRequest({ location: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) as unknown }),
    });
    t.is(nested.status, 400);
    t.is(nested.body.code, 'body_too_deep');
    const huge = await call<{ code: string }>('/mp/letters', { json: letterRequest({ body: '长'.repeat(30_000) }) });
    t.is(huge.status, 413);
    t.is(huge.body.code, 'body_too_large');
  },
);
