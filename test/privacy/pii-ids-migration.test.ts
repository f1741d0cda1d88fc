import test from 'ava';
import { Migrator, sql } from 'kysely';
import { createEmptyDatabase } from '../_support/database.js';
import { startTestGateway, eventually } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { clearPhoneHits } from '../_support/pii.js';
import { ADMIN_PASSWORD, staffClient } from '../admin/_staff.js';
import { migrate, openStore } from '../../gateway/store/db.js';
import { migrations } from '../../gateway/store/migration-list.js';
import { createIntake } from '../../gateway/letters/intake.js';
import { isOptedOut } from '../../gateway/conversation/preferences.js';
import { clearId, isPiiToken } from '../../gateway/privacy/pii-ids.js';
import { rotateLetters } from '../../gateway/privacy/pii-rotate.js';
import type { Letter } from '../../shared/letter.js';

const NAT = '13788800001';
const PHONE = `+86${NAT}`;

/** A database as releases before citizen tokens left it: every phone column in clear. */
async function databaseBeforeTokens(): Promise<string> {
  const url = await createEmptyDatabase();
  const store = openStore(url, 2);
  try {
    // The schema before the tokens, plus the letters' phone-tail column today's intake (used below to write the old
    // rows) fills; it has nothing to do with the tokens.
    const before = Object.fromEntries(
      Object.entries(migrations).filter(([name]) => name < '0920' || name === '0922-letter-phone-tail'),
    );
    const r = await new Migrator({
      db: store.db,
      provider: { getMigrations: () => Promise.resolve(before) },
      allowUnorderedMigrations: true,
    }).migrateToLatest();
    if (r.error) throw r.error as Error;
    const db = store.db;
    // A letter by SMS as intake wrote it then (no key: citizen id, phone and source in clear).
    const input = sampleIntake({ channel: 'sms', citizen: { channelUserId: PHONE, phone: PHONE, anonymous: false } });
    input.sources = [
      {
        providerMessageId: `${PHONE}:4242`,
        receivedAt: new Date().toISOString(),
        type: 'text',
        payload: { phone_number: NAT, content: '路灯坏了', sequence_id: 4242 },
      },
    ];
    const { letterId } = await createIntake(db, () => undefined).submit(input);
    for (const q of [
      sql`insert into conversation_messages (channel, sender_id, provider_message_id, received_at, type, message, state)
        values ('sms', ${PHONE}, ${`${PHONE}:4242`}, now(), 'text',
                ${JSON.stringify({ text: '路灯坏了', payload: { phone_number: NAT, content: '路灯坏了' } })}::jsonb, 'done')`,
      sql`insert into conversation_senders (channel, sender_id) values ('sms', ${PHONE})`,
      sql`insert into conversation_drafts (id, channel, sender_id, state, quiet_until, letter_id)
        values (gen_random_uuid(), 'sms', ${PHONE}, 'submitted', now(), ${letterId}::uuid)`,
      sql`insert into conversation_command_events (channel, sender_id, action) values ('sms', ${PHONE}, 'query')`,
      sql`insert into citizen_preferences (channel, citizen_id, opted_out_at) values ('sms', ${PHONE}, now())`,
      sql`insert into surveys (id, letter_id, channel, recipient, trigger, expires_at)
        values (gen_random_uuid(), ${letterId}::uuid, 'sms', ${PHONE}, 'final_reply', now() + interval '7 days')`,
      sql`insert into sms_uplinks (provider, dedup_key, phone, content, status, payload, raw_text)
        values ('aliyun', ${`${PHONE}:4242`}, ${PHONE}, '路灯坏了', 'accepted',
                ${JSON.stringify({ phone_number: NAT, content: '路灯坏了' })}::jsonb, ${JSON.stringify({ phone_number: NAT })})`,
      sql`insert into sms_reports (provider, dedup_key, phone, status, payload)
        values ('aliyun', ${`77^0:${PHONE}:2026-11-26 10:00:05`}, ${PHONE}, 'accepted', ${JSON.stringify({ phone_number: NAT })}::jsonb)`,
      sql`insert into sms_daily_counts (phone, day, sends) values (${PHONE}, current_date, 1)`,
      sql`insert into sms_uncertain_sends (delivery_id, phone) values (gen_random_uuid(), ${PHONE})`,
      sql`insert into mp_phones (openid, phone) values ('o-before-tokens', ${PHONE})`,
    ])
      await q.execute(db);
    // A reply still queued to the citizen, its plan already naming the phone.
    await sql`
      insert into deliveries (id, letter_id, channel, recipient, kind, template_key, variables, requires_serial, plan)
      values (gen_random_uuid(), ${letterId}::uuid, 'sms', ${PHONE}, 'reply', 'reply', ${JSON.stringify({ replyText: '已处理' })}::jsonb,
              false, ${JSON.stringify([{ channel: 'sms', route: 'sms', recipient: PHONE }])}::jsonb)`.execute(db);
    return url;
  } finally {
    await store.close();
  }
}

