import test from 'ava';
import {
  normalizeText,
  parseCommand,
  parseLetterStart,
  parseMailboxKeywords,
  parseSubmit,
} from '../../gateway/conversation/parse.js';
import { describeCounts, emptyCounts, quietPeriodLabel } from '../../gateway/conversation/notices.js';

const query = { type: 'query', serial: 'CD20261126000123', code: '123456' };
// Who sent the message: a phone number (SMS) or an account id (official account).
const phone = { isPhone: true };
const account = { isPhone: false };

test('when a query is written with or without spaces, then serial and code are read', (t) => {
  t.deepEqual(parseCommand('查询CD20261126000123 123456', phone), query);
  t.deepEqual(parseCommand('查询 CD20261126000123 123456', account), query);
  t.deepEqual(parseCommand('  查询  cd20261126000123   123456 ', phone), query);
  t.deepEqual(parseCommand('查询CD20261126000123123456', phone), query);
});

test('when a query is typed in full-width characters, then it reads like the half-width one', (t) => {
  t.deepEqual(parseCommand('查询　ＣＤ２０２６１１２６０００１２３　１２３４５６', phone), query);
  t.deepEqual(parseCommand('查询ＣＤ２０２６１１２６０００１２３，１２３４５６。', account), query);
});

test('when the query word comes without a readable serial and code, then it is a malformed query', (t) => {
  t.deepEqual(parseCommand('查询', phone), { type: 'query_malformed' });
  t.deepEqual(parseCommand('查询 CD2026 12', phone), { type: 'query_malformed' });
});

test('when help or opt-out words arrive in any width or case, then they are commands', (t) => {
  for (const s of ['帮助', '?', '？', 'help', ' 帮助 ']) t.deepEqual(parseCommand(s, account), { type: 'help' }, s);
  for (const s of ['退订', 'TD', 'td', 'ＴＤ', 'Ｔｄ']) t.deepEqual(parseCommand(s, account), { type: 'optout' }, s);
  t.deepEqual(parseCommand('T', phone), { type: 'optout' });
  t.deepEqual(parseCommand('ｔ', phone), { type: 'optout' });
  t.is(parseCommand('T', account), null);
});

test('when a message is ordinary text, then it is no command', (t) => {
  for (const s of ['小区路灯坏了', '我想查询一下政策', '查询一下社保缴费记录', '帮助我们修路', 'TD是什么'])
    t.is(parseCommand(s, phone), null, s);
});

test('when a message is the submit word or ends with it after a space, then it submits', (t) => {
  t.deepEqual(parseSubmit('提交', ['提交']), { content: '', submit: true });
  t.deepEqual(parseSubmit('　提交！', ['提交']), { content: '', submit: true });
  t.deepEqual(parseSubmit('路灯坏了 提交', ['提交']), { content: '路灯坏了', submit: true });
  t.deepEqual(parseSubmit('我要提交材料', ['提交']), { content: '我要提交材料', submit: false });
  t.deepEqual(parseSubmit('发送', ['提交', '发送']), { content: '', submit: true });
});

test('when a letter starts with a kind or mailbox word, then it is read and removed from the text', (t) => {
  const mailboxes = parseMailboxKeywords(['市长信箱=mayor:市长信箱', 'broken']);
  t.deepEqual(mailboxes, [{ keyword: '市长信箱', id: 'mayor', name: '市长信箱' }]);
  t.deepEqual(parseLetterStart('投诉：路灯坏了', mailboxes), {
    kind: 'complaint',
    mailbox: undefined,
    rest: '路灯坏了',
  });
  t.deepEqual(parseLetterStart('市长信箱 建议，多种树', mailboxes), {
    kind: 'suggestion',
    mailbox: mailboxes[0],
    rest: '多种树',
  });
  t.deepEqual(parseLetterStart('咨询一下社保', mailboxes), {
    kind: 'consultation',
    mailbox: undefined,
    rest: '咨询一下社保',
  });
  t.deepEqual(parseLetterStart('表扬', mailboxes), { kind: 'praise', mailbox: undefined, rest: '' });
  t.deepEqual(parseLetterStart('路灯坏了，投诉', mailboxes), {
    kind: undefined,
    mailbox: undefined,
    rest: '路灯坏了，投诉',
  });
});

test('when texts are normalised, then whitespace collapses and width folds', (t) => {
  t.is(normalizeText(' ａ\u3000 b\n'), 'a b');
});

test('when a draft is described, then counts read in Chinese and quiet periods in minutes or seconds', (t) => {
  t.is(describeCounts({ ...emptyCounts(), text: 2, image: 1, location: 1 }), '2段文字、1张图片、1个位置');
  t.is(quietPeriodLabel(180), '3分钟');
  t.is(quietPeriodLabel(30), '30秒');
});
