import test from 'ava';
import { readMetrics, startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(() => gw?.stop());

const sandboxMessages = (recipient: string) =>
  gw.services.db.selectFrom('sandbox_messages').selectAll().where('recipient', '=', recipient).orderBy('id').execute();

async function acceptedLetter(phone: string) {
  const r = await gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: phone, phone, anonymous: false } }),
  );
  const row = await eventually(async () => {
    const l = await gw.services.db
      .selectFrom('letters')
      .selectAll()
      .where('id', '=', r.letterId)
      .executeTakeFirstOrThrow();
    return l.serial ? l : undefined;
  });
  return { ...r, serial: row.serial! };
}

test('when a letter goes through the sandbox, then the receipt and a posted reply are recorded with serial and code', async (t) => {
  const phone = '+8613900000001';
  const letter = await acceptedLetter(phone);
  const receipt = await eventually(async () => (await sandboxMessages(phone))[0]);
  t.is(receipt.route, 'sms');
  const rendered = JSON.stringify(receipt.payload);
  t.true(rendered.includes(letter.serial));
  t.true(rendered.includes(letter.extractionCode));

  const res = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    json: { text: '经核实，路灯已于今日修复。感谢您的监督。', final: true },
  });
  t.is(res.status, 202);
  const body = (await res.json()) as { deliveryId: string; channel: string; status: string };
  t.is(body.channel, 'sms');
  t.is(body.status, 'queued');
  const reply = await eventually(async () =>
    (await sandboxMessages(phone)).find((m) => m.delivery_id === body.deliveryId),
  );
  t.true(JSON.stringify(reply.payload).includes('经核实，路灯已于今日修复。'));

  // The sandbox records the message a moment before the delivery's own status is committed.
  const delivery = await eventually(async () => {
    const d = (await (await gw.api(`/api/v1/deliveries/${body.deliveryId}`)).json()) as {
      status: string;
      attempts: { outcome: string }[];
    };
    return d.status === 'sent' ? d : undefined;
  });
  t.deepEqual(
    delivery.attempts.map((a) => a.outcome),
    ['sent'],
  );
  const view = (await (await gw.api(`/api/v1/letters?serial=${letter.serial}`)).json()) as {
    letters: { id: string; status: string; deliveries: { kind: string }[] }[];
  };
  t.is(view.letters[0]!.id, letter.letterId);
  t.is(view.letters[0]!.status, 'replied');
  t.deepEqual(
    view.letters[0]!.deliveries.map((d) => d.kind),
    ['receipt', 'reply', 'survey'],
    'a final reply starts the survey',
  );
});

test.serial(
  'when a reply is posted before the case store accepted the letter, then it waits and goes out after the receipt',
  async (t) => {
    const phone = '+8613900000002';
    // Stop forwarding so the letter stays pending while the reply is posted.
    await gw.forwarder.stop();
    const r = await gw.services.intake.submit(sampleIntake({ citizen: { channelUserId: phone, anonymous: false } }));
    const res = await gw.api(`/api/v1/letters/${r.letterId}/replies`, {
      method: 'POST',
      json: { text: '已转交城管部门处理。' },
    });
    t.is(res.status, 202);
    await new Promise((resolve) => setTimeout(resolve, 600));
    t.is((await sandboxMessages(phone)).length, 0, 'nothing is sent before the letter has its serial');
    gw.forwarder.start();
    const sent = await eventually(async () => {
      const m = await sandboxMessages(phone);
      return m.length === 2 ? m : undefined;
    });
    t.deepEqual(
      sent.map((m) => (m.payload as { templateKey: string }).templateKey),
      ['receipt', 'reply'],
    );
  },
);

test('when the same Idempotency-Key is reused, then the first answer is replayed, and with another body refused', async (t) => {
  const letter = await acceptedLetter('+8613900000003');
  const post = (text: string) =>
    gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
      method: 'POST',
      headers: { 'idempotency-key': `reply-${letter.letterId}` },
      json: { text },
    });
  const answers = await Promise.all([post('同一答复'), post('同一答复'), post('同一答复')]);
  const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ deliveryId: string }>));
  t.deepEqual(
    answers.map((a) => a.status),
    [202, 202, 202],
  );
  t.is(new Set(bodies.map((b) => b.deliveryId)).size, 1);
  t.is(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true').length, 2);
  const replies = await gw.services.db
    .selectFrom('deliveries')
    .select('id')
    .where('letter_id', '=', letter.letterId)
    .where('kind', '=', 'reply')
    .execute();
  t.is(replies.length, 1);
  const conflict = await post('另一个答复');
  t.is(conflict.status, 409);
  t.is(((await conflict.json()) as { code: string }).code, 'idempotency_key_reused');
});

