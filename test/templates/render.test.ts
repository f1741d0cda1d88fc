import test from 'ava';
import { render, variablesUsed, TemplateError } from '../../gateway/templates/render.js';
import { summarize, splitText } from '../../gateway/lib/text.js';

test('when a template uses documented variables, then every string in its content is filled in', (t) => {
  const out = render(
    { templateId: 'T1', data: { a: '流水号{{serial}}', b: ['{{ extractionCode }}', 3] } },
    { serial: 'CD1', extractionCode: '123456' },
  );
  t.deepEqual(out, { templateId: 'T1', data: { a: '流水号CD1', b: ['123456', 3] } });
});

test('when a template uses an unknown variable, then rendering fails as a template error', (t) => {
  const err = t.throws(() => render({ text: '{{serial}} {{secretField}}' }, { serial: 'x' }), {
    instanceOf: TemplateError,
  });
  t.regex(err.message, /secretField/);
  t.deepEqual(variablesUsed({ text: '{{serial}} {{serial}} {{nope}}' }), {
    used: ['serial', 'nope'],
    unknown: ['nope'],
  });
});

test('when a reply is long, then the summary ends at a sentence inside the limit or is cut with an ellipsis', (t) => {
  t.is(summarize('路灯已修复。请继续监督我们的工作，谢谢您的来信和支持！', 10), '路灯已修复。');
  t.is(summarize('一二三四五六七八九十十一', 6), '一二三四五…');
  t.is(summarize('短', 6), '短');
  // Never half of a surrogate pair.
  t.is(summarize('😀😀😀😀😀😀😀', 4), '😀😀😀…');
});

test('when a text is split in parts, then parts respect the limit, prefer sentence ends and lose nothing', (t) => {
  const text = '第一句话比较长一些。第二句。第三句话也不短，对吧？最后一句没有句号';
  const parts = splitText(text, 12);
  t.true(parts.every((p) => [...p].length <= 12));
  t.is(parts.join(''), text);
  t.is(parts[0], '第一句话比较长一些。');
});
