import test from 'ava';
import nock from 'nock';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { OA, oaEnv, msgId, postPush, pushXml, signedPush, textMessage } from '../../_support/wechat-oa.js';
import { pushSignature } from '../../../gateway/channels/wechat-common/push-crypto.js';
import { recordUnfollow, windowFromMessages } from '../../../gateway/channels/wechat-oa/followers.js';
import { storeInbound } from '../../../gateway/conversation/accept.js';

let gw: TestGateway;
test.before(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  gw = await startTestGateway(oaEnv({ WECHAT_OA_PREVIOUS_AES_KEY: OA.previousAesKey }));
});
test.after.always(async () => {
  await gw?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

const inbox = (id: string) =>
  gw.services.db.selectFrom('conversation_messages').selectAll().where('provider_message_id', '=', id).execute();
const openid = () => `oTest${Math.random().toString(36).slice(2, 12)}`;

test('when WeChat verifies the URL with a valid signature, then echostr is answered verbatim; otherwise 401', async (t) => {
  const ts = String(Math.floor(Date.now() / 1000));
  const q = new URLSearchParams({
    signature: pushSignature(OA.token, ts, '42'),
    timestamp: ts,
    nonce: '42',
    echostr: '4375120948345356249',
  });
  const ok = await fetch(`${gw.url}/wechat/oa?${q}`);
  t.is(ok.status, 200);
  t.is(await ok.text(), '4375120948345356249');
  q.set('signature', 'f'.repeat(40));
  t.is((await fetch(`${gw.url}/wechat/oa?${q}`)).status, 401);
});

test('when a safe-mode text push arrives, then it is stored with its 64-bit MsgId intact and answered success', async (t) => {
  const id = msgId();
  const who = openid();
  const res = await postPush(gw.url, textMessage(who, '小区路灯坏了', id));
  t.is(res.status, 200);
  t.is(await res.text(), 'success');
  const [row] = await inbox(id);
  t.is(row?.sender_id, who);
  t.like(row?.message, {
    channel: 'wechat-oa',
    senderId: who,
    providerMessageId: id,
    type: 'text',
    text: '小区路灯坏了',
  });
  const follower = await gw.services.db
    .selectFrom('wechat_oa_followers')
    .selectAll()
    .where('openid', '=', who)
    .executeTakeFirstOrThrow();
  t.is(follower.quota_left, 5);
  t.true(new Date(follower.window_until).getTime() > Date.now() + 47 * 3600_000);
});

test('when a compatible-mode push arrives, then the decrypted content is what counts', async (t) => {
  const id = msgId();
  const { query, body } = signedPush(textMessage(openid(), '加密的内容', id), { mode: 'compatible' });
  // An attacker editing the plaintext copy of a compatible body changes nothing.
  const tampered = body.replace('加密的内容', '篡改的内容');
  const res = await fetch(`${gw.url}/wechat/oa?${query}`, { method: 'POST', body: tampered });
  t.is(res.status, 200);
  t.like((await inbox(id))[0]?.message, { text: '加密的内容' });
});

test('when an AES key is configured and a plaintext push arrives, then it is refused and nothing is stored', async (t) => {
  const id = msgId();
  const res = await postPush(gw.url, textMessage(openid(), 'plain', id), { mode: 'plain' });
  t.is(res.status, 401);
  t.deepEqual(await inbox(id), []);
});

test('when msg_signature is wrong, then the push is refused with 401', async (t) => {
  const id = msgId();
  const { query, body } = signedPush(textMessage(openid(), 'x', id));
  const q = new URLSearchParams(query);
  q.set('msg_signature', '0'.repeat(40));
  t.is((await fetch(`${gw.url}/wechat/oa?${q}`, { method: 'POST', body })).status, 401);
  t.deepEqual(await inbox(id), []);
});

test('when the timestamp is older than the window, then the push is refused with 403', async (t) => {
  const id = msgId();
  const res = await postPush(gw.url, textMessage(openid(), 'x', id), {
    timestamp: Math.floor(Date.now() / 1000) - 301,
  });
  t.is(res.status, 403);
  t.deepEqual(await inbox(id), []);
});

test('when safe-mode pushes of different citizens draw the same nonce in the same second, then every one is stored and opens its window', async (t) => {
  // WeChat's nonce is a random number of at most ten digits: at a thousand pushes a second, two share one every
  // couple of hours. msg_signature signs each ciphertext, so a shared nonce is no replay; refusing one would lose that
  // citizen's message.
  const ts = Math.floor(Date.now() / 1000);
  const first = { id: msgId(), who: openid() };
  t.is(
    (await postPush(gw.url, textMessage(first.who, 'a', first.id, ts), { nonce: '777001', timestamp: ts })).status,
    200,
  );
  // Then dozens at once, so that some share a write with each other and all share the nonce with the first.
  const others = Array.from({ length: 30 }, () => ({ id: msgId(), who: openid() }));
  const answers = await Promise.all(
    others.map((o) => postPush(gw.url, textMessage(o.who, `b${o.id}`, o.id, ts), { nonce: '777001', timestamp: ts })),
  );
  t.deepEqual(
    answers.map((a) => a.status),
    others.map(() => 200),
  );
  for (const o of [first, ...others]) {
    t.is((await inbox(o.id)).length, 1, `message ${o.id} stored`);
    const follower = await gw.services.db
      .selectFrom('wechat_oa_followers')
      .select('window_until')
      .where('openid', '=', o.who)
      .executeTakeFirst();
    // Open for 48 hours (the notice sent meanwhile may already have used one of its messages).
    t.true(new Date(follower?.window_until ?? 0).getTime() > Date.now() + 47 * 3600_000, `window of ${o.who} opened`);
  }
  // The same request again is WeChat retrying: answered, stored once.
  const again = signedPush(textMessage(openid(), 'c', msgId(), ts), { nonce: '777002', timestamp: ts });
  t.is((await fetch(`${gw.url}/wechat/oa?${again.query}`, { method: 'POST', body: again.body })).status, 200);
  t.is((await fetch(`${gw.url}/wechat/oa?${again.query}`, { method: 'POST', body: again.body })).status, 200);
});

test('when the ciphertext names another AppID, then the push is refused with 401', async (t) => {
  const id = msgId();
  t.is((await postPush(gw.url, textMessage(openid(), 'x', id), { appId: 'wx_other_account' })).status, 401);
  t.deepEqual(await inbox(id), []);
});

test('when the EncodingAESKey was rotated, then a push under the previous key is still accepted', async (t) => {
  const id = msgId();
  t.is((await postPush(gw.url, textMessage(openid(), '旧密钥', id), { aesKey: OA.previousAesKey })).status, 200);
  t.is((await inbox(id)).length, 1);
});

test('when the body is oversize, declares a DOCTYPE or is malformed, then it is refused before parsing', async (t) => {
  const big = textMessage(openid(), 'x'.repeat(70_000));
  t.is((await postPush(gw.url, big)).status, 413);
  const doctype = '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>';
  const s1 = signedPush('<xml/>');
  t.is((await fetch(`${gw.url}/wechat/oa?${s1.query}`, { method: 'POST', body: doctype })).status, 400);
  const s2 = signedPush('<xml/>');
  t.is(
    (await fetch(`${gw.url}/wechat/oa?${s2.query}`, { method: 'POST', body: '<xml><Encrypt>abc</Encrypt>' })).status,
    400,
  );
  // Well-formed envelope, malformed inside the encryption.
  t.is((await postPush(gw.url, '<xml><FromUserName>x</Content></xml>')).status, 400);
});

test('when WeChat retries one MsgId twenty times at once, then one message is stored and every retry gets success', async (t) => {
  const id = msgId();
  const xml = textMessage(openid(), '重试风暴', id);
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => postPush(gw.url, xml).then(async (r) => `${r.status} ${await r.text()}`)),
  );
  t.deepEqual(new Set(answers), new Set(['200 success']));
  t.is((await inbox(id)).length, 1);
});

