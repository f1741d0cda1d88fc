import test from 'ava';
import { sql } from 'kysely';
import { eventually } from '../../_support/gateway.js';
import { startConsoleGateway, type StaffClient } from '../../admin/_staff.js';
import type { TestGateway } from '../../_support/gateway.js';
import { readOutbox, SMS_PUSH_TOKEN } from './_sandbox.js';

// Whom the console's simulator plays comes from each channel's own description; the web mailbox's citizen is a
// verified phone, and its letters take the browser's submit path and reach the phone through the simulated Aliyun.
let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  ({ gw, admin } = await startConsoleGateway({ SMS_PUSH_TOKEN }));
});
test.after.always(async () => {
  await gw?.stop();
});

interface Citizen {
  channel: string;
  identity: 'openid' | 'phone';
  defaultId: string;
  kinds: string[] | null;
}
const citizens = async () => ((await (await admin.call('GET', '/sandbox')).json()) as { citizens: Citizen[] }).citizens;
const post = (json: Record<string, string>) => admin.call('POST', '/sandbox/messages', json);
const webLetters = async () =>
  (await gw.services.db.selectFrom('letters').select('id').where('channel', '=', 'web').execute()).length;

test.serial(
  'when the console reads the simulator, then every sandboxed channel describes its citizen: an openid or a phone, a default, and the kinds of a letter written whole',
  async (t) => {
    const byChannel = new Map((await citizens()).map((c) => [c.channel, c]));
    t.deepEqual([...byChannel.keys()].sort(), ['sms', 'web', 'wechat-mp', 'wechat-oa']);
    t.like(byChannel.get('web'), { identity: 'phone', kinds: ['complaint', 'suggestion', 'consultation', 'praise'] });
    t.regex(byChannel.get('web')!.defaultId, /^\+861[3-9]\d{9}$/);
    t.like(byChannel.get('sms'), { identity: 'phone', kinds: null });
    t.like(byChannel.get('wechat-oa'), { identity: 'openid', kinds: null });
    t.like(byChannel.get('wechat-mp'), { identity: 'openid' });
    t.true(byChannel.get('wechat-mp')!.kinds!.includes('other'));
  },
);

test.serial(
  "when staff post as the web mailbox's default citizen, then the letter is a submitted draft of a verified phone and its receipt goes through the simulated Aliyun's SendSms to that phone and shows in the outbox",
  async (t) => {
    const web = (await citizens()).find((c) => c.channel === 'web')!;
    const r = await post({ channel: 'web', from: web.defaultId, text: '小区门口路灯坏了一个月', kind: 'complaint' });
    t.is(r.status, 201);
    const { letterId } = (await r.json()) as { letterId: string };
    const letter = await gw.services.db
      .selectFrom('letters')
      .select(['channel', 'body'])
      .where('id', '=', letterId)
      .executeTakeFirstOrThrow();
    t.is(letter.channel, 'web');
    t.like(letter.body, { kind: 'complaint', mailbox: { id: 'city-12345' }, citizen: { phoneVerified: true } });
    // The browser's path: a draft, submitted once, names the letter.
    const drafts = await sql<{
      n: number;
    }>`select count(*)::int as n from web_drafts where letter_id = ${letterId}`.execute(gw.services.db);
    t.is(drafts.rows[0]?.n, 1);
    const receipt = await eventually(async () => {
      const box = await readOutbox(admin, web.defaultId);
      return box.messages.find((m) => m.payload.templateKey === 'receipt' && m.calls.length > 0);
    }, 20_000);
    t.is(receipt.route, 'sms');
    const call = receipt.calls.find((c) => c.action === 'SendSms')!;
    t.is(call.code, 'OK');
    const delivery = await eventually(async () => {
      const d = await gw.services.db
        .selectFrom('deliveries')
        .select(['status', 'last_error'])
        .where('id', '=', receipt.delivery_id)
        .executeTakeFirstOrThrow();
      return d.status === 'sent' || d.status === 'delivered' ? d : undefined;
    }, 20_000);
    t.not(delivery.last_error ?? '', 'invalid_number');
  },
);

test.serial(
  'when staff post to the web mailbox as an openid or with a kind its form does not offer, then the problem names the field and no web letter is written',
  async (t) => {
    const before = await webLetters();
    const asOpenid = await post({
      channel: 'web',
      from: 'o_simulated_citizen_01',
      text: '测试来信',
      kind: 'complaint',
    });
    t.is(asOpenid.status, 422);
    t.is(((await asOpenid.json()) as { problems: { field: string }[] }).problems[0]?.field, 'from');
    const landline = await post({ channel: 'web', from: '+862885000000', text: '测试来信', kind: 'complaint' });
    t.is(landline.status, 422);
    t.is(((await landline.json()) as { problems: { field: string }[] }).problems[0]?.field, 'from');
    const other = await post({ channel: 'web', from: '+8613700137001', text: '测试来信', kind: 'other' });
    t.is(other.status, 422);
    t.is(((await other.json()) as { problems: { field: string }[] }).problems[0]?.field, 'kind');
    t.is(await webLetters(), before);
  },
);
