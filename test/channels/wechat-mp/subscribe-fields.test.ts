import test from 'ava';
import { buildSubscribeData, SubscribeDataError } from '../../../gateway/channels/wechat-mp/subscribe-fields.js';
import { checkFieldValue, wechatFieldRules } from '../../../gateway/channels/wechat-common/template-fields.js';

test('when a thing value is longer than 20 code points, then it is cut to 20 with an ellipsis, emoji counted once', (t) => {
  const d = buildSubscribeData({ thing1: '😀'.repeat(25) });
  t.is([...d.thing1!.value].length, 20);
  t.is(d.thing1!.value, '😀'.repeat(19) + '…');
  t.is(buildSubscribeData({ thing1: '路灯\n坏了' }).thing1!.value, '路灯 坏了');
});

test('when dates and times come as YYYY-MM-DD HH:mm, then they are written as WeChat documents them', (t) => {
  const d = buildSubscribeData({ time3: '2026-11-26 09:05', date4: '2026-01-02' });
  t.is(d.time3!.value, '2026年11月26日 09:05');
  t.is(d.date4!.value, '2026年1月2日');
});

test('when a value cannot be cut safely, then every bad field is named and nothing is built', (t) => {
  const err = t.throws(
    () =>
      buildSubscribeData({
        character_string1: 'C'.repeat(33),
        phrase3: '已经答复了的',
        number2: '12a',
        thing4: '',
        wat5: 'x',
      }),
    { instanceOf: SubscribeDataError },
  );
  t.deepEqual(
    err?.problems.map((p) => p.split(':')[0]),
    ['character_string1', 'phrase3', 'number2', 'thing4', 'wat5'],
  );
});

test('when values fit their types, then they pass unchanged', (t) => {
  const d = buildSubscribeData({
    character_string1: 'CD20261126000123',
    phrase3: '已答复',
    number2: '12.5',
    phone_number6: '+86-028-12345',
    name7: '张三',
    letter8: 'abc',
  });
  t.deepEqual(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.value])), {
    character_string1: 'CD20261126000123',
    phrase3: '已答复',
    number2: '12.5',
    phone_number6: '+86-028-12345',
    name7: '张三',
    letter8: 'abc',
  });
  t.throws(() => buildSubscribeData({ name1: '张三丰张三丰张三丰张三' }), { instanceOf: SubscribeDataError });
});

test('when a value is longer than its type allows, then the send cuts it only where the staff console rule allows cutting, and refuses it otherwise', (t) => {
  for (const [type, rule] of Object.entries(wechatFieldRules)) {
    if (rule.max === undefined) continue;
    const key = `${type}1`;
    const long = '1'.repeat(rule.max + 1);
    t.truthy(checkFieldValue(key, long), type);
    if (rule.cut) t.is([...buildSubscribeData({ [key]: long })[key]!.value].length, rule.max, type);
    else t.throws(() => buildSubscribeData({ [key]: long }), { instanceOf: SubscribeDataError }, type);
  }
});
