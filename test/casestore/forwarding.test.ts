// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test, { type ExecutionContext } from 'ava';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { fakeCaseStore, CASE_STORE_SECRET, type Behaviour, type FakeCaseStore } from '../_support/case-store.js';
import { sampleIntake } from '../_support/letters.js';
import { queueCaseEvent } from '../../gateway/casestore/events.js';

const env = (cs: FakeCaseStore, extra: Record<string, string> = {}) => ({
  CASE_STORE_URL: cs.url,
  CASE_STORE_SECRET,
  // Long enough that only a deliberately slow answer times out, even on a busy machine.
  CASE_STORE_TIMEOUT_MS: '3000',
  ...extra,
});

/** A gateway forwarding to a local case store (listening, with `script`, unless `listening` is false). */
async function setUp(
  t: ExecutionContext,
  o: { listening?: boolean; script?: Behaviour[]; env?: Record<string, string> } = {},
) {
  const cs = await fakeCaseStore();
  if (o.listening !== false) await cs.start();
  cs.script.push(...(o.script ?? []));
  const gw = await startTestGateway(env(cs, o.env));
  t.teardown(async () => {
    await gw.stop();
    await cs.close();
  });
  return { cs, gw };
}

async function letterRow(gw: TestGateway, id: string) {
  return gw.services.db.selectFrom('letters').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const accepted = (gw: TestGateway, id: string) =>
  eventually(
    async () => {
      const row = await letterRow(gw, id);
      return row.forward_state === 'forwarded' ? row : undefined;
    },
    60_000,
    `letter ${id} accepted`,
  );

/**
 * Letters stored while the case store is down, held until `release`: so that they are posted together in one batch.
 * Held only once each has recorded its refused attempt, or a pass still under way would overwrite the hold.
 */
async function holdRefused(gw: TestGateway, ids: string[]) {
  await eventually(async () => {
    const rows = await gw.services.db
      .selectFrom('letters')
      .select('last_forward_error')
      .where('id', 'in', ids)
      .execute();
    return rows.every((r) => r.last_forward_error !== null) ? true : undefined;
  });
  await sql`update letters set next_forward_at = now() + interval '1 hour' where id in (${sql.join(ids)})`.execute(
    gw.services.db,
  );
  return async () => {
    await sql`update letters set next_forward_at = now() where id in (${sql.join(ids)})`.execute(gw.services.db);
    gw.forwarder.wake();
  };
}

test('when the case store is down (connection refused) and comes back, then every letter arrives once with the same key', async (t) => {
  // Connections are refused until cs.start(). No answer here is slow on purpose: a post that outlasted a short timeout
  // on a busy machine would be posted again (same key, by design), and this test counts posts.
  const { cs, gw } = await setUp(t, { listening: false, env: { CASE_STORE_TIMEOUT_MS: '10000' } });
  const ids = await Promise.all([1, 2, 3].map(async () => (await gw.services.intake.submit(sampleIntake())).letterId));
  await eventually(async () => {
    const rows = await gw.services.db
      .selectFrom('forward_attempts')
      .select('letter_id')
      .where('outcome', '=', 'retry')
      .execute();
    return new Set(rows.map((r) => r.letter_id)).size === 3 ? true : undefined;
  });
  await cs.start();
  for (const id of ids) {
    const row = await accepted(gw, id);
    t.is(row.serial, cs.serials.get(id) ?? null);
    t.is(row.status, 'accepted');
  }
  for (const id of ids) {
    const requests = cs.received.filter((r) => r.body.id === id);
    t.is(requests.length, 1, 'exactly one request reached the case store');
    t.is(requests[0]!.idempotencyKey, id);
    t.true(requests[0]!.signatureValid);
  }
});

test('when the case store answers 500 then times out then 201, then the letter is accepted and every try used the letter id as key', async (t) => {
  const { cs, gw } = await setUp(t, { script: [{ status: 500 }, { status: 201, delayMs: 8000 }, { status: 503 }] });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const row = await accepted(gw, letterId);
  const tries = cs.received.filter((r) => r.body.id === letterId);
  t.is(tries.length, 4);
  t.true(tries.every((r) => r.idempotencyKey === letterId && r.signatureValid));
  // The slow answer's serial was never seen by the gateway, but the case store gives the same serial for the same key.
  t.is(row.serial, cs.serials.get(letterId) ?? null);
  const attempts = await gw.services.db
    .selectFrom('forward_attempts')
    .selectAll()
    .where('letter_id', '=', letterId)
    .orderBy('id')
    .execute();
  t.deepEqual(
    attempts.map((a) => a.outcome),
    ['retry', 'retry', 'retry', 'accepted'],
  );
  t.deepEqual(
    attempts.map((a) => a.http_status),
    [500, null, 503, 201],
  );
});

test('when the case store answers 400, then the letter is rejected with the reason and not retried', async (t) => {
  const { cs, gw } = await setUp(t, { script: [{ status: 400, body: { error: 'mailbox unknown' } }] });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const row = await eventually(async () => {
    const r = await letterRow(gw, letterId);
    return r.forward_state === 'rejected' ? r : undefined;
  });
  t.is(row.status, 'rejected');
  t.regex(row.rejected_reason ?? '', /HTTP 400.*mailbox unknown/);
  await new Promise((r) => setTimeout(r, 1500));
  t.is(cs.received.filter((r) => r.body.id === letterId).length, 1);
  const receipts = await gw.services.db
    .selectFrom('deliveries')
    .select('id')
    .where('letter_id', '=', letterId)
    .execute();
  t.is(receipts.length, 0, 'no receipt for a rejected letter');
});

test('when a 2xx comes without a serial, then the letter stays pending and is retried', async (t) => {
  const { cs, gw } = await setUp(t, { script: [{ status: 200, body: { ok: true } }] });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const row = await accepted(gw, letterId);
  t.is(row.serial, cs.serials.get(letterId) ?? null);
  t.is(cs.received.filter((r) => r.body.id === letterId).length, 2);
});

test('when a letter keeps failing past the stuck age, then it is flagged stuck and the flag clears on acceptance', async (t) => {
  const { cs, gw } = await setUp(t, { listening: false, env: { FORWARD_STUCK_AFTER_SECONDS: '1' } });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const stuck = await eventually(async () => {
    const r = await letterRow(gw, letterId);
    return r.stuck_at ? r : undefined;
  });
  t.is(stuck.forward_state, 'pending');
  await cs.start();
  const row = await accepted(gw, letterId);
  t.is(row.stuck_at, null);
});

test('when the case store comes back after an outage, then every waiting letter and event arrives at once, not after its own back-off', async (t) => {
  // A long back-off (30–60 s after the first failure), so letters that waited it out could not arrive in time.
  const { cs, gw } = await setUp(t, {
    listening: false,
    env: {
      CASE_STORE_TIMEOUT_MS: '5000',
      FORWARD_RETRY_FIRST_MS: '60000',
      FORWARD_RETRY_MAX_SECONDS: '120',
      CASE_STORE_PROBE_SECONDS: '1',
    },
  });
  const ids = await Promise.all(
    Array.from({ length: 12 }, async () => (await gw.services.intake.submit(sampleIntake())).letterId),
  );
  const eventId = await queueCaseEvent(gw.services.db, {
    letterId: null,
    type: 'letter.status',
    data: { note: 'outage test' },
  });
  gw.services.wakeup.wake('events');
  const waiting = await eventually(
    async () => {
      const rows = await gw.services.db
        .selectFrom('letters')
        .select(['id', 'next_forward_at', 'forward_attempts'])
        .where('id', 'in', ids)
        .execute();
      const event = await gw.services.db
        .selectFrom('case_events')
        .select(['next_attempt_at', 'attempts'])
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow();
      const inBackoff = (at: Date) => new Date(at).getTime() > Date.now() + 20_000;
      return rows.every((r) => r.forward_attempts > 0 && inBackoff(r.next_forward_at)) &&
        event.attempts > 0 &&
        inBackoff(event.next_attempt_at)
        ? rows
        : undefined;
    },
    30_000,
    'every letter and the event in back-off',
  );
  const earliestBackoffEnd = Math.min(...waiting.map((r) => new Date(r.next_forward_at).getTime()));
  await cs.start();
  await eventually(
    async () => {
      const rows = await gw.services.db.selectFrom('letters').select('forward_state').where('id', 'in', ids).execute();
      const event = await gw.services.db
        .selectFrom('case_events')
        .select('state')
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow();
      return rows.every((r) => r.forward_state === 'forwarded') && event.state === 'sent' ? true : undefined;
    },
    Math.max(1000, earliestBackoffEnd - Date.now() - 2000),
    'the backlog drained before any back-off ended',
  );
  for (const id of ids)
    t.is(cs.received.filter((r) => r.body.id === id).length, 1, 'one request per letter once the case store was back');
  t.true(cs.received.some((r) => r.path === '/events' && r.idempotencyKey === eventId));
});

test('when the case store answers a serial another letter already holds, then only that letter is set aside for staff and the batch is not replayed', async (t) => {
  const { cs, gw } = await setUp(t, {
    // Scripted for letter posts only: a case event posted meanwhile must not take the duplicate serial.
    script: [{ path: '/letters', status: 201, body: { serial: 'CS-DUPLICATE' } }],
    env: { CASE_STORE_TIMEOUT_MS: '5000', FORWARD_BATCH_SIZE: '4', FORWARD_CONCURRENCY: '4' },
  });
  const first = (await gw.services.intake.submit(sampleIntake())).letterId;
  t.is((await accepted(gw, first)).serial, 'CS-DUPLICATE');
  cs.script.push({ path: '/letters', status: 201, body: { serial: 'CS-DUPLICATE' } });
  const ids = await Promise.all(
    Array.from({ length: 4 }, async () => (await gw.services.intake.submit(sampleIntake())).letterId),
  );
  const flagged = await eventually(
    async () => {
      for (const id of ids) {
        const r = await gw.api(`/api/v1/letters/${id}`);
        const view = (await r.json()) as {
          id: string;
          stuck: boolean;
          forwardState: string;
          lastForwardError: string | null;
        };
        if (view.stuck) return view;
      }
      return undefined;
    },
    30_000,
    'the letter with the taken serial flagged',
  );
  t.is(flagged.forwardState, 'pending');
  t.regex(flagged.lastForwardError ?? '', new RegExp(`^serial_conflict: .*CS-DUPLICATE.*${first}`));
  const others = ids.filter((id) => id !== flagged.id);
  for (const id of others) t.is((await accepted(gw, id)).serial, cs.serials.get(id) ?? null);
  // Longer than a claim's lease (here 5 s timeout + 5 s): nothing is posted again.
  await new Promise((r) => setTimeout(r, 12_000));
  for (const id of ids) t.is(cs.received.filter((r) => r.body.id === id).length, 1, `letter ${id} posted once`);
  const row = await letterRow(gw, flagged.id);
  t.is(row.forward_state, 'pending');
  t.is(row.serial, null);
});

test('when recording a batch hits a deadlock once, then the outcome is recorded again at once and the letter is not posted twice', async (t) => {
  const { cs, gw } = await setUp(t);
  // The first insert of forward attempts fails as a deadlock with another instance's transaction would (a sequence
  // counts the inserts: unlike a row, its value survives the rollback).
  await sql`create sequence attempt_inserts`.execute(gw.services.db);
  await sql`
    create function fail_once() returns trigger language plpgsql as $$
    begin
      if nextval('attempt_inserts') = 1 then
        raise exception 'deadlock detected' using errcode = '40P01';
      end if;
      return new;
    end $$`.execute(gw.services.db);
  await sql`create trigger fail_once before insert on forward_attempts for each row execute function fail_once()`.execute(
    gw.services.db,
  );
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const row = await accepted(gw, letterId);
  t.is(row.serial, cs.serials.get(letterId) ?? null);
  t.is(cs.received.filter((r) => r.body.id === letterId).length, 1, 'posted once');
  const tries = await gw.services.db
    .selectFrom('forward_attempts')
    .select('outcome')
    .where('letter_id', '=', letterId)
    .execute();
  t.deepEqual(
    tries.map((x) => x.outcome),
    ['accepted'],
  );
  const inserts = await sql<{ n: string }>`select last_value::text as n from attempt_inserts`.execute(gw.services.db);
  t.is(inserts.rows[0]?.n, '2', 'the failed insert and the one recorded again');
});

test('when the case store answers a serial no citizen could type back, or an unusable case id, then that letter waits and the others of its batch are accepted', async (t) => {
  // Down while the letters are stored, so that they can be posted in one batch when it comes back.
  const { cs, gw } = await setUp(t, { listening: false, env: { FORWARD_BATCH_SIZE: '8', FORWARD_CONCURRENCY: '8' } });
  const answers = [
    { serial: 'CS-\u0000-1' },
    { serial: 'CS-\ud800-2' },
    { serial: ' CS-3\n' },
    { serial: 'CS-OK-4', caseId: 'case-\u0000' },
    { serial: 'CS-OK-5', caseId: 'c'.repeat(100_000) },
  ];
  const ids: string[] = [];
  for (let i = 0; i < answers.length; i++) ids.push((await gw.services.intake.submit(sampleIntake())).letterId);
  const release = await holdRefused(gw, ids);
  cs.script.push(...answers.map((body) => ({ path: '/letters', status: 201, body })));
  await cs.start();
  await release();
  const posts = () => cs.received.filter((r) => r.path === '/letters');
  await eventually(async () => (posts().length >= answers.length ? true : undefined), 60_000, 'the batch posted');
  // The case store answered in the order it received the letters.
  const answered = new Map(
    posts()
      .slice(0, answers.length)
      .map((r, i) => [r.body.id!, answers[i]!]),
  );
  for (const id of ids) {
    const answer = answered.get(id)!;
    const row = await accepted(gw, id);
    if (answer.caseId !== undefined) {
      // A case id the gateway cannot keep is left out; the serial is what the citizen gets.
      t.deepEqual([row.serial, row.case_id], [answer.serial, null]);
    } else {
      // An odd serial is not stored: the letter is retried, and gets the serial the case store answers next.
      t.is(row.serial, cs.serials.get(id) ?? null);
      t.is(posts().filter((r) => r.body.id === id).length, 2);
    }
  }
});

test('when the case store answers errors whose text holds a NUL, then each letter records the error and waits its back-off', async (t) => {
  const { cs, gw } = await setUp(t, {
    listening: false,
    env: { FORWARD_BATCH_SIZE: '8', FORWARD_CONCURRENCY: '8' },
  });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await gw.services.intake.submit(sampleIntake())).letterId);
  const release = await holdRefused(gw, ids);
  cs.script.push(...ids.map(() => ({ path: '/letters', status: 503, raw: 'down\u0000 for maintenance' })));
  await cs.start();
  await release();
  for (const id of ids) t.is((await accepted(gw, id)).serial, cs.serials.get(id) ?? null);
  // The outcome was recorded (the text cleaned), so each letter waited out its back-off, not its lease, and was
  // posted once more.
  const tries = await gw.services.db
    .selectFrom('forward_attempts')
    .select(['letter_id', 'error'])
    .where('letter_id', 'in', ids)
    .where('http_status', '=', 503)
    .execute();
  t.deepEqual(
    tries.map((x) => x.error),
    ids.map(() => 'HTTP 503: down for maintenance'),
  );
  for (const id of ids) t.is(cs.received.filter((r) => r.body.id === id).length, 2);
});

test('when the case store answers with a body of megabytes, then it is not read on, and the letter is tried again', async (t) => {
  const { cs, gw } = await setUp(t, {
    script: [
      { path: '/letters', status: 201, raw: JSON.stringify({ serial: 'CS-HUGE', note: 'x'.repeat(3_000_000) }) },
    ],
  });
  const { letterId } = await gw.services.intake.submit(sampleIntake());
  const row = await accepted(gw, letterId);
  t.is(row.serial, cs.serials.get(letterId) ?? null);
  t.is(cs.received.filter((r) => r.body.id === letterId).length, 2);
});