test('when image, voice, video, location and link messages arrive, then each becomes the matching inbound message', async (t) => {
  const who = openid();
  const now = Math.floor(Date.now() / 1000);
  const ids = [msgId(), msgId(), msgId(), msgId(), msgId()];
  const pushes: Record<string, string>[] = [
    { MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x', MediaId: 'media-image-1', MsgId: ids[0]! },
    { MsgType: 'voice', MediaId: 'media-voice-1', Format: 'amr', Recognition: '路灯坏了', MsgId: ids[1]! },
    { MsgType: 'shortvideo', MediaId: 'media-video-1', ThumbMediaId: 'thumb', MsgId: ids[2]! },
    {
      MsgType: 'location',
      Location_X: '30.657420',
      Location_Y: '104.065840',
      Scale: '15',
      Label: '天府广场',
      MsgId: ids[3]!,
    },
    { MsgType: 'link', Title: '文章', Description: '描述', Url: 'https://example.org/a', MsgId: ids[4]! },
  ];
  for (const p of pushes)
    t.is((await postPush(gw.url, pushXml({ FromUserName: who, CreateTime: now, ...p }))).status, 200);
  const stored = await Promise.all(ids.map(async (id) => (await inbox(id))[0]?.message));
  t.like(stored[0], { type: 'image', media: { mediaId: 'media-image-1', kind: 'image' } });
  t.like(stored[1], {
    type: 'voice',
    transcript: '路灯坏了',
    media: { mediaId: 'media-voice-1', kind: 'voice', format: 'amr' },
  });
  t.like(stored[2], { type: 'video', media: { mediaId: 'media-video-1', kind: 'video' } });
  t.like(stored[3], { type: 'location', location: { latitude: 30.65742, longitude: 104.06584, label: '天府广场' } });
  t.like(stored[4], { type: 'link', text: '文章\n描述\nhttps://example.org/a' });
});

test('when a text message holds control characters, then it is stored cleaned; when it is longer than the per-message limit, then it is refused with 413 before success', async (t) => {
  const id = msgId();
  const res = await postPush(gw.url, textMessage(openid(), '路灯\u0000坏了\u0007\r\n请修', id));
  t.is(res.status, 200);
  t.is(await res.text(), 'success');
  const [row] = await inbox(id);
  t.is((row?.message as { text: string }).text, '路灯坏了\n请修');

  const long = msgId();
  const refused = await postPush(gw.url, textMessage(openid(), '长'.repeat(10_001), long));
  t.is(refused.status, 413);
  t.is(((await refused.json()) as { code: string }).code, 'text_too_long');
  t.is((await inbox(long)).length, 0);
});

test('when a message reached the conversation without a push (sandbox), then it opens the window once: only a later message reopens it', async (t) => {
  const db = gw.services.db;
  const who = openid();
  const write = (at: Date) =>
    storeInbound(db, [
      {
        channel: 'wechat-oa',
        senderId: who,
        providerMessageId: msgId(),
        receivedAt: at,
        type: 'text',
        text: '模拟',
        payload: {},
      },
    ]);
  const follower = () =>
    db.selectFrom('wechat_oa_followers').selectAll().where('openid', '=', who).executeTakeFirstOrThrow();
  const first = new Date(Date.now() - 60_000);
  await write(first);
  await windowFromMessages(db, who);
  t.like(await follower(), { subscribed: true, quota_left: 5 });
  t.is(new Date((await follower()).window_until).getTime(), first.getTime() + 48 * 3600_000);
  // Planning every message opens it again from the same latest message: the quota already used stays used, and an
  // unfollow since then stands.
  await db.updateTable('wechat_oa_followers').set({ quota_left: 2 }).where('openid', '=', who).execute();
  await windowFromMessages(db, who);
  t.is((await follower()).quota_left, 2);
  await recordUnfollow(db, who, new Date());
  await windowFromMessages(db, who);
  t.is((await follower()).subscribed, false);
  // A later message is the citizen writing again: a fresh window.
  await write(new Date());
  await windowFromMessages(db, who);
  t.like(await follower(), { subscribed: true, quota_left: 5 });
});
