// Shows a rendered template as the citizen would see it (an SMS, a WeChat text, a notification card), and a line
// comparison of two template versions.
import { h, mount } from './dom.js';

export function renderPreview(box, p, channel) {
  if (!p) return mount(box, h('p', { class: 'meta' }, '修正错误后显示预览'));
  if (p.kind === 'sms') {
    return mount(box, h('div', { class: 'phone' }, h('div', { class: 'bubble', 'data-testid': 'sms-preview' }, p.text)),
      h('p', { class: 'meta' }, `共 ${p.chars} 个字符，计 ${p.segments} 条短信（70 字以内 1 条，超出按每条 67 字计）`));
  }
  if (p.kind === 'text') {
    return mount(box, h('div', { class: 'phone' }, h('div', { class: 'bubble wechat' }, p.text)), h('p', { class: 'meta' }, `${p.bytes} 字节（上限 2048）`));
  }
  return mount(box, h('div', { class: 'phone' }, h('div', { class: 'bubble' },
    h('strong', {}, channel === 'wechat-mp' ? '小程序订阅消息' : '服务通知'),
    h('dl', {}, p.fields.map((f) => [h('dt', { class: 'meta' }, f.label), h('dd', {}, f.value)])),
    p.link ? h('p', { class: 'meta' }, `点击进入：${p.link}`) : null)), h('p', { class: 'meta' }, `模板 ID：${p.templateId}`));
}

export function diffLines(a, b) {
  const left = JSON.stringify(a, null, 2).split('\n');
  const right = JSON.stringify(b, null, 2).split('\n');
  const inRight = new Set(right);
  const inLeft = new Set(left);
  return h('div', { class: 'grid2' },
    h('pre', { 'aria-label': '旧版本' }, left.map((l) => h('div', { class: inRight.has(l) ? '' : 'diff-del' }, l))),
    h('pre', { 'aria-label': '使用中的版本' }, right.map((l) => h('div', { class: inLeft.has(l) ? '' : 'diff-add' }, l))));
}
