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
