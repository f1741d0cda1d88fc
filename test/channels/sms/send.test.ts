import test from 'ava';
import { startTestGateway, eventually, type TestGateway } from '../../_support/gateway.js';
import { sampleIntake } from '../../_support/letters.js';
import { business, fakeAliyun, ok, smsLiveEnv } from './fake-aliyun.js';

let gw: TestGateway;
let aliyun: ReturnType<typeof fakeAliyun>;
test.before(async () => {
  aliyun = fakeAliyun();
  gw = await startTestGateway({
    ...smsLiveEnv(),
    // Long enough that only the deliberately slow answers below time out, even when the machine is busy.
    SMS_TIMEOUT_MS: '2000',
    SMS_RECHECK_AFTER_SECONDS: '1',
  });
});
test.after.always(async () => {
  await gw?.stop();
  aliyun?.stop();
});

async function letterFrom(phone: string) {
  const r = await gw.services.intake.submit(
    sampleIntake({ citizen: { channelUserId: `+86${phone}`, phone: `+86${phone}`, anonymous: false } }),
  );
  return r.letterId;
}

const deliveryOf = (letterId: string, kind: string) =>
  gw.services.db
    .selectFrom('deliveries')
    .selectAll()
    .where('letter_id', '=', letterId)
    .where('kind', '=', kind)
    .executeTakeFirst();

const settled = (letterId: string, kind: string, statuses: string[]) =>
  eventually(
    async () => {
      const d = await deliveryOf(letterId, kind);
      return d && statuses.includes(d.status) ? d : undefined;
    },
    30_000,
    `${kind} ${statuses.join('/')}`,
  );

test('when a letter is accepted, then the receipt goes out as the approved template with OutId = delivery id', async (t) => {
  const letterId = await letterFrom('13700000001');
  const d = await settled(letterId, 'receipt', ['sent']);
  const [call] = aliyun.callsFor('13700000001', 'SendSms');
  t.truthy(call);
  t.is(call!.query.OutId, d.id);
  t.is(call!.query.TemplateCode, 'SMS_486215001');
  t.is(call!.query.SignName, '成都网络理政');
  const letter = await gw.services.db
    .selectFrom('letters')
    .select(['serial', 'extraction_code'])
    .where('id', '=', letterId)
    .executeTakeFirstOrThrow();
  t.deepEqual(JSON.parse(call!.query.TemplateParam!), { serial: letter.serial, code: letter.extraction_code });
  t.truthy(d.provider_message_id);
});

test('when Aliyun answers isv.BUSINESS_LIMIT_CONTROL in a 200 body, then the delivery waits for the window instead of failing', async (t) => {
  aliyun.script('13700000002', () => business('isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1'));
  const letterId = await letterFrom('13700000002');
  const d = await eventually(async () => {
    const x = await deliveryOf(letterId, 'receipt');
    return x?.last_error?.includes('isv.BUSINESS_LIMIT_CONTROL') && x.status === 'queued' ? x : undefined;
  }, 15_000);
  const waitS = (new Date(d.next_attempt_at).getTime() - Date.now()) / 1000;
  t.true(waitS > 50 && waitS <= 61, `waits ${waitS}s`);
});

