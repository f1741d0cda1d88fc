import test from 'ava';
import { normalizePhone } from '../../../gateway/lib/phone.js';
import { parseAliyunTime, aliyunPush } from '../../../gateway/channels/sms/providers/aliyun/push.js';
import { outcomeOf } from '../../../gateway/channels/sms/providers/aliyun/codes.js';
import { prepareSms, SmsTemplateError } from '../../../gateway/channels/sms/template-rules.js';
import { addressMatches } from '../../../gateway/channels/sms/push-guard.js';
import { parseJsonKeepingLongIds } from '../../../gateway/channels/sms/json.js';
import { readDefaultTemplates } from '../../../gateway/templates/file-format.js';
import { render } from '../../../gateway/templates/render.js';
import { templateVariables, type TemplateValues } from '../../../gateway/templates/variables.js';

test('when a mainland number comes bare, with 86, +86, 0086 or full-width digits, then it becomes E.164', (t) => {
  for (const n of [
    '13800138000',
    '8613800138000',
    '+8613800138000',
    '008613800138000',
    '１３８００１３８０００',
    '＋86 138-0013-8000',
  ]) {
    t.is(normalizePhone(n), '+8613800138000', n);
  }
  t.is(normalizePhone(13800138000), '+8613800138000');
  t.is(normalizePhone('+85261234567'), '+85261234567');
  for (const bad of ['1381111****', '12345', '', '+86123', 'abc', null, undefined])
    t.is(normalizePhone(bad), null, String(bad));
});

test('when Aliyun sends times in either documented format, then both read as Beijing time', (t) => {
  t.is(parseAliyunTime('2017-09-01 00:00:00')?.toISOString(), '2017-08-31T16:00:00.000Z');
  t.is(parseAliyunTime('20170901000000')?.toISOString(), '2017-08-31T16:00:00.000Z');
  t.is(parseAliyunTime('yesterday'), null);
  t.is(parseAliyunTime(1504195200), null);
});

test('when a report says DELIVERED, then it is delivered; any other receipt code is a failure that keeps the code', (t) => {
  const [ok, bad, broken] = aliyunPush.reports([
    {
      phone_number: '13800138000',
      success: true,
      err_code: 'DELIVERED',
      biz_id: '1^0',
      out_id: 'd1',
      report_time: '2026-11-26 10:00:00',
    },
    { phone_number: '13800138000', success: false, err_code: 'MK:0001', biz_id: '2^0', out_id: 'd2' },
    { success: true, biz_id: '3^0' },
  ]);
  t.is(ok?.outcome, 'delivered');
  t.is(bad?.outcome, 'failed');
  t.is(bad?.errorCode, 'MK:0001');
  t.truthy(broken?.problem);
});

test('when Aliyun answers a business code in a 200 body, then only OK is success and each code gets its handling', (t) => {
  t.deepEqual(outcomeOf('OK', 'OK', '900^0'), { outcome: 'accepted', providerMessageId: '900^0' });
  const minute = outcomeOf('isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1', undefined);
  t.is(minute.outcome, 'retry');
  t.is(minute.outcome === 'retry' ? minute.retryAfterMs : 0, 60_000);
  const day = outcomeOf('isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:10', undefined);
  t.is(day.outcome === 'retry' ? day.retryAfterMs : 0, 24 * 3600_000);
  for (const code of [
    'isv.MOBILE_NUMBER_ILLEGAL',
    'isv.AMOUNT_NOT_ENOUGH',
    'isv.SMS_TEMPLATE_ILLEGAL',
    'isv.SMS_SIGNATURE_ILLEGAL',
  ]) {
    t.is(outcomeOf(code, 'x', undefined).outcome, 'failed', code);
  }
});

