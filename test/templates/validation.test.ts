import test from 'ava';
import { checkSms, checkSmsParamValue, smsSegments } from '../../gateway/channels/sms/template-checks.js';
import { checkFieldValue, fieldType } from '../../gateway/channels/wechat-common/template-fields.js';
import { checkOaText } from '../../gateway/channels/wechat-oa/template-text.js';
import { channelRoutes } from '../../gateway/channels/registry.js';
import { validateTemplate } from '../../gateway/templates/validation/index.js';
import { loadConfig } from '../../config/load.js';
import { readDefaultTemplates } from '../../gateway/templates/file-format.js';

test('when an SMS is 70 characters it is one segment, at 71 two, and then one more every 67', (t) => {
  t.deepEqual(smsSegments('字'.repeat(70)), { chars: 70, segments: 1 });
  t.deepEqual(smsSegments('字'.repeat(71)), { chars: 71, segments: 2 });
  t.is(smsSegments('字'.repeat(134)).segments, 2);
  t.is(smsSegments('字'.repeat(135)).segments, 3);
  // Characters outside the BMP count once, as the carriers count them.
  t.is(smsSegments('😀'.repeat(70)).segments, 1);
});

test('when an Aliyun variable value holds a URL or exceeds 35 characters, then it is refused', (t) => {
  t.regex(checkSmsParamValue('详见 https://example.com/x') ?? '', /PARAM_NOT_SUPPORT_URL/);
  t.regex(checkSmsParamValue('字'.repeat(36)) ?? '', /35/);
  t.is(checkSmsParamValue('字'.repeat(35)), null);
});

test('when the approved text and the parameter mapping disagree, then both sides are named', (t) => {
  const problems = checkSms('市民热线', '流水号${serial}，提取码${code}', { serial: 'CD1', extra: 'x' });
  t.deepEqual(problems.map((p) => p.field).sort(), ['params.code', 'params.extra']);
});

test('when WeChat typed fields are checked, then each type applies its own rule', (t) => {
  t.is(fieldType('character_string12'), 'character_string');
  t.is(checkFieldValue('thing1', '字'.repeat(20)), null);
  t.truthy(checkFieldValue('thing1', '字'.repeat(21)));
  t.is(checkFieldValue('phrase3', '已答复'), null);
  t.truthy(checkFieldValue('phrase3', '已经答复完毕了'));
  t.truthy(checkFieldValue('character_string1', '流水号CD1'));
  t.is(checkFieldValue('time3', '2026-11-26 09:30'), null);
  t.is(checkFieldValue('date2', '2019年10月1日 15:01'), null);
  t.truthy(checkFieldValue('time3', '明天'));
  t.is(checkFieldValue('amount5', '¥100.50元'), null);
  t.is(checkFieldValue('phone_number6', '+86-0766-66888866'), null);
  t.is(checkFieldValue('car_number7', '粤A8Z888挂'), null);
  t.truthy(checkFieldValue('number8', '12a'));
  t.truthy(checkFieldValue('keyword1', 'x'));
});

test('when a customer-service text exceeds 2048 bytes, then it is refused', (t) => {
  t.deepEqual(checkOaText('字'.repeat(500)), []);
  t.is(checkOaText('字'.repeat(600))[0]?.severity, 'warning');
  t.is(checkOaText('字'.repeat(683))[0]?.severity, 'error');
});

test('when the shipped default templates are validated, then none has an error', (t) => {
  // Without ALIYUN_SMS_SIGN_NAME the console checks SMS templates with the gateway's default signature.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://unused@127.0.0.1/unused' });
  for (const entry of readDefaultTemplates()) {
    const r = validateTemplate(entry, channelRoutes, { config });
    t.deepEqual(
      r.problems.filter((p) => p.severity === 'error'),
      [],
      `${entry.channel}/${entry.route}/${entry.key}`,
    );
  }
});

test('when an SMS parameter is fixed text over 35 characters it is an error, when it comes from a variable a warning', (t) => {
  const fixed = checkSms('市民热线', '${a}', { a: '字'.repeat(36) });
  t.is(fixed[0]?.severity, 'error');
  const variable = checkSms('市民热线', '${a}', { a: '字'.repeat(36) }, 3, new Set(['a']));
  t.is(variable[0]?.severity, 'warning');
  t.regex(variable[0]?.message ?? '', /PARAM_LENGTH_LIMIT/);
});

test('when the approved template allows a longer parameter or cuts it, then the SMS rules follow the template', (t) => {
  const long = { summary: '字'.repeat(50) };
  t.is(checkSms('市民热线', '${summary}', long)[0]?.severity, 'error');
  t.deepEqual(checkSms('市民热线', '${summary}', long, 3, new Set(), { maxChars: { summary: 60 } }), []);
  t.deepEqual(checkSms('市民热线', '${summary}', long, 3, new Set(), { cut: ['summary'] }), []);
});
