import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseTemplatesFile } from '../../gateway/templates/file-format.js';
import { render, variablesUsed } from '../../gateway/templates/render.js';

const file = parseTemplatesFile(
  JSON.parse(readFileSync(new URL('../../gateway/templates/defaults/conversation.json', import.meta.url), 'utf8')),
  'conversation.json',
);
const keys = [
  'help',
  'query_usage',
  'query_result',
  'query_not_found',
  'rate_limited',
  'draft_started',
  'draft_submitted',
  'nothing_to_submit',
  'optout_confirm',
  'resubscribe_confirm',
];
// The longest values the conversation module fills in.
const values = {
  submitWord: '提交',
  quietPeriod: '180分钟',
  draftSummary: '20段文字、20段语音、20张图片、20段视频、1个位置、20个链接',
  retryMinutes: '10',
  serial: 'CD20261126000123',
  status: '未能登记，请重新来信',
  replyText: '一'.repeat(20),
  partNumber: '12',
  partCount: '12',
};

test('when the conversation templates are read, then every answer exists for the official account and SMS', (t) => {
  for (const key of keys) {
    t.truthy(
      file.templates.find((e) => e.channel === 'wechat-oa' && e.route === 'custom' && e.key === key),
      `wechat-oa ${key}`,
    );
    t.truthy(
      file.templates.find((e) => e.channel === 'sms' && e.route === 'sms' && e.key === key),
      `sms ${key}`,
    );
  }
  t.is(file.templates.length, keys.length * 2);
});

test('when the templates are rendered, then they use documented variables only and SMS parameters fit Aliyun limits', (t) => {
  for (const e of file.templates) {
    t.deepEqual(variablesUsed(e.content).unknown, [], `${e.channel} ${e.key}`);
    const out = render(e.content, values);
    if (e.route !== 'sms') continue;
    t.regex(String(out.templateCode), /^SMS_[A-Z0-9_]+$/);
    for (const [name, v] of Object.entries(out.params as Record<string, string>)) {
      t.true([...v].length <= 35, `${e.key}.${name} is ${[...v].length} characters`);
      t.notRegex(v, /https?:|www\./i);
      t.true(String(e.content.text).includes('${' + name + '}'), `${e.key} preview shows \${${name}}`);
    }
  }
});