test('when rows written before citizen tokens hold a phone in clear, then after the migration and the next start none does, and the citizen is still found, reached and named', async (t) => {
  const url = await databaseBeforeTokens();
  // The migration converts in SQL; the gateway's start seals what it moved into pii_ids.
  const pre = openStore(url, 2);
  await migrate(pre.db);
  await pre.close();
  const gw = await startTestGateway({ ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD }, url);
  try {
    const db = gw.services.db;
    const letter = await db.selectFrom('letters').select(['id', 'citizen_id']).executeTakeFirstOrThrow();
    t.true(isPiiToken(letter.citizen_id));
    t.is(await clearId(db, gw.services.pii, letter.citizen_id), PHONE);
    // Every table names the citizen by the same token: the opt-out still holds for them.
    t.true(await isOptedOut(db, 'sms', letter.citizen_id));
    const senders = await sql<{ sender_id: string }>`select sender_id from conversation_senders`.execute(db);
    t.deepEqual(
      senders.rows.map((r) => r.sender_id),
      [letter.citizen_id],
    );
    const rotateNeeded = await sql<{ n: string }>`select count(*) as n from pii_ids where id_hash is null`.execute(db);
    t.is(Number(rotateNeeded.rows[0]?.n), 0, 'the start sealed every phone the migration moved');

    // The queued reply goes out to the phone (sandbox SMS records what the provider would be sent).
    const sent = await eventually(
      async () =>
        (await db.selectFrom('sandbox_messages').select('recipient').where('channel', '=', 'sms').executeTakeFirst()) ??
        undefined,
      30_000,
      'the queued reply to be sent',
    );
    t.is(sent.recipient, PHONE);

    // The case store's view and staff lookups by phone still see the citizen in clear.
    const api = (await (await gw.api(`/api/v1/letters/${letter.id}`)).json()) as { letter: Letter };
    t.deepEqual([api.letter.citizen.channelUserId, api.letter.citizen.phone], [PHONE, PHONE]);
    const admin = staffClient(gw);
    t.true((await admin.login('admin', ADMIN_PASSWORD)).ok);
    const exported = await admin.call('POST', '/citizens/export', { phone: NAT, reason: '市民申请查阅个人信息' });
    t.is(exported.status, 200);
    const data = (await exported.json()) as { letters: { id: string }[]; records: Record<string, unknown[]> };
    t.deepEqual(
      data.letters.map((l) => l.id),
      [letter.id],
    );
    for (const table of ['conversation_messages', 'citizen_preferences', 'sms_uplinks', 'sms_reports', 'mp_phones'])
      t.true((data.records[table]?.length ?? 0) > 0, table);

    // Letters written before encryption keep their phone in the body until the rotation command seals them.
    await rotateLetters(db, gw.services.pii, { batchSize: 10 });
    // Allowed in clear, sandbox only (refused in production): the outbox and the simulated provider's call record hold
    // what the SMS provider receives, and the built-in reference case store stands in for the core system, which
    // receives letters in clear.
    t.deepEqual(
      await clearPhoneHits(
        db,
        [NAT],
        [
          'sandbox_messages.recipient',
          'sandbox_messages.payload',
          'sandbox_provider_calls.recipient',
          'sandbox_provider_calls.request',
          'sandbox_provider_calls.report',
          'sandbox_provider_calls.report_pending',
          'sandbox_case_letters.letter',
        ],
      ),
      [],
    );
  } finally {
    await gw.stop();
  }
});
