import test from 'ava';
import { startTestGateway, type TestGateway } from '../_support/gateway.js';
import { ADMIN_PASSWORD, staffClient, type StaffClient } from './_staff.js';

let gw: TestGateway;
let admin: StaffClient;
test.before(async () => {
  gw = await startTestGateway({ ADMIN_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD });
  admin = staffClient(gw);
  await admin.login('admin', ADMIN_PASSWORD);
});
test.after.always(async () => {
  await gw?.stop();
});

interface Problem {
  field: string;
  message: string;
  severity: string;
}
const smsReceipt = {
  templateCode: 'SMS_100200300',
  params: { serial: '{{serial}}', code: '{{extractionCode}}' },
  text: '您的来信已受理，流水号${serial}，提取码${code}。',
};

test('when an SMS template uses an unknown variable, then saving answers 422 naming the field and stores nothing', async (t) => {
  const before = (await gw.services.templates.history('sms', 'receipt', 'sms')).length;
  const r = await admin.call('PUT', '/templates/sms/sms/receipt', {
    content: { ...smsReceipt, params: { serial: '{{serail}}', code: '{{extractionCode}}' } },
  });
  t.is(r.status, 422);
  const body = (await r.json()) as { code: string; problems: Problem[] };
  t.is(body.code, 'template_invalid');
  t.true(body.problems.some((p) => p.field === 'content.params.serial' && p.message.includes('{{serail}}')));
  t.is((await gw.services.templates.history('sms', 'receipt', 'sms')).length, before);
});

test('when the approved text uses a parameter the mapping lacks, or a receipt lacks the extraction code, then both are reported', async (t) => {
  const r = await admin.call('PUT', '/templates/sms/sms/receipt', {
    content: { ...smsReceipt, params: { serial: '{{serial}}' } },
  });
  t.is(r.status, 422);
  const fields = ((await r.json()) as { problems: Problem[] }).problems.map((p) => p.field);
  t.true(fields.includes('content.params.code'));
  t.true(fields.includes('content'));
});

test('when a subscribe-message field breaks its type, then the field is named (thing over 20, phrase not Chinese)', async (t) => {
  const r = await admin.call('PUT', '/templates/wechat-mp/subscribe/receipt', {
    content: {
      templateId: 'MP_T1',
      page: 'pages/letter/index?id={{letterId}}',
      data: {
        character_string1: '{{serial}}',
        thing2: '{{title}}，请在三个工作日内留意答复并保存提取码{{extractionCode}}',
        phrase3: 'done',
      },
    },
  });
  t.is(r.status, 422);
  const fields = ((await r.json()) as { problems: Problem[] }).problems.map((p) => p.field).sort();
  t.deepEqual(fields, ['content.data.phrase3', 'content.data.thing2']);
});

test('when previewing an SMS, then the citizen text with the signature, its length and segment count come back', async (t) => {
  const long = {
    ...smsReceipt,
    text: smsReceipt.text + '感谢您对城市建设的关心与支持，如有疑问请拨打12345热线咨询，我们将竭诚为您服务。',
  };
  const r = await admin.call('POST', '/templates/preview', {
    channel: 'sms',
    key: 'receipt',
    route: 'sms',
    content: long,
  });
  t.is(r.status, 200);
  const body = (await r.json()) as {
    ok: boolean;
    problems: Problem[];
    preview: { kind: string; text: string; chars: number; segments: number };
  };
  t.true(body.ok);
  t.true(body.preview.text.startsWith('【市民热线】您的来信已受理，流水号CD20261126000123，提取码402816。'));
  t.is(body.preview.chars, [...body.preview.text].length);
  t.true(body.preview.chars > 70);
  t.is(body.preview.segments, Math.ceil(body.preview.chars / 67));
  t.true(body.problems.some((p) => p.severity === 'warning' && p.field === 'content.text'));
});

