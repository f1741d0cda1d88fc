// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { startMpGateway, stopNock, login, mp } from '../channels/wechat-mp/_mp.js';
import { eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import type { IntakeInput } from '../../gateway/letters/intake.js';

const TOKEN = 'push-token-0123456789abcdef';
const PER_SERIAL = 5;
const PER_SENDER = 10;
let gw: TestGateway;
test.before(async () => {
  gw = await startMpGateway({
    // The smallest pool allowed: queries over SMS hold a conversation pass's connection and take a second for the
    // budget, so many senders at once must never hold the whole pool (the LISTEN connections keep two of it).
    DATABASE_POOL_SIZE: '4',
    SMS_PUSH_TOKEN: TOKEN,
    QUERY_FAILURES_PER_SERIAL: String(PER_SERIAL),
    QUERY_FAILURES_PER_SENDER: String(PER_SENDER),
  });
});
test.after.always(async () => {
  await gw?.stop();
  stopNock();
});

let phones = 0;
/** A mobile number of its own for each use: digits as the SMS provider pushes them, and E.164 as letters keep them. */
function newPhone(): { local: string; e164: string } {
  const local = `137${String(process.pid % 1000).padStart(3, '0')}${String(++phones).padStart(5, '0')}`;
  return { local, e164: `+86${local}` };
}

async function acceptedLetter(
  g: TestGateway,
  draft: Partial<IntakeInput['draft']>,
): Promise<{ serial: string; code: string; id: string }> {
  const r = await g.services.intake.submit(sampleIntake(draft));
  const serial = await serialOf(g.services.db, r.letterId);
  return { serial, code: r.extractionCode, id: r.letterId };
}

const smsLetter = (g: TestGateway, phone: string) =>
  acceptedLetter(g, { channel: 'sms', citizen: { channelUserId: phone, phone, anonymous: false } });
const wrong = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, '0');

