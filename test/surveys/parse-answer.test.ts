import test from 'ava';
import { parseSurveyAnswer } from '../../gateway/surveys/parse-answer.js';
import { normalizeText } from '../../gateway/conversation/parse.js';

const parse = (s: string) => parseSurveyAnswer(normalizeText(s));

test('when citizens answer in their own words, then digits and rating words in either width are read', (t) => {
  t.is(parse('1')?.score, 1);
  t.is(parse('２')?.score, 2);
  t.is(parse('３ 路灯还是不亮')?.reason, '路灯还是不亮');
  t.is(parse('我选2')?.score, 2);
  t.is(parse('满意，谢谢')?.score, 1);
  t.is(parse('满意，谢谢')?.reason, undefined);
  t.is(parse('基本满意')?.score, 2);
  t.is(parse('不满意 要求重新办理')?.reopen, true);
  t.deepEqual(parse('ｃｄ20261126000123　3'), {
    score: 3,
    serial: 'CD20261126000123',
    reason: undefined,
    reopen: false,
  });
});

test('when a message only looks like a number, then it is not taken for an answer', (t) => {
  t.is(parse('12'), null);
  t.is(parse('4'), null);
  t.is(parse('小区1号楼门口路灯坏了'), null);
  t.is(parse('查询 CD20261126000123 123456'), null);
});
