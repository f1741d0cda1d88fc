// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
import test from 'ava';
import { startTestGateway, eventually } from '../_support/gateway.js';
import { fakeCaseStore, CASE_STORE_SECRET } from '../_support/case-store.js';
import { sampleIntake } from '../_support/letters.js';

test('when two gateway instances share one database, then every letter reaches the case store exactly once', async (t) => {
  const cs = await fakeCaseStore();
  await cs.start();
  // Every fifth answer fails, so letters are also retried while both instances compete for them.
  for (let i = 0; i < 300; i++) cs.script.push(i % 5 === 0 ? { status: 503 } : { status: 201, delayMs: 5 });
  const env = { CASE_STORE_URL: cs.url, CASE_STORE_SECRET, FORWARD_BATCH_SIZE: '20', FORWARD_CONCURRENCY: '4' };
  const a = await startTestGateway(env);
  const b = await startTestGateway(env, a.databaseUrl);
  t.teardown(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await cs.close();
  });
  const submitted = await Promise.all(
    Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).services.intake.submit(sampleIntake())),
  );
  const ids = submitted.map((s) => s.letterId);
  await eventually(
    async () => {
      const r = await a.services.db
        .selectFrom('letters')
        .select('id')
        .where('forward_state', '=', 'forwarded')
        .execute();
      return r.length === 200 ? true : undefined;
    },
    30_000,
    'all letters forwarded',
  );
  const accepted = new Map<string, number>();
  for (const r of cs.received) if (r.body.id) accepted.set(r.body.id, (accepted.get(r.body.id) ?? 0) + 1);
  const successes = await a.services.db
    .selectFrom('forward_attempts')
    .select('letter_id')
    .where('outcome', '=', 'accepted')
    .execute();
  t.is(successes.length, 200, 'one accepted attempt per letter');
  t.is(new Set(successes.map((s) => s.letter_id)).size, 200);
  t.true(ids.every((id) => accepted.has(id)));
  // Two requests for one letter may only come from a retry after a failure, never from both instances at once.
  const attempts = await a.services.db.selectFrom('forward_attempts').select(['letter_id', 'outcome']).execute();
  for (const id of ids) {
    const tries = attempts.filter((x) => x.letter_id === id);
    t.is(tries.length, accepted.get(id) ?? 0, `letter ${id}: requests match recorded tries`);
  }
});
