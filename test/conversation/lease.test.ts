// test-worker: alone (a long file: grouped with others, it would hold their worker back; see compile-tests.ts).
// A sender's claim is a lease: when a pass outlives it (a slow machine) and another instance claims the sender, only
// the pass holding the newest claim writes: messages, drafts and answers are never doubled.
// The tests run one after the other: each holds both instances' passes on a table lock.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startTestGateway, eventually, type TestGateway } from '../_support/gateway.js';
import { inbound, lettersOf, newSender } from '../_support/conversation.js';
import { storeInbound } from '../../gateway/conversation/accept.js';

let gw: TestGateway;
let second: TestGateway;
test.before(async () => {
  // The shortest lease allowed, so that the other instance takes the sender over while the first pass is held up.
  // The test holds its table lock through one of the gateway's own connections and keeps reading through others while
  // every loop waits on that lock: a pool of 8 leaves it connections to read with.
  const settings = { CONVERSATION_QUIET_SECONDS: '600', CONVERSATION_LEASE_SECONDS: '10', DATABASE_POOL_SIZE: '8' };
  gw = await startTestGateway(settings);
  second = await startTestGateway(settings, gw.databaseUrl);
});
test.after.always(async () => {
  await second?.stop();
  await gw?.stop();
});

async function count(recipient: string, templateKey: string): Promise<number> {
  const r = await gw.services.db
    .selectFrom('deliveries')
    .select((e) => e.fn.countAll<string>().as('n'))
    .where('recipient', '=', recipient)
    .where('template_key', '=', templateKey)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function leaseOf(sender: string): Promise<Date | null> {
  const r = await gw.services.db
    .selectFrom('conversation_senders')
    .select('lease_until')
    .where('sender_id', '=', sender)
    .executeTakeFirstOrThrow();
  return r.lease_until === null ? null : new Date(r.lease_until);
}

test.serial(
  'when a pass outlives its lease and another instance claims the sender, then the draft, its answers and its letter are not doubled',
  async (t) => {
    t.timeout(240_000);
    const s = newSender();
    // Stored, but not due yet: nobody may read the messages before the pass is held up below.
    await gw.services.db.transaction().execute(async (tx) => {
      await storeInbound(tx, [inbound(s, { text: '小区门口的路灯坏了，' }), inbound(s, { text: '提交' })]);
      await sql`update conversation_senders set due_at = null where sender_id = ${s}`.execute(tx);
    });
    // Every pass waits at its first look at the inbox until the other instance has claimed the sender again.
    await holdPastLease(s, 'conversation_messages');
    // Both passes go on now; wait until the sender is handled and released, and its letter closed.
    await eventually(
      async () => {
        const pending = await gw.services.db
          .selectFrom('conversation_messages')
          .select('id')
          .where('sender_id', '=', s)
          .where('state', '=', 'pending')
          .execute();
        const open = await gw.services.db
          .selectFrom('conversation_drafts')
          .select('id')
          .where('sender_id', '=', s)
          .where('state', 'not in', ['submitted', 'failed'])
          .execute();
        const drafts = await gw.services.db
          .selectFrom('conversation_drafts')
          .select('id')
          .where('sender_id', '=', s)
          .execute();
        return pending.length === 0 && open.length === 0 && drafts.length > 0 && (await leaseOf(s)) === null
          ? true
          : undefined;
      },
      60_000,
      'the sender handled and released',
    );
    const drafts = await gw.services.db
      .selectFrom('conversation_drafts')
      .select(['id', 'state'])
      .where('sender_id', '=', s)
      .execute();
    t.is(drafts.length, 1, 'one draft');
    t.is(drafts[0]!.state, 'submitted');
    const messages = await gw.services.db
      .selectFrom('conversation_messages')
      .select(['state', 'draft_id'])
      .where('sender_id', '=', s)
      .execute();
    t.true(messages.every((m) => m.state === 'draft' && m.draft_id === drafts[0]!.id));
    t.is(await count(s, 'draft_started'), 1);
    t.is(await count(s, 'draft_submitted'), 1);
    t.is((await lettersOf(gw, s)).length, 1);
  },
);

test.serial(
  'when a pass outlives its lease while a draft waits to be confirmed, then the citizen is told once and one letter is written',
  async (t) => {
    t.timeout(240_000);
    const s = newSender();
    // A draft closed by an earlier pass, due to be confirmed and submitted; the sender not due yet.
    const draftId = randomUUID();
    await gw.services.db.transaction().execute(async (tx) => {
      await storeInbound(tx, [inbound(s, { text: '小区门口的路灯坏了' })]);
      await sql`insert into conversation_drafts (id, channel, sender_id, quiet_until, state, close_requested_at)
              values (${draftId}, 'wechat-oa', ${s}, now(), 'closing', now())`.execute(tx);
      await sql`update conversation_messages set state = 'draft', role = 'content', draft_id = ${draftId}
              where sender_id = ${s}`.execute(tx);
      await sql`update conversation_senders set due_at = null where sender_id = ${s}`.execute(tx);
    });
    // Every pass waits at its first look at the drafts until the other instance has claimed the sender again.
    await holdPastLease(s, 'conversation_drafts');
    await eventually(
      async () => {
        const d = await gw.services.db
          .selectFrom('conversation_drafts')
          .select('state')
          .where('id', '=', draftId)
          .executeTakeFirstOrThrow();
        return d.state === 'submitted' && (await leaseOf(s)) === null ? true : undefined;
      },
      60_000,
      'the draft submitted and the sender released',
    );
    t.is(await count(s, 'draft_submitted'), 1);
    t.is((await lettersOf(gw, s)).length, 1);
  },
);

/**
 * A slow machine, made deterministic: makes the sender due and holds `table` locked, so every pass that reads it
 * waits while claiming (conversation_senders) goes on, until the other instance has claimed the sender again.
 */
async function holdPastLease(s: string, table: 'conversation_messages' | 'conversation_drafts'): Promise<void> {
  await gw.services.db.transaction().execute(async (hold) => {
    await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(hold);
    await sql`update conversation_senders set due_at = now() where sender_id = ${s}`.execute(gw.services.db);
    gw.services.wakeup.wake('conversation');
    second.services.wakeup.wake('conversation');
    const first = await eventually(() => leaseOf(s).then((l) => l ?? undefined), 30_000, 'the first claim');
    // The first pass is stuck past its lease; the other instance claims the sender again.
    await eventually(
      () => leaseOf(s).then((l) => (l !== null && l.getTime() !== first.getTime() ? true : undefined)),
      60_000,
      'the second claim',
    );
  });
}
