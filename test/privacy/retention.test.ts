import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { sql } from 'kysely';
import { holdJob, serialOf, startTestGateway, type TestGateway } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { queueDeliveries } from '../../gateway/outbox/deliveries.js';
import { runRetention } from '../../gateway/privacy/retention.js';
import { sharedSecret } from '../../gateway/store/secrets.js';
import { loadConfig } from '../../config/load.js';

let gw: TestGateway;
test.before(async () => {
  gw = await startTestGateway();
  // The tests count what their own runs did: the scheduled run (at start, then hourly) would share the work.
  await holdJob(gw, 'retention');
});
test.after.always(async () => {
  await gw?.stop();
});

const phone = '+8613700137001';

test('when data is older than its retention setting, then payloads and bodies are purged, old records deleted and closed letters pseudonymised in batches', async (t) => {
  const db = gw.services.db;
  const citizen = { channelUserId: phone, phone, name: '李四', anonymous: false };
  const oldClosed = await gw.services.intake.submit(sampleIntake({ citizen }));
  const recentClosed = await gw.services.intake.submit(sampleIntake({ citizen }));
  const open = await gw.services.intake.submit(sampleIntake({ citizen }));
  // Forwarded first: the run skips rows another transaction holds (`SKIP LOCKED`), and the forwarder's would hold them.
  for (const l of [oldClosed, recentClosed, open]) await serialOf(db, l.letterId);
  await sql`update letters set status = 'closed', status_changed_at = now() - interval '200 days' where id = ${oldClosed.letterId}`.execute(
    db,
  );
  await sql`update letters set status = 'closed', status_changed_at = now() - interval '10 days' where id = ${recentClosed.letterId}`.execute(
    db,
  );
  await sql`update letters set received_at = now() - interval '400 days' where id = ${open.letterId}`.execute(db);
  await sql`update source_messages set received_at = now() - interval '20 days' where letter_id in (${oldClosed.letterId}, ${open.letterId})`.execute(
    db,
  );
  const [oldDelivery, newDelivery] = await queueDeliveries(db, [
    {
      letterId: null,
      channel: 'sms',
      recipient: phone,
      kind: 'service',
      templateKey: 'reminder',
      variables: { replyText: '旧' },
    },
    {
      letterId: null,
      channel: 'sms',
      recipient: phone,
      kind: 'service',
      templateKey: 'reminder',
      variables: { replyText: '新' },
      notBefore: new Date(Date.now() + 3600_000),
    },
  ]);
  await sql`update deliveries set status = 'sent', rendered = '{"text":"旧"}', created_at = now() - interval '40 days' where id = ${oldDelivery!}`.execute(
    db,
  );
  await sql`update deliveries set created_at = now() - interval '40 days' where id = ${newDelivery!}`.execute(db);
  for (let i = 0; i < 25; i++) {
    await sql`insert into sms_uplinks (provider, phone, content, status, payload, received_at) values ('aliyun', ${phone}, '旧', 'accepted', '{}', now() - interval '15 days')`.execute(
      db,
    );
  }
  await sql`insert into sms_uplinks (provider, phone, content, status, payload) values ('aliyun', ${phone}, '新', 'accepted', '{}')`.execute(
    db,
  );
  await sql`insert into sandbox_messages (channel, route, recipient, payload, created_at) values ('sms', 'sms', ${phone}, '{}', now() - interval '8 days'), ('sms', 'sms', ${phone}, '{}', now())`.execute(
    db,
  );
  await sql`insert into audit_log (at, staff_username, action, target_type) values (now() - interval '400 days', 'admin', 'letter.read', 'letter'), (now() - interval '100 days', 'admin', 'letter.read', 'letter')`.execute(
    db,
  );

  const counts = await runRetention(
    db,
    { ...gw.services.config, RETENTION_BATCH_SIZE: 10 },
    await sharedSecret(db, 'pii-pseudonym'),
  );
  t.is(counts.sms_uplinks, 25);
  t.true(counts.lettersPseudonymised! >= 1);

  const letters = await sql<{
    id: string;
    citizen_id: string;
    body: { citizen: Record<string, unknown>; body: string; kind: string };
  }>`select id, citizen_id, body from letters where id in (${oldClosed.letterId}, ${recentClosed.letterId}, ${open.letterId})`.execute(
    db,
  );
  const byId = new Map(letters.rows.map((r) => [r.id, r]));
  const pseudonymised = byId.get(oldClosed.letterId)!;
  t.regex(pseudonymised.citizen_id, /^pseudonym:/);
  t.deepEqual(Object.keys(pseudonymised.body.citizen).sort(), ['anonymous', 'channelUserId']);
  t.is(pseudonymised.body.kind, 'complaint');
  t.regex(pseudonymised.body.body, /路灯/);
  // Not yet due: still the citizen (by the phone's token, gateway/privacy/pii-ids.ts).
  t.is(byId.get(recentClosed.letterId)!.citizen_id, await phoneToken(gw, phone));
  t.is(byId.get(open.letterId)!.citizen_id, await phoneToken(gw, phone));

  const sources = await sql<{
    letter_id: string;
    payload: unknown;
  }>`select letter_id, payload from source_messages where letter_id in (${oldClosed.letterId}, ${recentClosed.letterId}, ${open.letterId})`.execute(
    db,
  );
  t.deepEqual(sources.rows.find((r) => r.letter_id === open.letterId)!.payload, {});
  t.deepEqual(sources.rows.find((r) => r.letter_id === recentClosed.letterId)!.payload, { content: 'raw' });

  const deliveries = await sql<{
    id: string;
    variables: Record<string, string>;
    rendered: unknown;
  }>`select id, variables, rendered from deliveries where id in (${oldDelivery!}, ${newDelivery!})`.execute(db);
  t.deepEqual(deliveries.rows.find((d) => d.id === oldDelivery)!.variables, {});
  t.is(deliveries.rows.find((d) => d.id === oldDelivery)!.rendered, null);
  t.deepEqual(
    deliveries.rows.find((d) => d.id === newDelivery)!.variables,
    { replyText: '新' },
    'a message still to be sent keeps its body',
  );

  t.is((await sql<{ n: string }>`select count(*) as n from sms_uplinks`.execute(db)).rows[0]!.n, '1');
  t.is(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from sandbox_messages where created_at < now() - interval '7 days'`.execute(db)
    ).rows[0]!.n,
    '0',
  );
  t.true(Number((await sql<{ n: string }>`select count(*) as n from sandbox_messages`.execute(db)).rows[0]!.n) >= 1);
  const audit = await sql<{
    days: number;
  }>`select extract(day from now() - at)::int as days from audit_log where staff_username = 'admin' and action = 'letter.read'`.execute(
    db,
  );
  t.deepEqual(
    audit.rows.map((r) => r.days),
    [100],
  );
});

test('when the audit retention is set below 180 days, then the configuration is refused', (t) => {
  const e = t.throws(() => loadConfig({ NODE_ENV: 'test', AUDIT_RETENTION_DAYS: '90' }));
  t.regex(e.message, /AUDIT_RETENTION_DAYS/);
  t.is(loadConfig({ NODE_ENV: 'test' }).AUDIT_RETENTION_DAYS, 365);
});
