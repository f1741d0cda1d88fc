import test from 'ava';
import { phoneToken } from '../_support/pii.js';
import { sql } from 'kysely';
import { eventually, type TestGateway, serialOf } from '../_support/gateway.js';
import { sampleIntake } from '../_support/letters.js';
import { queueDeliveries } from '../../gateway/outbox/deliveries.js';
import { startConsoleGateway, staffWithRole, type StaffClient } from './_staff.js';

// A realistic openid (28 characters) and phones that appear in ids, bodies and recipients.
const openid = 'oPiiTest' + 'Abc123_-xyzXYZ7890ab';
const phone = '+8613912345678';
const fullNumbers = [/13912345678/, /13811112222/, new RegExp(openid)];

let gw: TestGateway;
let admin: StaffClient;
let operator: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway());
  operator = await staffWithRole(gw, admin, 'operator', 'pia');
});
test.after.always(async () => {
  await gw?.stop();
});

/** A letter whose source message id carries the sender, as SMS and official-account ids do. */
function withSourceId(input: ReturnType<typeof sampleIntake>, providerMessageId: string) {
  return { ...input, sources: input.sources.map((x) => ({ ...x, providerMessageId })) };
}
let seq = 0;
// As the SMS channel writes them: the sender's token (gateway/privacy/pii-ids.ts), then the sequence id.
const smsLetter = async () =>
  gw.services.intake.submit(
    withSourceId(
      sampleIntake({
        citizen: { channelUserId: phone, phone, name: '王小明', anonymous: false },
        body: '请回电 13811112222，路灯坏了。',
      }),
      `${await phoneToken(gw, phone)}:${Date.now()}:${++seq}`,
    ),
  );

test.serial(
  'when staff read letters, deliveries and the audit log, then no full phone or openid is in any answer, ids included',
  async (t) => {
    const { letterId } = await smsLetter();
    const oa = await gw.services.intake.submit(
      withSourceId(
        sampleIntake({ channel: 'wechat-oa', citizen: { channelUserId: openid, anonymous: false } }),
        `${openid}|1732800000|text`,
      ),
    );
    const [d1, d2] = await queueDeliveries(gw.services.db, [
      {
        letterId: null,
        channel: 'sms',
        recipient: phone,
        kind: 'service',
        templateKey: 'reminder',
        variables: { replyText: `号码 ${phone}` },
      },
      {
        letterId: null,
        channel: 'wechat-oa',
        recipient: openid,
        kind: 'service',
        templateKey: 'welcome',
        variables: {},
      },
    ]);
    await sql`insert into sandbox_messages (channel, route, recipient, payload) values ('sms', 'sms', ${phone}, '{}')`.execute(
      gw.services.db,
    );
    const paths = [
      '/letters',
      `/letters?phone=5678`,
      `/letters/${letterId}`,
      `/letters/${oa.letterId}`,
      '/deliveries',
      `/deliveries/${d1}`,
      `/deliveries/${d2}`,
      '/audit',
      '/channels',
      '/sandbox/outbox',
    ];
    for (const p of paths) {
      const r = await admin.call('GET', p);
      t.is(r.status, 200, p);
      const text = await r.text();
      for (const n of fullNumbers) t.notRegex(text, n, `${p} shows ${n}`);
    }
    const detail = (await (await admin.call('GET', `/letters/${letterId}`)).json()) as {
      sourceMessages: { provider_message_id: string }[];
      letter: { citizen: { name: string } };
    };
    // The SMS id holds the sender's token, never the phone (gateway/privacy/pii-ids.ts).
    t.regex(detail.sourceMessages[0]!.provider_message_id, /^pid_[0-9a-f]{32}:/);
    t.is(detail.letter.citizen.name, '王**');
    const oaDetail = (await (await admin.call('GET', `/letters/${oa.letterId}`)).json()) as {
      letter: { citizen: { channelUserId: string } };
    };
    t.is(oaDetail.letter.citizen.channelUserId, `${openid.slice(0, 4)}****${openid.slice(-4)}`);
  },
);

