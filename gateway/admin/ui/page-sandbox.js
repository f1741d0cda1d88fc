// The simulator: with channels in sandbox mode, staff write as a citizen and watch what the gateway sends back.
import { h, mount, toast, fmtTime, table, field } from './dom.js';
import { api, can, labels } from './api.js';

export async function sandboxPage(main) {
  const info = await api('GET', '/sandbox');
  if (info.channels.length === 0) return mount(main, h('h2', {}, '沙箱模拟'), h('p', {}, '所有渠道都已接入真实服务，没有沙箱可模拟。'));
  const channel = h('select', { id: 'sim-channel' }, info.channels.map((c) => h('option', { value: c }, labels.channel[c] ?? c)));
  const citizenOf = (ch) => (ch === 'sms' ? '+8613700137000' : 'o_simulated_citizen_01');
  const from = h('input', { id: 'sim-from', value: citizenOf(channel.value) });
  const kind = h('select', { id: 'sim-kind' }, Object.entries(labels.kind).map(([v, t]) => h('option', { value: v }, t)));
  const text = h('textarea', { id: 'sim-text', rows: 3 }, '');
  channel.addEventListener('change', () => {
    from.value = citizenOf(channel.value);
    load();
  });
  const outbox = h('div', { 'aria-live': 'polite', id: 'sim-outbox' });
  const load = async () => {
    const r = await api('GET', `/sandbox/outbox?${new URLSearchParams({ recipient: from.value })}`);
    mount(outbox, r.messages.length === 0 ? h('p', {}, '网关还没有给这位市民发过消息') : table(['时间', '渠道', '方式', '内容'], r.messages.map((m) =>
      h('tr', {}, h('td', {}, fmtTime(m.created_at)), h('td', {}, labels.channel[m.channel] ?? m.channel), h('td', {}, m.route), h('td', {}, h('pre', {}, JSON.stringify(m.payload.rendered ?? m.payload, null, 2)))))));
  };
  const timer = setInterval(() => (document.body.contains(outbox) ? load() : clearInterval(timer)), 2000);
  mount(main, h('h2', {}, '沙箱模拟'),
    h('p', {}, '以市民身份写信：消息按正常流程成为来信、转交并回执，下方显示网关发回给这位市民的消息。'),
    h('form', { class: 'card', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await api('POST', '/sandbox/messages', { channel: channel.value, from: from.value, text: text.value, kind: kind.value });
        toast(`已收到来信 ${r.letterId}`);
        text.value = '';
        load();
      } catch (x) {
        toast(`发送失败：${x.message}`);
      }
    } }, h('div', { class: 'row' }, field('渠道', channel), field('市民（手机号或 openid）', from), field('类型', kind)), field('消息内容', text),
      can('operator') ? h('button', { type: 'submit', id: 'sim-send' }, '以市民身份发送') : h('p', { class: 'meta' }, '只读账号不能模拟')),
    h('div', { class: 'card' }, h('h3', {}, '网关发回的消息'), outbox));
  await load();
}
