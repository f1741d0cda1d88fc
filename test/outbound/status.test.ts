// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';

let gw: TestGateway;
test.before(async () => {
  // The smallest pool allowed (two of it held by the LISTEN connections): a report's transaction must never wait on
  // the pool for a second connection, or a few reports at once would hold every connection and wait forever.
  gw = await startTestGateway({ DATABASE_POOL_SIZE: '4' });
});
test.after.always(() => gw?.stop());

async function acceptedLetter(phone: string) {
  const r = await gw.services.intake.submit(sampleIntake({ citizen: { channelUserId: phone, anonymous: false } }));
  await eventually(async () =>
    (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', r.letterId).executeTakeFirstOrThrow())
      .serial
      ? true
      : undefined,
  );
  return r.letterId;
}

const postStatus = (id: string, body: unknown, key?: string) =>
  gw.api(`/api/v1/letters/${id}/status`, {
    method: 'POST',
    json: body,
    headers: key ? { 'idempotency-key': key } : {},
  });

test('when statuses arrive out of order or repeated, then the letter never moves backwards', async (t) => {
  const id = await acceptedLetter('+8613600000001');
  const answers: { changed: boolean; status: string }[] = [];
  for (const status of ['in_progress', 'accepted', 'closed', 'in_progress', 'closed']) {
    const res = await postStatus(id, { status, note: `${status} note` });
    t.is(res.status, 200);
    answers.push((await res.json()) as { changed: boolean; status: string });
  }
  t.deepEqual(
    answers.map((a) => [a.changed, a.status]),
    [
      [true, 'in_progress'],
      [false, 'in_progress'],
      [true, 'closed'],
      [false, 'closed'],
      [false, 'closed'],
    ],
  );
  const view = (await (await gw.api(`/api/v1/letters/${id}`)).json()) as {
    status: string;
    statusHistory: { status: string; note: string }[];
  };
  t.is(view.status, 'closed');
  // The complete history: receipt and acceptance by forwarding included, each reported status once with its note.
  t.deepEqual(
    view.statusHistory.map((h) => h.status),
    ['received', 'accepted', 'in_progress', 'closed'],
  );
  t.is(view.statusHistory[2]!.note, 'in_progress note');
});

test('when a status notice template is enabled, then the citizen gets the notice; when disabled, nothing is sent', async (t) => {
  const quiet = await acceptedLetter('+8613600000002');
  const quietAnswer = (await (await postStatus(quiet, { status: 'in_progress' })).json()) as {
    noticeDeliveryId?: string;
  };
  t.is(quietAnswer.noticeDeliveryId, undefined, 'shipped status templates are disabled');

  const current = await gw.services.templates.current('sms', 'status.in_progress', 'sms');
  await gw.services.templates.save(
    { channel: 'sms', key: 'status.in_progress', route: 'sms', enabled: true, content: current!.content },
    'staff',
  );
  const id = await acceptedLetter('+8613600000003');
  const answer = (await (await postStatus(id, { status: 'in_progress', note: '已派发至区城管局' })).json()) as {
    noticeDeliveryId: string;
  };
  const sent = await eventually(async () =>
    gw.services.db
      .selectFrom('sandbox_messages')
      .selectAll()
      .where('delivery_id', '=', answer.noticeDeliveryId)
      .executeTakeFirst(),
  );
  t.deepEqual((sent.payload as { rendered: { params: { status: string } } }).rendered.params.status, '办理中');
});

test('when a status is invalid or the letter unknown, then the answer says so', async (t) => {
  const id = await acceptedLetter('+8613600000004');
  const bad = await postStatus(id, { status: 'received' });
  t.is(bad.status, 422);
  t.deepEqual(
    ((await bad.json()) as { problems: { field: string }[] }).problems.map((p) => p.field),
    ['status'],
  );
  t.is((await postStatus('0190a0a0-0000-7000-8000-000000000000', { status: 'closed' })).status, 404);
  const replay1 = await postStatus(id, { status: 'closed' }, 'status-key-1');
  const replay2 = await postStatus(id, { status: 'closed' }, 'status-key-1');
  t.deepEqual(await replay2.json(), await replay1.json());
  t.is(replay2.headers.get('idempotent-replayed'), 'true');
});

test('when a letter was classified and the case store reports its facts, then the letter view shows topic and region with names and whether inferred, department, deadline and resolution', async (t) => {
  const r = await gw.services.intake.submit(
    sampleIntake({ body: '锦江区春熙路街道东口的路灯坏了一个月，晚上很黑，请尽快修理。' }),
  );
  const id = r.letterId;
  await eventually(async () =>
    (
      await gw.services.db
        .selectFrom('letters')
        .select(['serial', 'classification_evidence'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).classification_evidence
      ? true
      : undefined,
  );
  interface View {
    topic: { code: string; name: string | null; inferred: boolean } | null;
    region: { code: string; name: string | null; inferred: boolean } | null;
    department: string | null;
    deadline: string | null;
    resolved: boolean | null;
  }
  const view = async () => (await (await gw.api(`/api/v1/letters/${id}`)).json()) as View;
  const before = await view();
  t.like(before, { department: null, deadline: null, resolved: null });
  t.regex(before.region?.code ?? '', /^510104\d{3}$/);
  t.is(before.region?.name, '锦江区春熙路街道');
  t.true(before.region?.inferred);
  t.true(before.topic?.inferred, 'the topic was found from the text');
  t.truthy(before.topic?.name);

  await eventually(async () =>
    (await gw.services.db.selectFrom('letters').select('serial').where('id', '=', id).executeTakeFirstOrThrow()).serial
      ? true
      : undefined,
  );
  const deadline = '2026-12-15T10:00:00.000Z';
  const res = await postStatus(id, {
    status: 'in_progress',
    department: '武侯区住建局',
    deadline,
    resolved: true,
    topic: 'housing',
    region: '510107005',
  });
  t.is(res.status, 200);
  t.like(await view(), {
    topic: { code: 'housing', name: '城乡住房', inferred: false },
    region: { code: '510107005', name: '武侯区玉林街道', inferred: false },
    department: '武侯区住建局',
    deadline,
    resolved: true,
  });
});

test('when the case store reports statuses and facts for many letters at once, then every report is answered', async (t) => {
  const ids = await Promise.all(
    Array.from({ length: 8 }, (_, i) => acceptedLetter(`+86136000001${String(i).padStart(2, '0')}`)),
  );
  const answers = await Promise.race([
    Promise.all(
      ids.flatMap((id) => [
        postStatus(id, { status: 'in_progress', note: '已转办' }),
        postStatus(id, { status: 'closed', topic: 'city-management', department: '城管局' }),
      ]),
    ),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the reports got no answer in 20 s')), 20_000)),
  ]);
  t.deepEqual(
    answers.map((r) => r.status),
    ids.flatMap(() => [200, 200]),
  );
  for (const id of ids) {
    const letter = await gw.services.db
      .selectFrom('letters')
      .select(['status', 'topic'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    t.like(letter, { status: 'closed', topic: 'city-management' });
  }
});