test.serial(
  'when a letter is read or a phone revealed, then it is audited with who and why, and a reveal without a reason is refused',
  async (t) => {
    const { letterId } = await smsLetter();
    t.is((await operator.call('GET', `/letters/${letterId}?reason=${encodeURIComponent('核实办理进度')}`)).status, 200);
    const noReason = await admin.call('POST', `/letters/${letterId}/reveal-phone`, {});
    t.is(noReason.status, 422);
    t.is(((await noReason.json()) as { code: string }).code, 'request_invalid');
    const r = await admin.call('POST', `/letters/${letterId}/reveal-phone`, { reason: '市民来电要求回访' });
    t.is(r.status, 200);
    t.is(((await r.json()) as { phone: string }).phone, phone);
    const entries = (
      (await (await admin.call('GET', `/audit?targetId=${letterId}`)).json()) as {
        entries: { action: string; staff: string; reason: string | null; at: string }[];
      }
    ).entries;
    const read = entries.find((e) => e.action === 'letter.read');
    t.is(read?.staff, 'pia');
    t.is(read?.reason, '核实办理进度');
    const reveal = entries.find((e) => e.action === 'letter.reveal_phone');
    t.is(reveal?.staff, 'admin');
    t.is(reveal?.reason, '市民来电要求回访');
    t.truthy(reveal?.at);
    t.is(entries.filter((e) => e.action === 'letter.reveal_phone').length, 1);
  },
);

test.serial(
  'when anyone tries to change or remove recent audit entries, then the database refuses and the console offers no way',
  async (t) => {
    const db = gw.services.db;
    await t.throwsAsync(sql`update audit_log set reason = 'changed'`.execute(db), { message: /cannot be changed/ });
    await t.throwsAsync(sql`delete from audit_log`.execute(db), { message: /at least 180 days/ });
    await t.throwsAsync(sql`truncate audit_log`.execute(db), { message: /cannot be truncated/ });
    for (const m of ['PUT', 'PATCH', 'DELETE']) t.true([404, 405].includes((await admin.call(m, '/audit')).status), m);
    const old = await sql<{
      id: string;
    }>`insert into audit_log (at, staff_username, action, target_type) values (now() - interval '200 days', 'admin', 'letter.read', 'letter') returning id`.execute(
      db,
    );
    await sql`delete from audit_log where id = ${old.rows[0]!.id}`.execute(db);
    t.pass();
  },
);