let sequence = 9_000_000;
/** SMS uplinks as the provider pushes them, one item per sender. */
async function smsPush(g: TestGateway, items: { phone: string; text: string }[]): Promise<void> {
  const body = items.map((i) => ({
    phone_number: i.phone,
    content: i.text,
    sequence_id: String(sequence++),
    send_time: '2026-11-29 10:00:00',
  }));
  const r = await fetch(`${g.url}/sms/aliyun/uplink?token=${TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`uplink push: ${r.status}`);
}

/** The answers queued for a citizen, by template. */
async function answersTo(g: TestGateway, recipient: string): Promise<string[]> {
  const rows = await g.services.db
    .selectFrom('deliveries')
    .select('template_key')
    .where('recipient', '=', await phoneToken(g, recipient))
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.template_key);
}

const waitForAnswer = (g: TestGateway, recipient: string, key?: string) =>
  eventually(
    async () => {
      const keys = await answersTo(g, recipient);
      return (key ? keys.includes(key) : keys.length > 0) ? keys : undefined;
    },
    60_000,
    `an answer to ${recipient}`,
  );

const count = (statuses: number[], s: number) => statuses.filter((x) => x === s).length;

test('when 60 wrong codes for one serial arrive at once from 10 mini-program sessions, then only the per-serial budget is checked and strangers are refused even with the right code', async (t) => {
  const writer = newPhone();
  const l = await smsLetter(gw, writer.e164);
  const sessions = await Promise.all(Array.from({ length: 10 }, () => login(gw)));
  const guesses = Array.from({ length: 60 }, (_, i) =>
    mp(gw, sessions[i % 10]!.token)('/mp/query', { json: { serial: l.serial, code: wrong(l.code, i + 1) } }),
  );
  const statuses = (await Promise.all(guesses)).map((r) => r.status);
  t.is(count(statuses, 404), PER_SERIAL);
  t.is(count(statuses, 429), 60 - PER_SERIAL);
  const stranger = await mp(gw, (await login(gw)).token)<{ code: string }>('/mp/query', {
    json: { serial: l.serial, code: l.code },
  });
  t.is(stranger.status, 429);
  t.is(stranger.body.code, 'rate_limited');

  // The citizen who wrote it is never locked out: by SMS, with a wrong code or none at all.
  await smsPush(gw, [{ phone: writer.local, text: `查询 ${l.serial} ${wrong(l.code)}` }]);
  await waitForAnswer(gw, writer.e164, 'query_result');
  await smsPush(gw, [{ phone: writer.local, text: `查询 ${l.serial}` }]);
  await eventually(
    async () => ((await answersTo(gw, writer.e164)).filter((k) => k === 'query_result').length >= 2 ? true : undefined),
    60_000,
  );
  t.false((await answersTo(gw, writer.e164)).includes('rate_limited'));
});

test('when guesses for one serial come at once over SMS from many phones and from the mini-program, then they spend one shared budget', async (t) => {
  const l = await smsLetter(gw, newPhone().e164);
  const phonesUsed = Array.from({ length: 20 }, () => newPhone());
  const sessions = await Promise.all(Array.from({ length: 20 }, () => login(gw)));
  const [, ...mpAnswers] = await Promise.all([
    smsPush(
      gw,
      phonesUsed.map((p, i) => ({ phone: p.local, text: `查询 ${l.serial} ${wrong(l.code, 100 + i)}` })),
    ),
    ...sessions.map((s, i) =>
      mp(gw, s.token)('/mp/query', { json: { serial: l.serial, code: wrong(l.code, 200 + i) } }),
    ),
  ]);
  const smsAnswers = await Promise.all(phonesUsed.map((p) => waitForAnswer(gw, p.e164)));
  const checkedBySms = smsAnswers.filter((keys) => keys.includes('query_not_found')).length;
  const checkedByMp = count(
    mpAnswers.map((r) => r.status),
    404,
  );
  t.is(checkedBySms + checkedByMp, PER_SERIAL, `${checkedBySms} by SMS, ${checkedByMp} by the mini-program`);
  t.is(smsAnswers.filter((keys) => keys.includes('rate_limited')).length, 20 - checkedBySms);
});

test('when a mini-program user asks about their own letter, then it is shown whatever the code, from any of their sessions, also after strangers locked the serial', async (t) => {
  const owner = await login(gw);
  const l = await acceptedLetter(gw, {
    channel: 'wechat-mp',
    citizen: { channelUserId: owner.openid, anonymous: false },
  });
  const strangers = await Promise.all(Array.from({ length: 10 }, () => login(gw)));
  const statuses = (
    await Promise.all(
      strangers.map((s, i) => mp(gw, s.token)('/mp/query', { json: { serial: l.serial, code: wrong(l.code, i + 1) } })),
    )
  ).map((r) => r.status);
  t.is(count(statuses, 404), PER_SERIAL);
  const again = await login(gw, owner.openid);
  for (const token of [owner.token, again.token]) {
    const r = await mp(gw, token)<{ serial: string }>('/mp/query', {
      json: { serial: l.serial.toLowerCase(), code: wrong(l.code) },
    });
    t.is(r.status, 200);
    t.is(r.body.serial, l.serial);
  }
});

test('when a stranger has the right code, then the query does not spend the budget', async (t) => {
  const l = await smsLetter(gw, newPhone().e164);
  const call = mp(gw, (await login(gw)).token);
  for (let i = 0; i < PER_SERIAL - 1; i++)
    t.is((await call('/mp/query', { json: { serial: l.serial, code: wrong(l.code, i + 1) } })).status, 404);
  for (let i = 0; i < 3; i++) t.is((await call('/mp/query', { json: { serial: l.serial, code: l.code } })).status, 200);
  t.is((await call('/mp/query', { json: { serial: l.serial, code: wrong(l.code, 50) } })).status, 404);
  t.is((await call('/mp/query', { json: { serial: l.serial, code: l.code } })).status, 429);
});

test('when one user sends 30 wrong queries at once for different serials, then only the per-sender budget is checked, whatever the session', async (t) => {
  const { token, openid } = await login(gw);
  const call = mp(gw, token);
  const statuses = (
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call('/mp/query', { json: { serial: `CD2099112900${String(i).padStart(4, '0')}`, code: '123456' } }),
      ),
    )
  ).map((r) => r.status);
  t.is(count(statuses, 404), PER_SENDER);
  t.is(count(statuses, 429), 30 - PER_SENDER);
  const later = await mp(gw, (await login(gw, openid)).token)<{ code: string }>('/mp/query', {
    json: { serial: 'CD20991129009999', code: '123456' },
  });
  t.is(later.status, 429);
});

test('when wrong queries from everyone pass the hourly total, then strangers wait while the writer of a letter is still answered', async (t) => {
  const g = await startMpGateway({ SMS_PUSH_TOKEN: TOKEN, QUERY_FAILURES_PER_HOUR: '8' });
  try {
    const writer = newPhone();
    const l = await smsLetter(g, writer.e164);
    const sessions = await Promise.all(Array.from({ length: 20 }, () => login(g)));
    const statuses = (
      await Promise.all(
        sessions.map((s, i) =>
          mp(g, s.token)('/mp/query', {
            json: { serial: `CD2099112901${String(i).padStart(4, '0')}`, code: '123456' },
          }),
        ),
      )
    ).map((r) => r.status);
    t.is(count(statuses, 404), 8);
    t.is(count(statuses, 429), 12);
    t.is((await mp(g, (await login(g)).token)('/mp/query', { json: { serial: l.serial, code: l.code } })).status, 429);
    await smsPush(g, [{ phone: writer.local, text: `查询 ${l.serial} ${l.code}` }]);
    t.true((await waitForAnswer(g, writer.e164, 'query_result')).includes('query_result'));
  } finally {
    await g.stop();
  }
});
