import test from 'ava';
import { sql } from 'kysely';
import { startTestGateway, eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';

test('when the database drops the LISTEN connections, then nothing crashes and wake-ups reach other instances again', async (t) => {
  const a = await startTestGateway();
  // B only forwards when woken: its poll is a minute away.
  const b = await startTestGateway({ WORKER_POLL_MS: '60000' }, a.databaseUrl);
  t.teardown(() => Promise.all([a.stop(), b.stop()]).then(() => undefined));
  await a.forwarder.stop();
  await new Promise((r) => setTimeout(r, 300));
  const killed = await sql<{ n: string }>`
    select count(pg_terminate_backend(pid)) as n from pg_stat_activity
    where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`.execute(a.services.db);
  t.true(Number(killed.rows[0]!.n) >= 2, 'both gateways and the job scheduler were listening');
  // Wait until both gateways listen again (they reconnect after a second), however long that takes under load.
  await eventually(
    async () => {
      const r = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity where datname = current_database() and query ilike 'listen%gateway%'`.execute(
        a.services.db,
      );
      return Number(r.rows[0]!.n) >= 2 ? true : undefined;
    },
    30_000,
    'both gateways listening again',
  );
  const { letterId } = await a.services.intake.submit(sampleIntake());
  await eventually(
    async () =>
      (await a.services.db.selectFrom('letters').select('serial').where('id', '=', letterId).executeTakeFirstOrThrow())
        .serial
        ? true
        : undefined,
    30_000,
    'forwarded by the other instance',
  );
});