test.serial(
  'when an admin exports and erases a citizen, then the export holds their data, the erasure leaves no trace of them and the case store is told',
  async (t) => {
    const { letterId } = await smsLetter();
    await serialOf(gw.services.db, letterId);
    await sql`insert into conversation_messages (channel, sender_id, provider_message_id, received_at, type, message, state) values ('sms', ${phone}, ${`erase-${Date.now()}`}, now(), 'text', '{"text":"查询"}', 'command')`.execute(
      gw.services.db,
    );
    await sql`insert into sms_uplinks (provider, phone, content, status, payload) values ('aliyun', ${phone}, '投诉', 'accepted', '{}')`.execute(
      gw.services.db,
    );
    await queueDeliveries(gw.services.db, [
      {
        letterId: null,
        channel: 'sms',
        recipient: phone,
        kind: 'service',
        templateKey: 'reminder',
        variables: {},
        notBefore: new Date(Date.now() + 3600_000),
      },
    ]);

    t.is(
      (await operator.call('POST', '/citizens/export', { phone: '13912345678', reason: '市民申请查阅' })).status,
      403,
    );
    t.is((await admin.call('POST', '/citizens/export', { phone: '13912345678' })).status, 422);
    const ex = await admin.call('POST', '/citizens/export', { phone: '139 1234 5678', reason: '市民申请查阅个人信息' });
    t.is(ex.status, 200);
    t.regex(ex.headers.get('content-disposition') ?? '', /attachment/);
    const data = (await ex.json()) as {
      letters: { id: string }[];
      records: Record<string, unknown[]>;
      deliveries: unknown[];
    };
    t.true(data.letters.some((l) => l.id === letterId));
    t.true((data.records.conversation_messages ?? []).length >= 1);
    t.true((data.records.sms_uplinks ?? []).length >= 1);

    const parallel = await Promise.all(
      Array.from({ length: 5 }, () => admin.call('POST', '/citizens/erase', { phone, reason: '市民申请删除个人信息' })),
    );
    t.true(parallel.every((r) => r.status === 200));
    const db = gw.services.db;
    const letters = await sql<{
      citizen_id: string;
      body: { citizen: Record<string, unknown>; body: string };
    }>`select citizen_id, body from letters where id = ${letterId}`.execute(db);
    t.regex(letters.rows[0]!.citizen_id, /^pseudonym:/);
    t.deepEqual(Object.keys(letters.rows[0]!.body.citizen).sort(), ['anonymous', 'channelUserId']);
    t.regex(letters.rows[0]!.body.body, /路灯/);
    const again = (await (await admin.call('POST', '/citizens/export', { phone, reason: '核实删除结果' })).json()) as {
      letters: unknown[];
      records: Record<string, unknown[]>;
      deliveries: unknown[];
    };
    t.is(again.letters.length, 0);
    t.deepEqual(again.records, {});
    t.is(again.deliveries.length, 0);
    const dump = JSON.stringify(
      (
        await sql`select row_to_json(x) as r from (select l.citizen_id, l.body, s.provider_message_id, s.payload from letters l join source_messages s on s.letter_id = l.id where l.channel = $$sms$$) x`.execute(
          db,
        )
      ).rows,
    );
    t.notRegex(dump, /13912345678/);
    const pending = await sql<{
      n: string;
    }>`select count(*) as n from deliveries where status in ('queued', 'sending') and recipient = ${phone}`.execute(db);
    t.is(pending.rows[0]!.n, '0');
    const event = await eventually(async () => {
      const r = await sql<{
        event: { type: string; data: { letterIds: string[] } };
      }>`select event from sandbox_case_events where event->>'type' = 'citizen.erased'`.execute(db);
      return r.rows[0]?.event;
    });
    t.true(event.data.letterIds.includes(letterId));
    t.notRegex(JSON.stringify(event), /13912345678/);
    const audit = (
      (await (await admin.call('GET', '/audit?action=citizen.')).json()) as {
        entries: { action: string; reason: string }[];
      }
    ).entries;
    t.true(audit.some((e) => e.action === 'citizen.erase' && e.reason === '市民申请删除个人信息'));
    t.true(audit.some((e) => e.action === 'citizen.export' && e.reason === '市民申请查阅个人信息'));
  },
);

test.serial(
  'when a mini-program form carried the name and phone the citizen typed, then they are stored sealed, staff read them masked in the letter story and the export gives them back in clear',
  async (t) => {
    const mpPhone = '+8613912340077';
    const input = sampleIntake({
      channel: 'wechat-mp',
      citizen: { channelUserId: openid, phone: mpPhone, phoneVerified: true, name: '欧阳清澜', anonymous: false },
    });
    const payload = { kind: 'complaint', name: '欧阳清澜', phone: '13912340077', body: '路灯坏了一个月。' };
    const { letterId } = await gw.services.intake.submit({
      ...input,
      sources: input.sources.map((x) => ({ ...x, type: 'mp-form', payload })),
    });
    const stored = await gw.services.db
      .selectFrom('source_messages')
      .select('payload')
      .where('letter_id', '=', letterId)
      .executeTakeFirstOrThrow();
    const raw = JSON.stringify(stored.payload);
    t.false(raw.includes('欧阳清澜'));
    t.false(raw.includes('13912340077'));
    t.true(raw.includes('路灯坏了一个月'));

    const detail = (await (await operator.call('GET', `/letters/${letterId}`)).json()) as {
      sourceMessages: { payload: { name: string; phone: string; kind: string } }[];
    };
    const shown = detail.sourceMessages[0]!.payload;
    t.is(shown.name, '欧***');
    t.false(shown.phone.startsWith('pii1.'));
    t.false(shown.phone.includes('13912340077'));
    t.regex(shown.phone, /\*/);
    t.is(shown.kind, 'complaint');

    const ex = await admin.call('POST', '/citizens/export', { phone: '13912340077', reason: '市民申请查阅个人信息' });
    t.is(ex.status, 200);
    const data = (await ex.json()) as { sourceMessages: { letter_id: string; payload: typeof payload }[] };
    t.deepEqual(data.sourceMessages.find((m) => m.letter_id === letterId)?.payload, payload);
  },
);