test('when the request is unauthenticated or malformed, then the answer is a problem document naming the issue', async (t) => {
  const letter = await acceptedLetter('+8613900000004');
  const noKey = await gw.api(`/api/v1/letters/${letter.letterId}`, { headers: { authorization: '' } });
  t.is(noKey.status, 401);
  t.is(noKey.headers.get('content-type'), 'application/problem+json');
  const wrongKey = await gw.api(`/api/v1/letters/${letter.letterId}`, {
    headers: { authorization: 'Bearer not-the-right-key-at-all' },
  });
  t.is(wrongKey.status, 401);
  const unknown = await gw.api('/api/v1/letters/0190a0a0-0000-7000-8000-000000000000/replies', {
    method: 'POST',
    json: { text: 'x' },
  });
  t.is(unknown.status, 404);
  t.is(((await unknown.json()) as { code: string }).code, 'letter_not_found');
  t.is((await gw.api('/api/v1/letters/not-a-uuid')).status, 404);
  const empty = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    json: { text: '   ', extra: 1 },
  });
  t.is(empty.status, 422);
  const problem = (await empty.json()) as { problems: { field: string }[] };
  t.deepEqual(problem.problems.map((p) => p.field).sort(), ['(body)', 'text']);
  const notJson = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"text":',
  });
  t.is(notJson.status, 400);
  const big = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    json: { text: 'x'.repeat(300_000) },
  });
  t.is(big.status, 413);
});

test('when the health endpoints are asked, then they report liveness, readiness and metrics', async (t) => {
  t.deepEqual(await (await fetch(`${gw.url}/healthz`)).json(), { status: 'ok' });
  const ready = await fetch(`${gw.url}/readyz`);
  t.is(ready.status, 200);
  t.deepEqual(((await ready.json()) as { checks: unknown }).checks, { database: 'ok', migrations: 'ok', jobs: 'ok' });
  const metrics = await readMetrics(gw);
  t.regex(metrics, /gateway_letters_received_total\{channel="sms"\} \d+/);
  t.regex(metrics, /gateway_queue_depth\{queue="forward"\} \d+/);
});

test('when a reply text or status note holds U+0000 and an unpaired surrogate, or the body is nested too deep, then the API answers 2xx cleaned or a 4xx problem, never 500', async (t) => {
  const phone = '+8613900000077';
  const letter = await acceptedLetter(phone);
  const reply = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    json: { text: '路灯\u0000已修复\ud800，谢谢。' },
    headers: { 'idempotency-key': 'nul-reply-1' },
  });
  t.is(reply.status, 202);
  const { deliveryId } = (await reply.json()) as { deliveryId: string };
  const delivery = await gw.services.db
    .selectFrom('deliveries')
    .select('variables')
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  t.is((delivery.variables as { replyText: string }).replyText, '路灯已修复\ufffd，谢谢。');
  // The same request again replays the first answer: the cleaned body is what the key was stored with.
  const again = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    json: { text: '路灯\u0000已修复\ud800，谢谢。' },
    headers: { 'idempotency-key': 'nul-reply-1' },
  });
  t.is(again.status, 202);
  t.is(again.headers.get('idempotent-replayed'), 'true');

  const status = await gw.api(`/api/v1/letters/${letter.letterId}/status`, {
    method: 'POST',
    json: { status: 'closed', note: '已转\u0000交\udc00城管' },
  });
  t.is(status.status, 200);
  const history = await gw.services.db
    .selectFrom('letter_status_history')
    .select('note')
    .where('letter_id', '=', letter.letterId)
    .where('status', '=', 'closed')
    .executeTakeFirstOrThrow();
  t.is(history.note, '已转交\ufffd城管');

  const deep = await gw.api(`/api/v1/letters/${letter.letterId}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '['.repeat(100_000) + ']'.repeat(100_000),
  });
  t.is(deep.status, 400);
  t.is(((await deep.json()) as { code: string }).code, 'body_too_deep');
});