test('when template variables break the provider rules, then every problem is named', (t) => {
  const err = t.throws(
    () =>
      prepareSms({
        templateCode: 'SMS_1',
        params: { long: '一'.repeat(36), link: '详见 https://example.com', number: 5, empty: '' },
      }),
    { instanceOf: SmsTemplateError },
  );
  t.is(err?.problems.length, 4);
  t.regex(err?.message ?? '', /long: 36 characters, the template allows 35/);
  t.regex(err?.message ?? '', /link: holds a link/);
  t.regex(err?.message ?? '', /number: must be a string/);
});

test('when a parameter is marked to be cut or has a longer limit, then it is cut at a sentence end or allowed', (t) => {
  const text = '经核查，该路段路灯因供电线路老化而损坏。我单位已于11月20日完成更换，目前照明正常。感谢您的监督。';
  const sms = prepareSms({
    templateCode: 'SMS_1',
    params: { summary: text, note: '二'.repeat(50) },
    cut: ['summary'],
    maxChars: { note: 60 },
  });
  t.is(sms.params.summary, '经核查，该路段路灯因供电线路老化而损坏。');
  const plain = prepareSms({ templateCode: 'SMS_1', params: { s: '三'.repeat(80) }, cut: ['s'] });
  t.is(plain.params.s, '三'.repeat(34) + '…');
  t.is(sms.params.note, '二'.repeat(50));
});

test('when the allowlist names an address or a CIDR block, then only those sources match', (t) => {
  t.true(addressMatches('::ffff:10.1.2.3', '10.1.0.0/16'));
  t.false(addressMatches('10.2.0.1', '10.1.0.0/16'));
  t.true(addressMatches('127.0.0.1', '127.0.0.1'));
  t.false(addressMatches('127.0.0.2', '127.0.0.1'));
});

test('when a push holds integers beyond 2^53, then they are kept exactly as strings and nothing else changes', (t) => {
  const text =
    '[{"sequence_id":6054768590064713728,"n":-12345678901234567,"small":42,"f":1.5e3,"content":"id 9999999999999999999 \\" ok"}]';
  t.deepEqual(parseJsonKeepingLongIds(text), [
    {
      sequence_id: '6054768590064713728',
      n: '-12345678901234567',
      small: 42,
      f: 1500,
      content: 'id 9999999999999999999 " ok',
    },
  ]);
  t.throws(() => parseJsonKeepingLongIds('[{"a":'));
});

test('when every shipped SMS template is rendered with realistic values, then it passes the provider rules', (t) => {
  const realistic: Record<string, string> = {
    letterId: '019a2f6e-5b7c-7d8e-9f00-112233445566',
    serial: 'CD20261126000123',
    extractionCode: '123456',
    mailbox: '市民服务热线12345',
    kind: '投诉',
    title: '小区门口路灯坏了',
    receivedAt: '2026-11-26 09:30',
    receivedDate: '2026-11-26',
    replyText: '经核查，该路段路灯因供电线路老化而损坏。我单位已于11月20日完成线路更换和灯具维修，目前照明已恢复正常。',
    replySummary: '经核查，该路段路灯因供电线路老化而损坏。',
    status: '办理中',
    statusNote: '已转交市政部门',
    partNumber: '1',
    partCount: '3',
    submitWord: '提交',
    quietPeriod: '3分钟',
    draftSummary: '2段文字',
    retryMinutes: '30',
    surveyScore: '基本满意',
    serials: 'CD20261126000123、CD20261126000124',
  };
  const values = Object.fromEntries(
    Object.keys(templateVariables).map((k) => [k, realistic[k] ?? '示例']),
  ) as TemplateValues;
  const sms = readDefaultTemplates().filter((e) => e.channel === 'sms');
  t.true(sms.length >= 3);
  for (const e of sms) {
    // A query answer carries one part of the reply (split to the channel part size), never the whole text.
    const v = e.key === 'query_result' ? { ...values, replyText: '经核查，该路段路灯因供电线路老化而损坏。' } : values;
    t.notThrows(() => prepareSms(render(e.content, v)), e.key);
  }
});
