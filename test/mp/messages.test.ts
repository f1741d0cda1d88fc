import test from 'ava';
import { randomBytes } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';

let gw: TestGateway;

test.before(async () => {
  gw = await startTestGateway();
});
test.after.always(async () => {
  await gw?.stop();
});

type Call = (path: string, json?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

/** A sandbox login (`dev:<name>`, openid `dev-<name>`) and a caller with its token. */
async function session(): Promise<Call & { openid: string }> {
  const name = `reads-${randomBytes(4).toString('hex')}`;
  const r = await fetch(`${gw.url}/mp/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev:${name}` }),
  });
  const { token } = (await r.json()) as { token: string };
  const call: Call = async (path, json) => {
    const res = await fetch(gw.url + path, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return Object.assign(call, { openid: `dev-${name}` });
}
const readUntil = async (openid: string) =>
  new Date(
    (
      await gw.services.db
        .selectFrom('mp_message_reads')
        .select('read_until')
        .where('openid', '=', openid)
        .executeTakeFirstOrThrow()
    ).read_until,
  );

test('when read marks are posted in parallel and out of order, then the latest one wins and it never goes back', async (t) => {
  const call = await session();
  const base = Date.now() - 3_600_000;
  const marks = Array.from({ length: 30 }, (_, i) => new Date(base + i * 60_000).toISOString()).sort(
    () => Math.random() - 0.5,
  );
  const answers = await Promise.all(marks.map((until) => call('/mp/messages/read', { until })));
  t.true(answers.every((a) => a.status === 200));
  t.is((await readUntil(call.openid)).toISOString(), new Date(base + 29 * 60_000).toISOString());
  await call('/mp/messages/read', { until: new Date(base).toISOString() });
  t.is((await readUntil(call.openid)).toISOString(), new Date(base + 29 * 60_000).toISOString());
});

test('when a read mark is in the future or malformed, then it is capped at now or refused as an invalid request, never a 500', async (t) => {
  const call = await session();
  const before = Date.now();
  t.is((await call('/mp/messages/read', { until: new Date(Date.now() + 86_400_000).toISOString() })).status, 200);
  const at = (await readUntil(call.openid)).getTime();
  t.true(at <= Date.now() && at >= before - 1000);
  const bad = await call('/mp/messages/read', { until: 'yesterday' });
  t.is(bad.status, 422);
  t.is(bad.body.code, 'request_invalid');
  t.is((await fetch(`${gw.url}/mp/messages`)).status, 401);
});
