import test from 'ava';
import { startTestGateway, type TestGateway } from '../../_support/gateway.js';
import { oaEnv, msgId, postPush, signedPush, textMessage } from '../../_support/wechat-oa.js';

// Two instances on one database: one in plain mode (no EncodingAESKey), one in safe mode that also accepts plain
// pushes during a migration (WECHAT_OA_ALLOW_PLAIN).
let plain: TestGateway;
let compat: TestGateway;
test.before(async () => {
  plain = await startTestGateway(oaEnv({ WECHAT_OA_AES_KEY: '' }));
  compat = await startTestGateway(oaEnv({ WECHAT_OA_ALLOW_PLAIN: 'true' }), plain.databaseUrl);
});
test.after.always(async () => {
  await compat?.stop();
  await plain?.stop();
});

/** A push signed under a chosen nonce and timestamp; resolves to the status it was answered with. */
const pushUnder = (
  url: string,
  who: string,
  text: string,
  id: string,
  mode: 'plain' | 'safe',
  nonce: string,
  ts: number,
) => postPush(url, textMessage(who, text, id, ts), { mode, nonce, timestamp: ts }).then((r) => r.status);

const stored = (id: string) =>
  plain.services.db
    .selectFrom('conversation_messages')
    .select('message')
    .where('provider_message_id', '=', id)
    .execute();

test('when no AES key is configured, then a plain push signed with the token is stored', async (t) => {
  const id = msgId();
  const res = await postPush(plain.url, textMessage('oPlain1', '明文', id), { mode: 'plain' });
  t.is(res.status, 200);
  t.like((await stored(id))[0]?.message, { text: '明文' });
});

test('when no AES key is configured, then a plain push with a wrong signature is refused', async (t) => {
  const id = msgId();
  t.is(
    (await postPush(plain.url, textMessage('oPlain1', 'x', id), { mode: 'plain', token: 'wrongtoken' })).status,
    401,
  );
  t.deepEqual(await stored(id), []);
});

test('when no AES key is configured and a push claims encryption, then only its signed plaintext fields count', async (t) => {
  const id = msgId();
  // The request's encrypt_type cannot switch the mode: with no key the body is read as plain, verified by `signature`.
  const { query, body } = signedPush(textMessage('oPlain2', '兼容', id), { mode: 'compatible' });
  t.is((await fetch(`${plain.url}/wechat/oa?${query}`, { method: 'POST', body })).status, 200);
  t.like((await stored(id))[0]?.message, { text: '兼容' });
});

test('when plain pushes are allowed beside the AES key, then both plain and safe-mode pushes are stored', async (t) => {
  const a = msgId();
  const b = msgId();
  t.is((await postPush(compat.url, textMessage('oCompat', '明文', a), { mode: 'plain' })).status, 200);
  t.is((await postPush(compat.url, textMessage('oCompat', '密文', b), { mode: 'safe' })).status, 200);
  t.is((await stored(a)).length, 1);
  t.is((await stored(b)).length, 1);
});

test('when plain pushes are allowed and a safe-mode push has a wrong msg_signature, then it is still refused', async (t) => {
  const id = msgId();
  const { query, body } = signedPush(textMessage('oCompat', 'x', id));
  const q = new URLSearchParams(query);
  q.set('msg_signature', 'a'.repeat(40));
  t.is((await fetch(`${compat.url}/wechat/oa?${q}`, { method: 'POST', body })).status, 401);
  t.deepEqual(await stored(id), []);
});

test('when plain pushes with one nonce and different bodies arrive together, then one is stored and the others get 403', async (t) => {
  // Plain mode signs only token, timestamp and nonce: a captured signature would carry any body.
  const ts = Math.floor(Date.now() / 1000);
  const ids = Array.from({ length: 12 }, () => msgId());
  const statuses = await Promise.all(
    ids.map((id, i) => pushUnder(plain.url, 'oPlain3', `同一个nonce ${i}`, id, 'plain', '888001', ts)),
  );
  t.is(statuses.filter((s) => s === 200).length, 1);
  t.is(statuses.filter((s) => s === 403).length, ids.length - 1);
  t.is((await Promise.all(ids.map(stored))).flat().length, 1);
  // The same request again is WeChat retrying: answered success.
  const again = signedPush(textMessage('oPlain3', '重发', msgId(), ts), {
    mode: 'plain',
    nonce: '888003',
    timestamp: ts,
  });
  t.is((await fetch(`${plain.url}/wechat/oa?${again.query}`, { method: 'POST', body: again.body })).status, 200);
  t.is((await fetch(`${plain.url}/wechat/oa?${again.query}`, { method: 'POST', body: again.body })).status, 200);
});

test('when plain pushes are allowed, then a plain body under the nonce of a safe-mode push is a replay (403)', async (t) => {
  // Compatible mode sends `signature` beside `msg_signature`: a plain body must not ride on a safe-mode push's nonce.
  const ts = Math.floor(Date.now() / 1000);
  const legit = msgId();
  t.is(await pushUnder(compat.url, 'oCompat2', '真', legit, 'safe', '888002', ts), 200);
  const forged = msgId();
  t.is(await pushUnder(compat.url, 'oCompat2', '假', forged, 'plain', '888002', ts), 403);
  t.is((await stored(legit)).length, 1);
  t.deepEqual(await stored(forged), []);
});
