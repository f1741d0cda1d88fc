import test from 'ava';
import nock from 'nock';
import { randomBytes, randomUUID } from 'node:crypto';
import { aesKeyOf, encryptMessage, pushSignature } from '../../gateway/channels/wechat-common/push-crypto.js';
import { publicPhotos, retryMediaChecks, startMediaCheck } from '../../gateway/mp/media-check.js';
import { APPID, jpegBytes, login, mp, photoForm, startMpGateway, stopNock, WX } from '../channels/wechat-mp/_mp.js';
import { eventually, type TestGateway } from '../_support/gateway.js';

const TOKEN = 'mpPushToken123';
const AES = randomBytes(32).toString('base64').slice(0, 43);
let gw: TestGateway;

test.before(async () => {
  gw = await startMpGateway({ WECHAT_MP_PUSH_TOKEN: TOKEN });
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

const now = () => String(Math.floor(Date.now() / 1000));

function signedQuery(extra: Record<string, string> = {}): URLSearchParams {
  const timestamp = now();
  const nonce = randomUUID().slice(0, 8);
  return new URLSearchParams({ timestamp, nonce, signature: pushSignature(TOKEN, timestamp, nonce), ...extra });
}

async function push(url: string, body: string, q = signedQuery()): Promise<{ status: number; text: string }> {
  const r = await fetch(`${url}/wechat/mp?${q}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: r.status, text: await r.text() };
}

const changeXml = (
  openid: string,
  createTime: number,
  items: [string, string][],
  wrapper = 'SubscribeMsgChangeEvent',
) => `<xml>
<ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>
<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_change_event]]></Event>
<${wrapper}>${items.map(([t, s]) => `<List><TemplateId><![CDATA[${t}]]></TemplateId><SubscribeStatusString><![CDATA[${s}]]></SubscribeStatusString></List>`).join('')}</${wrapper}>
</xml>`;

async function giveConsents(openid: string, credits: Record<string, number>, at = new Date()) {
  for (const [template_id, n] of Object.entries(credits)) {
    await gw.services.db
      .insertInto('mp_consents')
      .values({ openid, template_id, credits: n, updated_at: at })
      .execute();
  }
}
const creditsOf = async (openid: string) =>
  Object.fromEntries(
    (
      await gw.services.db
        .selectFrom('mp_consents')
        .select(['template_id', 'credits'])
        .where('openid', '=', openid)
        .execute()
    ).map((r) => [r.template_id, r.credits]),
  );

test('when WeChat checks the push URL, then the echo comes back only with the right signature', async (t) => {
  const q = signedQuery({ echostr: 'echo-123' });
  const ok = await fetch(`${gw.url}/wechat/mp?${q}`);
  t.is(await ok.text(), 'echo-123');
  q.set('signature', 'f'.repeat(40));
  const bad = await fetch(`${gw.url}/wechat/mp?${q}`);
  t.is(bad.status, 401);
  t.is(((await bad.json()) as { code: string }).code, 'push_signature_invalid');
});

test('when a citizen switches a notification off, then its counted consents are dropped and the others stay', async (t) => {
  const openid = `o-${randomUUID().slice(0, 10)}`;
  await giveConsents(openid, { TPL_RECEIPT: 2, TPL_REPLY: 1 }, new Date(Date.now() - 60_000));
  const r = await push(gw.url, changeXml(openid, Math.floor(Date.now() / 1000), [['TPL_RECEIPT', 'reject']]));
  t.deepEqual(r, { status: 200, text: 'success' });
  t.deepEqual(await creditsOf(openid), { TPL_RECEIPT: 0, TPL_REPLY: 1 });
  const results = await gw.services.db
    .selectFrom('mp_consent_results')
    .select(['template_id', 'result'])
    .where('openid', '=', openid)
    .execute();
  t.deepEqual(results, [{ template_id: 'TPL_RECEIPT', result: 'switched_off' }]);
});

test('when the push comes in the popup wrapper of the official sample, then it is understood the same', async (t) => {
  const openid = `o-${randomUUID().slice(0, 10)}`;
  await giveConsents(openid, { TPL_SURVEY: 1 }, new Date(Date.now() - 60_000));
  await push(
    gw.url,
    changeXml(openid, Math.floor(Date.now() / 1000), [['TPL_SURVEY', 'reject']], 'SubscribeMsgPopupEvent'),
  );
  t.deepEqual(await creditsOf(openid), { TPL_SURVEY: 0 });
});

test('when a switch-off push arrives after the citizen accepted again, then the new consent stays', async (t) => {
  const openid = `o-${randomUUID().slice(0, 10)}`;
  await giveConsents(openid, { TPL_REPLY: 1 });
  // The switch-off happened two minutes ago; the consent was given just now.
  await push(gw.url, changeXml(openid, Math.floor(Date.now() / 1000) - 120, [['TPL_REPLY', 'reject']]));
  t.deepEqual(await creditsOf(openid), { TPL_REPLY: 1 });
});

test('when WeChat retries the same switch-off push many times at once, then every answer is success and the consent is dropped once', async (t) => {
  const openid = `o-${randomUUID().slice(0, 10)}`;
  await giveConsents(openid, { TPL_RECEIPT: 3 }, new Date(Date.now() - 60_000));
  const body = changeXml(openid, Math.floor(Date.now() / 1000), [['TPL_RECEIPT', 'reject']]);
  const q = signedQuery();
  const answers = await Promise.all(Array.from({ length: 20 }, () => push(gw.url, body, q)));
  t.true(answers.every((a) => a.status === 200 && a.text === 'success'));
  t.deepEqual(await creditsOf(openid), { TPL_RECEIPT: 0 });
});

test('when a push is unsigned, stale or not XML/JSON, then it is refused with a problem and nothing changes', async (t) => {
  const openid = `o-${randomUUID().slice(0, 10)}`;
  await giveConsents(openid, { TPL_RECEIPT: 1 }, new Date(Date.now() - 60_000));
  const body = changeXml(openid, Math.floor(Date.now() / 1000), [['TPL_RECEIPT', 'reject']]);
  const wrong = signedQuery();
  wrong.set('signature', pushSignature('otherToken', wrong.get('timestamp')!, wrong.get('nonce')!));
  t.is((await push(gw.url, body, wrong)).status, 401);
  const stale = new URLSearchParams({ timestamp: String(Math.floor(Date.now() / 1000) - 3600), nonce: 'n1' });
  stale.set('signature', pushSignature(TOKEN, stale.get('timestamp')!, 'n1'));
  t.is((await push(gw.url, body, stale)).status, 403);
  t.is((await push(gw.url, '<xml><Event>broken')).status, 400);
  t.is((await push(gw.url, '{"Event": ')).status, 400);
  t.deepEqual(await creditsOf(openid), { TPL_RECEIPT: 1 });
});

test('when a signed push carries odd content (NUL, a lone surrogate, a time beyond any date, deep JSON), then it is answered without a 5xx and, cleaned, it acts', async (t) => {
  const openid = `o-${randomUUID().slice(0, 10)}`;
  await giveConsents(openid, { TPL_RECEIPT: 1, TPL_REPLY: 1 }, new Date(Date.now() - 60_000));
  const json = (v: unknown) => push(gw.url, JSON.stringify(v));
  const answers = [
    await json({
      FromUserName: `${openid}\u0000`,
      CreateTime: 1e20,
      Event: 'subscribe_msg_change_event',
      List: [{ TemplateId: 'TPL_RECEIPT\u0000', SubscribeStatusString: 'reject\ud800' }],
    }),
    await json({
      FromUserName: openid,
      CreateTime: '99999999999999999999',
      Event: 'subscribe_msg_change_event',
      List: [{ TemplateId: 'TPL_REPLY', SubscribeStatusString: 'reject' }],
    }),
    await json({ Event: 'wxa_media_check', trace_id: 'x\u0000', result: { suggest: 'pass\ud800', label: '\u0000' } }),
    await json({ Event: 'wxa_media_check', trace_id: 'x'.repeat(100_000) }),
    await push(gw.url, '{"a":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}'),
    await push(gw.url, changeXml(`${openid}\u0000`, 1e15, [['TPL_RECEIPT', 'reject']])),
  ];
  t.deepEqual(
    answers.filter((a) => a.status >= 500),
    [],
  );
  // Cleaned as at every door (the NUL removed, so the openid is the citizen's), the switches act; those whose time is
  // no date count as now, so they are newer than the consents given a minute ago.
  t.deepEqual(await creditsOf(openid), { TPL_RECEIPT: 0, TPL_REPLY: 0 });
});

test('when a photo is uploaded, then WeChat is asked to check it from a signed URL, and only a pass makes it public', async (t) => {
  const { token, openid } = await login(gw);
  let mediaUrl = '';
  const traces = ['trace-pass-' + randomUUID(), 'trace-risky-' + randomUUID()];
  nock(WX)
    .post(
      '/wxa/media_check_async',
      (b: Record<string, unknown>) =>
        b.openid === openid &&
        b.media_type === 2 &&
        b.version === 2 &&
        b.scene === 3 &&
        typeof b.media_url === 'string',
    )
    .query({ access_token: 'ACCESS_TOKEN_1' })
    .times(2)
    .reply(200, (_uri, b) => {
      mediaUrl = (b as { media_url: string }).media_url;
      return { errcode: 0, errmsg: 'ok', trace_id: traces.shift() };
    });
  const call = mp(gw, token);
  const up1 = await call<{ uploadId: string }>('/mp/uploads', { body: photoForm(jpegBytes()) });
  t.is(up1.status, 201);
  const first = await eventually(
    async () =>
      await gw.services.db
        .selectFrom('mp_uploads')
        .selectAll()
        .where('id', '=', up1.body.uploadId)
        .where('media_trace_id', 'is not', null)
        .executeTakeFirst(),
  );
  t.is(first.media_check, 'pending');
  // WeChat downloads the photo from the URL it was given.
  const fetched = await fetch(mediaUrl.replace(/^http:\/\/localhost:\d+/, gw.url));
  t.is(fetched.status, 200);
  t.is(fetched.headers.get('content-type'), 'image/jpeg');
  const up2 = await call<{ uploadId: string }>('/mp/uploads', { body: photoForm(jpegBytes()) });
  const second = await eventually(
    async () =>
      await gw.services.db
        .selectFrom('mp_uploads')
        .selectAll()
        .where('id', '=', up2.body.uploadId)
        .where('media_trace_id', 'is not', null)
        .executeTakeFirst(),
  );
  t.deepEqual(
    await publicPhotos(gw.services.db, [first.attachment_id, second.attachment_id]),
    new Set(),
    'nothing is public before a verdict',
  );

  const verdict = (
    trace: string,
    suggest: string,
    label: string,
  ) => `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>
<CreateTime>${now()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[wxa_media_check]]></Event><appid><![CDATA[${APPID}]]></appid>
<trace_id><![CDATA[${trace}]]></trace_id><version>2</version><result><suggest><![CDATA[${suggest}]]></suggest><label>${label}</label></result>
<detail><strategy><![CDATA[content_model]]></strategy><errcode>0</errcode><suggest><![CDATA[${suggest}]]></suggest><label>${label}</label><prob>90</prob></detail></xml>`;
  t.is((await push(gw.url, verdict(first.media_trace_id!, 'pass', '100'))).text, 'success');
  t.is((await push(gw.url, verdict(second.media_trace_id!, 'risky', '20002'))).text, 'success');
  t.deepEqual(
    await publicPhotos(gw.services.db, [first.attachment_id, second.attachment_id]),
    new Set([first.attachment_id]),
  );
  const risky = await gw.services.db
    .selectFrom('mp_uploads')
    .select(['media_check', 'media_label'])
    .where('id', '=', up2.body.uploadId)
    .executeTakeFirstOrThrow();
  t.deepEqual(risky, { media_check: 'risky', media_label: '20002' });
  // A verdict for a trace nobody asked for is acknowledged and ignored.
  t.is((await push(gw.url, verdict('trace-unknown', 'pass', '100'))).text, 'success');
});

test('when WeChat refuses the check request, then the photo is asked again by the retry job, and parallel askers call WeChat once', async (t) => {
  const { token } = await login(gw);
  const refused = nock(WX)
    .post('/wxa/media_check_async')
    .query(true)
    .reply(200, { errcode: 45009, errmsg: 'reach max api daily quota limit' });
  const up = await mp(gw, token)<{ uploadId: string }>('/mp/uploads', { body: photoForm(jpegBytes()) });
  await eventually(async () => (refused.isDone() ? true : undefined));
  const row = await eventually(async () => {
    const r = await gw.services.db
      .selectFrom('mp_uploads')
      .select(['media_check', 'media_trace_id'])
      .where('id', '=', up.body.uploadId)
      .executeTakeFirstOrThrow();
    return r.media_check === null ? r : undefined;
  });
  t.is(row.media_trace_id, null);

  let calls = 0;
  const api = { mediaCheckAsync: async () => ({ traceId: `trace-${++calls}-${randomUUID()}` }) };
  const deps = { db: gw.services.db, log: gw.services.log, attachments: gw.services.attachments, api };
  await Promise.all(Array.from({ length: 20 }, () => startMediaCheck(deps, up.body.uploadId)));
  t.is(calls, 1);
  // The job skips what it asked already.
  await gw.services.db
    .updateTable('mp_uploads')
    .set({ created_at: new Date(Date.now() - 120_000) })
    .where('id', '=', up.body.uploadId)
    .execute();
  await retryMediaChecks(deps);
  t.is(calls, 1);
  const after = await gw.services.db
    .selectFrom('mp_uploads')
    .select(['media_check'])
    .where('id', '=', up.body.uploadId)
    .executeTakeFirstOrThrow();
  t.is(after.media_check, 'pending');
});

test('when the push is in safe mode as JSON, then it is decrypted, and a plain push is refused', async (t) => {
  const safe = await startMpGateway({ WECHAT_MP_PUSH_TOKEN: TOKEN, WECHAT_MP_AES_KEY: AES });
  try {
    const openid = `o-${randomUUID().slice(0, 10)}`;
    await safe.services.db
      .insertInto('mp_consents')
      .values({ openid, template_id: 'TPL_JSON', credits: 1, updated_at: new Date(Date.now() - 60_000) })
      .execute();
    // JSON pushes carry a single subscription as an object, not a list.
    const inner = JSON.stringify({
      ToUserName: 'gh_1',
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'subscribe_msg_change_event',
      SubscribeMsgChangeEvent: { List: { TemplateId: 'TPL_JSON', SubscribeStatusString: 'reject' } },
    });
    const plain = await push(safe.url, inner);
    t.is(plain.status, 401);
    const encrypt = encryptMessage(aesKeyOf(AES), inner, APPID);
    const q = signedQuery({ encrypt_type: 'aes' });
    q.set('msg_signature', pushSignature(TOKEN, q.get('timestamp')!, q.get('nonce')!, encrypt));
    const r = await push(safe.url, JSON.stringify({ ToUserName: 'gh_1', Encrypt: encrypt }), q);
    t.deepEqual(r, { status: 200, text: 'success' });
    const c = await safe.services.db
      .selectFrom('mp_consents')
      .select('credits')
      .where('openid', '=', openid)
      .executeTakeFirstOrThrow();
    t.is(c.credits, 0);
    // Encrypted for another mini-program: refused.
    const foreign = encryptMessage(aesKeyOf(AES), inner, 'wx_other_app_0000');
    const q2 = signedQuery({ encrypt_type: 'aes' });
    q2.set('msg_signature', pushSignature(TOKEN, q2.get('timestamp')!, q2.get('nonce')!, foreign));
    t.is((await push(safe.url, JSON.stringify({ Encrypt: foreign }), q2)).status, 401);
  } finally {
    await safe.stop();
  }
});
