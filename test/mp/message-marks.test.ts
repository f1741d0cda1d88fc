import test from 'ava';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { letterJson, sandboxSession, type Call } from './_session.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

interface Centre {
  messages: { id: string; kind: string; unread: boolean }[];
  unread: number;
}

/** A citizen whose letter was accepted and answered: a status, a reply and a survey invitation in the centre. */
async function citizenWithMessages(): Promise<{ call: Call & { openid: string }; centre: Centre }> {
  const call = await sandboxSession(gw, 'marks');
  const letterId = (await call('/mp/letters', { json: letterJson() })).body.letterId as string;
  await eventually(async () =>
    (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirstOrThrow())
      .serial
      ? true
      : undefined,
  );
  await gw.api(`/api/v1/letters/${letterId}/replies`, { method: 'POST', json: { text: '已安排维修。' } });
  await gw.api(`/api/v1/letters/${letterId}/surveys`, { method: 'POST', json: {} });
  const centre = await eventually(async () => {
    const c = (await call('/mp/messages')).body as unknown as Centre;
    return c.unread >= 3 ? c : undefined;
  });
  return { call, centre };
}

const marksOf = (openid: string) =>
  gw.services.db.selectFrom('mp_message_read_marks').select('message_id').where('openid', '=', openid).execute();

test('when one message is marked read thirty times at once, then it is stored once, only it turns read, and the count drops by one', async (t) => {
  const { call, centre } = await citizenWithMessages();
  const reply = centre.messages.find((m) => m.kind === 'reply')!;
  const answers = await Promise.all(
    Array.from({ length: 30 }, () => call(`/mp/messages/${encodeURIComponent(reply.id)}/read`, { raw: '' })),
  );
  t.true(answers.every((a) => a.status === 200));
  t.true(answers.every((a) => (a.body as unknown as Centre).unread === centre.unread - 1));
  t.deepEqual(
    (await marksOf(call.openid)).map((m) => m.message_id),
    [reply.id],
  );
  const after = (await call('/mp/messages')).body as unknown as Centre;
  t.is(after.unread, centre.unread - 1);
  t.false(after.messages.find((m) => m.id === reply.id)!.unread);
  t.true(after.messages.filter((m) => m.id !== reply.id).every((m) => m.unread));
});

test('when different messages are marked in parallel, then each is read and none is lost', async (t) => {
  const { call, centre } = await citizenWithMessages();
  await Promise.all(centre.messages.map((m) => call(`/mp/messages/${encodeURIComponent(m.id)}/read`, { raw: '' })));
  const after = (await call('/mp/messages')).body as unknown as Centre;
  t.is(after.unread, 0);
  t.is((await marksOf(call.openid)).length, centre.messages.length);
});

test('when a citizen marks someone else’s message or a made-up id (NUL, huge, SQL), then 404 in Chinese and nothing is stored', async (t) => {
  const { centre } = await citizenWithMessages();
  const other = await sandboxSession(gw, 'marks-other');
  const ids = [
    centre.messages[0]!.id,
    'status:999999999',
    'reply:%00',
    `survey:${'a'.repeat(5000)}`,
    "status:1'%20or%20'1'='1",
    'nothing',
    '%E2%80%AE',
  ];
  for (const id of ids) {
    const r = await other(`/mp/messages/${id.includes('%') ? id : encodeURIComponent(id)}/read`, { raw: '' });
    t.is(r.status, 404, id.slice(0, 30));
    t.regex(String(r.body.detail), /没有找到这条消息/);
  }
  t.deepEqual(await marksOf(other.openid), []);
  const anonymous = await fetch(`${gw.url}/mp/messages/${encodeURIComponent(centre.messages[0]!.id)}/read`, {
    method: 'POST',
  });
  t.is(anonymous.status, 401);
});
