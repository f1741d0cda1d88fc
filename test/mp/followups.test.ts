import test from 'ava';
import { randomBytes, randomUUID } from 'node:crypto';
import { eventually, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { jpegBytes, letterRequest, photoForm } from '../channels/wechat-mp/_mp.js';

let gw: TestGateway;

test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

type Answer = { status: number; body: Record<string, unknown> };

async function citizen(): Promise<{
  call: (path: string, init?: { json?: unknown; body?: FormData }) => Promise<Answer>;
}> {
  const r = await fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev:fu-${randomBytes(4).toString('hex')}` }),
  });
  const { token } = (await r.json()) as { token: string };
  return {
    call: async (path, init = {}) => {
      const res = await fetch(gw.url + path, {
        method: init.json === undefined && !init.body ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
}

async function openLetter(c: Awaited<ReturnType<typeof citizen>>): Promise<string> {
  const r = await c.call('/mp/letters', { json: letterRequest() });
  if (r.status !== 201) throw new Error(JSON.stringify(r));
  return r.body.letterId as string;
}

const followupEvents = (letterId: string) =>
  gw.services.db
    .selectFrom('case_events')
    .select(['payload'])
    .where('letter_id', '=', letterId)
    .where('type', '=', 'letter.followup')
    .execute();

test('when a citizen adds text and a photo to an open letter, then it is forwarded to the case store as a letter.followup event', async (t) => {
  const c = await citizen();
  const letterId = await openLetter(c);
  const up = await c.call('/mp/uploads', { body: photoForm(jpegBytes()) });
  const r = await c.call(`/mp/letters/${letterId}/followups`, {
    json: {
      clientKey: `fu-${randomUUID()}`,
      text: '补充：路灯在3号楼门口，晚上八点后不亮。',
      uploadIds: [up.body.uploadId],
    },
  });
  t.is(r.status, 201);
  const received = await eventually(async () => {
    const rows = await gw.services.db.selectFrom('sandbox_case_events').select('event').execute();
    return rows
      .map(
        (row) =>
          (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as {
            type: string;
            letterId: string;
            data: { text: string; attachments: unknown[]; followupId: string };
          },
      )
      .find((e) => e.type === 'letter.followup' && e.letterId === letterId);
  });
  t.is(received.data.text, '补充：路灯在3号楼门口，晚上八点后不亮。');
  t.is(received.data.attachments.length, 1);
  t.is(received.data.followupId, r.body.followupId as string);
});

test('when the same follow-up is posted twenty times at once, then it is stored and forwarded once', async (t) => {
  const c = await citizen();
  const letterId = await openLetter(c);
  const body = { clientKey: `fu-${randomUUID()}`, text: '再补充一下：已经有三位邻居摔倒了。' };
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => c.call(`/mp/letters/${letterId}/followups`, { json: body })),
  );
  t.is(answers.filter((a) => a.status === 201).length, 1);
  t.true(answers.every((a) => a.status === 201 || (a.status === 200 && a.body.duplicate === true)));
  t.is((await followupEvents(letterId)).length, 1);
});

test("when the letter is closed, someone else's, or the text too short, then the citizen is told why in Chinese and nothing is forwarded", async (t) => {
  const c = await citizen();
  const other = await citizen();
  const letterId = await openLetter(c);
  const short = await c.call(`/mp/letters/${letterId}/followups`, {
    json: { clientKey: `fu-${randomUUID()}`, text: '好' },
  });
  t.is(short.status, 422);
  t.deepEqual(short.body.problems, [{ field: 'text', message: '请把补充的内容写清楚，至少5个字' }]);
  const foreign = await other.call(`/mp/letters/${letterId}/followups`, {
    json: { clientKey: `fu-${randomUUID()}`, text: '这不是我的信但我想补充。' },
  });
  t.is(foreign.status, 404);
  await gw.services.db.updateTable('letters').set({ status: 'closed' }).where('id', '=', letterId).execute();
  const closed = await c.call(`/mp/letters/${letterId}/followups`, {
    json: { clientKey: `fu-${randomUUID()}`, text: '办结以后还想补充一点。' },
  });
  t.is(closed.status, 409);
  t.is(closed.body.detail, '这封信已经办结，不能再补充；如有新的问题，请重新写信');
  t.is((await followupEvents(letterId)).length, 0);
});