for (const [phone, code, message] of [
  ['13700000003', 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号'],
  ['13700000004', 'isv.AMOUNT_NOT_ENOUGH', '账户余额不足'],
  ['13700000005', 'isv.SMS_TEMPLATE_ILLEGAL', '模板不合法(不存在或被拉黑)'],
] as const) {
  test(`when Aliyun answers ${code}, then the delivery fails for staff to see and is not tried again`, async (t) => {
    aliyun.script(phone, () => business(code, message));
    const letterId = await letterFrom(phone);
    const d = await settled(letterId, 'receipt', ['failed']);
    t.regex(d.last_error ?? '', new RegExp(code.replace('.', '\\.')));
    await new Promise((r) => setTimeout(r, 1200));
    t.is(aliyun.callsFor(phone, 'SendSms').length, 1);
  });
}

test('when SendSms times out, then QuerySendDetails is asked before any retry and the citizen gets one SMS', async (t) => {
  const phone = '13700000006';
  aliyun.script(phone, (call) => {
    if (call.action === 'SendSms') return { ...ok('77^0'), delayMs: 5000 };
    return {
      body: {
        Code: 'OK',
        Message: 'OK',
        RequestId: 'q',
        TotalCount: 1,
        SmsSendDetailDTOs: {
          SmsSendDetailDTO: [
            {
              PhoneNum: phone,
              SendStatus: 3,
              ErrCode: 'DELIVERED',
              TemplateCode: 'SMS_486215001',
              Content: '…',
              SendDate: '2026-11-26 10:00:00',
              ReceiveDate: '2026-11-26 10:00:03',
              OutId: call.action === 'QuerySendDetails' ? lastOutId() : '',
            },
          ],
        },
      },
    };
  });
  const lastOutId = () => aliyun.callsFor(phone, 'SendSms')[0]?.query.OutId ?? '';
  const letterId = await letterFrom(phone);
  const d = await settled(letterId, 'receipt', ['delivered']);
  t.is(aliyun.callsFor(phone, 'SendSms').length, 1);
  const [query] = aliyun.callsFor(phone, 'QuerySendDetails');
  t.truthy(query);
  t.regex(query!.query.SendDate!, /^\d{8}$/);
  const attempts = await gw.services.db
    .selectFrom('delivery_attempts')
    .select(['outcome', 'error_code'])
    .where('delivery_id', '=', d.id)
    .orderBy('id')
    .execute();
  t.deepEqual(
    attempts.map((a) => [a.outcome, a.error_code]),
    [
      ['retry', 'timeout'],
      ['delivered', null],
    ],
  );
});

test('when SendSms timed out and QuerySendDetails has no record of it, then the SMS is sent again once', async (t) => {
  const phone = '13700000009';
  aliyun.script(phone, (call, calls) => {
    if (call.action === 'QuerySendDetails')
      return {
        body: { Code: 'OK', Message: 'OK', RequestId: 'q', TotalCount: 0, SmsSendDetailDTOs: { SmsSendDetailDTO: [] } },
      };
    const sends = calls.filter((c) => c.action === 'SendSms').length;
    return sends === 1 ? { ...ok('78^0'), delayMs: 5000 } : ok('79^0');
  });
  const letterId = await letterFrom(phone);
  const d = await settled(letterId, 'receipt', ['sent']);
  t.is(d.provider_message_id, '79^0');
  t.deepEqual(
    aliyun.callsFor(phone).map((c) => c.action),
    ['SendSms', 'QuerySendDetails', 'SendSms'],
  );
});

test('when a reply is far longer than a template variable, then the SMS carries the serial, a cut summary and how to read it all', async (t) => {
  const phone = '13700000007';
  const letterId = await letterFrom(phone);
  await settled(letterId, 'receipt', ['sent']);
  const text =
    '您好！关于您反映的小区门口路灯损坏问题，经街道办事处会同市政部门现场核查，该路灯因供电线路老化而损坏。' +
    '我单位已于11月20日完成线路更换和灯具维修，目前照明已恢复正常。'.repeat(5) +
    '感谢您对城市管理工作的关心和支持。';
  const res = await gw.api(`/api/v1/letters/${letterId}/replies`, {
    method: 'POST',
    json: { text },
    headers: { 'idempotency-key': `reply-${letterId}` },
  });
  t.is(res.status, 202);
  await settled(letterId, 'reply', ['sent']);
  const call = aliyun.callsFor(phone, 'SendSms').find((c) => c.query.TemplateCode === 'SMS_486215002');
  const params = JSON.parse(call!.query.TemplateParam!) as Record<string, string>;
  const letter = await gw.services.db
    .selectFrom('letters')
    .select(['serial', 'extraction_code'])
    .where('id', '=', letterId)
    .executeTakeFirstOrThrow();
  t.is(params.serial, letter.serial ?? undefined);
  t.is(params.code, letter.extraction_code);
  t.true([...params.summary!].length <= 35);
  t.true(text.startsWith(params.summary!.replace(/…$/, '')));
  for (const v of Object.values(params)) t.true([...v].length <= 35);
});

test('when a variable holds a link, then the delivery fails as a template error and nothing is sent', async (t) => {
  const phone = '13700000008';
  const letterId = await letterFrom(phone);
  await settled(letterId, 'receipt', ['sent']);
  const res = await gw.api(`/api/v1/letters/${letterId}/replies`, {
    method: 'POST',
    json: { text: '详见 https://gov.example.cn/notice/1 的公告。' },
    headers: { 'idempotency-key': `reply-${letterId}` },
  });
  t.is(res.status, 202);
  const d = await settled(letterId, 'reply', ['failed']);
  t.regex(d.last_error ?? '', /^template: .*holds a link/);
  t.is(aliyun.callsFor(phone, 'SendSms').length, 1);
});
