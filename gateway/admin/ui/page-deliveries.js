// Deliveries: recent messages to citizens by status and channel; failed ones can be resent (once each).
import { h, mount, fmtTime, table, field, badge } from './dom.js';
import { api, can, labels } from './api.js';
import { resend } from './page-letters.js';

export async function deliveriesPage(main) {
  const status = h('select', { id: 'd-status' }, h('option', { value: 'failed' }, '失败'), h('option', { value: '' }, '全部'), Object.entries(labels.delivery).filter(([v]) => v !== 'failed').map(([v, t]) => h('option', { value: v }, t)));
  const channel = h('select', { id: 'd-channel' }, h('option', { value: '' }, '全部'), Object.entries(labels.channel).map(([v, t]) => h('option', { value: v }, t)));
  const results = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const p = new URLSearchParams([['status', status.value], ['channel', channel.value]].filter(([, v]) => v));
    const r = await api('GET', `/deliveries?${p}`);
    mount(results, table(['时间', '渠道', '收件人', '消息', '状态', '模板版本', '错误', '来信', ''], r.deliveries.map((d) =>
      h('tr', {}, h('td', {}, fmtTime(d.created_at)), h('td', {}, labels.channel[d.channel]), h('td', {}, d.recipient), h('td', {}, d.template_key), h('td', {}, badge(labels.delivery[d.status] ?? d.status, d.status)),
        h('td', {}, d.template_version ? `v${d.template_version}` : '—'), h('td', {}, d.last_error ?? ''), h('td', {}, d.letter_id ? h('a', { href: `#/letters/${d.letter_id}` }, d.serial ?? '查看') : '—'),
        h('td', {}, d.resend_id ? '已重发' : d.status === 'failed' && can('operator') ? h('button', { type: 'button', onclick: () => resend(d.id, load) }, '重发') : '')))));
  };
  mount(main, h('h2', {}, '消息发送'), h('form', { class: 'card', onsubmit: (e) => { e.preventDefault(); load(); } }, h('div', { class: 'row' }, field('状态', status), field('渠道', channel), h('button', { type: 'submit' }, '筛选'))), results);
  await load();
}
