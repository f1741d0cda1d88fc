import test from 'ava';
import { phoneToken } from '../../_support/pii.js';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { sampleIntake } from '../../_support/letters.js';
import { queueDeliveries } from '../../../gateway/outbox/deliveries.js';
import { SMS_PUSH_TOKEN, fakeAliyun, smsLiveEnv } from './fake-aliyun.js';

let gw: TestGateway;
let aliyun: ReturnType<typeof fakeAliyun>;
test.before(async () => {
  aliyun = fakeAliyun();
  gw = await startTestGateway({
    ...smsLiveEnv(),
    CONVERSATION_QUIET_SECONDS: '3',
  });
});
test.after.always(async () => {
  await gw?.stop();
  aliyun?.stop();
});

let seq = 8_000_000;
const uplink = (phone: string, content: string, sendTime = '2026-11-26 09:30:00') => ({
  phone_number: phone,
  send_time: sendTime,
  content,
  dest_code: '1234',
  sequence_id: seq++,
});
async function push(items: unknown[]): Promise<void> {
  const res = await fetch(`${gw.url}/sms/aliyun/uplink?token=${SMS_PUSH_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(items),
  });
  if (res.status !== 200) throw new Error(`push answered ${res.status}`);
}

/** The SMS the fake Aliyun was asked to send to a number, as [templateCode, params]. */
const smsTo = (phone: string) =>
  aliyun
    .callsFor(phone, 'SendSms')
    .map((c) => [c.query.TemplateCode, JSON.parse(c.query.TemplateParam ?? '{}') as Record<string, string>] as const);

const caseStoreLetter = (phone: string) =>
  eventually(
    async () => {
      const row = await gw.services.db
        .selectFrom('letters')
        .select(['id', 'serial', 'body', 'extraction_code'])
        .where('citizen_id', '=', await phoneToken(gw, `+86${phone}`))
        .where('serial', 'is not', null)
        .executeTakeFirst();
      return row ?? undefined;
    },
    30_000,
    `a letter from ${phone} at the case store`,
  );

test('when a long SMS arrives in parts and the citizen sends the submit word (full-width punctuation), then one letter reaches the case store and the receipt SMS goes out', async (t) => {
  const phone = '13600000001';
  await push([
    uplink(phone, '您好，我住在锦江区某小区，小区门口的路灯已经坏了一个多月，', '2026-11-26 09:30:00'),
    uplink(phone, '晚上非常黑，老人出行很不方便，请尽快派人修理。', '20261126093001'),
  ]);
  await push([uplink(phone, '　提交！', '2026-11-26 09:31:00')]);
  const letter = await caseStoreLetter(phone);
  t.is(letter.body.channel, 'sms');
  // Stored encrypted: the letter's phone reads back through the gateway's key.
  t.regex(letter.body.citizen.phone!, /^pii1\./);
  t.is(gw.services.pii.decrypt(letter.body.citizen.phone!), `+86${phone}`);
  t.is(
    letter.body.body,
    '您好，我住在锦江区某小区，小区门口的路灯已经坏了一个多月，\n晚上非常黑，老人出行很不方便，请尽快派人修理。',
  );
  t.is(letter.body.sourceMessages.length, 3);
  const atCaseStore = await gw.services.db
    .selectFrom('sandbox_case_letters')
    .select('serial')
    .where('letter_id', '=', letter.id)
    .executeTakeFirstOrThrow();
  t.is(atCaseStore.serial, letter.serial!);
  await eventually(
    async () => (smsTo(phone).some(([code]) => code === 'SMS_486215001') ? true : undefined),
    30_000,
    'receipt SMS',
  );
  const receipt = smsTo(phone).find(([code]) => code === 'SMS_486215001')!;
  t.deepEqual(receipt[1], { serial: letter.serial!, code: letter.extraction_code });
});

test('when several texts come in a row and the citizen goes quiet, then they become one letter after the quiet period', async (t) => {
  const phone = '13600000002';
  await push([uplink(phone, '建议在地铁站出口增设共享单车停放点'), uplink(phone, '现在车辆乱停影响通行')]);
  const letter = await caseStoreLetter(phone);
  t.is(letter.body.body, '建议在地铁站出口增设共享单车停放点\n现在车辆乱停影响通行');
  t.is(letter.body.kind, 'suggestion');
});

test('when a reply is posted and the citizen queries by SMS, then the full reply comes back in template-sized parts', async (t) => {
  const phone = '13600000003';
  const r = await gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: `+86${phone}`, phone: `+86${phone}`, anonymous: false } }),
  );
  const letter = await caseStoreLetter(phone);
  const text =
    '经核查，该路段路灯因供电线路老化而损坏。我单位已于11月20日完成线路更换和灯具维修，目前照明已恢复正常。今后我们将加强巡查，感谢您的监督。';
  const res = await gw.api(`/api/v1/letters/${r.letterId}/replies`, {
    method: 'POST',
    json: { text },
    headers: { 'idempotency-key': `reply-${r.letterId}` },
  });
  t.is(res.status, 202);
  await eventually(
    async () => (smsTo(phone).some(([code]) => code === 'SMS_486215002') ? true : undefined),
    30_000,
    'reply notice',
  );
  const notice = smsTo(phone).find(([code]) => code === 'SMS_486215002')![1];
  t.true([...notice.summary!].length <= 35);

  await push([uplink(phone, `查询　${letter.serial}　${letter.extraction_code}`)]);
  const parts = await eventually(
    async () => {
      const p = smsTo(phone)
        .filter(([code]) => code === 'SMS_QUERY_RESULT')
        .map(([, params]) => params);
      return p.length > 0 && p.length === Number(p[0]!.part!.split('/')[1]) ? p : undefined;
    },
    30_000,
    'query answer',
  );
  t.true(parts.length > 1);
  t.is(parts.map((p) => p.reply).join(''), text);
  for (const p of parts) for (const v of Object.values(p)) t.true([...v].length <= 35, v);
});

test('when the citizen unsubscribes with TD, then it is confirmed once, surveys and notices stop, and replies still go out', async (t) => {
  const phone = '13600000004';
  const r = await gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: `+86${phone}`, phone: `+86${phone}`, anonymous: false } }),
  );
  await caseStoreLetter(phone);
  await push([uplink(phone, 'ＴＤ')]);
  await eventually(
    async () => (smsTo(phone).some(([code]) => code === 'SMS_OPTOUT_CONFIRM') ? true : undefined),
    30_000,
    'opt-out confirmation',
  );
  await push([uplink(phone, '退订')]);

  const [survey, notice] = await queueDeliveries(gw.services.db, [
    {
      letterId: r.letterId,
      channel: 'sms',
      // Deliveries name the citizen by token, as the gateway's own callers do (gateway/privacy/pii-ids.ts).
      recipient: await phoneToken(gw, `+86${phone}`),
      kind: 'survey',
      templateKey: 'survey',
      variables: {},
    },
    {
      letterId: r.letterId,
      channel: 'sms',
      recipient: await phoneToken(gw, `+86${phone}`),
      kind: 'notice',
      templateKey: 'survey',
      variables: {},
    },
  ]);
  const res = await gw.api(`/api/v1/letters/${r.letterId}/replies`, {
    method: 'POST',
    json: { text: '您反映的问题已处理完毕。' },
    headers: { 'idempotency-key': `reply-${r.letterId}` },
  });
  t.is(res.status, 202);
  gw.services.wakeup.wake('deliveries');
  const stopped = await eventually(
    async () => {
      const rows = await gw.services.db
        .selectFrom('deliveries')
        .select(['id', 'status', 'last_error'])
        .where('id', 'in', [survey!, notice!])
        .execute();
      return rows.every((d) => d.status === 'failed') ? rows : undefined;
    },
    30_000,
    'survey and notice refused',
  );
  for (const d of stopped) t.regex(d.last_error ?? '', /^opted_out/);
  await eventually(
    async () => (smsTo(phone).some(([code]) => code === 'SMS_486215002') ? true : undefined),
    30_000,
    'reply notice',
  );
  t.is(smsTo(phone).filter(([code]) => code === 'SMS_OPTOUT_CONFIRM').length, 1);
  t.false(smsTo(phone).some(([code]) => code === 'SMS_SURVEY'));
});

test('when a draft of 40 SMS (6,000 characters) is submitted, then the letter reaches the case store with the full text as a text attachment and the body says so', async (t) => {
  const phone = '13600000040';
  const parts = Array.from(
    { length: 40 },
    (_, i) => `第${String(i + 1).padStart(2, '0')}段：` + '小区旁工地夜间施工噪音扰民'.repeat(12).slice(0, 145),
  );
  t.true(parts.every((p) => p.length === 150));
  await push(parts.map((p, i) => uplink(phone, p, `2026-11-26 20:${String(i).padStart(2, '0')}:00`)));
  await push([uplink(phone, '提交', '2026-11-26 20:59:00')]);
  const letter = await caseStoreLetter(phone);
  const full = parts.join('\n');
  t.is(full.length, 6039);
  const atCaseStore = await gw.services.db
    .selectFrom('sandbox_case_letters')
    .select('letter')
    .where('letter_id', '=', letter.id)
    .executeTakeFirstOrThrow();
  const sent = atCaseStore.letter as unknown as {
    body: string;
    attachments: { kind: string; url: string; contentType: string; bytes: number }[];
  };
  t.true(sent.body.length <= 5000);
  t.true(sent.body.endsWith('\n（正文过长，全文见附件）'));
  t.true(full.startsWith(sent.body.slice(0, -'\n（正文过长，全文见附件）'.length)));
  t.is(sent.attachments.length, 1);
  const file = sent.attachments[0]!;
  t.is(file.kind, 'file');
  t.is(file.contentType, 'text/plain; charset=utf-8');
  t.is(file.bytes, Buffer.byteLength(full));
  // The case store fetches it under the signed URL, like any attachment, and gets every character.
  const res = await fetch(file.url);
  t.is(res.status, 200);
  t.is(res.headers.get('content-type'), 'text/plain; charset=utf-8');
  t.is(await res.text(), full);
});