test.serial(
  'when a template is saved twice and rolled back, then each save is a version and the rollback is a new version with the old content',
  async (t) => {
    const v1 = await admin.call('PUT', '/templates/sms/sms/receipt', { content: smsReceipt });
    t.is(v1.status, 200);
    const first = ((await v1.json()) as { version: number }).version;
    const changed = { ...smsReceipt, text: '来信已受理：流水号${serial}，提取码${code}。' };
    const second = (
      (await (await admin.call('PUT', '/templates/sms/sms/receipt', { content: changed })).json()) as {
        version: number;
      }
    ).version;
    t.is(second, first + 1);
    const rb = await admin.call('POST', '/templates/sms/sms/receipt/rollback', { version: first });
    t.is(rb.status, 200);
    t.is(((await rb.json()) as { version: number }).version, second + 1);
    const got = (await (await admin.call('GET', '/templates/sms/sms/receipt')).json()) as {
      current: { version: number; content: unknown };
      versions: { version: number }[];
    };
    t.is(got.current.version, second + 1);
    t.deepEqual(got.current.content, smsReceipt);
    t.deepEqual(
      got.versions.slice(0, 3).map((v) => v.version),
      [second + 1, second, first],
    );
    const audit = (await (await admin.call('GET', '/audit?action=template.rollback')).json()) as {
      entries: { before: { version: number }; after: { version: number; rolledBackTo: number } }[];
    };
    t.is(audit.entries[0]!.after.rolledBackTo, first);
    t.is(audit.entries[0]!.before.version, second);
  },
);

test.serial(
  'when templates are exported and imported back changed, then the changed one gets a version; a broken file is refused whole',
  async (t) => {
    const exported = (await (await admin.call('GET', '/templates-export')).json()) as {
      format: string;
      templates: { channel: string; key: string; route: string; content: Record<string, unknown> }[];
    };
    t.is(exported.format, 'letter-gateway.templates');
    const oa = exported.templates.find((x) => x.channel === 'wechat-oa' && x.key === 'reply' && x.route === 'custom')!;
    oa.content = { text: '答复（{{serial}}）：{{replyText}}' };
    const broken = structuredClone(exported);
    broken.templates.find((x) => x.channel === 'wechat-oa' && x.key === 'reply' && x.route === 'custom')!.content = {
      text: '{{nope}}',
    };
    const refused = await admin.call('POST', '/templates-import', broken);
    t.is(refused.status, 422);
    t.true(
      ((await refused.json()) as { problems: { template: string }[] }).problems.some(
        (p) => p.template === 'wechat-oa/custom/reply',
      ),
    );
    const ok = await admin.call('POST', '/templates-import', exported);
    t.is(ok.status, 200);
    const body = (await ok.json()) as { changed: { key: string; route: string }[] };
    t.deepEqual(
      body.changed.map((c) => `${c.route}/${c.key}`),
      ['custom/reply'],
    );
    const current = await gw.services.templates.history('wechat-oa', 'reply', 'custom');
    t.deepEqual(current[0]!.content, { text: '答复（{{serial}}）：{{replyText}}' });
    const audit = (await (await admin.call('GET', '/audit?action=template.import')).json()) as {
      entries: { targetId: string; before: { content: unknown }; after: { content: unknown } }[];
    };
    t.deepEqual(
      audit.entries.map((e) => e.targetId),
      ['wechat-oa/custom/reply'],
    );
    t.deepEqual(audit.entries[0]!.after.content, { text: '答复（{{serial}}）：{{replyText}}' });
    t.notDeepEqual(audit.entries[0]!.before.content, audit.entries[0]!.after.content);
  },
);

test('when a staff member saves a template, then the next delivery records that version', async (t) => {
  const saved = (await (
    await admin.call('PUT', '/templates/wechat-oa/custom/welcome', {
      content: { text: '欢迎关注，直接发送文字即可写信。' },
    })
  ).json()) as { version: number };
  // The citizen has just followed (the push already handled: the window it opens is recorded, and WeChat's simulator
  // has the event), so the welcome goes by customer-service message.
  await gw.services.db
    .insertInto('wechat_oa_followers')
    .values({ openid: 'openid-welcome', window_until: new Date(Date.now() + 3600_000), quota_left: 5 })
    .execute();
  await gw.services.db
    .insertInto('wechat_oa_events')
    .values({
      dedup_key: 'follow-openid-welcome',
      openid: 'openid-welcome',
      event: 'subscribe',
      payload: JSON.stringify({}),
      processed_at: new Date(),
    })
    .execute();
  const { queueDeliveries } = await import('../../gateway/outbox/deliveries.js');
  const [id] = await queueDeliveries(gw.services.db, [
    {
      letterId: null,
      channel: 'wechat-oa',
      recipient: 'openid-welcome',
      kind: 'service',
      templateKey: 'welcome',
      variables: {},
    },
  ]);
  gw.services.wakeup.wake('deliveries');
  const { eventually } = await import('../_support/gateway.js');
  const d = await eventually(async () => {
    const row = await gw.services.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    return row.status === 'sent' ? row : undefined;
  });
  t.is(d.template_version, saved.version);
  t.deepEqual(d.rendered, { text: '欢迎关注，直接发送文字即可写信。' });
});
